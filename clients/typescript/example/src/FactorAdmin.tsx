// Emission factors, the administrators' side: edit one factor (a new value queues the
// recalculation of every entry using it) or delete it (the server refuses one that entries use);
// upload a factors CSV and watch its job live, with the row errors of a failed import; trigger a
// sync from the server's FACTOR_SYNC_URL; the factor jobs (imports, syncs, recalculations).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';

import type { ErrorPolicy, FactorCategory, FactorPublic, JobPublic, JobStatus } from '@co2calculator/client';
import {
  deleteFactorMutation,
  getFactorOptions,
  getFactorQueryKey,
  getImportOptions,
  listFactorJobsOptions,
  listFactorJobsQueryKey,
  listFactorsInfiniteQueryKey,
  listFactorsQueryKey,
  syncFactorsMutation,
  updateFactorMutation,
  uploadFactorsMutation,
} from '@co2calculator/client/react-query';

import { Field, FormProblem } from './fields';
import { dateTime, decimalInput } from './format';
import { hasEnded } from './jobStream';
import { CATEGORY_NAMES, JOB_STATE_NAMES, useLang, useT, type Messages } from './i18n';
import { ProblemView } from './problem';
import { href, Link, navigate } from './router';
import { JobProgress, PolicySelect } from './Upload';

const CATEGORIES = Object.keys(CATEGORY_NAMES.en) as FactorCategory[];
const EDIT_FIELDS = ['category', 'unit', 'kg_co2e_per_unit', 'scope', 'source', 'uncertainty_pct'];
const FACTOR_JOB_KINDS = new Set<JobStatus['target_type']>(['factors', 'factor_sync', 'recalculate']);

const factorsList = (key?: string) => href({ name: 'factors', params: new URLSearchParams(key ? { search: key } : {}) });

export function jobKindName(t: Messages, kind: JobStatus['target_type']): string {
  const names: Record<JobStatus['target_type'], string> = {
    activities: t.jobKindActivities,
    factors: t.jobKindFactors,
    factor_sync: t.jobKindSync,
    recalculate: t.jobKindRecalculate,
  };
  return names[kind];
}

/** `/app/factors/:factorId`: one factor's form (admins). */
export function FactorEdit({ factorId }: { factorId: string }) {
  const t = useT();
  const factor = useQuery(getFactorOptions({ path: { factor_id: factorId } }));
  if (factor.isPending) return <div className="card">{t.loading}</div>;
  if (factor.isError) {
    return (
      <div className="empty card">
        <ProblemView error={factor.error} context={t.thisFactor} />
        <p className="muted">
          <Link to={factorsList()}>{t.backToFactors}</Link>
        </p>
      </div>
    );
  }
  return <FactorForm key={factor.data.version} factor={factor.data} />;
}

