import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';

import type { LabPublic } from '@co2calculator/client';
import { getMeOptions, listLabsInfiniteOptions, loginMutation } from '@co2calculator/client/react-query';

import { useJobStream, type StreamState } from './jobStream';
import { LabView } from './LabView';
import { LABS_PAGE_SIZE } from './pages';
import { ProblemView } from './problem';
import { signOut, startSession, useEndedReason, useSession } from './session';

export function App() {
  const session = useSession();
  return session ? <Dashboard accessToken={session.accessToken} /> : <SignIn />;
}

function SignIn() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const ended = useEndedReason();
  const signIn = useMutation({ ...loginMutation(), onSuccess: startSession });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ body: { username: email, password } });
  };

  return (
    <main className="signin">
      <form className="card signin-card" onSubmit={submit} aria-label="Sign in">
        <h1>
          co2<span>calculator</span>
        </h1>
        <p className="muted">Your labs' carbon footprint, by year, category and scope.</p>
        {ended ? <p className="notice">{ended}</p> : null}
        <label>
          Email
          <input type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        <button type="submit" disabled={signIn.isPending}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
        {signIn.isError ? <ProblemView error={signIn.error} context="Sign-in" /> : null}
      </form>
    </main>
  );
}

const STREAM_LABELS: Record<StreamState, string> = {
  connecting: 'connecting…',
  replaying: 'catching up…',
  live: 'live',
  reconnecting: 'reconnecting…',
};

function Dashboard({ accessToken }: { accessToken: string }) {
  const queryClient = useQueryClient();
  const me = useQuery(getMeOptions());
  const stream = useJobStream(accessToken);
  const [lab, setLab] = useState<LabPublic | null>(null);

  const leave = async () => {
    await signOut();
    queryClient.clear(); // nothing of this account stays in memory
  };

  return (
    <div className="layout">
      <header className="topbar">
        <div className="brand">
          co2<span>calculator</span>
        </div>
        <div className="topbar-right">
          <span className={`stream stream-${stream.state}`} title="Live job status (WebSocket)">
            <span className="dot" /> jobs {STREAM_LABELS[stream.state]}
          </span>
          <span className="me">{me.data ? (me.data.full_name || me.data.email) : ''}</span>
          <button className="link" onClick={() => void leave()}>
            Sign out
          </button>
        </div>
      </header>
      <aside className="sidebar">
        <LabList selected={lab?.id ?? null} onSelect={setLab} />
      </aside>
      <main className="content">
        {lab ? (
          <LabView key={lab.id} lab={lab} jobs={stream.jobs} />
        ) : (
          <div className="empty card">
            <h2>Pick a lab</h2>
            <p className="muted">Its yearly report, entries and imports open here.</p>
          </div>
        )}
      </main>
    </div>
  );
}

/** The caller's labs, a page at a time over the cursor pagination, loaded as the list scrolls. */
function LabList({ selected, onSelect }: { selected: string | null; onSelect: (lab: LabPublic) => void }) {
  const labs = useInfiniteQuery({
    ...listLabsInfiniteOptions({ query: { limit: LABS_PAGE_SIZE } }),
    initialPageParam: {},
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
  const sentinel = useRef<HTMLLIElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = labs;

  useEffect(() => {
    const element = sentinel.current;
    if (!element || !hasNextPage) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const items = labs.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <nav className="labs" aria-label="Labs">
      <h2>
        Labs <span className="count">{items.length ? `${items.length}${hasNextPage ? '+' : ''}` : ''}</span>
      </h2>
      {labs.isError ? <ProblemView error={labs.error} context="Labs" /> : null}
      <ul className="lab-list" data-testid="lab-list">
        {items.map((lab) => (
          <li key={lab.id}>
            <button className={lab.id === selected ? 'lab active' : 'lab'} onClick={() => onSelect(lab)}>
              <span className="lab-name">{lab.name}</span>
              <span className="lab-meta">
                {lab.code}
                {lab.my_role ? ` · ${lab.my_role}` : ''}
              </span>
            </button>
          </li>
        ))}
        {hasNextPage ? (
          <li ref={sentinel} className="muted loading-more">
            Loading more…
          </li>
        ) : labs.isSuccess ? (
          <li className="muted list-end">{items.length ? 'All labs shown' : 'No labs yet'}</li>
        ) : (
          <li className="muted">Loading…</li>
        )}
      </ul>
    </nav>
  );
}
