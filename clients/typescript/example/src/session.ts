// The signed-in session (docs/dashboard.md, "Sessions"). The access token is in memory only; the
// refresh token is in an HttpOnly, SameSite=Strict cookie the server sets on
// `POST /auth/session` and rotates on `POST /auth/session/refresh` (scripts cannot read it; it is
// sent only to those two paths). So a reload, or a link opened in a new tab, restores the session
// with one refresh. Tabs of one browser share that cookie: a refresh runs under a Web Lock held
// across tabs, so two tabs never present the same refresh token (which the server would take for
// a stolen one and end the session). Signing out in one tab signs out the others.
import { useSyncExternalStore } from 'react';

import { logout, refreshBrowserSession, type BrowserSession } from '@co2calculator/client';
import { client } from '@co2calculator/client/client';

export interface Session {
  accessToken: string;
  /** When the access token expires (ms since the epoch, by this browser's clock). */
  expiresAt: number;
}

/** `restoring`: the first refresh after the page loaded has not answered yet. */
export type SessionState = Session | 'restoring' | null;

/** Refresh this long before expiry (or at 80 % of a short token's life). */
const REFRESH_MARGIN_MS = 60_000;
const LOCK = 'co2calc-session-refresh';

let current: SessionState = 'restoring';
/** Why the page signed out: the server's refusal (its detail as sent), no server, or another tab. */
export type EndedReason = { detail: string | null } | 'unreachable' | 'other-tab';
let endedReason: EndedReason | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
let refreshing: Promise<boolean> | null = null;
const listeners = new Set<() => void>();
const channel = 'BroadcastChannel' in window ? new BroadcastChannel('co2calc-session') : null;

function publish(): void {
  for (const listener of listeners) listener();
}

const live = (): Session | null => (typeof current === 'object' ? current : null);

function refreshDelay(session: Session): number {
  const left = session.expiresAt - Date.now();
  return Math.max(0, Math.min(left - REFRESH_MARGIN_MS, left * 0.8));
}

function schedule(): void {
  clearTimeout(timer);
  const session = live();
  if (session) timer = setTimeout(() => void refreshNow(), refreshDelay(session));
}

/** Every generated call asks this for its bearer token (API keys are for scripts, not here). */
client.setConfig({
  baseUrl: window.location.origin,
  auth: (auth) => (auth.scheme === 'bearer' ? live()?.accessToken : undefined),
});

export function startSession(answer: BrowserSession): void {
  current = { accessToken: answer.access_token, expiresAt: Date.now() + answer.expires_in * 1000 };
  endedReason = null;
  schedule();
  publish();
}

export function endSession(reason: EndedReason | null = null): void {
  clearTimeout(timer);
  current = null;
  endedReason = reason;
  publish();
}

/** One refresh at a time in this browser: the cookie is shared by its tabs, and the lock makes a
 * tab wait for another's rotation, then present the cookie that rotation set. */
function exclusive<T>(work: () => Promise<T>): Promise<T> {
  if (!('locks' in navigator)) return work(); // (no Web Locks: one tab is still safe)
  return navigator.locks.request(LOCK, work) as Promise<T>;
}

/** Rotate the session cookie and take the new access token. Returns whether the session is
 * alive. A refused refresh ends the session (with the reason, unless the page was restoring). */
export function refreshNow(): Promise<boolean> {
  const before = current;
  if (before === null) return Promise.resolve(false);
  refreshing ??= exclusive(() => refreshBrowserSession())
    .then(({ data, error }) => {
      if (current !== before) return current !== null; // signed out or replaced meanwhile
      if (data) {
        startSession(data);
        return true;
      }
      endSession(before === 'restoring' ? null : { detail: error?.detail ?? null });
      return false;
    })
    .catch(() => {
      // Offline for a moment: try again shortly, unless the token has expired by then.
      const session = live();
      if (current === before && session && Date.now() < session.expiresAt) {
        timer = setTimeout(() => void refreshNow(), 5_000);
        return true;
      }
      endSession('unreachable');
      return false;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

export async function signOut(): Promise<void> {
  // Revokes the session server-side and removes the cookie; the other tabs follow.
  if (live()) await logout().catch(() => undefined);
  channel?.postMessage('signed-out');
  endSession();
}

channel?.addEventListener('message', ({ data }) => {
  if (data === 'signed-out' && live()) endSession('other-tab');
});

// A laptop waking up: timers were frozen, so check the deadline when the page is seen again.
document.addEventListener('visibilitychange', () => {
  const session = live();
  if (document.visibilityState === 'visible' && session && refreshDelay(session) === 0) {
    void refreshNow();
  }
});

// The page just loaded: the cookie (if any) restores the session.
void refreshNow();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): SessionState {
  return useSyncExternalStore(subscribe, () => current);
}

export function useEndedReason(): EndedReason | null {
  return useSyncExternalStore(subscribe, () => endedReason);
}
