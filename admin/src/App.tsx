import { Admin, Resource } from 'react-admin';
import { authProvider } from './authProvider';
import { dataProvider } from './dataProvider';
import users from './users';

export function App() {
  return (
    <Admin dataProvider={dataProvider} authProvider={authProvider} requireAuth title="Copydesk" disableTelemetry>
      {(role: string) => [
        role === 'admin' ? <Resource key="users" name="users" {...users} /> : null,
        // Auditors read the user list and change nothing.
        role === 'auditor' ? <Resource key="users" name="users" list={users.list} icon={users.icon} recordRepresentation={users.recordRepresentation} /> : null,
      ]}
    </Admin>
  );
}
