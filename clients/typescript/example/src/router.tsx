// The app's URLs, under /app/ (the server answers index.html for any of them: a deep link or a
// reload opens the same view). A few fixed shapes, so a small history-API router rather than a
// dependency (docs/dashboard.md, "Routing"):
//
//   /app/                               labs (or what to do when there are none)
//   /app/labs/new                       create a lab
//   /app/labs/:labId/:year              a lab's year: report, add entries, import, entries
//   /app/labs/:labId/:year/sign-off     that year's headcount and sign-off
//   /app/labs/:labId/:year/years        the five years up to :year, each against the one before
//   /app/labs/:labId/audit?since=&until=   its audit trail (managers, admins)
//   /app/labs/:labId/target             its reduction target and progress
//   /app/labs/:labId/imports            its imports (undo)
//   /app/labs/:labId/members            its members
//   /app/labs/:labId/settings           edit the lab
//   /app/factors?category=&year=&search=   emission factors (create: admins)
//   /app/profile                        my profile and API keys
//   /app/audit?since=&until=            the whole audit trail (admins)
//   /app/users                          accounts (admins)
//   /app/factors/imports                factor CSV uploads, syncs, their jobs (admins)
//   /app/factors/:factorId              edit or delete a factor (admins)
//   /app/institution/:year              the institution's report, CSV export (admins)
//   /app/institution/target             the institution's reduction target, progress (admins)
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

export const BASE = '/app';

export type LabTab = 'year' | 'signoff' | 'years' | 'target' | 'imports' | 'members' | 'settings' | 'audit';

export type Route =
  | { name: 'home' }
  | { name: 'new-lab' }
  | { name: 'lab'; labId: string; tab: LabTab; year: number; params?: URLSearchParams }
  | { name: 'factors'; params: URLSearchParams }
  | { name: 'profile' }
  | { name: 'users' }
  | { name: 'factor-imports' }
  | { name: 'factor'; factorId: string }
  | { name: 'institution'; year: number }
  | { name: 'institution-target' }
  | { name: 'audit'; params: URLSearchParams }
  | { name: 'not-found'; path: string };

export const thisYear = (): number => new Date().getFullYear();

export function parse(pathname: string, search = ''): Route {
  const path = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { name: 'home' };
  if (parts[0] === 'factors' && parts.length === 1) return { name: 'factors', params: new URLSearchParams(search) };
  if (parts[0] === 'profile' && parts.length === 1) return { name: 'profile' };
  if (parts[0] === 'users' && parts.length === 1) return { name: 'users' };
  if (parts[0] === 'audit' && parts.length === 1) return { name: 'audit', params: new URLSearchParams(search) };
  if (parts[0] === 'factors' && parts.length === 2) {
    return parts[1] === 'imports' ? { name: 'factor-imports' } : { name: 'factor', factorId: parts[1] };
  }
  if (parts[0] === 'institution' && parts.length <= 2) {
    if (parts[1] === 'target') return { name: 'institution-target' };
    if (parts[1] === undefined || /^\d{4}$/.test(parts[1])) return { name: 'institution', year: parts[1] ? Number(parts[1]) : thisYear() };
  }
  if (parts[0] === 'labs' && parts[1] === 'new' && parts.length === 2) return { name: 'new-lab' };
  if (parts[0] === 'labs' && parts.length === 4 && /^\d{4}$/.test(parts[2]) && (parts[3] === 'sign-off' || parts[3] === 'years')) {
    return { name: 'lab', labId: parts[1], tab: parts[3] === 'years' ? 'years' : 'signoff', year: Number(parts[2]) };
  }
  if (parts[0] === 'labs' && parts.length >= 2 && parts.length <= 3) {
    const [, labId, view] = parts;
    if (view === undefined) return { name: 'lab', labId, tab: 'year', year: thisYear() };
    if (/^\d{4}$/.test(view)) return { name: 'lab', labId, tab: 'year', year: Number(view) };
    if (view === 'imports' || view === 'members' || view === 'settings' || view === 'target') {
      return { name: 'lab', labId, tab: view, year: thisYear() };
    }
    if (view === 'audit') return { name: 'lab', labId, tab: 'audit', year: thisYear(), params: new URLSearchParams(search) };
  }
  return { name: 'not-found', path: pathname };
}

/** The URL of a route (the inverse of `parse`). */
export function href(route: Route): string {
  switch (route.name) {
    case 'home':
      return `${BASE}/`;
    case 'new-lab':
      return `${BASE}/labs/new`;
    case 'lab': {
      const lab = `${BASE}/labs/${encodeURIComponent(route.labId)}`;
      if (route.tab === 'year') return `${lab}/${route.year}`;
      if (route.tab === 'signoff') return `${lab}/${route.year}/sign-off`;
      if (route.tab === 'years') return `${lab}/${route.year}/years`;
      const query = route.params?.toString();
      return `${lab}/${route.tab}${query ? `?${query}` : ''}`;
    }
    case 'factors': {
      const query = route.params.toString();
      return `${BASE}/factors${query ? `?${query}` : ''}`;
    }
    case 'profile':
      return `${BASE}/profile`;
    case 'users':
      return `${BASE}/users`;
    case 'factor-imports':
      return `${BASE}/factors/imports`;
    case 'factor':
      return `${BASE}/factors/${encodeURIComponent(route.factorId)}`;
    case 'institution':
      return `${BASE}/institution/${route.year}`;
    case 'institution-target':
      return `${BASE}/institution/target`;
    case 'audit': {
      const query = route.params.toString();
      return `${BASE}/audit${query ? `?${query}` : ''}`;
    }
    case 'not-found':
      return route.path;
  }
}

export const labHref = (labId: string, tab: LabTab = 'year', year = thisYear()): string =>
  href({ name: 'lab', labId, tab, year });

const listeners = new Set<() => void>();
let current = `${window.location.pathname}${window.location.search}`;

function changed(): void {
  current = `${window.location.pathname}${window.location.search}`;
  for (const listener of listeners) listener();
}
window.addEventListener('popstate', changed);

export function navigate(to: string, { replace = false } = {}): void {
  if (to === current) return;
  if (replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  changed();
}

export function useRoute(): Route {
  const location = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
  const url = new URL(location, window.location.origin);
  return parse(url.pathname, url.search);
}

/** An ordinary link (open in a new tab, copy its address) that navigates in place on a plain click. */
export function Link({ to, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const click = (event: MouseEvent<HTMLAnchorElement>) => {
    rest.onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} {...rest} onClick={click} />;
}
