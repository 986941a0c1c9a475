// A CSV upload (202 + the job), its progress live from the job socket, and the row errors of a
// failed import (`getImportOptions`, fetched once the job has ended).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';

import type { ErrorPolicy, JobStatus } from '@co2calculator/client';
import { cancelImportMutation, getImportOptions, listFactorsOptions, uploadActivitiesMutation } from '@co2calculator/client/react-query';

import { invalidateLab } from './Entries';
import { hasEnded } from './jobStream';
import { quantity, time } from './format';
import { JOB_STATE_NAMES, useLang, useT } from './i18n';
import { ProblemView } from './problem';
import { nearestKeys } from './suggest';

export function Upload({ labId, jobs }: { labId: string; jobs: Record<string, JobStatus> }) {
  const t = useT();
  const lang = useLang();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [policy, setPolicy] = useState<ErrorPolicy>('fail');
  const input = useRef<HTMLInputElement>(null);
  const upload = useMutation({ ...uploadActivitiesMutation() });
  const cancel = useMutation({ ...cancelImportMutation() });

  const started = upload.data;
  // The socket's newest status of our job, else what the upload answered.
  const job: JobStatus | undefined = started ? (jobs[started.id] ?? started) : undefined;
  const ended = job !== undefined && hasEnded(job);
  const details = useQuery({
    ...getImportOptions({ path: { job_id: started?.id ?? '' } }),
    enabled: ended && (job.state === 'failed' || job.rows_failed > 0),
  });

  useEffect(() => {
    if (job?.state === 'succeeded') void invalidateLab(queryClient, labId);
  }, [job?.state, job?.id, labId, queryClient]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    cancel.reset();
    if (file) upload.mutate({ path: { lab_id: labId }, query: { on_error: policy }, body: { file } });
  };

  const recent = Object.values(jobs)
    .filter((j) => j.lab_id === labId && j.target_type === 'activities')
    .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))
    .slice(0, 5);

  return (
    <section className="card upload" aria-label={t.importACsv}>
      <h3>{t.importACsv}</h3>
      <p className="muted small">
        {t.csvHelpStart} <code>date,factor_key,quantity</code>, {t.csvHelpOptionally} <code>unit</code> {t.csvHelpAnd}{' '}
        <code>note</code>
        {t.csvHelpEnd}
      </p>
      <form className="form-row" onSubmit={submit}>
        <input
          ref={input}
          type="file"
          accept=".csv,text/csv"
          aria-label={t.csvFile}
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
        <PolicySelect policy={policy} onChange={setPolicy} />
        <button type="submit" disabled={!file || upload.isPending}>
          {upload.isPending ? t.uploading : t.upload}
        </button>
      </form>
      {upload.isError ? <ProblemView error={upload.error} context={t.fileRefused} /> : null}
      {job ? <JobProgress job={job} filename={started?.filename ?? null} /> : null}
      {job && !ended ? (
        <button
          type="button"
          className="secondary"
          disabled={cancel.isPending}
          onClick={() => cancel.mutate({ path: { job_id: job.id } })}
        >
          {cancel.isPending ? t.cancelling : t.cancelImport}
        </button>
      ) : null}
      {cancel.isError ? <ProblemView error={cancel.error} context={t.cancelRefused} /> : null}
      {details.isError ? <ProblemView error={details.error} context={t.rowErrors} /> : null}
      {details.data && details.data.row_errors.length ? (
        <div className="row-errors">
          <h4>
            {t.rowErrors}{' '}
            <span className="muted">
              {details.data.row_errors_total > details.data.row_errors.length
                ? t.firstOf(details.data.row_errors.length, details.data.row_errors_total)
                : `(${details.data.row_errors_total})`}
            </span>
          </h4>
          <table className="stack" data-testid="row-errors">
            <thead>
              <tr>
                <th className="num">{t.line}</th>
                <th>{t.column}</th>
                <th>{t.problem}</th>
              </tr>
            </thead>
            <tbody>
              {details.data.row_errors.map((error, index) => (
                <tr key={index}>
                  <td className="num">{error.row}</td>
                  <td>{error.column ? <code>{error.column}</code> : '—'}</td>
                  <td>
                    {error.message}
                    {error.column === 'factor_key' ? <RowKeySuggestion message={error.message} /> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {recent.length ? (
        <div className="recent">
          <h4>{t.recentImports}</h4>
          <ul>
            {recent.map((j) => (
              <li key={j.id}>
                <span className={`state state-${j.state}`}>{JOB_STATE_NAMES[lang][j.state]}</span> {t.rowsOf(j.rows_ok, j.rows_total)} ·{' '}
                {time(j.created_at)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

/** A row refused for its factor key: the nearest known keys. The server's message quotes the key
 * it did not find (`no emission factor 'electricty.grid.CH' for 2026 …`); a message that quotes
 * none gets no suggestion. */
function RowKeySuggestion({ message }: { message: string }) {
  const t = useT();
  const typed = /'([^']+)'/.exec(message)?.[1] ?? '';
  const known = useQuery({ ...listFactorsOptions({ query: { limit: 200 } }), enabled: typed !== '' });
  const nearest = nearestKeys(typed, (known.data?.items ?? []).map((f) => f.key)).filter((key) => key !== typed);
  if (!nearest.length) return null;
  return (
    <span className="suggestion" data-testid="row-suggestion">
      {' '}
      {t.didYouMean} {nearest.map((key, index) => (
        <span key={key}>
          {index ? ', ' : ''}
          <code>{key}</code>
        </span>
      ))}
      {t.questionEnd}
    </span>
  );
}

/** What an import does with bad rows: fail the whole import, or skip them. */
export function PolicySelect({ policy, onChange }: { policy: ErrorPolicy; onChange: (policy: ErrorPolicy) => void }) {
  const t = useT();
  return (
    <label className="inline">
      {t.badRows}
      <select value={policy} onChange={(e) => onChange(e.target.value as ErrorPolicy)} aria-label={t.badRows}>
        <option value="fail">{t.failTheImport}</option>
        <option value="skip">{t.skipThem}</option>
      </select>
    </label>
  );
}

export function JobProgress({ job, filename }: { job: JobStatus; filename: string | null }) {
  const t = useT();
  const lang = useLang();
  const fraction = job.rows_total ? job.rows_processed / job.rows_total : hasEnded(job) ? 1 : 0;
  return (
    <div className="job" data-testid="job" data-state={job.state} role="status">
      <div className="job-head">
        <span className={`state state-${job.state}`} data-testid="job-state">
          {JOB_STATE_NAMES[lang][job.state]}
        </span>
        <span>{filename ?? t.upload}</span>
        <span className="muted">{t.jobRows(quantity(job.rows_processed), quantity(job.rows_total), job.rows_ok, job.rows_failed)}</span>
      </div>
      <div className="progress" role="progressbar" aria-label={t.progress} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(fraction * 100)}>
        <span className={`progress-bar state-${job.state}`} style={{ width: `${Math.round(fraction * 100)}%` }} />
      </div>
      {job.message ? <div className="job-message">{job.message}</div> : null}
    </div>
  );
}
