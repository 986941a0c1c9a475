// Adding an entry (a mutation that invalidates the report), and the year's entries with an edit
// that sends the `version` read when the edit began: a change made meanwhile answers 409.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useMemo, useState, type ChangeEvent, type FormEvent } from 'react';

import type { CabinClass, CreateEntryData, EntryKind, EntryPublic, FactorCategory, FactorPublic, GwpAssessment } from '@co2calculator/client';
import {
  createEntryMutation,
  deleteEntryMutation,
  getLabReportQueryKey,
  listFactorsOptions,
  listLabEntriesInfiniteOptions,
  listLabEntriesInfiniteQueryKey,
  updateEntryMutation,
} from '@co2calculator/client/react-query';

import { Field, FormProblem } from './fields';
import { co2e, decimalInput, quantity as formatQuantity } from './format';
import { CABIN_NAMES, CATEGORY_NAMES, KIND_NAMES, useLang, useT, type Messages } from './i18n';
import { ProblemView } from './problem';

/** What an entry change makes stale: the lab's reports (every year) and its entry lists. */
export function invalidateLab(queryClient: QueryClient, labId: string): Promise<void> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: getLabReportQueryKey({ path: { lab_id: labId } }) }),
    queryClient.invalidateQueries({ queryKey: listLabEntriesInfiniteQueryKey({ path: { lab_id: labId } }) }),
  ]).then(() => undefined);
}

function defaultDate(year: number): string {
  const today = new Date().toISOString().slice(0, 10);
  return today.startsWith(String(year)) ? today : `${year}-01-15`;
}

/** Per key, the factor the server applies to an entry of the year in a lab of `region`: the
 * region's own when there is one, else the region-less one (app/repositories/factor.py,
 * `find_applicable`). Keys with only other regions' factors that year are not offered. */
export function applicableFactors(factors: FactorPublic[], region: string | null): FactorPublic[] {
  const byKey = new Map<string, FactorPublic>();
  for (const factor of factors) {
    const held = byKey.get(factor.key);
    if (region !== null && factor.region === region) byKey.set(factor.key, factor);
    else if (factor.region === null && (!held || held.region !== region)) byKey.set(factor.key, factor);
  }
  return [...byKey.values()];
}

// Every field an entry body of any kind may name (docs/activities.md): a problem about one of them
// is shown under it, the rest under the form.
const ENTRY_FIELDS = [
  'date', 'factor_key', 'quantity', 'note', 'origin', 'destination', 'cabin_class', 'round_trip', 'travellers',
  'amount', 'currency', 'gas', 'kg', 'assessment', 'lifetime_years',
];
const KINDS = Object.keys(KIND_NAMES.en) as EntryKind[];
const CABINS = Object.keys(CABIN_NAMES.en) as CabinClass[];
/** A spend-based factor's unit is a currency code (the server checks it is one the ECB publishes). */
const isCurrency = (unit: string): boolean => /^[A-Z]{3}$/.test(unit);
/** Refrigerant gases are the factors `gas.<assessment>.<gas>`. */
const GAS_KEY = /^gas\.(ar5|ar6)\.(.+)$/;

type Draft = {
  kind: EntryKind;
  date: string;
  note: string;
  factorKey: string;
  quantity: string;
  origin: string;
  destination: string;
  cabin: CabinClass;
  roundTrip: boolean;
  travellers: string;
  amount: string;
  currency: string;
  gas: string;
  kg: string;
  assessment: GwpAssessment;
  lifetime: string;
};

/** The request body of the draft's kind (a union on `kind`: only that kind's fields are sent). */
function bodyOf(draft: Draft, factorKey: string): CreateEntryData['body'] {
  const { date, note } = draft;
  switch (draft.kind) {
    case 'quantity':
      return { date, note, factor_key: factorKey, quantity: decimalInput(draft.quantity) };
    case 'flight':
      return {
        kind: 'flight', date, note, origin: draft.origin.trim().toUpperCase(), destination: draft.destination.trim().toUpperCase(),
        cabin_class: draft.cabin, round_trip: draft.roundTrip, travellers: Number(draft.travellers),
      };
    case 'purchase':
      return { kind: 'purchase', date, note, factor_key: factorKey, amount: decimalInput(draft.amount), currency: draft.currency.trim().toUpperCase() };
    case 'refrigerant':
      return { kind: 'refrigerant', date, note, gas: draft.gas.trim(), kg: decimalInput(draft.kg), assessment: draft.assessment };
    case 'equipment':
      return { kind: 'equipment', date, note, factor_key: factorKey, quantity: decimalInput(draft.quantity), lifetime_years: Number(draft.lifetime) };
  }
}

