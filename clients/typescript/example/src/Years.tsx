// A lab's totals over five years (the one of the URL and the four before), each against the year
// before: one `getLabReportOptions` query a year, the same queries (and cache) as the yearly report.
import { useQueries } from '@tanstack/react-query';

import { getLabReportOptions } from '@co2calculator/client/react-query';

import { change as formatChange, co2e, quantity } from './format';
import { useT } from './i18n';
import { ProblemView } from './problem';
import { labHref, Link } from './router';

export const YEARS_SHOWN = 5;

export function Years({ labId, year }: { labId: string; year: number }) {
  const t = useT();
  const years = Array.from({ length: YEARS_SHOWN }, (_, i) => year - YEARS_SHOWN + 1 + i);
  const reports = useQueries({ queries: years.map((y) => getLabReportOptions({ path: { lab_id: labId }, query: { year: y } })) });
  const failed = reports.find((r) => r.isError);
  return (
    <section className="card years" aria-label={t.yearsTitle(years[0], year)}>
      <h3>{t.yearsTitle(years[0], year)}</h3>
      <p className="muted small">{t.yearsHelp}</p>
      {failed ? <ProblemView error={failed.error} context={t.tabYears} /> : null}
      <table className="stack" data-testid="years" aria-busy={reports.some((r) => r.isPending)}>
        <thead>
          <tr>
            <th>{t.year}</th>
            <th className="num">CO2e</th>
            <th className="num">{t.changeVsPrevious}</th>
            <th className="num">{t.entries}</th>
            <th className="num">{t.perFte}</th>
          </tr>
        </thead>
        <tbody>
          {[...years].reverse().map((y) => {
            const report = reports[years.indexOf(y)].data;
            const change = report?.change_percent ?? null;
            const perFte = report?.headcount?.t_co2e_per_fte ?? null;
            return (
              <tr key={y} data-year={y}>
                <th scope="row">
                  <Link to={labHref(labId, 'year', y)}>{y}</Link>
                </th>
                <td className="num" data-testid="year-total">
                  {report ? (report.entry_count ? co2e(report.total_kg_co2e) : t.noEmissions) : t.loading}
                </td>
                <td className={`num ${change !== null && Number(change) > 0 ? 'up' : ''}`} data-testid="year-change">
                  {change === null ? '—' : formatChange(Number(change))}
                </td>
                <td className="num">{report?.entry_count ?? ''}</td>
                <td className="num">{perFte === null ? '—' : t.perFteValue(quantity(perFte))}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
