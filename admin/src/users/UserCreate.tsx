import { Create, PasswordInput, required, SelectInput, SimpleForm, TextInput } from 'react-admin';
import { ROLE_CHOICES } from './roles';

export function UserCreate() {
  return (
    <Create redirect="list">
      <SimpleForm>
        <TextInput source="username" validate={required()} helperText="Lower-case letters, digits, dot, dash or underscore" />
        <TextInput source="displayName" label="Name" />
        <SelectInput source="role" choices={ROLE_CHOICES} validate={required()} defaultValue="editor" />
        <PasswordInput source="password" validate={required()} helperText="At least 10 characters" autoComplete="new-password" />
      </SimpleForm>
    </Create>
  );
}
