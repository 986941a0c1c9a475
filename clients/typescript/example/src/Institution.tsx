// The institution (administrators): every lab's emissions for a year (total with its 95 %
// interval, by category, per lab with emissions per FTE, per lab and category) with a CSV export,
// and the institution's reduction target with each year against its path.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { getInstitutionReport, type InstitutionReport, type InstitutionTargetProgress } from '@co2calculator/client';
import {
  deleteInstitutionTargetMutation,
  getInstitutionReportOptions,
  getInstitutionTargetProgressOptions,
  getInstitutionTargetProgressQueryKey,
  replaceInstitutionTargetMutation,
} from '@co2calculator/client/react-query';

import { Audit } from './Audit';
import { co2e, quantity } from './format';
import { CATEGORY_NAMES, useLang, useT } from './i18n';
import { isProblem, ProblemView } from './problem';
import { href, Link, navigate, thisYear } from './router';
import { Progress, TargetEditor } from './Target';

function InstitutionTabs({ current }: { current: 'report' | 'target' | 'audit' }) {
  const t = useT();
  return (
    <nav className="tabs" aria-label={t.institution}>
      <Link to={href({ name: 'institution', year: thisYear() })} aria-current={current === 'report' ? 'page' : undefined}>
        {t.institutionReport}
      </Link>
      <Link to={href({ name: 'institution-target' })} aria-current={current === 'target' ? 'page' : undefined}>
        {t.institutionTarget}
      </Link>
      <Link to={href({ name: 'audit', params: new URLSearchParams() })} aria-current={current === 'audit' ? 'page' : undefined}>
        {t.auditTrailAll}
      </Link>
    </nav>
  );
}

/** `/app/audit?since=&until=`: every lab's audit trail and what belongs to none. */
export function InstitutionAudit({ params }: { params: URLSearchParams }) {
  const t = useT();
  return (
    <div className="lab-view">
      <h2>{t.institution}</h2>
      <InstitutionTabs current="audit" />
      <Audit key={params.toString()} labId={null} params={params} />
    </div>
  );
}

/** `/app/institution/:year` */
export function Institution({ year }: { year: number }) {
  const t = useT();
  const report = useQuery(getInstitutionReportOptions({ query: { year } }));
  return (
    <div className="lab-view">
      <div className="lab-head">
        <h2>{t.institution}</h2>
        <div className="year-picker" role="group" aria-label={t.year}>
          <button className="secondary" onClick={() => navigate(href({ name: 'institution', year: year - 1 }))} aria-label={t.previousYear}>
            ‹
          </button>
          <span className="year" data-testid="year">
            {year}
          </span>
          <button className="secondary" onClick={() => navigate(href({ name: 'institution', year: year + 1 }))} aria-label={t.nextYear}>
            ›
          </button>
        </div>
      </div>
      <InstitutionTabs current="report" />
      <ExportCsv year={year} />
      {report.isPending ? <section className="card">{t.loadingReport(year)}</section> : null}
      {report.isError ? <ProblemView error={report.error} context={t.report(year)} /> : null}
      {report.isSuccess ? <InstitutionReportBody report={report.data} /> : null}
    </div>
  );
}

/** The CSV of the year's report, as a download. The generated hook's query reads JSON into the
 * cache; the CSV is the same generated function with `?format=csv`, read as a Blob (no
 * hand-written fetch: the session's token and refresh stay the client's). */
function ExportCsv({ year }: { year: number }) {
  const t = useT();
  const download = useMutation({
    mutationFn: async () => {
      const { data, response } = await getInstitutionReport({ query: { year, format: 'csv' }, parseAs: 'blob', throwOnError: true });
      const named = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '')?.[1];
      const link = document.createElement('a');
      link.href = URL.createObjectURL(data as unknown as Blob);
      link.download = named ?? `institution-${year}.csv`;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    },
  });
  return (
    <div className="admin-links">
      <button type="button" className="secondary" onClick={() => download.mutate()} disabled={download.isPending}>
        {download.isPending ? t.exporting : t.exportCsv(year)}
      </button>
      {download.isError ? <ProblemView error={download.error} context={t.exportRefused} /> : null}
    </div>
  );
}