function FactorForm({ factor }: { factor: FactorPublic }) {
  const t = useT();
  const lang = useLang();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState({
    category: factor.category,
    unit: factor.unit,
    kg: factor.kg_co2e_per_unit,
    scope: String(factor.scope),
    source: factor.source ?? '',
    uncertainty: factor.uncertainty_pct ?? '',
  });
  const invalidate = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: listFactorsInfiniteQueryKey() }),
      queryClient.invalidateQueries({ queryKey: listFactorsQueryKey() }),
      queryClient.invalidateQueries({ queryKey: getFactorQueryKey({ path: { factor_id: factor.id } }) }),
    ]);
  const save = useMutation({
    ...updateFactorMutation(),
    onSuccess: async () => {
      await invalidate();
      navigate(factorsList(factor.key));
    },
  });
  const remove = useMutation({
    ...deleteFactorMutation(),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: getFactorQueryKey({ path: { factor_id: factor.id } }) });
      await invalidate();
      navigate(factorsList(factor.key));
    },
  });
  const set = (key: keyof typeof draft) => (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const uncertainty = decimalInput(draft.uncertainty);
    // What changed, with the version read: someone else's change since is a 409 under the form.
    save.mutate({
      path: { factor_id: factor.id },
      body: {
        version: factor.version,
        ...(draft.category !== factor.category ? { category: draft.category } : {}),
        ...(draft.unit !== factor.unit ? { unit: draft.unit } : {}),
        ...(decimalInput(draft.kg) !== factor.kg_co2e_per_unit ? { kg_co2e_per_unit: decimalInput(draft.kg) } : {}),
        ...(Number(draft.scope) !== factor.scope ? { scope: Number(draft.scope) } : {}),
        ...(draft.source !== (factor.source ?? '') ? { source: draft.source } : {}),
        ...(uncertainty !== (factor.uncertainty_pct ?? '') ? { uncertainty_pct: uncertainty || null } : {}),
      },
    });
  };
  return (
    <div className="lab-view">
      <p className="muted small admin-back">
        <Link to={factorsList()}>{t.backToFactors}</Link>
      </p>
      <form className="card" onSubmit={submit} aria-label={t.editFactor}>
        <h2>
          {t.editFactor} <code>{factor.key}</code>
        </h2>
        <p className="muted small">{t.factorIdentity(factor.year, factor.region ?? t.everyRegion)}</p>
        <div className="form-grid">
          <Field label={t.category} name="category" error={save.error}>
            <select value={draft.category} onChange={set('category')}>
              {CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {CATEGORY_NAMES[lang][c]}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t.unit} name="unit" error={save.error}>
            <input value={draft.unit} onChange={set('unit')} required />
          </Field>
          <Field label={t.kgPerUnitLabel} name="kg_co2e_per_unit" error={save.error}>
            <input inputMode="decimal" value={draft.kg} onChange={set('kg')} required />
          </Field>
          <Field label={t.scopeLabel} name="scope" error={save.error}>
            <select value={draft.scope} onChange={set('scope')}>
              <option>1</option>
              <option>2</option>
              <option>3</option>
            </select>
          </Field>
          <Field label={t.uncertaintyPct} name="uncertainty_pct" error={save.error}>
            <input inputMode="decimal" value={draft.uncertainty} onChange={set('uncertainty')} />
          </Field>
          <Field label={t.source} name="source" error={save.error} className="wide">
            <input value={draft.source} onChange={set('source')} />
          </Field>
        </div>
        <p className="muted small">{t.recalculationNote}</p>
        <FormProblem error={save.error} context={t.factorNotSaved} fields={EDIT_FIELDS} />
        <FormProblem error={remove.error} context={t.factorNotDeleted} fields={[]} />
        <div className="form-row">
          <button type="submit" disabled={save.isPending}>
            {save.isPending ? t.saving : t.saveFactor}
          </button>
          <button type="button" className="secondary" disabled={remove.isPending} onClick={() => remove.mutate({ path: { factor_id: factor.id } })}>
            {t.deleteFactor}
          </button>
        </div>
      </form>
    </div>
  );
}

