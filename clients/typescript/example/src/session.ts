// The signed-in session: tokens in memory only (never localStorage), sent as the bearer token
// of every generated call, and rotated through /auth/refresh before the access token expires.
import { useSyncExternalStore } from 'react';

import { logout, refreshTokens, type TokenPair } from '@co2calculator/client';
import { client } from '@co2calculator/client/client';

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** When the access token expires (ms since the epoch, by this browser's clock). */
  expiresAt: number;
}

/** Refresh this long before expiry (or at 80 % of a short token's life). */
const REFRESH_MARGIN_MS = 60_000;

let current: Session | null = null;
let endedReason: string | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
let refreshing: Promise<boolean> | null = null;
const listeners = new Set<() => void>();

function publish(): void {
  for (const listener of listeners) listener();
}

function refreshDelay(session: Session): number {
  const left = session.expiresAt - Date.now();
  return Math.max(0, Math.min(left - REFRESH_MARGIN_MS, left * 0.8));
}

function schedule(): void {
  clearTimeout(timer);
  if (current) timer = setTimeout(() => void refreshNow(), refreshDelay(current));
}

/** Every generated call asks this for its bearer token (API keys are for scripts, not here). */
client.setConfig({
  baseUrl: window.location.origin,
  auth: (auth) => (auth.scheme === 'bearer' ? current?.accessToken : undefined),
});

export function startSession(tokens: TokenPair): void {
  current = {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresAt: Date.now() + tokens.expires_in * 1000,
  };
  endedReason = null;
  schedule();
  publish();
}

export function endSession(reason: string | null = null): void {
  clearTimeout(timer);
  current = null;
  endedReason = reason;
  publish();
}

/** Rotate the refresh token now; one rotation at a time (a reused refresh token revokes the
 * whole family). Returns whether the session is still alive. */
export function refreshNow(): Promise<boolean> {
  const session = current;
  if (!session) return Promise.resolve(false);
  refreshing ??= refreshTokens({ body: { refresh_token: session.refreshToken } })
    .then(({ data, error }) => {
      if (current !== session) return current !== null; // signed out or replaced meanwhile
      if (data) {
        startSession(data);
        return true;
      }
      endSession(`Signed out: ${error?.detail ?? 'your session ended; sign in again.'}`);
      return false;
    })
    .catch(() => {
      // Offline for a moment: try again shortly, unless the token has expired by then.
      if (current === session && Date.now() < session.expiresAt) {
        timer = setTimeout(() => void refreshNow(), 5_000);
        return true;
      }
      endSession('Signed out: your session expired while the server was unreachable; sign in again.');
      return false;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

export async function signOut(): Promise<void> {
  if (current) await logout().catch(() => undefined); // revokes the session server-side
  endSession();
}

// A laptop waking up: timers were frozen, so check the deadline when the page is seen again.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && current && refreshDelay(current) === 0) {
    void refreshNow();
  }
});

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, () => current);
}

export function useEndedReason(): string | null {
  return useSyncExternalStore(subscribe, () => endedReason);
}
