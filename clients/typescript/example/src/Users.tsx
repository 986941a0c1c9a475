// Accounts (administrators): the list a page at a time, create an account, change its name, email
// or role, deactivate it (its tokens and API keys stop working at once) or reactivate it.
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import type { UserPublic, UserRole } from '@co2calculator/client';
import {
  createUserMutation,
  deactivateUserMutation,
  listUsersInfiniteOptions,
  listUsersInfiniteQueryKey,
  updateUserMutation,
} from '@co2calculator/client/react-query';

import { Field, FormProblem, type Fallback } from './fields';
import { date } from './format';
import { useT, type Messages } from './i18n';
import { ProblemView } from './problem';

const USERS_PAGE_SIZE = 25;
const USER_FIELDS = ['email', 'full_name', 'password', 'role', 'is_active'];
// "email already registered" comes as a 409 without `loc`: it is about the email.
const TAKEN: Fallback = { status: [409], field: 'email', match: /email/i };

export const userRoleName = (t: Messages, role: UserRole): string => (role === 'admin' ? t.roleAdmin : t.roleUser);

export function Users() {
  const t = useT();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<UserPublic | null>(null);
  const [saved, setSaved] = useState<UserPublic | null>(null);
  const users = useInfiniteQuery({
    ...listUsersInfiniteOptions({ query: { limit: USERS_PAGE_SIZE } }),
    initialPageParam: {},
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: listUsersInfiniteQueryKey() });
  // A change keeps the account's form open on what the server answered (its new version).
  const changed = async (user: UserPublic) => {
    if (editing?.id === user.id) setEditing(user);
    setSaved(user);
    await refresh();
  };
  const deactivate = useMutation({ ...deactivateUserMutation(), onSuccess: changed });
  const reactivate = useMutation({ ...updateUserMutation(), onSuccess: changed });
  const items = users.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <div className="lab-view">
      <h2>{t.usersTitle}</h2>
      <CreateUser
        onCreated={async (user) => {
          setEditing(user);
          await refresh();
        }}
      />
      {editing ? (
        <EditUser
          key={`${editing.id}-${editing.version}`}
          user={editing}
          saved={saved?.id === editing.id && saved.version === editing.version}
          onDone={() => setEditing(null)}
          onSaved={changed}
        />
      ) : null}
      <section className="card" aria-label={t.accounts}>
        <h3>{t.accounts}</h3>
        {users.isError ? <ProblemView error={users.error} context={t.accounts} /> : null}
        {users.isSuccess && !items.length ? (
          <p className="muted" data-testid="no-users">
            {t.noUsers}
          </p>
        ) : (
          <table className="stack admin-table" data-testid="users">
            <thead>
              <tr>
                <th>{t.fullName}</th>
                <th>{t.email}</th>
                <th>{t.accountRole}</th>
                <th>{t.state}</th>
                <th>{t.since}</th>
                <th>
                  <span className="visually-hidden">{t.actions}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((user) => (
                <tr key={user.id} data-user={user.email}>
                  <td>{user.full_name || '—'}</td>
                  <td className="note">{user.email}</td>
                  <td data-testid="user-role">{userRoleName(t, user.role)}</td>
                  <td data-testid="user-state">{user.is_active ? t.active : t.inactive}</td>
                  <td className="date">{date(user.created_at)}</td>
                  <td className="actions">
                    <button type="button" className="link" onClick={() => setEditing(user)} aria-label={t.editUser(user.email)}>
                      {t.edit}
                    </button>{' '}
                    {user.is_active ? (
                      <button
                        type="button"
                        className="link danger"
                        disabled={deactivate.isPending}
                        aria-label={t.deactivateUser(user.email)}
                        onClick={() => deactivate.mutate({ path: { user_id: user.id } })}
                      >
                        {t.deactivate}
                      </button>
                    ) : (
                      <button
                        type="button"
                        className="link"
                        disabled={reactivate.isPending}
                        aria-label={t.reactivateUser(user.email)}
                        onClick={() => reactivate.mutate({ path: { user_id: user.id }, body: { version: user.version, is_active: true } })}
                      >
                        {t.reactivate}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <ProblemView error={deactivate.error ?? reactivate.error} context={t.accountNotChanged} />
        {users.hasNextPage ? (
          <button className="secondary" onClick={() => void users.fetchNextPage()} disabled={users.isFetchingNextPage}>
            {users.isFetchingNextPage ? t.loading : t.moreUsers}
          </button>
        ) : null}
      </section>
    </div>
  );
}

function RoleSelect({ value, onChange }: { value: UserRole; onChange: (role: UserRole) => void }) {
  const t = useT();
  return (
    <select value={value} onChange={(e) => onChange(e.target.value as UserRole)}>
      <option value="user">{t.roleUser}</option>
      <option value="admin">{t.roleAdmin}</option>
    </select>
  );
}

function CreateUser({ onCreated }: { onCreated: (user: UserPublic) => Promise<unknown> }) {
  const t = useT();
  const empty = { email: '', full_name: '', password: '', role: 'user' as UserRole };
  const [draft, setDraft] = useState(empty);
  const create = useMutation({
    ...createUserMutation(),
    onSuccess: async (user) => {
      setDraft(empty);
      await onCreated(user);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ body: { email: draft.email.trim(), full_name: draft.full_name.trim(), password: draft.password, role: draft.role } });
  };
  return (
    <form className="card" onSubmit={submit} aria-label={t.createAccount}>
      <h3>{t.createAccount}</h3>
      <div className="form-grid">
        <Field label={t.email} name="email" error={create.error} fallback={TAKEN}>
          <input type="email" value={draft.email} onChange={(e) => setDraft({ ...draft, email: e.target.value })} required />
        </Field>
        <Field label={t.fullName} name="full_name" error={create.error}>
          <input value={draft.full_name} onChange={(e) => setDraft({ ...draft, full_name: e.target.value })} />
        </Field>
        <Field label={t.initialPassword} name="password" error={create.error}>
          <input
            type="password"
            autoComplete="new-password"
            value={draft.password}
            onChange={(e) => setDraft({ ...draft, password: e.target.value })}
            required
          />
        </Field>
        <Field label={t.accountRole} name="role" error={create.error}>
          <RoleSelect value={draft.role} onChange={(role) => setDraft({ ...draft, role })} />
        </Field>
      </div>
      <p className="muted small">{t.passwordRules}</p>
      <FormProblem error={create.error} context={t.accountNotCreated} fields={USER_FIELDS} fallback={TAKEN} />
      {create.isSuccess ? (
        <p className="success" role="status">
          {t.accountCreated(create.data.email)}
        </p>
      ) : null}
      <button type="submit" disabled={create.isPending}>
        {create.isPending ? t.adding : t.createAccount}
      </button>
    </form>
  );
}

function EditUser({
  user,
  saved,
  onDone,
  onSaved,
}: {
  user: UserPublic;
  saved: boolean;
  onDone: () => void;
  onSaved: (user: UserPublic) => Promise<unknown>;
}) {
  const t = useT();
  const [draft, setDraft] = useState({ email: user.email, full_name: user.full_name ?? '', role: user.role });
  const save = useMutation({ ...updateUserMutation(), onSuccess: onSaved });
  const deactivate = useMutation({ ...deactivateUserMutation(), onSuccess: onSaved });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Only what changed, with the version read: a change made meanwhile by someone else is a 409.
    save.mutate({
      path: { user_id: user.id },
      body: {
        version: user.version,
        ...(draft.email.trim() !== user.email ? { email: draft.email.trim() } : {}),
        ...(draft.full_name.trim() !== (user.full_name ?? '') ? { full_name: draft.full_name.trim() } : {}),
        ...(draft.role !== user.role ? { role: draft.role } : {}),
      },
    });
  };
  return (
    <form className="card" onSubmit={submit} aria-label={t.editAccount} data-testid="edit-user">
      <h3>
        {t.editAccount} <span className="muted">{user.email}</span>
      </h3>
      <p className="muted small" data-testid="edit-user-state">
        {userRoleName(t, user.role)} · {user.is_active ? t.active : t.inactive}
      </p>
      <div className="form-grid">
        <Field label={t.email} name="email" error={save.error} fallback={TAKEN}>
          <input type="email" value={draft.email} onChange={(e) => setDraft({ ...draft, email: e.target.value })} required />
        </Field>
        <Field label={t.fullName} name="full_name" error={save.error}>
          <input value={draft.full_name} onChange={(e) => setDraft({ ...draft, full_name: e.target.value })} />
        </Field>
        <Field label={t.accountRole} name="role" error={save.error}>
          <RoleSelect value={draft.role} onChange={(role) => setDraft({ ...draft, role })} />
        </Field>
      </div>
      <FormProblem error={save.error ?? deactivate.error} context={t.accountNotChanged} fields={USER_FIELDS} fallback={TAKEN} />
      {saved ? (
        <p className="success" role="status">
          {t.accountSaved}
        </p>
      ) : null}
      <div className="form-row">
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? t.saving : t.saveAccount}
        </button>
        {user.is_active ? (
          <button type="button" className="secondary" disabled={deactivate.isPending} onClick={() => deactivate.mutate({ path: { user_id: user.id } })}>
            {t.deactivate}
          </button>
        ) : null}
        <button type="button" className="secondary" onClick={onDone}>
          {t.close}
        </button>
      </div>
    </form>
  );
}
