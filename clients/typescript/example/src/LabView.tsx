// One lab, by its URL: the year's report with entries and imports, the imports (undo), the
// members and the lab's settings, each a tab with its own address.
import { useQuery } from '@tanstack/react-query';

import type { JobStatus, LabPublic } from '@co2calculator/client';
import { getLabOptions, getMeOptions } from '@co2calculator/client/react-query';

import { AddEntry, Entries } from './Entries';
import { Imports } from './Imports';
import { EditLab, Members } from './LabForms';
import { ProblemView } from './problem';
import { href, Link, labHref, navigate, type LabTab } from './router';
import { Report } from './Report';
import { Upload } from './Upload';

const TABS: { tab: LabTab; label: string; managers?: boolean }[] = [
  { tab: 'year', label: 'Report & entries' },
  { tab: 'imports', label: 'Imports' },
  { tab: 'members', label: 'Members' },
  { tab: 'settings', label: 'Settings', managers: true },
];

export function LabView({
  labId,
  tab,
  year,
  jobs,
}: {
  labId: string;
  tab: LabTab;
  year: number;
  jobs: Record<string, JobStatus>;
}) {
  const lab = useQuery(getLabOptions({ path: { lab_id: labId } }));
  if (lab.isPending) return <div className="card">Loading the lab…</div>;
  if (lab.isError) {
    return (
      <div className="empty card">
        <ProblemView error={lab.error} context="This lab" />
        <p className="muted">
          It may have been deleted, or you are not one of its members. <Link to={href({ name: 'home' })}>Back to your labs</Link>.
        </p>
      </div>
    );
  }
  return <LabBody lab={lab.data} tab={tab} year={year} jobs={jobs} />;
}

function LabBody({ lab, tab, year, jobs }: { lab: LabPublic; tab: LabTab; year: number; jobs: Record<string, JobStatus> }) {
  // Viewers read only; the server decides all the same (a 403 would be shown as a problem).
  // Administrators manage every lab, member of it or not.
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
            {lab.my_role ? ` · you are ${lab.my_role}` : ''}
          </div>
        </div>
        {tab === 'year' ? (
          <div className="year-picker" role="group" aria-label="Year">
            <button className="secondary" onClick={() => navigate(labHref(lab.id, 'year', year - 1))} aria-label="Previous year">
              ‹
            </button>
            <span className="year" data-testid="year">
              {year}
            </span>
            <button className="secondary" onClick={() => navigate(labHref(lab.id, 'year', year + 1))} aria-label="Next year">
              ›
            </button>
          </div>
        ) : null}
      </div>
      <nav className="tabs" aria-label="Lab views">
        {TABS.filter((t) => !t.managers || isManager).map((t) => (
          <Link key={t.tab} to={labHref(lab.id, t.tab, year)} aria-current={t.tab === tab ? 'page' : undefined}>
            {t.label}
          </Link>
        ))}
      </nav>
      {tab === 'year' ? (
        <>
          <Report labId={lab.id} year={year} />
          {canWrite ? (
            <div className="columns inputs">
              <AddEntry key={`add-${year}`} labId={lab.id} year={year} />
              <Upload labId={lab.id} jobs={jobs} />
            </div>
          ) : null}
          <Entries labId={lab.id} year={year} canEdit={canWrite} />
        </>
      ) : tab === 'imports' ? (
        <Imports lab={lab} canWrite={canWrite} />
      ) : tab === 'members' ? (
        <Members lab={lab} isManager={isManager} />
      ) : isManager ? (
        <EditLab lab={lab} />
      ) : (
        <p className="muted card">Only the lab's managers change its settings.</p>
      )}
    </div>
  );
}
