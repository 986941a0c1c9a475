// Creating and editing a lab, and its members (add by email, change role, remove). Problems are
// shown next to the field they name (a taken code, an unknown email).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import type { LabPublic, LabRole, MemberPublic } from '@co2calculator/client';
import {
  addLabMemberMutation,
  createLabInvitationMutation,
  createLabMutation,
  getLabQueryKey,
  getMeOptions,
  listLabInvitationsOptions,
  listLabInvitationsQueryKey,
  listLabMembersOptions,
  listLabMembersQueryKey,
  listLabsInfiniteQueryKey,
  removeLabMemberMutation,
  revokeLabInvitationMutation,
  updateLabMemberMutation,
  updateLabMutation,
} from '@co2calculator/client/react-query';

import { Field, FormProblem, type Fallback } from './fields';
import { date as formatDate } from './format';
import { ROLE_NAMES, useLang, useT } from './i18n';
import { ProblemView } from './problem';
import { labHref, navigate } from './router';

const LAB_FIELDS = ['name', 'code', 'institution', 'region', 'description'];
const CODE_TAKEN: Fallback = { status: [409], field: 'code', match: /code/i };
const ROLES: LabRole[] = ['manager', 'contributor', 'viewer'];

interface LabDraft {
  name: string;
  code: string;
  institution: string;
  region: string;
  description: string;
}

function LabFields({ draft, set, error }: { draft: LabDraft; set: (draft: LabDraft) => void; error: unknown }) {
  const t = useT();
  const input = (key: keyof LabDraft) => ({
    value: draft[key],
    onChange: (e: { target: { value: string } }) => set({ ...draft, [key]: e.target.value }),
  });
  return (
    <div className="form-grid">
      <Field label={t.name} name="name" error={error}>
        <input {...input('name')} required maxLength={200} />
      </Field>
      <Field label={t.codeLabel} name="code" error={error} fallback={CODE_TAKEN}>
        <input {...input('code')} required maxLength={50} />
      </Field>
      <Field label={t.institution} name="institution" error={error}>
        <input {...input('institution')} />
      </Field>
      <Field label={t.regionLabel} name="region" error={error}>
        <input {...input('region')} placeholder={t.regionNone} />
      </Field>
      <Field label={t.description} name="description" error={error} className="wide">
        <input {...input('description')} />
      </Field>
    </div>
  );
}