export function AddEntry({ labId, region, year }: { labId: string; region: string | null; year: number }) {
  const t = useT();
  const lang = useLang();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => ({
    kind: 'quantity', date: defaultDate(year), note: '', factorKey: '', quantity: '', origin: '', destination: '',
    cabin: 'economy', roundTrip: false, travellers: '1', amount: '', currency: 'CHF', gas: '', kg: '', assessment: 'ar6', lifetime: '4',
  }));
  const set = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }));
  const { kind, date } = draft;
  // The factors of the entry's own year (its date may be in another year than the page's).
  const dateYear = /^\d{4}-/.test(date) ? Number(date.slice(0, 4)) : year;
  const factors = useQuery(listFactorsOptions({ query: { year: dateYear, limit: 200 } }));
  const applicable = useMemo(() => applicableFactors(factors.data?.items ?? [], region), [factors.data, region]);
  // What a kind may name: a plain entry any factor; a purchase a spend-based one; an equipment any
  // but the gases' and the flights' (refrigerants are chosen by gas, flights by the server).
  const choices = useMemo(() => {
    const fit = applicable.filter((f) =>
      kind === 'purchase' ? isCurrency(f.unit) : kind === 'quantity' || (!GAS_KEY.test(f.key) && !f.cabin_class),
    );
    // An equipment's item types first (the category `equipment`), then the rest.
    return kind === 'equipment' ? [...fit.filter((f) => f.category === 'equipment'), ...fit.filter((f) => f.category !== 'equipment')] : fit;
  }, [applicable, kind]);
  const gases = useMemo(
    () => [...new Set(applicable.flatMap((f) => (GAS_KEY.exec(f.key)?.[1] === draft.assessment ? [GAS_KEY.exec(f.key)![2]] : [])))].sort(),
    [applicable, draft.assessment],
  );
  const add = useMutation({
    ...createEntryMutation(),
    onSuccess: async () => {
      set({ quantity: '', note: '', amount: '', kg: '', origin: '', destination: '' });
      await invalidateLab(queryClient, labId);
    },
  });
  const usesFactor = kind === 'quantity' || kind === 'purchase' || kind === 'equipment';
  const chosen = usesFactor ? choices.find((f) => f.key === (draft.factorKey || choices[0]?.key)) ?? choices[0] : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (usesFactor && !chosen) return;
    add.mutate({ path: { lab_id: labId }, body: bodyOf(draft, chosen?.key ?? '') });
  };
  const text = (name: keyof Draft) => ({
    value: String(draft[name]),
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => set({ [name]: e.target.value }),
  });
  const factorSelect = (label: string) => (
    <Field label={label} name="factor_key" error={add.error} className="grow">
      <select value={chosen?.key ?? ''} onChange={(e) => set({ factorKey: e.target.value })}>
        {choices.map((f) => (
          <option key={f.key} value={f.key}>
            {f.key} ({CATEGORY_NAMES[lang][f.category]})
          </option>
        ))}
      </select>
    </Field>
  );

  return (
    <form className="card add-entry" onSubmit={submit} aria-label={t.addAnEntry}>
      <h3>{t.addAnEntry}</h3>
      {factors.isError ? <ProblemView error={factors.error} context={t.factors} /> : null}
      {factors.isSuccess && usesFactor && !choices.length ? (
        <p className="muted">{kind === 'purchase' ? t.noSpendFactors(dateYear) : t.noFactorsFor(dateYear)}</p>
      ) : null}
      <div className="form-row">
        <Field label={t.kind} name="kind" error={add.error}>
          <select value={kind} onChange={(e) => (add.reset(), set({ kind: e.target.value as EntryKind, factorKey: '' }))} data-testid="entry-kind">
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_NAMES[lang][k]}
              </option>
            ))}
          </select>
        </Field>
        <Field label={kind === 'equipment' ? t.purchaseDate : t.date} name="date" error={add.error}>
          <input type="date" {...text('date')} required />
        </Field>
        {kind === 'quantity' ? (
          <>
            {factorSelect(t.factor)}
            <Field label={`${t.quantity}${chosen ? ` (${chosen.unit})` : ''}`} name="quantity" error={add.error}>
              <input inputMode="decimal" {...text('quantity')} required />
            </Field>
          </>
        ) : kind === 'flight' ? (
          <>
            <Field label={t.origin} name="origin" error={add.error}>
              <input {...text('origin')} maxLength={3} size={4} autoCapitalize="characters" placeholder="GVA" required />
            </Field>
            <Field label={t.destination} name="destination" error={add.error}>
              <input {...text('destination')} maxLength={3} size={4} autoCapitalize="characters" placeholder="JFK" required />
            </Field>
            <Field label={t.cabinClass} name="cabin_class" error={add.error}>
              <select {...text('cabin')}>
                {CABINS.map((c) => (
                  <option key={c} value={c}>
                    {CABIN_NAMES[lang][c]}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t.travellers} name="travellers" error={add.error}>
              <input type="number" min={1} step={1} {...text('travellers')} required />
            </Field>
            <Field label={t.roundTrip} name="round_trip" error={add.error} className="check">
              <input type="checkbox" checked={draft.roundTrip} onChange={(e) => set({ roundTrip: e.target.checked })} />
            </Field>
          </>
        ) : kind === 'purchase' ? (
          <>
            {factorSelect(t.spendCategory)}
            <Field label={t.amount} name="amount" error={add.error}>
              <input inputMode="decimal" {...text('amount')} required />
            </Field>
            <Field label={t.currency} name="currency" error={add.error}>
              <input {...text('currency')} maxLength={3} size={4} autoCapitalize="characters" required />
            </Field>
          </>
        ) : kind === 'refrigerant' ? (
          <>
            <Field label={t.gas} name="gas" error={add.error}>
              <input {...text('gas')} list="known-gases" placeholder="HFC134a" required />
              <datalist id="known-gases">
                {gases.map((gas) => (
                  <option key={gas} value={gas} />
                ))}
              </datalist>
            </Field>
            <Field label={t.kgOfGas} name="kg" error={add.error}>
              <input inputMode="decimal" {...text('kg')} required />
            </Field>
            <Field label={t.assessment} name="assessment" error={add.error}>
              <select {...text('assessment')}>
                <option value="ar6">IPCC AR6</option>
                <option value="ar5">IPCC AR5</option>
              </select>
            </Field>
          </>
        ) : (
          <>
            {factorSelect(t.equipmentType)}
            <Field label={`${t.items}${chosen ? ` (${chosen.unit})` : ''}`} name="quantity" error={add.error}>
              <input inputMode="decimal" {...text('quantity')} required />
            </Field>
            <Field label={t.lifetimeYears} name="lifetime_years" error={add.error}>
              <input type="number" min={1} max={50} step={1} {...text('lifetime')} required />
            </Field>
          </>
        )}
        <Field label={t.note} name="note" error={add.error} className="grow">
          <input {...text('note')} />
        </Field>
        <button type="submit" disabled={add.isPending || (usesFactor && !chosen)}>
          {add.isPending ? t.adding : t.add}
        </button>
      </div>
      {chosen ? (
        <p className="muted small applied" data-testid="applied-factor">
          {t.appliedFactor(formatQuantity(chosen.kg_co2e_per_unit), chosen.unit, chosen.year)}{' '}
          {chosen.region ? t.appliedRegion(chosen.region) : region ? t.appliedNoRegional(region) : t.appliedEverywhere}
        </p>
      ) : (
        <p className="muted small applied">{kind === 'flight' ? t.flightFactorHelp : t.gasFactorHelp}</p>
      )}
      <FormProblem error={add.error} context={t.entryNotAdded} fields={ENTRY_FIELDS} />
      {add.isSuccess ? (
        <p className="success" role="status">
          {t.added(formatQuantity(add.data.quantity), add.data.unit)} <code>{add.data.factor_key}</code>: {co2e(add.data.kg_co2e)} CO2e
        </p>
      ) : null}
    </form>
  );
}

