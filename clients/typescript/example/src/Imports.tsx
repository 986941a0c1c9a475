// A lab's imports, newest first, and their undo: `deleteImport` removes exactly the entries the
// import created (contributors and managers; an import still running cannot be undone).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import type { JobStatus, LabPublic } from '@co2calculator/client';
import { deleteImportMutation, listLabImportsOptions, listLabImportsQueryKey } from '@co2calculator/client/react-query';

import { invalidateLab } from './Entries';
import { hasEnded } from './jobStream';
import { ProblemView } from './problem';
import { Link, labHref } from './router';

export function Imports({ lab, canWrite }: { lab: LabPublic; canWrite: boolean }) {
  const imports = useQuery(listLabImportsOptions({ path: { lab_id: lab.id }, query: { limit: 50 } }));
  const items = imports.data?.items ?? [];
  return (
    <section className="card imports" aria-label="Imports">
      <h3>Imports</h3>
      {imports.isError ? <ProblemView error={imports.error} context="Imports" /> : null}
      {imports.isSuccess && !items.length ? (
        <p className="muted" data-testid="no-imports">
          No imports yet. {canWrite ? <>Upload a CSV of activities on the <Link to={labHref(lab.id)}>report &amp; entries</Link> tab.</> : null}
        </p>
      ) : (
        <table className="stack" data-testid="imports">
          <thead>
            <tr>
              <th>Started</th>
              <th>State</th>
              <th className="num">Rows</th>
              <th>Message</th>
              <th>
              <span className="visually-hidden">Actions</span>
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
        <td className="date">{new Date(job.created_at).toLocaleString('en-GB')}</td>
        <td>
          <span className={`state state-${job.state}`}>{job.state}</span>
        </td>
        <td className="num">
          {job.rows_ok}/{job.rows_total}
          {job.rows_failed ? <span className="muted"> ({job.rows_failed} bad)</span> : null}
        </td>
        <td className="note">{job.message}</td>
        <td className="actions">
          {canWrite && hasEnded(job) ? (
            <button
              className="link danger"
              disabled={undo.isPending}
              onClick={() => {
                if (window.confirm(`Undo this import? Its ${job.rows_ok} entries are deleted.`)) undo.mutate({ path: { job_id: job.id } });
              }}
            >
              Undo
            </button>
          ) : null}
        </td>
      </tr>
      {undo.isError ? (
        <tr className="error-row">
          <td colSpan={5}>
            <ProblemView error={undo.error} context="Not undone" />
          </td>
        </tr>
      ) : null}
    </>
  );
}
