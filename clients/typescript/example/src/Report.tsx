// A lab's yearly report: total, change against last year, a chart by month, and the breakdown by
// category and scope (one `getLabReportOptions` query; entries and imports invalidate it).
import { useMutation, useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import { getLabReport, type LabReport } from '@co2calculator/client';
import { getLabReportOptions } from '@co2calculator/client/react-query';

import { CATEGORY_COLORS, change as formatChange, co2e, co2eTick, percent, quantity } from './format';
import { BASIS_NAMES, CATEGORY_NAMES, MONTH_NAMES, YEAR_STATE_NAMES, useLang, useT, type Messages } from './i18n';
import { labHref, Link } from './router';
import { ProblemView } from './problem';

const SCOPE_NOTES: Record<number, (t: Messages) => string> = {
  1: (t) => t.scope1,
  2: (t) => t.scope2,
  3: (t) => t.scope3,
};

export function Report({ labId, year }: { labId: string; year: number }) {
  const t = useT();
  const report = useQuery(getLabReportOptions({ path: { lab_id: labId }, query: { year } }));
  if (report.isPending) return <section className="card report">{t.loadingReport(year)}</section>;
  if (report.isError) return <ProblemView error={report.error} context={t.report(year)} />;
  return (
    <>
      <ReportBody report={report.data} refreshing={report.isFetching} />
      <CsvDownload labId={labId} year={year} />
    </>
  );
}

/** The year's report as CSV (`GET /reports/{lab_id}?format=csv`), saved under the server's name.
 * Not a generated hook: `getLabReportOptions` types its data as the JSON report and would cache
 * the CSV text under a report's query key, and a download is an action, not a view. So the
 * generated `getLabReport` itself, asked for text, in a mutation; a plain link cannot carry the
 * bearer token. */
export function CsvDownload({ labId, year }: { labId: string; year: number }) {
  const t = useT();
  const download = useMutation({
    mutationFn: async () => {
      const { data, response } = await getLabReport({
        path: { lab_id: labId },
        query: { year, format: 'csv' },
        parseAs: 'text',
        throwOnError: true,
      });
      const named = /filename="?([^";]+)"?/.exec(response.headers.get('Content-Disposition') ?? '')?.[1];
      return { csv: data as unknown as string, filename: named ?? `report-${year}.csv` };
    },
    onSuccess: ({ csv, filename }) => {
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = filename;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    },
  });
  return (
    <div className="report-actions">
      <button className="secondary" onClick={() => download.mutate()} disabled={download.isPending} data-testid="download-csv">
        {download.isPending ? t.downloading : t.downloadCsv}
      </button>
      <Link to={labHref(labId, 'years', year)}>{t.yearsTitle(year - 4, year)}</Link>
      {download.isError ? <ProblemView error={download.error} context={t.csvNotDownloaded} /> : null}
    </div>
  );
}