/** `/app/factors/imports`: upload a factors CSV, sync, and the factor jobs (admins). */
export function FactorImports({ jobs }: { jobs: Record<string, JobStatus> }) {
  const t = useT();
  const lang = useLang();
  const listed = useQuery(listFactorJobsOptions({ query: { limit: 20 } }));
  // The listed jobs, each replaced by the socket's newer status when it has one, and jobs the
  // socket announced since (a sync's, a recalculation's) before the list is read again.
  const byId = new Map<string, JobStatus>();
  for (const job of listed.data?.items ?? []) byId.set(job.id, jobs[job.id] ?? job);
  for (const job of Object.values(jobs)) if (job.lab_id === null && FACTOR_JOB_KINDS.has(job.target_type)) byId.set(job.id, job);
  const items = [...byId.values()].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at)).slice(0, 20);
  return (
    <div className="lab-view">
      <p className="muted small admin-back">
        <Link to={factorsList()}>{t.backToFactors}</Link>
      </p>
      <h2>{t.factorImportsTitle}</h2>
      <UploadFactors jobs={jobs} />
      <SyncFactors jobs={jobs} />
      <section className="card" aria-label={t.factorJobs}>
        <h3>{t.factorJobs}</h3>
        {listed.isError ? <ProblemView error={listed.error} context={t.factorJobs} /> : null}
        {listed.isSuccess && !items.length ? (
          <p className="muted" data-testid="no-factor-jobs">
            {t.noFactorJobs}
          </p>
        ) : (
          <table className="stack admin-table" data-testid="factor-jobs">
            <thead>
              <tr>
                <th>{t.started}</th>
                <th>{t.jobKind}</th>
                <th>{t.state}</th>
                <th className="num">{t.rows}</th>
                <th>{t.message}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((job) => (
                <tr key={job.id} data-job={job.id} data-kind={job.target_type}>
                  <td className="date">{dateTime(job.created_at)}</td>
                  <td>{jobKindName(t, job.target_type)}</td>
                  <td>
                    <span className={`state state-${job.state}`}>{JOB_STATE_NAMES[lang][job.state]}</span>
                  </td>
                  <td className="num">
                    {job.rows_ok}/{job.rows_total}
                    {job.rows_failed ? <span className="muted"> {t.nBad(job.rows_failed)}</span> : null}
                  </td>
                  <td className="note">{job.message ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

/** A started job: the socket's newest status of it, else what starting it answered. */
function useStartedJob(started: JobStatus | undefined, jobs: Record<string, JobStatus>) {
  const queryClient = useQueryClient();
  const job: JobStatus | undefined = started ? (jobs[started.id] ?? started) : undefined;
  const ended = job !== undefined && hasEnded(job);
  const details = useQuery({
    ...getImportOptions({ path: { job_id: started?.id ?? '' } }),
    enabled: ended && (job.state === 'failed' || job.rows_failed > 0),
  });
  useEffect(() => {
    // Once a job has ended, the list and the factor jobs follow what it did.
    if (!ended) return;
    void Promise.all([
      queryClient.invalidateQueries({ queryKey: listFactorsInfiniteQueryKey() }),
      queryClient.invalidateQueries({ queryKey: listFactorsQueryKey() }),
      queryClient.invalidateQueries({ queryKey: listFactorJobsQueryKey() }),
    ]);
  }, [ended, job?.id, queryClient]);
  return { job, details };
}

function UploadFactors({ jobs }: { jobs: Record<string, JobStatus> }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [policy, setPolicy] = useState<ErrorPolicy>('fail');
  const upload = useMutation({
    ...uploadFactorsMutation(),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: listFactorJobsQueryKey() }),
  });
  const { job, details } = useStartedJob(upload.data, jobs);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (file) upload.mutate({ query: { on_error: policy }, body: { file } });
  };
  return (
    <section className="card upload" aria-label={t.importFactorsCsv}>
      <h3>{t.importFactorsCsv}</h3>
      <p className="muted small">
        {t.factorCsvHelpStart} <code>key,category,unit,kg_co2e_per_unit,scope,year</code>, {t.csvHelpOptionally} <code>region</code>{' '}
        {t.csvHelpAnd} <code>source</code>
        {t.factorCsvHelpEnd}
      </p>
      <form className="form-row" onSubmit={submit}>
        <input type="file" accept=".csv,text/csv" aria-label={t.csvFile} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        <PolicySelect policy={policy} onChange={setPolicy} />
        <button type="submit" disabled={!file || upload.isPending}>
          {upload.isPending ? t.uploading : t.upload}
        </button>
      </form>
      {upload.isError ? <ProblemView error={upload.error} context={t.fileRefused} /> : null}
      {job ? <JobProgress job={job} filename={upload.data?.filename ?? null} /> : null}
      {details.isError ? <ProblemView error={details.error} context={t.rowErrors} /> : null}
      <RowErrors job={details.data} />
    </section>
  );
}

function SyncFactors({ jobs }: { jobs: Record<string, JobStatus> }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [policy, setPolicy] = useState<ErrorPolicy>('fail');
  const sync = useMutation({
    ...syncFactorsMutation(),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: listFactorJobsQueryKey() }),
  });
  const { job, details } = useStartedJob(sync.data, jobs);
  return (
    <section className="card" aria-label={t.syncFactors}>
      <h3>{t.syncFactors}</h3>
      <p className="muted small">{t.syncHelp}</p>
      <div className="form-row">
        <PolicySelect policy={policy} onChange={setPolicy} />
        <button type="button" disabled={sync.isPending} onClick={() => sync.mutate({ query: { on_error: policy } })}>
          {sync.isPending ? t.syncing : t.syncNow}
        </button>
      </div>
      {sync.isError ? <ProblemView error={sync.error} context={t.syncRefused} /> : null}
      {job ? <JobProgress job={job} filename={sync.data?.filename ?? null} /> : null}
      {details.isError ? <ProblemView error={details.error} context={t.rowErrors} /> : null}
      <RowErrors job={details.data} />
    </section>
  );
}

/** The row errors of an ended factor import or sync, line by line. */
function RowErrors({ job }: { job: JobPublic | undefined }) {
  const t = useT();
  if (!job?.row_errors.length) return null;
  return (
    <div className="row-errors">
      <h4>
        {t.rowErrors}{' '}
        <span className="muted">
          {job.row_errors_total > job.row_errors.length ? t.firstOf(job.row_errors.length, job.row_errors_total) : `(${job.row_errors_total})`}
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
          {job.row_errors.map((error, index) => (
            <tr key={index}>
              <td className="num">{error.row}</td>
              <td>{error.column ? <code>{error.column}</code> : '—'}</td>
              <td>{error.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