// A factor key as the API's filter takes it (anything else would be a 422).
const FACTOR_KEY = /^[a-z0-9_]+(\.[A-Za-z0-9_-]+)*$/;
const CATEGORIES = Object.keys(CATEGORY_NAMES.en) as FactorCategory[];

export function Entries({ labId, year, canEdit }: { labId: string; year: number; canEdit: boolean }) {
  const t = useT();
  const lang = useLang();
  const [category, setCategory] = useState<FactorCategory | ''>('');
  const [keyText, setKeyText] = useState('');
  const [factorKey, setFactorKey] = useState('');
  const keyValid = keyText.trim() === '' || FACTOR_KEY.test(keyText.trim());
  const filtered = category !== '' || factorKey !== '';
  const entries = useInfiniteQuery({
    ...listLabEntriesInfiniteOptions({
      path: { lab_id: labId },
      query: {
        limit: 8,
        date_from: `${year}-01-01`,
        date_to: `${year}-12-31`,
        ...(category ? { category } : {}),
        ...(factorKey ? { factor_key: factorKey } : {}),
      },
    }),
    initialPageParam: { path: { lab_id: labId } },
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
  const items = entries.data?.pages.flatMap((page) => page.items) ?? [];
  const applyKey = (event: FormEvent) => {
    event.preventDefault();
    if (keyValid) setFactorKey(keyText.trim());
  };
  return (
    <section className="card entries" aria-label={t.entries}>
      <h3>{t.entriesOf(year)}</h3>
      <form className="form-row entry-filters" onSubmit={applyKey} aria-label={t.filterEntries}>
        <label>
          {t.category}
          <select value={category} onChange={(e) => setCategory(e.target.value as FactorCategory | '')}>
            <option value="">{t.all}</option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {CATEGORY_NAMES[lang][c]}
              </option>
            ))}
          </select>
        </label>
        <label className="grow">
          {t.factorKeyFilter}
          <input
            value={keyText}
            onChange={(e) => setKeyText(e.target.value)}
            aria-invalid={!keyValid}
            aria-describedby={keyValid ? undefined : 'factor-key-filter-hint'}
            placeholder="electricity.grid"
          />
          {keyValid ? null : (
            <span className="field-error" id="factor-key-filter-hint" role="alert">
              {t.factorKeyFilterHint}
            </span>
          )}
        </label>
        <button type="submit" className="secondary" disabled={!keyValid}>
          {t.applyFilter}
        </button>
        {filtered ? (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setCategory('');
              setKeyText('');
              setFactorKey('');
            }}
          >
            {t.clearFilters}
          </button>
        ) : null}
      </form>
      {entries.isError ? <ProblemView error={entries.error} context={t.entries} /> : null}
      <table className="entries-table stack" data-testid="entries">
        <thead>
          <tr>
            <th>{t.date}</th>
            <th>{t.factor}</th>
            <th className="num">{t.quantity}</th>
            <th className="num">CO2e</th>
            <th>{t.note}</th>
            <th>
              <span className="visually-hidden">{t.actions}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((entry) => (
            <EntryRow key={entry.id} entry={entry} labId={labId} canEdit={canEdit} />
          ))}
        </tbody>
      </table>
      {entries.isSuccess && !items.length ? (
        <p className="muted" data-testid="no-entries">
          {filtered ? t.noEntryMatches : `${t.noEntriesFor(year)} ${canEdit ? t.addOneAbove : t.contributorsAdd}`}
        </p>
      ) : null}
      {entries.hasNextPage ? (
        <button className="secondary" onClick={() => void entries.fetchNextPage()} disabled={entries.isFetchingNextPage}>
          {entries.isFetchingNextPage ? t.loading : t.moreEntries}
        </button>
      ) : null}
    </section>
  );
}

