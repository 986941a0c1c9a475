import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';

import {
  acceptMyInvitationMutation,
  declineMyInvitationMutation,
  getMeOptions,
  listLabsInfiniteQueryKey,
  listLabsInfiniteOptions,
  listMyInvitationsOptions,
  listMyInvitationsQueryKey,
  startBrowserSessionMutation,
} from '@co2calculator/client/react-query';

import { Factors } from './Factors';
import { useJobStream, type StreamState } from './jobStream';
import { CreateLab } from './LabForms';
import { LabView } from './LabView';
import { LABS_PAGE_SIZE } from './pages';
import { ProblemView } from './problem';
import { Profile } from './Profile';
import { href, Link, labHref, navigate, useRoute, type Route } from './router';
import { signOut, startSession, useEndedReason, useSession } from './session';

export function App() {
  const session = useSession();
  if (session === 'restoring') {
    return (
      <main className="signin" aria-busy="true">
        <p className="muted">Restoring your session…</p>
      </main>
    );
  }
  return session ? <Dashboard accessToken={session.accessToken} /> : <SignIn />;
}

function SignIn() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const ended = useEndedReason();
  const signIn = useMutation({ ...startBrowserSessionMutation(), onSuccess: startSession });

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
  const route = useRoute();

  const leave = async () => {
    await signOut();
    queryClient.clear(); // nothing of this account stays in memory
  };

  const section = route.name === 'factors' ? 'factors' : route.name === 'profile' ? 'profile' : 'labs';
  return (
    <div className={`layout route-${route.name}`}>
      <header className="topbar">
        <h1 className="brand">
          co2<span>calculator</span>
        </h1>
        <nav className="topnav" aria-label="Sections">
          <Link to={href({ name: 'home' })} aria-current={section === 'labs' ? 'page' : undefined}>
            Labs
          </Link>
          <Link to={href({ name: 'factors', params: new URLSearchParams() })} aria-current={section === 'factors' ? 'page' : undefined}>
            Factors
          </Link>
          <Link to={href({ name: 'profile' })} aria-current={section === 'profile' ? 'page' : undefined}>
            Profile
          </Link>
        </nav>
        <div className="topbar-right">
          <span className={`stream stream-${stream.state}`} title="Live job status (WebSocket)">
            <span className="dot" /> jobs {STREAM_LABELS[stream.state]}
          </span>
          <span className="me">{me.data ? me.data.full_name || me.data.email : ''}</span>
          <button className="link" onClick={() => void leave()}>
            Sign out
          </button>
        </div>
      </header>
      <aside className="sidebar">
        <LabList selected={route.name === 'lab' ? route.labId : null} />
      </aside>
      <main className="content">
        <Content route={route} jobs={stream.jobs} />
      </main>
    </div>
  );
}

function Content({ route, jobs }: { route: Route; jobs: Parameters<typeof LabView>[0]['jobs'] }) {
  switch (route.name) {
    case 'home':
      return <Home />;
    case 'new-lab':
      return <CreateLab />;
    case 'lab':
      return <LabView key={route.labId} labId={route.labId} tab={route.tab} year={route.year} jobs={jobs} />;
    case 'factors':
      return <Factors params={route.params} />;
    case 'profile':
      return <Profile />;
    case 'not-found':
      return (
        <div className="empty card">
          <h2>Nothing here</h2>
          <p className="muted">
            <code>{route.path}</code> is not a page of this app. <Link to={href({ name: 'home' })}>Go to your labs</Link>.
          </p>
        </div>
      );
  }
}

/** No lab open: pick one, or (with none yet) create the first. */
function Home() {
  const first = useInfiniteQuery({
    ...listLabsInfiniteOptions({ query: { limit: LABS_PAGE_SIZE } }),
    initialPageParam: {},
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
  const none = first.isSuccess && !first.data.pages[0]?.items.length;
  return (
    <>
      <MyInvitations />
      {none ? (
    <div className="empty card" data-testid="no-labs">
      <h2>No labs yet</h2>
      <p className="muted">A lab holds a group's activities, its members and its yearly reports. Create the first one.</p>
      <Link className="button" to={href({ name: 'new-lab' })}>
        Create a lab
      </Link>
    </div>
  ) : (
    <div className="empty card">
      <h2>Pick a lab</h2>
      <p className="muted">Its yearly report, entries and imports open here.</p>
      <Link className="button secondary" to={href({ name: 'new-lab' })}>
        Create a lab
      </Link>
    </div>
      )}
    </>
  );
}

/** Labs that invited me: accept (I become a member, and the lab opens) or decline. */
function MyInvitations() {
  const queryClient = useQueryClient();
  const invitations = useQuery(listMyInvitationsOptions());
  const settle = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: listMyInvitationsQueryKey() }),
      queryClient.invalidateQueries({ queryKey: listLabsInfiniteQueryKey() }),
    ]);
  const accept = useMutation({
    ...acceptMyInvitationMutation(),
    onSuccess: async (lab) => {
      await settle();
      navigate(labHref(lab.id));
    },
  });
  const decline = useMutation({ ...declineMyInvitationMutation(), onSuccess: settle });
  const items = invitations.data ?? [];
  if (!items.length) return null;
  return (
    <section className="card invitations" aria-label="Invitations">
      <h3>You are invited</h3>
      <ul>
        {items.map((invitation) => (
          <li key={invitation.id}>
            <strong>{invitation.lab_name}</strong> <span className="muted">({invitation.lab_code}) as {invitation.role}</span>{' '}
            <button onClick={() => accept.mutate({ path: { invitation_id: invitation.id } })} disabled={accept.isPending}>
              Accept
            </button>{' '}
            <button className="secondary" onClick={() => decline.mutate({ path: { invitation_id: invitation.id } })} disabled={decline.isPending}>
              Decline
            </button>
          </li>
        ))}
      </ul>
      <ProblemView error={accept.error ?? decline.error} context="Invitation" />
    </section>
  );
}

/** The caller's labs, a page at a time over the cursor pagination, loaded as the list scrolls. */
function LabList({ selected }: { selected: string | null }) {
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
        <Link className="new-lab" to={href({ name: 'new-lab' })} aria-label="New lab">
          + New
        </Link>
      </h2>
      {labs.isError ? <ProblemView error={labs.error} context="Labs" /> : null}
      <ul className="lab-list" data-testid="lab-list">
        {items.map((lab) => (
          <li key={lab.id}>
            <Link className={lab.id === selected ? 'lab active' : 'lab'} to={labHref(lab.id)} aria-current={lab.id === selected ? 'page' : undefined}>
              <span className="lab-name">{lab.name}</span>
              <span className="lab-meta">
                {lab.code}
                {lab.my_role ? ` · ${lab.my_role}` : ''}
              </span>
            </Link>
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
