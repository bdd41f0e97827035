import { Menu } from 'react-admin';
import { useRole } from '../useRole';

/** The menu by role: writers see their desk; auditors and admins also see oversight pages. */
export function AppMenu() {
  const { isOversight } = useRole();
  return (
    <Menu>
      <Menu.DashboardItem />
      <Menu.ResourceItem name="articles" />
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
