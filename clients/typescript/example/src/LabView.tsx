import { useState } from 'react';

import type { JobStatus, LabPublic } from '@co2calculator/client';

import { AddEntry, Entries } from './Entries';
import { Report } from './Report';
import { Upload } from './Upload';

export function LabView({ lab, jobs }: { lab: LabPublic; jobs: Record<string, JobStatus> }) {
  const [year, setYear] = useState(() => new Date().getFullYear());
  // Viewers read only; the server decides all the same (a 403 would be shown as a problem).
  const canWrite = lab.my_role !== 'viewer';
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
        <div className="year-picker" role="group" aria-label="Year">
          <button className="secondary" onClick={() => setYear(year - 1)} aria-label="Previous year">
            ‹
          </button>
          <span className="year" data-testid="year">
            {year}
          </span>
          <button className="secondary" onClick={() => setYear(year + 1)} aria-label="Next year">
            ›
          </button>
        </div>
      </div>
      <Report labId={lab.id} year={year} />
      {canWrite ? (
        <div className="columns inputs">
          <AddEntry key={`add-${year}`} labId={lab.id} year={year} />
          <Upload labId={lab.id} jobs={jobs} />
        </div>
      ) : null}
      <Entries labId={lab.id} year={year} canEdit={canWrite} />
    </div>
  );
}
