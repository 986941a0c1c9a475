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
import { date, dateTime } from './format';
import { useT } from './i18n';
import { ProblemView } from './problem';

export function Profile() {
  const t = useT();
  const me = useQuery(getMeOptions());
  return (
    <div className="lab-view">
      <h2>{t.myProfile}</h2>
      {me.isError ? <ProblemView error={me.error} context={t.profile} /> : null}
      {me.data ? <ProfileForm key={me.data.version} me={me.data} /> : null}
      <ChangePassword />
      <ApiKeys />
    </div>
  );
}

function ProfileForm({ me }: { me: UserPublic }) {
  const t = useT();
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
    <form className="card" onSubmit={submit} aria-label={t.profile}>
      <p className="muted">
        {me.email} · {me.role === 'admin' ? t.administrator : t.user}
      </p>
      <div className="form-row">
        <Field label={t.fullName} name="full_name" error={update.error} className="grow">
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
        </Field>
        <button type="submit" disabled={update.isPending}>
          {t.save}
        </button>
      </div>
      <FormProblem error={update.error} context={t.notSaved} fields={['full_name']} />
    </form>
  );
}

/** The current password is required; the server ends my other sessions (this one goes on). */
function ChangePassword() {
  const t = useT();
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
    <form className="card" onSubmit={submit} aria-label={t.changeMyPassword}>
      <h3>{t.passwordTitle}</h3>
      <div className="form-row">
        <Field label={t.currentPassword} name="current_password" error={change.error} fallback={wrongCurrent} className="grow">
          <input type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
        </Field>
        <Field label={t.newPassword} name="new_password" error={change.error} className="grow">
          <input type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} required />
        </Field>
        <button type="submit" disabled={change.isPending}>
          {t.changePassword}
        </button>
      </div>
      <FormProblem error={change.error} context={t.notChanged} fields={['current_password', 'new_password']} fallback={wrongCurrent} />
      {change.isSuccess ? (
        <p className="success" role="status">
          {t.passwordChanged}
        </p>
      ) : null}
    </form>
  );
}

function ApiKeys() {
  const t = useT();
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
    <section className="card api-keys" aria-label={t.apiKeys}>
      <h3>{t.apiKeys}</h3>
      <p className="muted small">
        {t.apiKeysHelpStart} <code>X-API-Key</code> {t.apiKeysHelpEnd}
      </p>
      <form className="form-row" onSubmit={submit} aria-label={t.createAnApiKey}>
        <Field label={t.newKeyName} name="name" error={create.error} className="grow">
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} placeholder={t.newKeyPlaceholder} />
        </Field>
        <button type="submit" disabled={create.isPending}>
          {t.createKey}
        </button>
      </form>
      <FormProblem error={create.error} context={t.noKeyCreated} fields={['name']} />
      {create.data ? (
        <div className="once" role="status" data-testid="new-key">
          <strong>{t.copyNow}</strong>
          <code className="secret">{create.data.key}</code>
          <button className="link" onClick={() => create.reset()}>
            {t.copied}
          </button>
        </div>
      ) : null}
      {keys.isError ? <ProblemView error={keys.error} context={t.apiKeys} /> : null}
      {keys.isSuccess && !items.length ? (
        <p className="muted" data-testid="no-keys">
          {t.noKeys}
        </p>
      ) : (
        <table className="stack" data-testid="api-keys">
          <thead>
            <tr>
              <th>{t.name}</th>
              <th>{t.prefix}</th>
              <th>{t.created}</th>
              <th>{t.lastUsed}</th>
              <th>
                <span className="visually-hidden">{t.actions}</span>
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
                <td className="date">{date(key.created_at)}</td>
                <td className="date">{key.last_used_at ? dateTime(key.last_used_at) : t.never}</td>
                <td className="actions">
                  <button
                    className="link danger"
                    disabled={revoke.isPending}
                    onClick={() => {
                      if (window.confirm(t.confirmRevokeKey(key.name))) revoke.mutate({ path: { key_id: key.id } });
                    }}
                  >
                    {t.revoke}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {revoke.isError ? <ProblemView error={revoke.error} context={t.notRevoked} /> : null}
    </section>
  );
}
