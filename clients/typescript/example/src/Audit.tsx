// An audit trail, newest first, a page at a time: a lab's (`GET /labs/{lab_id}/audit`, its
// managers) or the whole of it (`GET /audit`, administrators: every lab, even deleted ones, and
// what belongs to none). Filtered by a period whose days are the URL
// (`?since=YYYY-MM-DD&until=YYYY-MM-DD`, both days included): a filtered trail can be shared and
// survives a reload.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import type { AuditEventPublic } from '@co2calculator/client';
import {
  listAuditInfiniteOptions,
  listLabAuditInfiniteOptions,
  listLabMembersOptions,
  listLabsOptions,
  listUsersOptions,
} from '@co2calculator/client/react-query';

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

/** A lab's trail (`labId`), or the whole trail (`null`: administrators). */
export function Audit({ labId, params }: { labId: string | null; params: URLSearchParams }) {
  const t = useT();
  const since = params.get('since') ?? '';
  const until = params.get('until') ?? '';
  const [draft, setDraft] = useState({ since, until });
  const period = { limit: AUDIT_PAGE_SIZE, since: startOf(since), until: endOf(until) };
  const labEvents = useInfiniteQuery({
    ...listLabAuditInfiniteOptions({ path: { lab_id: labId ?? '' }, query: period }),
    initialPageParam: { path: { lab_id: labId ?? '' } },
    getNextPageParam: (page) => page.next_cursor ?? undefined,
    enabled: labId !== null,
  });
  const allEvents = useInfiniteQuery({
    ...listAuditInfiniteOptions({ query: period }),
    initialPageParam: {},
    getNextPageParam: (page) => page.next_cursor ?? undefined,
    enabled: labId === null,
  });
  const events = labId === null ? allEvents : labEvents;
  // Names for the ids the events carry: a lab's members, or (administrators) the first 200
  // accounts and labs; anyone else shows as the start of their id.
  const members = useQuery({ ...listLabMembersOptions({ path: { lab_id: labId ?? '' } }), enabled: labId !== null });
  const users = useQuery({ ...listUsersOptions({ query: { limit: 200 } }), enabled: labId === null });
  const labs = useQuery({ ...listLabsOptions({ query: { limit: 200 } }), enabled: labId === null });
  const who = new Map<string, string>([
    ...(members.data ?? []).map((m): [string, string] => [m.user_id, m.email]),
    ...(users.data?.items ?? []).map((u): [string, string] => [u.id, u.email]),
  ]);
  const labNames = new Map((labs.data?.items ?? []).map((lab) => [lab.id, lab.name]));
  const items = events.data?.pages.flatMap((page) => page.items) ?? [];

  const filter = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (draft.since) next.set('since', draft.since);
    if (draft.until) next.set('until', draft.until);
    navigate(labId === null ? href({ name: 'audit', params: next }) : href({ name: 'lab', labId, tab: 'audit', year: 0, params: next }));
  };

  return (
    <section className="card audit" aria-label={labId === null ? t.auditTrailAll : t.auditTrail}>
      <h3>{labId === null ? t.auditTrailAll : t.auditTrail}</h3>
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
            {labId === null ? <th>{t.auditLab}</th> : null}
            <th>{t.action}</th>
            <th>{t.changes}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((event) => (
            <AuditRow key={event.id} event={event} who={who} labNames={labId === null ? labNames : null} />
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

function AuditRow({ event, who, labNames }: { event: AuditEventPublic; who: Map<string, string>; labNames: Map<string, string> | null }) {
  const t = useT();
  const actor = event.actor_id === null ? t.theSystem : (who.get(event.actor_id) ?? event.actor_id.slice(0, 8));
  return (
    <tr data-action={event.action}>
      <td className="date">{dateTime(event.at)}</td>
      <td>
        {actor}
        {event.api_key_id ? <span className="muted small"> ({t.withApiKey})</span> : null}
      </td>
      {labNames ? <td>{event.lab_id === null ? '—' : (labNames.get(event.lab_id) ?? event.lab_id.slice(0, 8))}</td> : null}
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
