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

import { AdminScreen } from './Admin';
import { Factors } from './Factors';
import { useJobStream, type StreamState } from './jobStream';
import { CreateLab } from './LabForms';
import { LabView } from './LabView';
import { LABS_PAGE_SIZE } from './pages';
import { ProblemView } from './problem';
import { Profile } from './Profile';
import { href, Link, labHref, navigate, useRoute, type Route } from './router';
import { LANGUAGES, ROLE_NAMES, setLang, useLang, useT, type Lang, type Messages } from './i18n';
import { signOut, startSession, useEndedReason, useSession, type EndedReason } from './session';

export function App() {
  const session = useSession();
  const t = useT();
  if (session === 'restoring') {
    return (
      <main className="signin" aria-busy="true">
        <p className="muted">{t.restoring}</p>
      </main>
    );
  }
  return session ? <Dashboard accessToken={session.accessToken} /> : <SignIn />;
}

/** The language switch: remembered in this browser, and the page's `lang`. */
export function LanguageSwitch() {
  const lang = useLang();
  const t = useT();
  return (
    <label className="inline lang-switch">
      <span className="visually-hidden">{t.language}</span>
      <select value={lang} onChange={(e) => setLang(e.target.value as Lang)} aria-label={t.language}>
        {(Object.keys(LANGUAGES) as Lang[]).map((code) => (
          <option key={code} value={code} lang={code}>
            {LANGUAGES[code]}
          </option>
        ))}
      </select>
    </label>
  );
}

function endedText(t: Messages, reason: EndedReason): string {
  if (reason === 'unreachable') return t.signedOutUnreachable;
  if (reason === 'other-tab') return t.signedOutOtherTab;
  return t.signedOut(reason.detail);
}

function SignIn() {
  const t = useT();
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
      <form className="card signin-card" onSubmit={submit} aria-label={t.signIn}>
        <div className="signin-head">
          <h1>
            co2<span>calculator</span>
          </h1>
          <LanguageSwitch />
        </div>
        <p className="muted">{t.appTagline}</p>
        {ended ? <p className="notice">{endedText(t, ended)}</p> : null}
        <label>
          {t.email}
          <input type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
        </label>
        <label>
          {t.password}
          <input
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        <button type="submit" disabled={signIn.isPending}>
          {signIn.isPending ? t.signingIn : t.signIn}
        </button>
        {signIn.isError ? <ProblemView error={signIn.error} context={t.signInProblem} /> : null}
      </form>
    </main>
  );
}

function streamLabel(t: Messages, state: StreamState): string {
  const labels: Record<StreamState, string> = {
    connecting: t.jobsConnecting,
    replaying: t.jobsReplaying,
    live: t.jobsLive,
    reconnecting: t.jobsReconnecting,
  };
  return labels[state];
}

