import FindReplaceIcon from '@mui/icons-material/FindReplace';
import InsightsIcon from '@mui/icons-material/Insights';
import { Menu } from 'react-admin';
import { can } from '../../../shared/permissions';
import { useRole } from '../useRole';

/** The menu by role: writers see their desk, the glossary and analytics; reviewers also bulk replace; auditors and admins also see oversight pages. */
export function AppMenu() {
  const { isOversight, role } = useRole();
  return (
    <Menu>
      <Menu.DashboardItem />
      <Menu.ResourceItem name="articles" />
      <Menu.ResourceItem name="glossary" />
      <Menu.Item to="/analytics" primaryText="Analytics" leftIcon={<InsightsIcon />} />
      {role && can(role, 'bulkReplace.run') ? <Menu.Item to="/bulk-replace" primaryText="Bulk replace" leftIcon={<FindReplaceIcon />} /> : null}
      {isOversight ? (
        <>
          <Menu.ResourceItem name="audit-events" />
          <Menu.ResourceItem name="import-batches" />
          <Menu.ResourceItem name="export-batches" />
          <Menu.ResourceItem name="users" />
        </>
      ) : null}
    </Menu>
  );
}
