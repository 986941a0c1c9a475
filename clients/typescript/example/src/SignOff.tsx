// A lab-year's headcount (FTE by staff category: the report's per-FTE figures) and its sign-off:
// open → submitted (the lab's managers) → validated (administrators), sent back or reopened with
// a reason; a submitted or validated year refuses changes to its figures (docs/sign-off.md).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import type { HeadcountYearPublic, StaffCategory, YearStatusPublic } from '@co2calculator/client';
import {
  getLabReportQueryKey,
  getYearStatusOptions,
  getYearStatusQueryKey,
  importHeadcountMutation,
  listHeadcountOptions,
  listHeadcountQueryKey,
  reopenYearMutation,
  replaceHeadcountMutation,
  sendBackYearMutation,
  submitYearMutation,
  validateYearMutation,
} from '@co2calculator/client/react-query';

import { Field, FormProblem } from './fields';
import { co2e, dateTime, decimalInput, quantity } from './format';
import { STAFF_NAMES, YEAR_ACTION_NAMES, YEAR_STATE_NAMES, useLang, useT } from './i18n';
import { isProblem, ProblemView } from './problem';

const STAFF = Object.keys(STAFF_NAMES.en) as StaffCategory[];

export function SignOffTab({ labId, year, isManager, isAdmin }: { labId: string; year: number; isManager: boolean; isAdmin: boolean }) {
  const headcount = useQuery(listHeadcountOptions({ path: { lab_id: labId }, query: { year } }));
  const status = useQuery(getYearStatusOptions({ path: { lab_id: labId, year } }));
  const t = useT();
  return (
    <>
      {headcount.isError ? <ProblemView error={headcount.error} context={t.headcount} /> : null}
      {headcount.isSuccess ? (
        <Headcount
          key={`${year}-${headcount.data[0]?.total_fte ?? ''}`}
          labId={labId}
          year={year}
          stored={headcount.data[0] ?? null}
          canEdit={isManager && status.data?.state === 'open'}
          locked={status.data !== undefined && status.data.state !== 'open'}
        />
      ) : null}
      {isManager ? <HeadcountUpload labId={labId} /> : null}
      {status.isError ? <ProblemView error={status.error} context={t.signOff} /> : null}
      {status.isSuccess ? <SignOff labId={labId} status={status.data} isManager={isManager} isAdmin={isAdmin} /> : null}
    </>
  );
}

function Headcount({
  labId,
  year,
  stored,
  canEdit,
  locked,
}: {
  labId: string;
  year: number;
  stored: HeadcountYearPublic | null;
  canEdit: boolean;
  locked: boolean;
}) {
  const t = useT();
  const lang = useLang();
  const queryClient = useQueryClient();
  const initial = Object.fromEntries(STAFF.map((c) => [c, stored?.categories.find((r) => r.category === c)?.fte ?? ''])) as Record<StaffCategory, string>;
  const [draft, setDraft] = useState(initial);
  const save = useMutation({
    ...replaceHeadcountMutation(),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: listHeadcountQueryKey({ path: { lab_id: labId } }) }),
        queryClient.invalidateQueries({ queryKey: getLabReportQueryKey({ path: { lab_id: labId } }) }),
      ]),
  });
  const rows = STAFF.filter((c) => draft[c].trim() !== '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ path: { lab_id: labId, year }, body: { categories: rows.map((category) => ({ category, fte: decimalInput(draft[category]) })) } });
  };
  // A problem about one row's FTE (`["body", "categories", i, "fte"]`), under that row's field.
  const messagesOf = (category: StaffCategory): string[] => {
    const error = save.error;
    if (!isProblem(error)) return [];
    const index = rows.indexOf(category);
    return (error.errors ?? []).filter((e) => e.loc[2] === index && index >= 0).map((e) => e.msg);
  };
  return (
    <form className="card" onSubmit={submit} aria-label={t.headcountOf(year)}>
      <h3>{t.headcountOf(year)}</h3>
      <p className="muted small">{stored ? t.totalFte(quantity(stored.total_fte)) : t.noHeadcount(year)}</p>
      <div className="form-grid">
        {STAFF.map((category) => (
          <label key={category} data-field={category}>
            {STAFF_NAMES[lang][category]}
            <input
              inputMode="decimal"
              value={draft[category]}
              onChange={(e) => setDraft({ ...draft, [category]: e.target.value })}
              disabled={!canEdit}
              placeholder="0"
            />
            {messagesOf(category).map((message, index) => (
              <span key={index} className="field-error" role="alert">
                {message}
              </span>
            ))}
          </label>
        ))}
      </div>
      <FormProblem error={save.error} context={t.notSaved} fields={['fte']} />
      {canEdit ? (
        <div className="form-row">
          <button type="submit" disabled={save.isPending}>
            {save.isPending ? t.saving : t.saveHeadcount}
          </button>
          {save.isSuccess ? (
            <span className="success" role="status">
              {t.saved}
            </span>
          ) : null}
        </div>
      ) : (
        <p className="muted small">{locked ? t.headcountLocked : t.onlyManagersHeadcount}</p>
      )}
    </form>
  );
}

