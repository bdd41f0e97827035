import { Admin, Resource } from 'react-admin';
import { authProvider } from './authProvider';
import { dataProvider } from './dataProvider';
import users from './users';

export function App() {
  return (
    <Admin dataProvider={dataProvider} authProvider={authProvider} requireAuth title="Copydesk" disableTelemetry>
      {(role: string) => [role === 'admin' || role === 'auditor' ? <Resource key="users" name="users" {...users} /> : null]}
    </Admin>
  );
}
