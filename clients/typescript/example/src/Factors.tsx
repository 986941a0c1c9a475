// Emission factors: everyone lists and filters them (the filters are the page's URL, so a
// filtered list can be shared); administrators add one.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';

import type { FactorCategory } from '@co2calculator/client';
import {
  createFactorMutation,
  getMeOptions,
  listFactorsInfiniteOptions,
  listFactorsInfiniteQueryKey,
  listFactorsOptions,
  listFactorsQueryKey,
} from '@co2calculator/client/react-query';

import { Field, FormProblem, type Fallback } from './fields';
import { decimalInput } from './format';
import { CATEGORY_NAMES, useLang, useT } from './i18n';
import { ProblemView } from './problem';
import { href, Link, navigate } from './router';
import { nearestKeys } from './suggest';

const CATEGORIES = Object.keys(CATEGORY_NAMES.en) as FactorCategory[];
const FACTOR_FIELDS = ['key', 'category', 'unit', 'kg_co2e_per_unit', 'scope', 'year', 'region', 'source'];
const DUPLICATE: Fallback = { status: [409], field: 'key' };

export function Factors({ params }: { params: URLSearchParams }) {
  const t = useT();
  const lang = useLang();
  const me = useQuery(getMeOptions());
  const category = (params.get('category') || null) as FactorCategory | null;
  const year = params.get('year') ? Number(params.get('year')) : null;
  const search = params.get('search') || null;
  const region = params.get('region') || null;
  const [text, setText] = useState(search ?? '');
  const [yearText, setYearText] = useState(year ? String(year) : '');
  const isAdmin = me.data?.role === 'admin';

  const factors = useInfiniteQuery({
    ...listFactorsInfiniteOptions({ query: { limit: 50, category, year, search, region } }),
    initialPageParam: {},
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
  const items = factors.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Boolean(category || year || search || region);

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    navigate(href({ name: 'factors', params: next }), { replace: true });
  };

  return (
    <div className="lab-view">
      <h2>{t.emissionFactors}</h2>
      {isAdmin ? (
        <p className="admin-links">
          <Link className="button secondary" to={href({ name: 'factor-imports' })}>
            {t.importOrSyncFactors}
          </Link>
        </p>
      ) : null}
      <section className="card" aria-label={t.filterFactors}>
        <form
          className="form-row"
          onSubmit={(e) => {
            e.preventDefault();
            const next = new URLSearchParams(params);
            for (const [name, value] of [['search', text.trim()], ['year', yearText]] as const) {
              if (value) next.set(name, value);
              else next.delete(name);
            }
            navigate(href({ name: 'factors', params: next }), { replace: true });
          }}
        >
          <label className="grow">
            {t.searchLabel}
            <input value={text} onChange={(e) => setText(e.target.value)} placeholder={t.searchPlaceholder} />
          </label>
          <label>
            {t.category}
            <select value={category ?? ''} onChange={(e) => setFilter('category', e.target.value)}>
              <option value="">{t.all}</option>
              {CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {CATEGORY_NAMES[lang][c]}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t.year}
            <input type="number" min={1990} max={2100} value={yearText} onChange={(e) => setYearText(e.target.value)} onBlur={() => setFilter('year', yearText)} />
          </label>
          <label>
            {t.region}
            <input value={region ?? ''} onChange={(e) => setFilter('region', e.target.value.toUpperCase())} size={5} />
          </label>
          <button type="submit">{t.search}</button>
        </form>
        {factors.isError ? <ProblemView error={factors.error} context={t.factors} /> : null}
        <div className="table-scroll">
          <table className="stack" data-testid="factors">
            <thead>
              <tr>
                <th>{t.key}</th>
                <th>{t.category}</th>
                <th className="num">{t.year}</th>
                <th>{t.region}</th>
                <th className="num">{t.kgPerUnit}</th>
                <th className="num">{t.scopeLabel}</th>
                <th>{t.source}</th>
                {isAdmin ? (
                  <th>
                    <span className="visually-hidden">{t.actions}</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {items.map((f) => (
                <tr key={f.id}>
                  <td>
                    <code>{f.key}</code>
                  </td>
                  <td>{CATEGORY_NAMES[lang][f.category]}</td>
                  <td className="num">{f.year}</td>
                  <td>{f.region ?? '—'}</td>
                  <td className="num">
                    {f.kg_co2e_per_unit} / {f.unit}
                  </td>
                  <td className="num">{f.scope}</td>
                  <td className="note">{f.source}</td>
                  {isAdmin ? (
                    <td className="actions">
                      <Link to={href({ name: 'factor', factorId: f.id })} aria-label={t.editFactorNamed(f.key, f.year)}>
                        {t.edit}
                      </Link>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {factors.isSuccess && !items.length ? (
          <p className="muted" data-testid="no-factors">
            {filtered ? t.noFactorMatches : me.data?.role === 'admin' ? t.noFactorsAdmin : t.noFactorsUser}
          </p>
        ) : null}
        {factors.isSuccess && !items.length && search ? (
          <DidYouMean
            typed={search}
            pick={(key) => {
              setText(key);
              setFilter('search', key);
            }}
          />
        ) : null}
        {factors.hasNextPage ? (
          <button className="secondary" onClick={() => void factors.fetchNextPage()} disabled={factors.isFetchingNextPage}>
            {factors.isFetchingNextPage ? t.loading : t.moreFactors}
          </button>
        ) : null}
      </section>
      {isAdmin ? <CreateFactor /> : null}
    </div>
  );
}

/** A search that found nothing: the keys nearest to what was typed, each a new search. */
function DidYouMean({ typed, pick }: { typed: string; pick: (key: string) => void }) {
  const t = useT();
  const known = useQuery(listFactorsOptions({ query: { limit: 200 } }));
  const nearest = useMemo(() => nearestKeys(typed, (known.data?.items ?? []).map((f) => f.key)), [typed, known.data]);
  if (!nearest.length) return null;
  return (
    <p data-testid="did-you-mean">
      {t.didYouMean}{' '}
      {nearest.map((key, index) => (
        <span key={key}>
          {index ? ', ' : ''}
          <button type="button" className="link" onClick={() => pick(key)}>
            <code>{key}</code>
          </button>
        </span>
      ))}
      {t.questionEnd}
    </p>
  );
}

function CreateFactor() {
  const t = useT();
  const lang = useLang();
  const queryClient = useQueryClient();
  const empty = { key: '', category: 'electricity' as FactorCategory, unit: '', kg: '', scope: '2', year: String(new Date().getFullYear()), region: '', source: '' };
  const [draft, setDraft] = useState(empty);
  const create = useMutation({
    ...createFactorMutation(),
    onSuccess: async () => {
      setDraft(empty);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: listFactorsInfiniteQueryKey() }),
        queryClient.invalidateQueries({ queryKey: listFactorsQueryKey() }),
      ]);
    },
  });
  const set = (key: keyof typeof empty) => (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({
      body: {
        key: draft.key,
        category: draft.category,
        unit: draft.unit,
        kg_co2e_per_unit: decimalInput(draft.kg),
        scope: Number(draft.scope),
        year: Number(draft.year),
        region: draft.region.trim() || null,
        source: draft.source,
      },
    });
  };
  return (
    <form className="card" onSubmit={submit} aria-label={t.addAFactor}>
      <h3>{t.addAFactor}</h3>
      <div className="form-grid">
        <Field label={t.key} name="key" error={create.error} fallback={DUPLICATE}>
          <input value={draft.key} onChange={set('key')} required placeholder="electricity.grid.CH" />
        </Field>
        <Field label={t.category} name="category" error={create.error}>
          <select value={draft.category} onChange={set('category')}>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {CATEGORY_NAMES[lang][c]}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t.unit} name="unit" error={create.error}>
          <input value={draft.unit} onChange={set('unit')} required placeholder="kWh" />
        </Field>
        <Field label={t.kgPerUnitLabel} name="kg_co2e_per_unit" error={create.error}>
          <input inputMode="decimal" value={draft.kg} onChange={set('kg')} required />
        </Field>
        <Field label={t.scopeLabel} name="scope" error={create.error}>
          <select value={draft.scope} onChange={set('scope')}>
            <option>1</option>
            <option>2</option>
            <option>3</option>
          </select>
        </Field>
        <Field label={t.year} name="year" error={create.error}>
          <input type="number" value={draft.year} onChange={set('year')} required />
        </Field>
        <Field label={t.regionEverywhere} name="region" error={create.error}>
          <input value={draft.region} onChange={set('region')} />
        </Field>
        <Field label={t.source} name="source" error={create.error}>
          <input value={draft.source} onChange={set('source')} />
        </Field>
      </div>
      <FormProblem error={create.error} context={t.factorNotAdded} fields={FACTOR_FIELDS} fallback={DUPLICATE} />
      {create.isSuccess ? (
        <p className="success" role="status">
          {t.addedFactor} <code>{create.data.key}</code> ({create.data.year}).
        </p>
      ) : null}
      <button type="submit" disabled={create.isPending}>
        {create.isPending ? t.adding : t.addFactor}
      </button>
    </form>
  );
}
