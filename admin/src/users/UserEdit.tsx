import { useState } from 'react';
import BlockIcon from '@mui/icons-material/Block';
import { BooleanInput, Button, Confirm, Edit, PasswordInput, SaveButton, SelectInput, SimpleForm, TextInput, Toolbar, useNotify, useRecordContext, useRedirect, useUpdate } from 'react-admin';
import { errorMessage } from '../httpClient';
import { ROLE_CHOICES } from './roles';

interface UserRecord {
  id: number;
  username: string;
  displayName: string;
  disabled: boolean;
}

/**
 * Users are never deleted (revisions and the audit log name them): the
 * stock Delete button would say one thing and do another. This one says what
 * it does, asks first, and leaves the user in the list marked Disabled.
 */
function DisableUserButton() {
  const record = useRecordContext<UserRecord>();
  const [open, setOpen] = useState(false);
  const [update, { isPending }] = useUpdate<UserRecord>();
  const notify = useNotify();
  const redirect = useRedirect();
  if (!record || record.disabled) return null;
  return (
    <>
      <Button label="Disable" color="error" startIcon={<BlockIcon />} onClick={() => setOpen(true)} disabled={isPending} />
      <Confirm
        isOpen={open}
        loading={isPending}
        title={`Disable ${record.username}?`}
        content="They can no longer log in and their sessions end at once. Nothing is deleted: their revisions, comments and audit history stay, and an admin can enable the account again."
        confirm="Disable"
        onConfirm={() =>
          update(
            'users',
            { id: record.id, data: { disabled: true }, previousData: record },
            {
              mutationMode: 'pessimistic',
              onSuccess: () => {
                setOpen(false);
                notify(`${record.username} is disabled.`, { type: 'success' });
                redirect('list', 'users');
              },
              onError: (e) => notify(errorMessage(e), { type: 'error' }),
            },
          )
        }
        onClose={() => setOpen(false)}
      />
    </>
  );
}

function UserToolbar() {
  return (
    <Toolbar sx={{ justifyContent: 'space-between' }}>
      <SaveButton />
      <DisableUserButton />
    </Toolbar>
  );
}

export function UserEdit() {
  return (
    <Edit mutationMode="pessimistic">
      <SimpleForm toolbar={<UserToolbar />}>
        <TextInput source="username" disabled />
        <TextInput source="displayName" label="Name" />
        <SelectInput source="role" choices={ROLE_CHOICES} />
        <BooleanInput source="disabled" helperText="A disabled user cannot log in; their sessions end at once." />
        <PasswordInput source="password" label="New password" helperText="Leave empty to keep the current password" autoComplete="new-password" />
      </SimpleForm>
    </Edit>
  );
}
