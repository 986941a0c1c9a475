// The administrators' screens (users, factor edit and imports, the institution and its audit
// trail), behind one gate:
// anyone else reaching their URL is told they are for administrators (the server refuses their
// calls all the same, with a 403).
import { useQuery } from '@tanstack/react-query';

import type { JobStatus } from '@co2calculator/client';
import { getMeOptions } from '@co2calculator/client/react-query';

import { FactorEdit, FactorImports } from './FactorAdmin';
import { useT } from './i18n';
import { Institution, InstitutionAudit, InstitutionTarget } from './Institution';
import { ProblemView } from './problem';
import { href, Link, type Route } from './router';
import { Users } from './Users';

export type AdminRoute = Extract<Route, { name: 'users' | 'factor-imports' | 'factor' | 'institution' | 'institution-target' | 'audit' }>;

export function AdminScreen({ route, jobs }: { route: AdminRoute; jobs: Record<string, JobStatus> }) {
  const t = useT();
  const me = useQuery(getMeOptions());
  if (me.isPending) return <div className="card">{t.loading}</div>;
  if (me.isError) return <ProblemView error={me.error} context={t.navProfile} />;
  if (me.data.role !== 'admin') {
    return (
      <div className="empty card" data-testid="admins-only">
        <h2>{t.adminsOnly}</h2>
        <p className="muted">
          {t.adminsOnlyHelp} <Link to={href({ name: 'home' })}>{t.goToLabs}</Link>.
        </p>
      </div>
    );
  }
  switch (route.name) {
    case 'users':
      return <Users />;
    case 'factor-imports':
      return <FactorImports jobs={jobs} />;
    case 'factor':
      return <FactorEdit key={route.factorId} factorId={route.factorId} />;
    case 'institution':
      return <Institution year={route.year} />;
    case 'institution-target':
      return <InstitutionTarget />;
    case 'audit':
      return <InstitutionAudit params={route.params} />;
  }
}