export function CreateLab() {
  const t = useT();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<LabDraft>({ name: '', code: '', institution: '', region: '', description: '' });
  const create = useMutation({
    ...createLabMutation(),
    onSuccess: async (lab) => {
      await queryClient.invalidateQueries({ queryKey: listLabsInfiniteQueryKey() });
      navigate(labHref(lab.id, 'members'));
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({
      body: {
        name: draft.name,
        code: draft.code,
        institution: draft.institution,
        description: draft.description,
        region: draft.region.trim() || null,
      },
    });
  };
  return (
    <form className="card lab-form" onSubmit={submit} aria-label={t.createALab}>
      <h2>{t.createALab}</h2>
      <p className="muted">{t.createLabHelp}</p>
      <LabFields draft={draft} set={setDraft} error={create.error} />
      <FormProblem error={create.error} context={t.labNotCreated} fields={LAB_FIELDS} fallback={CODE_TAKEN} />
      <button type="submit" disabled={create.isPending}>
        {create.isPending ? t.creating : t.createTheLab}
      </button>
    </form>
  );
}

export function EditLab({ lab }: { lab: LabPublic }) {
  const t = useT();
  const queryClient = useQueryClient();
  // The version read when the edit began: a change made meanwhile is a 409, not overwritten.
  const [version, setVersion] = useState(lab.version);
  const [draft, setDraft] = useState<LabDraft>({
    name: lab.name,
    code: lab.code,
    institution: lab.institution ?? '',
    region: lab.region ?? '',
    description: lab.description ?? '',
  });
  const update = useMutation({
    ...updateLabMutation(),
    onSuccess: async (saved) => {
      setVersion(saved.version);
      queryClient.setQueryData(getLabQueryKey({ path: { lab_id: lab.id } }), saved);
      await queryClient.invalidateQueries({ queryKey: listLabsInfiniteQueryKey() });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({
      path: { lab_id: lab.id },
      body: {
        version,
        name: draft.name,
        code: draft.code,
        institution: draft.institution,
        description: draft.description,
        region: draft.region.trim() || null,
      },
    });
  };
  return (
    <form className="card lab-form" onSubmit={submit} aria-label={t.labSettings}>
      <h3>{t.settings}</h3>
      <LabFields draft={draft} set={setDraft} error={update.error} />
      <FormProblem error={update.error} context={t.notSaved} fields={LAB_FIELDS} fallback={CODE_TAKEN} />
      <div className="form-row">
        <button type="submit" disabled={update.isPending}>
          {update.isPending ? t.saving : t.save}
        </button>
        {update.isSuccess ? (
          <span className="success" role="status">
            {t.saved}
          </span>
        ) : null}
      </div>
    </form>
  );
}

export function Members({ lab, isManager }: { lab: LabPublic; isManager: boolean }) {
  const t = useT();
  const members = useQuery(listLabMembersOptions({ path: { lab_id: lab.id } }));
  const me = useQuery(getMeOptions());
  const list = members.data ?? [];
  return (
    <section className="card members" aria-label={t.members}>
      <h3>{t.members}</h3>
      {members.isError ? <ProblemView error={members.error} context={t.members} /> : null}
      {/* Admins add an account directly; a lab's managers invite (the invitee accepts). */}
      {me.data?.role === 'admin' ? <AddMember labId={lab.id} /> : isManager ? <Invite labId={lab.id} /> : null}
      <table className="stack" data-testid="members">
        <thead>
          <tr>
            <th>{t.name}</th>
            <th>{t.email}</th>
            <th>{t.role}</th>
            <th>
              <span className="visually-hidden">{t.actions}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.map((member) => (
            <MemberRow key={member.user_id} labId={lab.id} member={member} isManager={isManager} isMe={member.user_id === me.data?.id} />
          ))}
        </tbody>
      </table>
      {members.isSuccess && list.length <= 1 ? (
        <p className="muted">
          {isManager ? t.onlyYou : t.noOtherMembers}
        </p>
      ) : null}
      {isManager && me.data?.role !== 'admin' ? <Invitations labId={lab.id} /> : null}
    </section>
  );
}

function Invite({ labId }: { labId: string }) {
  const t = useT();
  const lang = useLang();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<LabRole>('contributor');
  const invite = useMutation({
    ...createLabInvitationMutation(),
    onSuccess: async () => {
      setEmail('');
      await queryClient.invalidateQueries({ queryKey: listLabInvitationsQueryKey({ path: { lab_id: labId } }) });
    },
  });
  const already: Fallback = { status: [409], field: 'email' };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate({ path: { lab_id: labId }, body: { email, role } });
  };
  return (
    <form className="form-row add-member" onSubmit={submit} aria-label={t.inviteAMember}>
      <Field label={t.email} name="email" error={invite.error} fallback={already} className="grow">
        <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
      </Field>
      <Field label={t.role} name="role" error={invite.error}>
        <select value={role} onChange={(e) => setRole(e.target.value as LabRole)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_NAMES[lang][r]}
            </option>
          ))}
        </select>
      </Field>
      <button type="submit" disabled={invite.isPending}>
        {invite.isPending ? t.inviting : t.invite}
      </button>
      <FormProblem error={invite.error} context={t.notInvited} fields={['email', 'role']} fallback={already} />
    </form>
  );
}

