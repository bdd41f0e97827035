import { lazy, Suspense, type ReactNode } from 'react';
import { Admin, CustomRoutes, Loading, Resource } from 'react-admin';
import { Route } from 'react-router-dom';
import { can } from '../../shared/permissions';
import articles from './articles';
import auditEvents from './auditEvents';
import { authProvider } from './authProvider';
import { dataProvider } from './dataProvider';
import exportBatches from './exportBatches';
import glossary from './glossary';
import { i18nProvider } from './i18nProvider';
import { queryClient } from './queryClient';
import importBatches from './importBatches';
import { AppLayout } from './layout/AppLayout';
import { LoginPage } from './layout/LoginPage';
import { theme } from './theme';
import type { Role } from './types';
import users from './users';

const Dashboard = lazy(() => import('./dashboard/Dashboard'));
// Analytics carries the charting library; neither page belongs in the initial bundle.
const AnalyticsPage = lazy(() => import('./analytics/AnalyticsPage'));
const BulkReplacePage = lazy(() => import('./bulkReplace/BulkReplacePage'));

const lazyPage = (page: ReactNode) => <Suspense fallback={<Loading />}>{page}</Suspense>;

/** Resources by role. Auditors get read-only views only: no edit or create routes exist for them. */
function resourcesFor(role: Role) {
  const writer = can(role, 'article.edit');
  return [
    <Resource key="articles" name="articles" list={articles.list} show={articles.show} edit={writer ? articles.edit : undefined} icon={articles.icon} recordRepresentation={articles.recordRepresentation} />,
    can(role, 'audit.read') ? <Resource key="audit-events" name="audit-events" {...auditEvents} options={{ label: 'Audit log' }} /> : null,
    can(role, 'import.read') ? <Resource key="import-batches" name="import-batches" {...importBatches} /> : null,
    can(role, 'export.read') ? <Resource key="export-batches" name="export-batches" {...exportBatches} /> : null,
    // Only user.manage gets the edit and create routes; user.read lists.
    can(role, 'user.manage') ? <Resource key="users" name="users" {...users} /> : null,
    !can(role, 'user.manage') && can(role, 'user.read') ? <Resource key="users" name="users" list={users.list} icon={users.icon} recordRepresentation={users.recordRepresentation} /> : null,
    // Everyone reads the glossary; only glossary.manage gets the create and edit routes.
    can(role, 'glossary.manage') ? (
      <Resource key="glossary" name="glossary" {...glossary} options={{ label: 'Glossary' }} />
    ) : (
      <Resource key="glossary" name="glossary" list={glossary.list} icon={glossary.icon} recordRepresentation={glossary.recordRepresentation} options={{ label: 'Glossary' }} />
    ),
    <CustomRoutes key="pages">
      <Route path="/analytics" element={lazyPage(<AnalyticsPage />)} />
      {can(role, 'bulkReplace.run') ? <Route path="/bulk-replace" element={lazyPage(<BulkReplacePage />)} /> : null}
    </CustomRoutes>,
  ];
}

export function App() {
  return (
    <Admin
      dataProvider={dataProvider}
      authProvider={authProvider}
      i18nProvider={i18nProvider}
      queryClient={queryClient}
      dashboard={Dashboard}
      layout={AppLayout}
      loginPage={LoginPage}
      theme={theme}
      requireAuth
      title="Copydesk"
      disableTelemetry
    >
      {(role: Role) => resourcesFor(role)}
    </Admin>
  );
}
