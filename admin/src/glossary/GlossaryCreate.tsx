import { Create, useNotify } from 'react-admin';
import { errorMessage } from './glossaryErrors';
import { GlossaryForm } from './GlossaryForm';

/** New glossary entry (reviewers and admins). The server's message names a taken term's entry. */
export function GlossaryCreate() {
  const notify = useNotify();
  return (
    <Create redirect="list" mutationOptions={{ onError: (error: unknown) => notify(errorMessage(error), { type: 'error' }) }}>
      <GlossaryForm defaultValues={{ forbidden: [], note: '' }} />
    </Create>
  );
}