/** What a typed entry was computed from, so that its kg CO2e can be checked line by line. */
function ActivityDetail({ entry, t }: { entry: EntryPublic; t: Messages }) {
  const lang = useLang();
  const a = entry.activity;
  const q = formatQuantity;
  let line: string | null = null;
  if (a?.kind === 'flight') {
    line = `${t.flightDetail(a.origin, a.destination, CABIN_NAMES[lang][a.cabin_class ?? 'economy'], a.round_trip ?? false, a.travellers ?? 1)}; ${t.flightDistance(q(a.distance_km), q(a.great_circle_km), q(a.uplift_km), q(a.rf_multiplier))}`;
  } else if (a?.kind === 'purchase') {
    line = t.purchaseDetail(q(a.amount), a.currency, q(a.rate), a.factor_currency, a.rate_date);
  } else if (a?.kind === 'refrigerant') {
    line = t.refrigerantDetail(q(a.kg), a.gas, q(a.gwp), (a.assessment ?? 'ar6').toUpperCase());
  } else if (a?.kind === 'equipment') {
    line = t.equipmentDetail(a.year_of_lifetime, a.lifetime_years, q(a.share), q(a.quantity), a.purchase_date);
  }
  return (
    <span className="activity small muted" data-testid="activity" data-kind={entry.kind}>
      {line ? `${line} · ` : ''}
      {t.factorOfYear(formatQuantity(entry.quantity), entry.unit, entry.factor_year)}
    </span>
  );
}

