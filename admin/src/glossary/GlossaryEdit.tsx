import { DeleteWithConfirmButton, Edit, SaveButton, Toolbar, useNotify, useRecordContext } from 'react-admin';
import { errorMessage } from './glossaryErrors';
import { GlossaryForm } from './GlossaryForm';
import type { GlossaryRecord } from './types';

function EntryTitle() {
  const record = useRecordContext<GlossaryRecord>();
  return <span>Glossary: {record?.term ?? ''}</span>;
}

function EditToolbar() {
  return (
    <Toolbar sx={{ justifyContent: 'space-between' }}>
      <SaveButton />
      <DeleteWithConfirmButton confirmTitle="Delete this glossary entry?" confirmContent="The quality checks will stop flagging its forbidden variants." />
    </Toolbar>
  );
}

/** Edit or delete an entry (reviewers and admins; the route exists only for them). */
export function GlossaryEdit() {
  const notify = useNotify();
  return (
    <Edit title={<EntryTitle />} mutationMode="pessimistic" mutationOptions={{ onError: (e: unknown) => notify(errorMessage(e), { type: 'error' }) }}>
      <GlossaryForm toolbar={<EditToolbar />} />
    </Edit>
  );
}
