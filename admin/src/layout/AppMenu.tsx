import FindReplaceIcon from '@mui/icons-material/FindReplace';
import InsightsIcon from '@mui/icons-material/Insights';
import { Menu } from 'react-admin';
import { useRole } from '../useRole';

/** The menu by role: writers see their desk, the glossary and analytics; reviewers also bulk replace; auditors and admins also see oversight pages. */
export function AppMenu() {
  const { allows } = useRole();
  return (
    <Menu>
      <Menu.DashboardItem />
      <Menu.ResourceItem name="articles" />
      <Menu.ResourceItem name="glossary" />
      <Menu.Item to="/analytics" primaryText="Analytics" leftIcon={<InsightsIcon />} />
      {allows('bulkReplace.run') ? <Menu.Item to="/bulk-replace" primaryText="Bulk replace" leftIcon={<FindReplaceIcon />} /> : null}
      {allows('audit.read') ? <Menu.ResourceItem name="audit-events" /> : null}
      {allows('import.read') ? <Menu.ResourceItem name="import-batches" /> : null}
      {allows('export.read') ? <Menu.ResourceItem name="export-batches" /> : null}
      {allows('user.read') ? <Menu.ResourceItem name="users" /> : null}
    </Menu>
  );
}
