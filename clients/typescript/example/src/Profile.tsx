// My profile (name) and my API keys: a new key is shown once, in full, right after it is
// created (the server keeps only its hash); a key can be revoked.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import type { UserPublic } from '@co2calculator/client';
import {
  changeMyPasswordMutation,
  createMyApiKeyMutation,
  getMeOptions,
  getMeQueryKey,
  listMyApiKeysOptions,
  listMyApiKeysQueryKey,
  revokeMyApiKeyMutation,
  updateMeMutation,
} from '@co2calculator/client/react-query';

import { Field, FormProblem } from './fields';
import { ProblemView } from './problem';

export function Profile() {
  const me = useQuery(getMeOptions());
  return (
    <div className="lab-view">
      <h2>My profile</h2>
      {me.isError ? <ProblemView error={me.error} context="Profile" /> : null}
      {me.data ? <ProfileForm key={me.data.version} me={me.data} /> : null}
      <ChangePassword />
      <ApiKeys />
    </div>
  );
}

function ProfileForm({ me }: { me: UserPublic }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(me.full_name ?? '');
  const update = useMutation({
    ...updateMeMutation(),
    onSuccess: (saved) => queryClient.setQueryData(getMeQueryKey(), saved),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ body: { version: me.version, full_name: name } });
  };
  return (
    <form className="card" onSubmit={submit} aria-label="Profile">
      <p className="muted">
        {me.email} · {me.role === 'admin' ? 'administrator' : 'user'}
      </p>
      <div className="form-row">
        <Field label="Full name" name="full_name" error={update.error} className="grow">
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
        </Field>
        <button type="submit" disabled={update.isPending}>
          Save
        </button>
      </div>
      <FormProblem error={update.error} context="Not saved" fields={['full_name']} />
    </form>
  );
}

/** The current password is required; the server ends my other sessions (this one goes on). */
function ChangePassword() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const change = useMutation({
    ...changeMyPasswordMutation(),
    onSuccess: () => {
      setCurrent('');
      setNext('');
    },
  });
  const wrongCurrent = { status: [401, 403], field: 'current_password' };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate({ body: { current_password: current, new_password: next } });
  };
  return (
    <form className="card" onSubmit={submit} aria-label="Change my password">
      <h3>Password</h3>
      <div className="form-row">
        <Field label="Current password" name="current_password" error={change.error} fallback={wrongCurrent} className="grow">
          <input type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
        </Field>
        <Field label="New password" name="new_password" error={change.error} className="grow">
          <input type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} required />
        </Field>
        <button type="submit" disabled={change.isPending}>
          Change password
        </button>
      </div>
      <FormProblem error={change.error} context="Not changed" fields={['current_password', 'new_password']} fallback={wrongCurrent} />
      {change.isSuccess ? (
        <p className="success" role="status">
          Changed. Your other sessions (other browsers, other devices) are signed out.
        </p>
      ) : null}
    </form>
  );
}

function ApiKeys() {
  const queryClient = useQueryClient();
  const keys = useQuery(listMyApiKeysOptions());
  const [name, setName] = useState('');
  const invalidate = () => queryClient.invalidateQueries({ queryKey: listMyApiKeysQueryKey() });
  const create = useMutation({
    ...createMyApiKeyMutation(),
    onSuccess: async () => {
      setName('');
      await invalidate();
    },
  });
  const revoke = useMutation({ ...revokeMyApiKeyMutation(), onSuccess: invalidate });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ body: { name } });
  };
  const items = keys.data ?? [];
  return (
    <section className="card api-keys" aria-label="API keys">
      <h3>API keys</h3>
      <p className="muted small">
        For scripts: send a key as <code>X-API-Key</code> (or as the bearer token). It acts as you, in every lab you belong to.
      </p>
      <form className="form-row" onSubmit={submit} aria-label="Create an API key">
        <Field label="Name of the new key" name="name" error={create.error} className="grow">
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} placeholder="e.g. monthly meter upload" />
        </Field>
        <button type="submit" disabled={create.isPending}>
          Create key
        </button>
      </form>
      <FormProblem error={create.error} context="No key created" fields={['name']} />
      {create.data ? (
        <div className="once" role="status" data-testid="new-key">
          <strong>Copy this key now: it is not shown again.</strong>
          <code className="secret">{create.data.key}</code>
          <button className="link" onClick={() => create.reset()}>
            I have copied it
          </button>
        </div>
      ) : null}
      {keys.isError ? <ProblemView error={keys.error} context="API keys" /> : null}
      {keys.isSuccess && !items.length ? (
        <p className="muted" data-testid="no-keys">
          No API keys. Create one above for a script; you can revoke it at any time.
        </p>
      ) : (
        <table className="stack" data-testid="api-keys">
          <thead>
            <tr>
              <th>Name</th>
              <th>Prefix</th>
              <th>Created</th>
              <th>Last used</th>
              <th>
              <span className="visually-hidden">Actions</span>
            </th>
            </tr>
          </thead>
          <tbody>
            {items.map((key) => (
              <tr key={key.id} data-key={key.name}>
                <td>{key.name}</td>
                <td>
                  <code>{key.prefix}…</code>
                </td>
                <td className="date">{new Date(key.created_at).toLocaleDateString('en-GB')}</td>
                <td className="date">{key.last_used_at ? new Date(key.last_used_at).toLocaleString('en-GB') : 'never'}</td>
                <td className="actions">
                  <button
                    className="link danger"
                    disabled={revoke.isPending}
                    onClick={() => {
                      if (window.confirm(`Revoke the key "${key.name}"? Scripts using it stop working.`)) revoke.mutate({ path: { key_id: key.id } });
                    }}
                  >
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {revoke.isError ? <ProblemView error={revoke.error} context="Not revoked" /> : null}
    </section>
  );
}