function Dashboard({ accessToken }: { accessToken: string }) {
  const t = useT();
  const queryClient = useQueryClient();
  const me = useQuery(getMeOptions());
  const stream = useJobStream(accessToken);
  const route = useRoute();

  const leave = async () => {
    await signOut();
    queryClient.clear(); // nothing of this account stays in memory
  };

  const section = route.name === 'factors' ? 'factors' : route.name === 'profile' ? 'profile' : 'labs';
  const adminSection = { users: 'users', institution: 'institution', 'institution-target': 'institution', audit: 'institution', factor: 'factors', 'factor-imports': 'factors' } as const;
  const current = route.name in adminSection ? adminSection[route.name as keyof typeof adminSection] : section;
  const isAdmin = me.data?.role === 'admin';
  return (
    <div className={`layout route-${route.name}`}>
      <header className="topbar">
        <h1 className="brand">
          co2<span>calculator</span>
        </h1>
        <nav className="topnav" aria-label={t.sections}>
          <Link to={href({ name: 'home' })} aria-current={current === 'labs' ? 'page' : undefined}>
            {t.navLabs}
          </Link>
          <Link to={href({ name: 'factors', params: new URLSearchParams() })} aria-current={current === 'factors' ? 'page' : undefined}>
            {t.navFactors}
          </Link>
          {isAdmin ? (
            <>
              <Link to={href({ name: 'institution', year: new Date().getFullYear() })} aria-current={current === 'institution' ? 'page' : undefined}>
                {t.institution}
              </Link>
              <Link to={href({ name: 'users' })} aria-current={current === 'users' ? 'page' : undefined}>
                {t.navUsers}
              </Link>
            </>
          ) : null}
          <Link to={href({ name: 'profile' })} aria-current={current === 'profile' ? 'page' : undefined}>
            {t.navProfile}
          </Link>
        </nav>
        <div className="topbar-right">
          <span className={`stream stream-${stream.state}`} title={t.jobsTitle}>
            <span className="dot" /> {streamLabel(t, stream.state)}
          </span>
          <span className="me">{me.data ? me.data.full_name || me.data.email : ''}</span>
          <LanguageSwitch />
          <button className="link" onClick={() => void leave()}>
            {t.signOut}
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
  const t = useT();
  switch (route.name) {
    case 'home':
      return <Home />;
    case 'new-lab':
      return <CreateLab />;
    case 'lab':
      return <LabView key={route.labId} labId={route.labId} tab={route.tab} year={route.year} jobs={jobs} params={route.params} />;
    case 'factors':
      return <Factors params={route.params} />;
    case 'profile':
      return <Profile />;
    case 'users':
    case 'factor-imports':
    case 'factor':
    case 'institution':
    case 'institution-target':
    case 'audit':
      return <AdminScreen route={route} jobs={jobs} />;
    case 'not-found':
      return (
        <div className="empty card">
          <h2>{t.nothingHere}</h2>
          <p className="muted">
            <code>{route.path}</code> {t.notAPage} <Link to={href({ name: 'home' })}>{t.goToLabs}</Link>.
          </p>
        </div>
      );
  }
}

/** No lab open: pick one, or (with none yet) create the first. */
function Home() {
  const t = useT();
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
      <h2>{t.noLabsYet}</h2>
      <p className="muted">{t.noLabsHelp}</p>
      <Link className="button" to={href({ name: 'new-lab' })}>
        {t.createALab}
      </Link>
    </div>
  ) : (
    <div className="empty card">
      <h2>{t.pickALab}</h2>
      <p className="muted">{t.pickALabHelp}</p>
      <Link className="button secondary" to={href({ name: 'new-lab' })}>
        {t.createALab}
      </Link>
    </div>
      )}
    </>
  );
}

/** Labs that invited me: accept (I become a member, and the lab opens) or decline. */
function MyInvitations() {
  const t = useT();
  const lang = useLang();
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
    <section className="card invitations" aria-label={t.invitations}>
      <h3>{t.youAreInvited}</h3>
      <ul>
        {items.map((invitation) => (
          <li key={invitation.id}>
            <strong>{invitation.lab_name}</strong> <span className="muted">{t.invitedAs(invitation.lab_code, ROLE_NAMES[lang][invitation.role])}</span>{' '}
            <button onClick={() => accept.mutate({ path: { invitation_id: invitation.id } })} disabled={accept.isPending}>
              {t.accept}
            </button>{' '}
            <button className="secondary" onClick={() => decline.mutate({ path: { invitation_id: invitation.id } })} disabled={decline.isPending}>
              {t.decline}
            </button>
          </li>
        ))}
      </ul>
      <ProblemView error={accept.error ?? decline.error} context={t.invitation} />
    </section>
  );
}

/** The caller's labs, a page at a time over the cursor pagination, loaded as the list scrolls. */
function LabList({ selected }: { selected: string | null }) {
  const t = useT();
  const lang = useLang();
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
    <nav className="labs" aria-label={t.labs}>
      <h2>
        {t.labs} <span className="count">{items.length ? `${items.length}${hasNextPage ? '+' : ''}` : ''}</span>
        <Link className="new-lab" to={href({ name: 'new-lab' })} aria-label={t.newLab}>
          {t.newLabShort}
        </Link>
      </h2>
      {labs.isError ? <ProblemView error={labs.error} context={t.labs} /> : null}
      <ul className="lab-list" data-testid="lab-list">
        {items.map((lab) => (
          <li key={lab.id}>
            <Link className={lab.id === selected ? 'lab active' : 'lab'} to={labHref(lab.id)} aria-current={lab.id === selected ? 'page' : undefined}>
              <span className="lab-name">{lab.name}</span>
              <span className="lab-meta">
                {lab.code}
                {lab.my_role ? ` · ${ROLE_NAMES[lang][lab.my_role]}` : ''}
              </span>
            </Link>
          </li>
        ))}
        {hasNextPage ? (
          <li ref={sentinel} className="muted loading-more">
            {t.loadingMore}
          </li>
        ) : labs.isSuccess ? (
          <li className="muted list-end">{items.length ? t.allLabsShown : t.noLabsYet}</li>
        ) : (
          <li className="muted">{t.loading}</li>
        )}
      </ul>
    </nav>
  );
}
