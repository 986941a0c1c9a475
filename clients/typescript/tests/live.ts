// What the harness (scripts/live_server.py) provides: the seeded accounts, and sign-in helpers.
import { login } from '../src/client';
import type { Auth } from '../src/client/core/auth.gen';

export interface LiveAccount {
  email: string;
  password: string;
}

/** The admin account the harness created through the app's services. */
export function seededAdmin(): LiveAccount {
  const email = process.env.CO2CALC_TEST_ADMIN_EMAIL;
  const password = process.env.CO2CALC_TEST_ADMIN_PASSWORD;
  if (!email || !password) {
    throw new Error('the harness did not export CO2CALC_TEST_ADMIN_EMAIL/_PASSWORD');
  }
  return { email, password };
}

export type AuthCallback = (auth: Auth) => string | undefined;

/** Send `token` as a bearer token only (not as the X-API-Key the same operations accept). */
export const bearer =
  (token: string): AuthCallback =>
  (auth) =>
    auth.scheme === 'bearer' ? token : undefined;

/** Sign in as `account` and return the `auth` option for SDK calls and query options. */
export async function signIn(account: LiveAccount = seededAdmin()): Promise<AuthCallback> {
  const { data } = await login({
    body: { username: account.email, password: account.password },
    throwOnError: true,
  });
  return bearer(data.access_token);
}
