// The generated TanStack Query options and mutations inside React components (jsdom).
import {
  QueryClient,
  QueryClientProvider,
  useInfiniteQuery,
  useMutation,
  useQuery,
} from '@tanstack/react-query';
import { fireEvent, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, expectTypeOf, it } from 'vitest';

import {
  getHealthOptions,
  getHealthQueryKey,
  getMeOptions,
  listLabsInfiniteOptions,
  loginMutation,
} from '../src/client/@tanstack/react-query.gen';
import { createLab, type GetMeError } from '../src/client';
import { type AuthCallback, seededAdmin, signIn } from './live';

function renderWithQueryClient(ui: ReactNode) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(<QueryClientProvider client={queryClient}>{ui}</QueryClientProvider>);
  return queryClient;
}

function HealthBadge() {
  const { data, isPending, isError } = useQuery(getHealthOptions());
  if (isPending) return <p>checking…</p>;
  if (isError) return <p role="alert">API unreachable</p>;
  return <p>API status: {data.status}</p>;
}

function WhoAmI() {
  const { data, error, isError, isPending } = useQuery(getMeOptions());
  expectTypeOf(error).toEqualTypeOf<GetMeError | null>();
  if (isPending) return <p>loading…</p>;
  if (isError) {
    return (
      <p role="alert">
        {error.status} {error.title}
      </p>
    );
  }
  return <p>{data.email}</p>;
}

function SignInForm({ email, password }: { email: string; password: string }) {
  const mutation = useMutation(loginMutation());
  return (
    <>
      <button type="button" onClick={() => mutation.mutate({ body: { username: email, password } })}>
        Sign in
      </button>
      {mutation.isSuccess ? <p>signed in ({mutation.data.token_type})</p> : null}
      {mutation.isError ? <p role="alert">{mutation.error.title}</p> : null}
    </>
  );
}

function LabNames({ auth, search }: { auth: AuthCallback; search: string }) {
  const labs = useInfiniteQuery({
    ...listLabsInfiniteOptions({ auth, query: { limit: 1, search } }),
    // `{}` is the first page. Not `null`: the generated queryFn (openapi-ts 0.95.0) reads it as
    // an object because typeof null is 'object', and throws.
    initialPageParam: {},
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
  if (labs.isPending) return <p>loading…</p>;
  if (labs.isError) return <p role="alert">{labs.error.title}</p>;
  return (
    <>
      <ul>
        {labs.data.pages.flatMap((page) => page.items).map((lab) => (
          <li key={lab.id}>{lab.code}</li>
        ))}
      </ul>
      <p>pages: {labs.data.pages.length}</p>
      {labs.hasNextPage ? (
        <button type="button" onClick={() => void labs.fetchNextPage()}>
          More
        </button>
      ) : null}
    </>
  );
}

describe('TanStack Query options', () => {
  it('useQuery(getHealthOptions()) renders the live status', async () => {
    const queryClient = renderWithQueryClient(<HealthBadge />);

    expect(await screen.findByText('API status: ok')).toBeTruthy();
    expect(queryClient.getQueryData(getHealthQueryKey())).toEqual({ status: 'ok' });
  });

  it('a problem response reaches the component as a typed error', async () => {
    renderWithQueryClient(<WhoAmI />);

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/^401 /);
  });

  it('useMutation(loginMutation()) signs in', async () => {
    const { email, password } = seededAdmin();
    renderWithQueryClient(<SignInForm email={email} password={password} />);

    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByText(/^signed in \(bearer\)$/i)).toBeTruthy();
  });

  it('useInfiniteQuery(listLabsInfiniteOptions()) follows the cursor', async () => {
    const auth = await signIn();
    const tag = crypto.randomUUID().slice(0, 8).toUpperCase();
    for (const n of [1, 2]) {
      const body = { name: `Paging ${tag} ${n}`, code: `PG-${tag}-${n}` };
      await createLab({ auth, body, throwOnError: true });
    }
    renderWithQueryClient(<LabNames auth={auth} search={tag} />);

    expect(await screen.findByText('pages: 1')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'More' }));

    expect(await screen.findByText('pages: 2')).toBeTruthy();
    expect(screen.getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      `PG-${tag}-1`,
      `PG-${tag}-2`,
    ]);
  });
});
