// A lab's audit trail (`GET /labs/{lab_id}/audit`, newest first, a page at a time), filtered by a
// period whose days are the URL (`?since=YYYY-MM-DD&until=YYYY-MM-DD`, both days included): a
// filtered trail can be shared and survives a reload.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import type { AuditEventPublic } from '@co2calculator/client';
import { listLabAuditInfiniteOptions, listLabMembersOptions } from '@co2calculator/client/react-query';

import { dateTime } from './format';
import { useT } from './i18n';
import { ProblemView } from './problem';
import { href, navigate } from './router';

const AUDIT_PAGE_SIZE = 25;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A day of the URL as the instant it begins here (the API wants a time zone); none if not a day. */
function startOf(day: string | null): string | undefined {
  if (!day || !DAY.test(day)) return undefined;
  const at = new Date(`${day}T00:00:00`);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

/** The instant after a day: `until` is exclusive in the API, the day is included here. */
function endOf(day: string | null): string | undefined {
  const start = startOf(day);
  if (!start) return undefined;
  const next = new Date(start);
  next.setDate(next.getDate() + 1);
  return next.toISOString();
}

export function Audit({ labId, params }: { labId: string; params: URLSearchParams }) {
  const t = useT();
  const since = params.get('since') ?? '';
  const until = params.get('until') ?? '';
  const [draft, setDraft] = useState({ since, until });
  const members = useQuery(listLabMembersOptions({ path: { lab_id: labId } }));
  const events = useInfiniteQuery({
    ...listLabAuditInfiniteOptions({
      path: { lab_id: labId },
      query: { limit: AUDIT_PAGE_SIZE, since: startOf(since), until: endOf(until) },
    }),
    initialPageParam: { path: { lab_id: labId } },
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
  const who = new Map((members.data ?? []).map((m) => [m.user_id, m.email]));
  const items = events.data?.pages.flatMap((page) => page.items) ?? [];

  const filter = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (draft.since) next.set('since', draft.since);
    if (draft.until) next.set('until', draft.until);
    navigate(href({ name: 'lab', labId, tab: 'audit', year: 0, params: next }));
  };

  return (
    <section className="card audit" aria-label={t.auditTrail}>
      <h3>{t.auditTrail}</h3>
      <form className="form-row" onSubmit={filter} aria-label={t.auditFilter}>
        <label>
          {t.auditSince}
          <input type="date" value={draft.since} onChange={(e) => setDraft({ ...draft, since: e.target.value })} />
        </label>
        <label>
          {t.auditUntil}
          <input type="date" value={draft.until} onChange={(e) => setDraft({ ...draft, until: e.target.value })} />
        </label>
        <button type="submit">{t.filter}</button>
      </form>
      {events.isError ? <ProblemView error={events.error} context={t.auditTrail} /> : null}
      <table className="stack audit-table" data-testid="audit">
        <thead>
          <tr>
            <th>{t.when}</th>
            <th>{t.who}</th>
            <th>{t.action}</th>
            <th>{t.changes}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((event) => (
            <AuditRow key={event.id} event={event} who={who} />
          ))}
        </tbody>
      </table>
      {events.isSuccess && !items.length ? (
        <p className="muted" data-testid="no-audit">
          {t.noAuditEvents}
        </p>
      ) : null}
      {events.hasNextPage ? (
        <button className="secondary" onClick={() => void events.fetchNextPage()} disabled={events.isFetchingNextPage}>
          {events.isFetchingNextPage ? t.loading : t.moreEvents}
        </button>
      ) : null}
    </section>
  );
}

/** A value of `changes` as JSON would say it (decimals are exact strings). */
const shown = (value: unknown): string => (value === undefined ? '' : JSON.stringify(value));

function AuditRow({ event, who }: { event: AuditEventPublic; who: Map<string, string> }) {
  const t = useT();
  const actor = event.actor_id === null ? t.theSystem : (who.get(event.actor_id) ?? event.actor_id.slice(0, 8));
  return (
    <tr data-action={event.action}>
      <td className="date">{dateTime(event.at)}</td>
      <td>
        {actor}
        {event.api_key_id ? <span className="muted small"> ({t.withApiKey})</span> : null}
      </td>
      <td>
        <code>{event.action}</code>
      </td>
      <td>
        <ul className="changes">
          {Object.entries(event.changes).map(([field, [before, after]]) => (
            <li key={field}>
              <code>
                {field}: {shown(before)} → {shown(after)}
              </code>
            </li>
          ))}
        </ul>
      </td>
    </tr>
  );
}
