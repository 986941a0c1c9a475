// The generated SDK functions against the live server: data, typed problems, bearer auth.
import { describe, expect, expectTypeOf, it } from 'vitest';

import {
  getHealth,
  getMe,
  getReadiness,
  login,
  type GetMeError,
  type GetReadinessError,
  type GetReadinessErrors,
  type HealthStatus,
  type LoginError,
  type ProblemDetails,
  type UserPublic,
} from '../src/client';
import { bearer, seededAdmin } from './live';

const PROBLEM_JSON = 'application/problem+json';

describe('health', () => {
  it('getHealth returns the typed status', async () => {
    const { data, error, response } = await getHealth();

    expectTypeOf(data).toEqualTypeOf<HealthStatus | undefined>();
    expect(response.status).toBe(200);
    expect(error).toBeUndefined();
    expect(data).toEqual({ status: 'ok' });
  });

  it('getReadiness answers ok when the database does (throwOnError narrows data)', async () => {
    const { data } = await getReadiness({ throwOnError: true });

    expectTypeOf(data).toEqualTypeOf<HealthStatus>();
    expect(data.status).toBe('ok');
  });

  it('declares its 503 as a ProblemDetails (type level: a live 503 needs a dead database)', () => {
    expectTypeOf<GetReadinessErrors[503]>().toEqualTypeOf<ProblemDetails>();
    expectTypeOf<GetReadinessError>().toEqualTypeOf<ProblemDetails>();
  });
});

describe('problem responses', () => {
  it('getMe without credentials is a typed 401 problem', async () => {
    const { data, error, response } = await getMe();

    expectTypeOf(error).toEqualTypeOf<GetMeError | undefined>();
    expectTypeOf<GetMeError>().toEqualTypeOf<ProblemDetails>();
    expect(data).toBeUndefined();
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain(PROBLEM_JSON);
    expect(error).toMatchObject({ status: 401, title: expect.any(String) });
  });

  it('login with a wrong password is a typed 401 problem', async () => {
    const { email } = seededAdmin();
    const { error, response } = await login({
      body: { username: email, password: `not-${crypto.randomUUID()}` },
    });

    expectTypeOf(error).toEqualTypeOf<LoginError | undefined>();
    expect(response.status).toBe(401);
    expect(error?.status).toBe(401);
    expect(error?.type).toEqual(expect.any(String));
  });
});

describe('authentication', () => {
  it('login returns tokens that getMe accepts', async () => {
    const admin = seededAdmin();
    const { data: tokens } = await login({
      body: { username: admin.email, password: admin.password },
      throwOnError: true,
    });
    expect(tokens.token_type).toMatch(/^bearer$/i);

    const { data: me } = await getMe({ auth: bearer(tokens.access_token), throwOnError: true });

    expectTypeOf(me).toEqualTypeOf<UserPublic>();
    expect(me.email).toBe(admin.email);
  });
});