/** A headcount CSV (`year,category,fte`) replacing the years it names, all or none: a bad line is a
 * 422 whose `errors` say which line (shown under the file), a signed-off year a 409, a file over
 * the limit a 413 (shown under the form). */
function HeadcountUpload({ labId }: { labId: string }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const upload = useMutation({
    ...importHeadcountMutation(),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: listHeadcountQueryKey({ path: { lab_id: labId } }) }),
        queryClient.invalidateQueries({ queryKey: getLabReportQueryKey({ path: { lab_id: labId } }) }),
      ]),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (file) upload.mutate({ path: { lab_id: labId }, body: { file } });
  };
  return (
    <form className="card headcount-upload" onSubmit={submit} aria-label={t.headcountCsv}>
      <h3>{t.headcountCsv}</h3>
      <p className="muted small">
        {t.headcountCsvHelp} <code>year,category,fte</code>
        {t.headcountCsvEnd}
      </p>
      <div className="form-row">
        <Field label={t.headcountCsvFile} name="file" error={upload.error} className="grow">
          <input type="file" accept=".csv,text/csv" onChange={(e) => (upload.reset(), setFile(e.target.files?.[0] ?? null))} />
        </Field>
        <button type="submit" disabled={!file || upload.isPending}>
          {upload.isPending ? t.uploading : t.upload}
        </button>
      </div>
      <FormProblem error={upload.error} context={t.headcountRefused} fields={['file']} />
      {upload.isSuccess ? (
        <p className="success" role="status" data-testid="headcount-uploaded">
          {t.headcountUploaded(upload.data.map((y) => y.year).join(', '))}
        </p>
      ) : null}
    </form>
  );
}

function SignOff({ labId, status, isManager, isAdmin }: { labId: string; status: YearStatusPublic; isManager: boolean; isAdmin: boolean }) {
  const t = useT();
  const lang = useLang();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const settle = async () => {
    setReason('');
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: getYearStatusQueryKey({ path: { lab_id: labId, year: status.year } }) }),
      queryClient.invalidateQueries({ queryKey: getLabReportQueryKey({ path: { lab_id: labId } }) }),
    ]);
  };
  const submit = useMutation({ ...submitYearMutation(), onSuccess: settle });
  const validate = useMutation({ ...validateYearMutation(), onSuccess: settle });
  const sendBack = useMutation({ ...sendBackYearMutation(), onSuccess: settle });
  const reopen = useMutation({ ...reopenYearMutation(), onSuccess: settle });
  const path = { lab_id: labId, year: status.year };
  const version = status.version;
  const pending = submit.isPending || validate.isPending || sendBack.isPending || reopen.isPending;
  const error = submit.error ?? validate.error ?? sendBack.error ?? reopen.error;
  const needsReason = (status.state === 'submitted' || status.state === 'validated') && isAdmin;
  return (
    <section className="card signoff" aria-label={t.signOff}>
      <h3>{t.signOffOf(status.year)}</h3>
      <p>
        <span className={`state year-${status.state}`} data-testid="year-state">
          {YEAR_STATE_NAMES[lang][status.state]}
        </span>{' '}
        <span className="muted">{{ open: t.openHelp, submitted: t.submittedHelp, validated: t.validatedHelp }[status.state]}</span>
      </p>
      {status.signed ? (
        <p className="muted small" data-testid="signed">
          {t.signedTotal(co2e(status.signed.total_kg_co2e), dateTime(status.signed.validated_at))}
        </p>
      ) : null}
      {needsReason ? (
        <label className="grow" data-field="reason">
          {t.reason}
          <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} />
          {isProblem(error)
            ? (error.errors ?? []).filter((e) => e.loc.at(-1) === 'reason').map((e, index) => (
                <span key={index} className="field-error" role="alert">
                  {e.msg}
                </span>
              ))
            : null}
        </label>
      ) : null}
      <div className="form-row">
        {status.state === 'open' && isManager ? (
          <button disabled={pending} onClick={() => submit.mutate({ path, body: { version } })}>
            {t.submitYear}
          </button>
        ) : null}
        {status.state === 'submitted' && isAdmin ? (
          <>
            <button disabled={pending} onClick={() => validate.mutate({ path, body: { version } })}>
              {t.validateYear}
            </button>
            <button className="secondary" disabled={pending} onClick={() => sendBack.mutate({ path, body: { version, reason } })}>
              {t.sendBackYear}
            </button>
          </>
        ) : null}
        {status.state === 'validated' && isAdmin ? (
          <button className="secondary" disabled={pending} onClick={() => reopen.mutate({ path, body: { version, reason } })}>
            {t.reopenYear}
          </button>
        ) : null}
      </div>
      <FormProblem error={error} context={t.notChanged} fields={['reason']} />
      {status.history.length ? (
        <table className="stack" data-testid="year-history">
          <thead>
            <tr>
              <th>{t.when}</th>
              <th>{t.action}</th>
              <th>{t.by}</th>
              <th>{t.reason}</th>
            </tr>
          </thead>
          <tbody>
            {[...status.history].reverse().map((step, index) => (
              <tr key={index}>
                <td className="date">{dateTime(step.at)}</td>
                <td>{YEAR_ACTION_NAMES[lang][step.action]}</td>
                <td>{step.actor_email}</td>
                <td className="note">{step.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