function InstitutionReportBody({ report }: { report: InstitutionReport }) {
  const t = useT();
  const lang = useLang();
  const categories = [...report.by_category].sort((a, b) => Number(b.kg_co2e) - Number(a.kg_co2e));
  const rows = [...report.by_lab_and_category].sort((a, b) => a.lab_code.localeCompare(b.lab_code) || Number(b.kg_co2e) - Number(a.kg_co2e));
  const perLab = report.per_fte ?? [];
  if (!perLab.length && !rows.length && Number(report.total_kg_co2e) === 0) {
    return (
      <p className="card muted" data-testid="no-institution-emissions">
        {t.noInstitutionEmissions(report.year)}
      </p>
    );
  }
  return (
    <section className="report institution" aria-label={t.report(report.year)}>
      <div className="kpis">
        <div className="card kpi">
          <div className="kpi-label">{t.emissions(report.year)}</div>
          <div className="kpi-value" data-testid="institution-total">
            {co2e(report.total_kg_co2e)} <small>CO2e</small>
          </div>
          <div className="kpi-note">{t.interval(co2e(report.uncertainty.low_kg_co2e), co2e(report.uncertainty.high_kg_co2e))}</div>
        </div>
        <div className="card kpi">
          <div className="kpi-label">{t.labsReporting}</div>
          <div className="kpi-value" data-testid="institution-labs">
            {perLab.length}
          </div>
        </div>
      </div>
      <div className="columns">
        <section className="card" aria-label={t.byCategory}>
          <h3>{t.byCategory}</h3>
          <table className="stack" data-testid="institution-categories">
            <tbody>
              {categories.map((row) => (
                <tr key={row.category}>
                  <th scope="row">{CATEGORY_NAMES[lang][row.category]}</th>
                  <td className="num">{co2e(row.kg_co2e)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="card" aria-label={t.perLab}>
          <h3>{t.perLab}</h3>
          <table className="stack" data-testid="institution-labs-table">
            <thead>
              <tr>
                <th>{t.lab}</th>
                <th className="num">{t.emissionsColumn}</th>
                <th className="num">{t.fte}</th>
                <th className="num">{t.perFte}</th>
              </tr>
            </thead>
            <tbody>
              {perLab.map((lab) => (
                <tr key={lab.lab_id} data-lab={lab.lab_code}>
                  <td>
                    <Link to={href({ name: 'lab', labId: lab.lab_id, tab: 'year', year: report.year })}>{lab.lab_name}</Link>{' '}
                    <span className="muted">{lab.lab_code}</span>
                  </td>
                  <td className="num">{co2e(lab.total_kg_co2e)}</td>
                  <td className="num">{lab.total_fte === null ? '—' : quantity(lab.total_fte)}</td>
                  <td className="num">{lab.t_co2e_per_fte === null ? '—' : t.perFteValue(quantity(lab.t_co2e_per_fte))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
      {rows.length ? (
        <section className="card" aria-label={t.perLabAndCategory}>
          <h3>{t.perLabAndCategory}</h3>
          <table className="stack" data-testid="institution-rows">
            <thead>
              <tr>
                <th>{t.lab}</th>
                <th>{t.category}</th>
                <th className="num">{t.emissionsColumn}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={`${row.lab_id}-${row.category}`}>
                  <td>
                    {row.lab_name} <span className="muted">{row.lab_code}</span>
                  </td>
                  <td>{CATEGORY_NAMES[lang][row.category]}</td>
                  <td className="num">{co2e(row.kg_co2e)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </section>
  );
}

/** `/app/institution/target`: without a target the progress answers 404, which is "none yet". */
export function InstitutionTarget() {
  const t = useT();
  const progress = useQuery(getInstitutionTargetProgressOptions());
  const none = progress.isError && isProblem(progress.error) && progress.error.status === 404;
  // A refetch that fails keeps the last data: after a removal, "none" wins over it.
  const data = none ? null : (progress.data ?? null);
  return (
    <div className="lab-view">
      <h2>{t.institution}</h2>
      <InstitutionTabs current="target" />
      {progress.isPending ? <div className="card">{t.loading}</div> : null}
      {progress.isError && !none ? <ProblemView error={progress.error} context={t.institutionTarget} /> : null}
      {progress.isSuccess || none ? (
        <>
          <InstitutionTargetForm key={data?.target.updated_at ?? 'none'} progress={data} />
          {data ? (
            <Progress progress={{ ...data, target: { ...data.target, lab_id: '' } }} isManager />
          ) : (
            <p className="card muted" data-testid="no-target">
              {t.noInstitutionTarget}
            </p>
          )}
        </>
      ) : null}
    </div>
  );
}

function InstitutionTargetForm({ progress }: { progress: InstitutionTargetProgress | null }) {
  const t = useT();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: getInstitutionTargetProgressQueryKey() });
  const save = useMutation({ ...replaceInstitutionTargetMutation(), onSuccess: refresh });
  const remove = useMutation({ ...deleteInstitutionTargetMutation(), onSuccess: refresh });
  return (
    <TargetEditor
      title={t.institutionTarget}
      target={progress?.target}
      save={{ ...save, mutate: (body) => save.mutate({ body }) }}
      remove={{ ...remove, mutate: () => remove.mutate({}) }}
    />
  );
}