function Invitations({ labId }: { labId: string }) {
  const t = useT();
  const lang = useLang();
  const queryClient = useQueryClient();
  const invitations = useQuery(listLabInvitationsOptions({ path: { lab_id: labId } }));
  const revoke = useMutation({
    ...revokeLabInvitationMutation(),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: listLabInvitationsQueryKey({ path: { lab_id: labId } }) }),
  });
  const items = invitations.data ?? [];
  if (invitations.isError) return <ProblemView error={invitations.error} context={t.invitations} />;
  if (!items.length) return null;
  return (
    <>
      <h4>{t.invitedPending}</h4>
      <table className="stack" data-testid="invitations">
        <tbody>
          {items.map((invitation) => (
            <tr key={invitation.id} data-invitation={invitation.email}>
              <td>{invitation.email}</td>
              <td>{ROLE_NAMES[lang][invitation.role]}</td>
              <td className="date">{t.until(formatDate(invitation.expires_at))}</td>
              <td className="actions">
                <button className="link danger" disabled={revoke.isPending} onClick={() => revoke.mutate({ path: { lab_id: labId, invitation_id: invitation.id } })}>
                  {t.revoke}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {revoke.isError ? <ProblemView error={revoke.error} context={t.notRevoked} /> : null}
    </>
  );
}

function AddMember({ labId }: { labId: string }) {
  const t = useT();
  const lang = useLang();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<LabRole>('contributor');
  const add = useMutation({
    ...addLabMemberMutation(),
    onSuccess: async () => {
      setEmail('');
      await queryClient.invalidateQueries({ queryKey: listLabMembersQueryKey({ path: { lab_id: labId } }) });
    },
  });
  const already: Fallback = { status: [409], field: 'email' };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate({ path: { lab_id: labId }, body: { email, role } });
  };
  return (
    <form className="form-row add-member" onSubmit={submit} aria-label={t.addAMember}>
      <Field label={t.email} name="email" error={add.error} fallback={already} className="grow">
        <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
      </Field>
      <Field label={t.role} name="role" error={add.error}>
        <select value={role} onChange={(e) => setRole(e.target.value as LabRole)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_NAMES[lang][r]}
            </option>
          ))}
        </select>
      </Field>
      <button type="submit" disabled={add.isPending}>
        {add.isPending ? t.adding : t.addMember}
      </button>
      <FormProblem error={add.error} context={t.notAdded} fields={['email', 'role']} fallback={already} />
    </form>
  );
}

function MemberRow({ labId, member, isManager, isMe }: { labId: string; member: MemberPublic; isManager: boolean; isMe: boolean }) {
  const t = useT();
  const lang = useLang();
  const queryClient = useQueryClient();
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: listLabMembersQueryKey({ path: { lab_id: labId } }) });
    if (isMe) await queryClient.invalidateQueries({ queryKey: getLabQueryKey({ path: { lab_id: labId } }) });
  };
  const change = useMutation({ ...updateLabMemberMutation(), onSuccess: refresh });
  const remove = useMutation({ ...removeLabMemberMutation(), onSuccess: refresh });
  const path = { lab_id: labId, user_id: member.user_id };
  return (
    <>
      <tr data-member={member.email}>
        <td>
          {member.full_name || '—'}
          {isMe ? <span className="tag">{t.you}</span> : null}
        </td>
        <td>{member.email}</td>
        <td>
          {isManager ? (
            <select
              aria-label={t.roleOf(member.email)}
              value={member.role}
              disabled={change.isPending}
              onChange={(e) => change.mutate({ path, body: { role: e.target.value as LabRole } })}
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_NAMES[lang][r]}
                </option>
              ))}
            </select>
          ) : (
            ROLE_NAMES[lang][member.role]
          )}
        </td>
        <td className="actions">
          {isManager ? (
            <button
              className="link danger"
              disabled={remove.isPending}
              onClick={() => {
                if (window.confirm(t.confirmRemove(member.email))) remove.mutate({ path });
              }}
            >
              {t.remove}
            </button>
          ) : null}
        </td>
      </tr>
      {change.isError || remove.isError ? (
        <tr className="error-row">
          <td colSpan={4}>
            <ProblemView error={change.error ?? remove.error} context={t.notChanged} />
          </td>
        </tr>
      ) : null}
    </>
  );
}
