// A lab's imports, newest first, and their undo: `deleteImport` removes exactly the entries the
// import created (contributors and managers; an import still running cannot be undone).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import type { JobStatus, LabPublic } from '@co2calculator/client';
import { deleteImportMutation, listLabImportsOptions, listLabImportsQueryKey } from '@co2calculator/client/react-query';

import { invalidateLab } from './Entries';
import { hasEnded } from './jobStream';
import { dateTime } from './format';
import { JOB_STATE_NAMES, useLang, useT } from './i18n';
import { ProblemView } from './problem';
import { Link, labHref } from './router';

export function Imports({ lab, canWrite }: { lab: LabPublic; canWrite: boolean }) {
  const t = useT();
  const imports = useQuery(listLabImportsOptions({ path: { lab_id: lab.id }, query: { limit: 50 } }));
  const items = imports.data?.items ?? [];
  return (
    <section className="card imports" aria-label={t.imports}>
      <h3>{t.imports}</h3>
      {imports.isError ? <ProblemView error={imports.error} context={t.imports} /> : null}
      {imports.isSuccess && !items.length ? (
        <p className="muted" data-testid="no-imports">
          {t.noImportsYet}{' '}
          {canWrite ? (
            <>
              {t.uploadOnBefore} <Link to={labHref(lab.id)}>{t.uploadOnLink}</Link>
              {t.uploadOnAfter}
            </>
          ) : null}
        </p>
      ) : (
        <table className="stack" data-testid="imports">
          <thead>
            <tr>
              <th>{t.started}</th>
              <th>{t.state}</th>
              <th className="num">{t.rows}</th>
              <th>{t.message}</th>
              <th>
                <span className="visually-hidden">{t.actions}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((job) => (
              <ImportRow key={job.id} job={job} labId={lab.id} canWrite={canWrite} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ImportRow({ job, labId, canWrite }: { job: JobStatus; labId: string; canWrite: boolean }) {
  const t = useT();
  const lang = useLang();
  const queryClient = useQueryClient();
  const undo = useMutation({
    ...deleteImportMutation(),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: listLabImportsQueryKey({ path: { lab_id: labId } }) }),
        invalidateLab(queryClient, labId),
      ]);
    },
  });
  return (
    <>
      <tr data-import={job.id}>
        <td className="date">{dateTime(job.created_at)}</td>
        <td>
          <span className={`state state-${job.state}`}>{JOB_STATE_NAMES[lang][job.state]}</span>
        </td>
        <td className="num">
          {job.rows_ok}/{job.rows_total}
          {job.rows_failed ? <span className="muted"> {t.nBad(job.rows_failed)}</span> : null}
        </td>
        <td className="note">{job.message}</td>
        <td className="actions">
          {canWrite && hasEnded(job) ? (
            <button
              className="link danger"
              disabled={undo.isPending}
              onClick={() => {
                if (window.confirm(t.confirmUndo(job.rows_ok))) undo.mutate({ path: { job_id: job.id } });
              }}
            >
              {t.undo}
            </button>
          ) : null}
        </td>
      </tr>
      {undo.isError ? (
        <tr className="error-row">
          <td colSpan={5}>
            <ProblemView error={undo.error} context={t.notUndone} />
          </td>
        </tr>
      ) : null}
    </>
  );
}
