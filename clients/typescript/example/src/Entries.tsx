// Adding an entry (a mutation that invalidates the report), and the year's entries with an edit
// that sends the `version` read when the edit began: a change made meanwhile answers 409.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';

import type { EntryPublic, FactorPublic } from '@co2calculator/client';
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
import { CATEGORY_NAMES, useLang, useT } from './i18n';
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

const ENTRY_FIELDS = ['date', 'factor_key', 'quantity', 'note'];

export function AddEntry({ labId, region, year }: { labId: string; region: string | null; year: number }) {
  const t = useT();
  const lang = useLang();
  const queryClient = useQueryClient();
  const [factorKey, setFactorKey] = useState('');
  const [date, setDate] = useState(() => defaultDate(year));
  const [quantity, setQuantity] = useState('');
  const [note, setNote] = useState('');
  // The factors of the entry's own year (its date may be in another year than the page's).
  const dateYear = /^\d{4}-/.test(date) ? Number(date.slice(0, 4)) : year;
  const factors = useQuery(listFactorsOptions({ query: { year: dateYear, limit: 200 } }));
  const choices = useMemo(() => applicableFactors(factors.data?.items ?? [], region), [factors.data, region]);
  const add = useMutation({
    ...createEntryMutation(),
    onSuccess: async () => {
      setQuantity('');
      setNote('');
      await invalidateLab(queryClient, labId);
    },
  });
  const chosen = choices.find((f) => f.key === (factorKey || choices[0]?.key));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) return;
    add.mutate({ path: { lab_id: labId }, body: { date, factor_key: chosen.key, quantity: decimalInput(quantity), note } });
  };

  return (
    <form className="card add-entry" onSubmit={submit} aria-label={t.addAnEntry}>
      <h3>{t.addAnEntry}</h3>
      {factors.isError ? <ProblemView error={factors.error} context={t.factors} /> : null}
      {factors.isSuccess && !choices.length ? <p className="muted">{t.noFactorsFor(dateYear)}</p> : null}
      <div className="form-row">
        <Field label={t.date} name="date" error={add.error}>
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} required />
        </Field>
        <Field label={t.factor} name="factor_key" error={add.error} className="grow">
          <select value={chosen?.key ?? ''} onChange={(e) => setFactorKey(e.target.value)} aria-label={t.factor}>
            {choices.map((f) => (
              <option key={f.key} value={f.key}>
                {f.key} ({CATEGORY_NAMES[lang][f.category]})
              </option>
            ))}
          </select>
        </Field>
        <Field label={`${t.quantity}${chosen ? ` (${chosen.unit})` : ''}`} name="quantity" error={add.error}>
          <input inputMode="decimal" value={quantity} onChange={(e) => setQuantity(e.target.value)} required />
        </Field>
        <Field label={t.note} name="note" error={add.error} className="grow">
          <input value={note} onChange={(e) => setNote(e.target.value)} />
        </Field>
        <button type="submit" disabled={add.isPending || !chosen}>
          {add.isPending ? t.adding : t.add}
        </button>
      </div>
      {chosen ? (
        <p className="muted small applied" data-testid="applied-factor">
          {t.appliedFactor(formatQuantity(chosen.kg_co2e_per_unit), chosen.unit, chosen.year)}{' '}
          {chosen.region ? t.appliedRegion(chosen.region) : region ? t.appliedNoRegional(region) : t.appliedEverywhere}
        </p>
      ) : null}
      <FormProblem error={add.error} context={t.entryNotAdded} fields={ENTRY_FIELDS} />
      {add.isSuccess ? (
        <p className="success" role="status">
          {t.added(formatQuantity(add.data.quantity), add.data.unit)} <code>{add.data.factor_key}</code>: {co2e(add.data.kg_co2e)} CO2e
        </p>
      ) : null}
    </form>
  );
}

export function Entries({ labId, year, canEdit }: { labId: string; year: number; canEdit: boolean }) {
  const t = useT();
  const entries = useInfiniteQuery({
    ...listLabEntriesInfiniteOptions({
      path: { lab_id: labId },
      query: { limit: 8, date_from: `${year}-01-01`, date_to: `${year}-12-31` },
    }),
    initialPageParam: { path: { lab_id: labId } },
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
  const items = entries.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="card entries" aria-label={t.entries}>
      <h3>{t.entriesOf(year)}</h3>
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
          {t.noEntriesFor(year)} {canEdit ? t.addOneAbove : t.contributorsAdd}
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

function EntryRow({ entry, labId, canEdit }: { entry: EntryPublic; labId: string; canEdit: boolean }) {
  const t = useT();
  const queryClient = useQueryClient();
  // The version is the one read when the edit began, not a later background refetch's.
  const [editing, setEditing] = useState<{ version: number; quantity: string } | null>(null);
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
    if (editing) update.mutate({ path: { entry_id: entry.id }, body: { version: editing.version, quantity: decimalInput(editing.quantity) } });
  };

  return (
    <>
      <tr data-entry={entry.id}>
        <td className="date">{entry.date}</td>
        <td>
          <code>{entry.factor_key}</code>
          {entry.import_id ? <span className="tag">{t.importTag}</span> : null}
        </td>
        <td className="num">
          {editing ? (
            <form onSubmit={save} className="inline-edit">
              <input
                aria-label={t.newQuantity}
                value={editing.quantity}
                onChange={(e) => setEditing({ ...editing, quantity: e.target.value })}
                autoFocus
              />
              <button type="submit" disabled={update.isPending}>
                {t.save}
              </button>
            </form>
          ) : (
            `${formatQuantity(entry.quantity)} ${entry.unit}`
          )}
        </td>
        <td className="num">{co2e(entry.kg_co2e)}</td>
        <td className="note">{entry.note}</td>
        <td className="actions">
          {!canEdit ? null : editing ? (
            <button className="link" onClick={() => (update.reset(), setEditing(null))}>
              {t.cancel}
            </button>
          ) : (
            <>
              <button className="link" onClick={() => setEditing({ version: entry.version, quantity: entry.quantity })}>
                {t.edit}
              </button>
              <button
                className="link danger"
                disabled={remove.isPending}
                onClick={() => {
                  if (window.confirm(t.confirmDeleteEntry(entry.date, entry.factor_key))) remove.mutate({ path: { entry_id: entry.id } });
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
