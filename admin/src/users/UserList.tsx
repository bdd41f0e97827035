import { Chip } from '@mui/material';
import { ChipField, Datagrid, DateField, FunctionField, List, SearchInput, SelectInput, TextField } from 'react-admin';
import { useRole } from '../useRole';
import { ROLE_CHOICES } from './roles';

const filters = [<SearchInput key="q" source="q" alwaysOn placeholder="Search users" />, <SelectInput key="role" source="role" choices={ROLE_CHOICES} />];

export function UserList() {
  const canManage = useRole().allows('user.manage');
  return (
    <List filters={filters} sort={{ field: 'username', order: 'ASC' }} exporter={false}>
      <Datagrid rowClick={canManage ? 'edit' : false} bulkActionButtons={false}>
        <TextField source="username" />
        <TextField source="displayName" label="Name" />
        <ChipField source="role" />
        {/* Words, not a tick or a cross: a cross in a "Disabled" column read as "disabled" for every active user. */}
        <FunctionField<{ disabled: boolean }>
          source="disabled"
          label="Status"
          sortBy="disabled"
          render={(u) => (u.disabled ? <Chip size="small" color="default" label="Disabled" data-disabled="true" /> : <Chip size="small" color="success" variant="outlined" label="Active" data-disabled="false" />)}
        />
        <DateField source="lastLoginAt" label="Last login" showTime />
        <DateField source="createdAt" label="Created" />
      </Datagrid>
    </List>
  );
}