function ReportBody({ report, refreshing }: { report: LabReport; refreshing: boolean }) {
  const perFte = report.headcount?.t_co2e_per_fte ?? null;
  const signOff = report.sign_off;
  const t = useT();
  const lang = useLang();
  const total = Number(report.total_kg_co2e);
  const change = report.change_percent === null ? null : Number(report.change_percent);
  const months = report.by_month.map((m) => ({ month: MONTH_NAMES[lang][m.month - 1], kg: Number(m.kg_co2e) }));
  const categories = [...report.by_category].sort((a, b) => Number(b.kg_co2e) - Number(a.kg_co2e));
  const share = (kg: string) => (total > 0 ? Number(kg) / total : 0);

  return (
    <section className="report" aria-label={t.report(report.year)} aria-busy={refreshing}>
      {signOff.state !== 'open' ? (
        <p className="notice" data-testid="year-locked">
          {t.lockedNotice(YEAR_STATE_NAMES[lang][signOff.state])}{' '}
          {signOff.signed_total_kg_co2e !== null && signOff.difference_kg_co2e !== null
            ? t.signedDifference(co2e(signOff.signed_total_kg_co2e), co2e(signOff.difference_kg_co2e))
            : null}
        </p>
      ) : null}
      <div className="kpis">
        <div className="card kpi">
          <div className="kpi-label">{t.emissions(report.year)}</div>
          <div className="kpi-value" data-testid="report-total">
            {co2e(report.total_kg_co2e)} <small>CO2e</small>
          </div>
          <div className="kpi-note" data-testid="report-interval">
            {t.interval(co2e(report.uncertainty.low_kg_co2e), co2e(report.uncertainty.high_kg_co2e))}
          </div>
        </div>
        <div className="card kpi">
          <div className="kpi-label">{t.versus(report.year - 1)}</div>
          <div className={`kpi-value ${change !== null && change > 0 ? 'up' : 'down'}`}>
            {change === null ? '—' : formatChange(change)}
          </div>
          <div className="kpi-note">{t.lastYear(co2e(report.previous_year_total_kg_co2e))}</div>
        </div>
        <div className="card kpi">
          <div className="kpi-label">{t.entries}</div>
          <div className="kpi-value" data-testid="report-entries">
            {report.entry_count}
          </div>
        </div>
        <div className="card kpi">
          <div className="kpi-label">{t.perFte}</div>
          <div className="kpi-value" data-testid="report-per-fte">
            {perFte === null ? '—' : t.perFteValue(quantity(perFte))}
          </div>
          <div className="kpi-note">
            {report.headcount ? (
              t.fteNote(quantity(report.headcount.total_fte))
            ) : (
              <>
                {t.noHeadcountYet} <Link to={labHref(report.lab_id, 'signoff', report.year)}>{t.addHeadcount}</Link>
              </>
            )}
          </div>
        </div>
      </div>

      <div className="card">
        <h3>{t.byMonth}</h3>
        <div className="chart" data-testid="month-chart">
          <ResponsiveContainer width="100%" height={220}>
            <BarChart data={months} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
              <CartesianGrid vertical={false} stroke="#e6ebf0" />
              <XAxis dataKey="month" tickLine={false} axisLine={false} />
              <YAxis tickFormatter={co2eTick} width={64} tickLine={false} axisLine={false} />
              <Tooltip formatter={(v) => [`${co2e(Number(v))} CO2e`, t.emissionsSeries]} cursor={{ fill: '#f1f5f4' }} />
              <Bar dataKey="kg" fill="#2f855a" radius={[4, 4, 0, 0]} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </div>

      <div className="columns">
        <div className="card">
          <h3>{t.byCategory}</h3>
          {categories.length === 0 ? <p className="muted">{t.nothingRecorded(report.year)}</p> : null}
          <table className="breakdown" data-testid="by-category">
            <tbody>
              {categories.map((row) => (
                <tr key={row.category}>
                  <th>
                    <span className="swatch" style={{ background: CATEGORY_COLORS[row.category] }} />
                    {CATEGORY_NAMES[lang][row.category]}
                  </th>
                  <td className="bar-cell">
                    <span
                      className="bar"
                      style={{ width: `${share(row.kg_co2e) * 100}%`, background: CATEGORY_COLORS[row.category] }}
                    />
                  </td>
                  <td className="num">{co2e(row.kg_co2e)}</td>
                  <td className="num muted">{percent(share(row.kg_co2e))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="card">
          <h3>{t.byScope}</h3>
          <div className="scopes" data-testid="by-scope">
            {[1, 2, 3].map((scope) => {
              const kg = report.by_scope.find((s) => s.scope === scope)?.kg_co2e ?? '0';
              return (
                <div className="scope" key={scope}>
                  <div className="scope-name">{t.scope(scope)}</div>
                  <div className="scope-value">{co2e(kg)}</div>
                  <div className="scope-share">{percent(share(kg))}</div>
                  <div className="scope-note">{SCOPE_NOTES[scope](t)}</div>
                </div>
              );
            })}
          </div>
          {report.scope2_by_basis.length ? (
            <>
              <h4>{t.scope2Bases}</h4>
              <ul className="bases" data-testid="scope2-bases">
                {report.scope2_by_basis.map((row) => (
                  <li key={row.basis ?? 'none'} data-basis={row.basis ?? 'none'}>
                    {BASIS_NAMES[lang][row.basis ?? 'none']}: <strong>{co2e(row.kg_co2e)}</strong>{' '}
                    <span className="muted">
                      ({t.interval(co2e(row.uncertainty.low_kg_co2e), co2e(row.uncertainty.high_kg_co2e))};{' '}
                      {row.in_headline ? t.inTheTotal : t.notInTheTotal})
                    </span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {report.top_factors.length ? (
            <>
              <h4>{t.topFactors}</h4>
              <table className="top-factors">
                <tbody>
                  {report.top_factors.slice(0, 4).map((f) => (
                    <tr key={f.factor_key}>
                      <td>
                        <code>{f.factor_key}</code>
                      </td>
                      <td className="num muted">
                        {quantity(f.quantity)} {f.unit}
                      </td>
                      <td className="num">{co2e(f.kg_co2e)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
        </div>
      </div>
    </section>
  );
}
