import { BooleanField, ChipField, Datagrid, DateField, List, SearchInput, SelectInput, TextField, usePermissions } from 'react-admin';
import { ROLE_CHOICES } from './roles';

const filters = [<SearchInput key="q" source="q" alwaysOn placeholder="Search users" />, <SelectInput key="role" source="role" choices={ROLE_CHOICES} />];

export function UserList() {
  const { permissions } = usePermissions();
  return (
    <List filters={filters} sort={{ field: 'username', order: 'ASC' }} exporter={false}>
      <Datagrid rowClick={permissions === 'admin' ? 'edit' : false} bulkActionButtons={false}>
        <TextField source="username" />
        <TextField source="displayName" label="Name" />
        <ChipField source="role" />
        <BooleanField source="disabled" />
        <DateField source="lastLoginAt" label="Last login" showTime />
        <DateField source="createdAt" label="Created" />
      </Datagrid>
    </List>
  );
}