function EntryRow({ entry, labId, canEdit }: { entry: EntryPublic; labId: string; canEdit: boolean }) {
  const t = useT();
  const lang = useLang();
  const queryClient = useQueryClient();
  // A typed entry is computed from its activity: only its note changes (docs/activities.md).
  const typed = entry.kind !== 'quantity';
  // The version is the one read when the edit began, not a later background refetch's.
  const [editing, setEditing] = useState<{ version: number; value: string } | null>(null);
  const update = useMutation({
    ...updateEntryMutation(),
    onSuccess: async () => {
      setEditing(null);
      await invalidateLab(queryClient, labId);
    },
  });
  const remove = useMutation({
    ...deleteEntryMutation(),
    onSuccess: () => invalidateLab(queryClient, labId),
  });
  const reread = async () => {
    update.reset();
    setEditing(null);
    await invalidateLab(queryClient, labId);
  };
  const save = (event: FormEvent) => {
    event.preventDefault();
    if (!editing) return;
    const body = typed ? { version: editing.version, note: editing.value } : { version: editing.version, quantity: decimalInput(editing.value) };
    update.mutate({ path: { entry_id: entry.id }, body });
  };
  const editor = editing ? (
    <form onSubmit={save} className="inline-edit">
      <input
        aria-label={typed ? t.newNote : t.newQuantity}
        value={editing.value}
        onChange={(e) => setEditing({ ...editing, value: e.target.value })}
        autoFocus
      />
      <button type="submit" disabled={update.isPending}>
        {t.save}
      </button>
    </form>
  ) : null;
  const series = entry.activity?.kind === 'equipment' ? entry.activity : null;
  const confirmText = series
    ? t.confirmDeleteSeries(series.purchase_date, entry.factor_key, series.lifetime_years)
    : t.confirmDeleteEntry(entry.date, entry.factor_key);

  return (
    <>
      <tr data-entry={entry.id} data-kind={entry.kind}>
        <td className="date">{entry.date}</td>
        <td>
          {typed ? <span className="tag kind">{KIND_NAMES[lang][entry.kind]}</span> : null}
          <code>{entry.factor_key}</code>
          {entry.import_id ? <span className="tag">{t.importTag}</span> : null}
          <br />
          <ActivityDetail entry={entry} t={t} />
        </td>
        <td className="num">{editing && !typed ? editor : `${formatQuantity(entry.quantity)} ${entry.unit}`}</td>
        <td className="num">{co2e(entry.kg_co2e)}</td>
        <td className="note">{editing && typed ? editor : entry.note}</td>
        <td className="actions">
          {!canEdit ? null : editing ? (
            <button className="link" onClick={() => (update.reset(), setEditing(null))}>
              {t.cancel}
            </button>
          ) : (
            <>
              <button
                className="link"
                onClick={() => setEditing({ version: entry.version, value: typed ? entry.note : entry.quantity })}
              >
                {typed ? t.editNote : t.edit}
              </button>
              <button
                className="link danger"
                disabled={remove.isPending}
                onClick={() => {
                  if (window.confirm(confirmText)) remove.mutate({ path: { entry_id: entry.id } });
                }}
              >
                {t.delete}
              </button>
            </>
          )}
        </td>
      </tr>
      {remove.isError ? (
        <tr className="error-row">
          <td colSpan={6}>
            <ProblemView error={remove.error} context={t.notDeleted} />
          </td>
        </tr>
      ) : null}
      {update.isError ? (
        <tr className="error-row">
          <td colSpan={6}>
            <ProblemView error={update.error} context={t.notSaved} />
            <button className="secondary" onClick={() => void reread()}>
              {t.reloadEntry}
            </button>
          </td>
        </tr>
      ) : null}
    </>
  );
}
