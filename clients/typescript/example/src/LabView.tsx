// One lab, by its URL: the year's report with entries and imports, the imports (undo), the
// members and the lab's settings, each a tab with its own address.
import { useQuery } from '@tanstack/react-query';

import type { JobStatus, LabPublic } from '@co2calculator/client';
import { getLabOptions, getMeOptions } from '@co2calculator/client/react-query';

import { Audit } from './Audit';
import { AddEntry, Entries } from './Entries';
import { Imports } from './Imports';
import { EditLab, Members } from './LabForms';
import { ProblemView } from './problem';
import { href, Link, labHref, navigate, type LabTab } from './router';
import { ROLE_NAMES, useLang, useT, type Messages } from './i18n';
import { Report } from './Report';
import { SignOffTab } from './SignOff';
import { TargetTab } from './Target';
import { Upload } from './Upload';
import { Years } from './Years';

const TABS: { tab: LabTab; label: (t: Messages) => string; managers?: boolean }[] = [
  { tab: 'year', label: (t) => t.tabYear },
  { tab: 'signoff', label: (t) => t.tabSignOff },
  { tab: 'years', label: (t) => t.tabYears },
  { tab: 'target', label: (t) => t.tabTarget },
  { tab: 'imports', label: (t) => t.tabImports },
  { tab: 'members', label: (t) => t.tabMembers },
  { tab: 'settings', label: (t) => t.tabSettings, managers: true },
  { tab: 'audit', label: (t) => t.tabAudit, managers: true },
];

export function LabView({
  labId,
  tab,
  year,
  jobs,
  params,
}: {
  labId: string;
  tab: LabTab;
  year: number;
  jobs: Record<string, JobStatus>;
  params?: URLSearchParams;
}) {
  const t = useT();
  const lab = useQuery(getLabOptions({ path: { lab_id: labId } }));
  if (lab.isPending) return <div className="card">{t.loadingLab}</div>;
  if (lab.isError) {
    return (
      <div className="empty card">
        <ProblemView error={lab.error} context={t.thisLab} />
        <p className="muted">
          {t.labGone} <Link to={href({ name: 'home' })}>{t.backToLabs}</Link>.
        </p>
      </div>
    );
  }
  return <LabBody lab={lab.data} tab={tab} year={year} jobs={jobs} params={params ?? new URLSearchParams()} />;
}

function LabBody({
  lab,
  tab,
  year,
  jobs,
  params,
}: {
  lab: LabPublic;
  tab: LabTab;
  year: number;
  jobs: Record<string, JobStatus>;
  params: URLSearchParams;
}) {
  // Viewers read only; the server decides all the same (a 403 would be shown as a problem).
  // Administrators manage every lab, member of it or not.
  const t = useT();
  const lang = useLang();
  const me = useQuery(getMeOptions());
  const isAdmin = me.data?.role === 'admin';
  const canWrite = lab.my_role !== 'viewer' || isAdmin;
  const isManager = lab.my_role === 'manager' || isAdmin;
  return (
    <div className="lab-view">
      <div className="lab-head">
        <div>
          <h2>{lab.name}</h2>
          <div className="muted">
            {lab.code}
            {lab.institution ? ` · ${lab.institution}` : ''}
            {lab.region ? ` · ${lab.region}` : ''}
            {lab.my_role ? ` · ${t.youAre(ROLE_NAMES[lang][lab.my_role])}` : ''}
          </div>
        </div>
        {tab === 'year' || tab === 'signoff' || tab === 'years' ? (
          <div className="year-picker" role="group" aria-label={t.year}>
            <button className="secondary" onClick={() => navigate(labHref(lab.id, tab, year - 1))} aria-label={t.previousYear}>
              ‹
            </button>
            <span className="year" data-testid="year">
              {year}
            </span>
            <button className="secondary" onClick={() => navigate(labHref(lab.id, tab, year + 1))} aria-label={t.nextYear}>
              ›
            </button>
          </div>
        ) : null}
      </div>
      <nav className="tabs" aria-label={t.labViews}>
        {TABS.filter((item) => !item.managers || isManager).map((item) => (
          <Link key={item.tab} to={labHref(lab.id, item.tab, year)} aria-current={item.tab === tab ? 'page' : undefined}>
            {item.label(t)}
          </Link>
        ))}
      </nav>
      {tab === 'year' ? (
        <>
          <Report labId={lab.id} year={year} />
          {canWrite ? (
            <div className="columns inputs">
              <AddEntry key={`add-${year}`} labId={lab.id} region={lab.region ?? null} year={year} />
              <Upload labId={lab.id} jobs={jobs} />
            </div>
          ) : null}
          <Entries labId={lab.id} year={year} canEdit={canWrite} />
        </>
      ) : tab === 'signoff' ? (
        <SignOffTab labId={lab.id} year={year} isManager={isManager} isAdmin={isAdmin} />
      ) : tab === 'years' ? (
        <Years labId={lab.id} year={year} />
      ) : tab === 'audit' ? (
        isManager ? <Audit key={params.toString()} labId={lab.id} params={params} /> : <p className="muted card">{t.onlyManagersAudit}</p>
      ) : tab === 'target' ? (
        <TargetTab labId={lab.id} isManager={isManager} />
      ) : tab === 'imports' ? (
        <Imports lab={lab} canWrite={canWrite} />
      ) : tab === 'members' ? (
        <Members lab={lab} isManager={isManager} />
      ) : isManager ? (
        <EditLab lab={lab} />
      ) : (
        <p className="muted card">{t.onlyManagers}</p>
      )}
    </div>
  );
}
