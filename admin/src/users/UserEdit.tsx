import { BooleanInput, Edit, PasswordInput, SelectInput, SimpleForm, TextInput } from 'react-admin';
import { ROLE_CHOICES } from './roles';

export function UserEdit() {
  return (
    <Edit mutationMode="pessimistic">
      <SimpleForm>
        <TextInput source="username" disabled />
        <TextInput source="displayName" label="Name" />
        <SelectInput source="role" choices={ROLE_CHOICES} />
        <BooleanInput source="disabled" helperText="A disabled user cannot log in; their sessions end at once." />
        <PasswordInput source="password" label="New password" helperText="Leave empty to keep the current password" autoComplete="new-password" />
      </SimpleForm>
    </Edit>
  );
}
