// Emission factors: everyone lists and filters them (the filters are the page's URL, so a
// filtered list can be shared); administrators add one.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import type { FactorCategory } from '@co2calculator/client';
import {
  createFactorMutation,
  getMeOptions,
  listFactorsInfiniteOptions,
  listFactorsInfiniteQueryKey,
  listFactorsQueryKey,
} from '@co2calculator/client/react-query';

import { Field, FormProblem, type Fallback } from './fields';
import { CATEGORY_LABELS } from './format';
import { ProblemView } from './problem';
import { href, navigate } from './router';

const CATEGORIES = Object.keys(CATEGORY_LABELS) as FactorCategory[];
const FACTOR_FIELDS = ['key', 'category', 'unit', 'kg_co2e_per_unit', 'scope', 'year', 'region', 'source'];
const DUPLICATE: Fallback = { status: [409], field: 'key' };

export function Factors({ params }: { params: URLSearchParams }) {
  const me = useQuery(getMeOptions());
  const category = (params.get('category') || null) as FactorCategory | null;
  const year = params.get('year') ? Number(params.get('year')) : null;
  const search = params.get('search') || null;
  const region = params.get('region') || null;
  const [text, setText] = useState(search ?? '');
  const [yearText, setYearText] = useState(year ? String(year) : '');

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
      <h2>Emission factors</h2>
      <section className="card" aria-label="Filter factors">
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
            Search (key or source)
            <input value={text} onChange={(e) => setText(e.target.value)} placeholder="e.g. grid" />
          </label>
          <label>
            Category
            <select value={category ?? ''} onChange={(e) => setFilter('category', e.target.value)}>
              <option value="">all</option>
              {CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {CATEGORY_LABELS[c]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Year
            <input type="number" min={1990} max={2100} value={yearText} onChange={(e) => setYearText(e.target.value)} onBlur={() => setFilter('year', yearText)} />
          </label>
          <label>
            Region
            <input value={region ?? ''} onChange={(e) => setFilter('region', e.target.value.toUpperCase())} size={5} />
          </label>
          <button type="submit">Search</button>
        </form>
        {factors.isError ? <ProblemView error={factors.error} context="Factors" /> : null}
        <div className="table-scroll">
          <table className="stack" data-testid="factors">
            <thead>
              <tr>
                <th>Key</th>
                <th>Category</th>
                <th className="num">Year</th>
                <th>Region</th>
                <th className="num">kg CO2e / unit</th>
                <th className="num">Scope</th>
                <th>Source</th>
              </tr>
            </thead>
            <tbody>
              {items.map((f) => (
                <tr key={f.id}>
                  <td>
                    <code>{f.key}</code>
                  </td>
                  <td>{CATEGORY_LABELS[f.category]}</td>
                  <td className="num">{f.year}</td>
                  <td>{f.region ?? '—'}</td>
                  <td className="num">
                    {f.kg_co2e_per_unit} / {f.unit}
                  </td>
                  <td className="num">{f.scope}</td>
                  <td className="note">{f.source}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {factors.isSuccess && !items.length ? (
          <p className="muted" data-testid="no-factors">
            {filtered
              ? 'No factor matches these filters: widen them (another year, all categories).'
              : me.data?.role === 'admin'
                ? 'No emission factors yet: add one below, or load the factor library (scripts/run does on a fresh install).'
                : 'No emission factors yet: an administrator adds them.'}
          </p>
        ) : null}
        {factors.hasNextPage ? (
          <button className="secondary" onClick={() => void factors.fetchNextPage()} disabled={factors.isFetchingNextPage}>
            {factors.isFetchingNextPage ? 'Loading…' : 'More factors'}
          </button>
        ) : null}
      </section>
      {me.data?.role === 'admin' ? <CreateFactor /> : null}
    </div>
  );
}

function CreateFactor() {
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
        kg_co2e_per_unit: draft.kg,
        scope: Number(draft.scope),
        year: Number(draft.year),
        region: draft.region.trim() || null,
        source: draft.source,
      },
    });
  };
  return (
    <form className="card" onSubmit={submit} aria-label="Add a factor">
      <h3>Add a factor</h3>
      <div className="form-grid">
        <Field label="Key" name="key" error={create.error} fallback={DUPLICATE}>
          <input value={draft.key} onChange={set('key')} required placeholder="electricity.grid.CH" />
        </Field>
        <Field label="Category" name="category" error={create.error}>
          <select value={draft.category} onChange={set('category')}>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {CATEGORY_LABELS[c]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Unit" name="unit" error={create.error}>
          <input value={draft.unit} onChange={set('unit')} required placeholder="kWh" />
        </Field>
        <Field label="kg CO2e per unit" name="kg_co2e_per_unit" error={create.error}>
          <input inputMode="decimal" value={draft.kg} onChange={set('kg')} required />
        </Field>
        <Field label="Scope" name="scope" error={create.error}>
          <select value={draft.scope} onChange={set('scope')}>
            <option>1</option>
            <option>2</option>
            <option>3</option>
          </select>
        </Field>
        <Field label="Year" name="year" error={create.error}>
          <input type="number" value={draft.year} onChange={set('year')} required />
        </Field>
        <Field label="Region (none: everywhere)" name="region" error={create.error}>
          <input value={draft.region} onChange={set('region')} />
        </Field>
        <Field label="Source" name="source" error={create.error}>
          <input value={draft.source} onChange={set('source')} />
        </Field>
      </div>
      <FormProblem error={create.error} context="The factor was not added" fields={FACTOR_FIELDS} fallback={DUPLICATE} />
      {create.isSuccess ? (
        <p className="success" role="status">
          Added <code>{create.data.key}</code> ({create.data.year}).
        </p>
      ) : null}
      <button type="submit" disabled={create.isPending}>
        {create.isPending ? 'Adding…' : 'Add factor'}
      </button>
    </form>
  );
}
