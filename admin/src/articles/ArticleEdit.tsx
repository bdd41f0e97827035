import { useState } from 'react';
import { Edit, useNotify, useRecordContext } from 'react-admin';
import { errorMessage } from '../httpClient';
import type { ArticleFormValues, ArticleRecord, VersionConflict } from '../types';
import { ArticleWorkspace } from './ArticleWorkspace';

function ArticleTitle() {
  const record = useRecordContext<ArticleRecord>();
  return <span>{record ? `Article #${record.id}` : 'Article'}</span>;
}

/** Only what the server reads from a save; assigneeId only when the editor changed it. */
function toSaveBody(data: ArticleFormValues, opts?: { previousData?: ArticleRecord }) {
  const note = data.note?.trim();
  return {
    id: data.id,
    version: data.version,
    title: data.title,
    paragraphs: data.paragraphs.map((p) => ({ index: p.index, text: p.text })),
    ...(note ? { note } : {}),
    ...(opts?.previousData && data.assigneeId !== opts.previousData.assigneeId ? { assigneeId: data.assigneeId } : {}),
  };
}

/** The editor's desk: a pessimistic Edit whose 409 version_conflict opens the conflict dialog instead of losing text. */
export function ArticleEdit() {
  const [conflict, setConflict] = useState<VersionConflict | null>(null);
  const notify = useNotify();
  return (
    <Edit<ArticleRecord>
      mutationMode="pessimistic"
      redirect={false}
      actions={false}
      component="div"
      title={<ArticleTitle />}
      transform={toSaveBody}
      // A background refetch would reset the form to someone else's text; the
      // 409 on save is how this page learns about concurrent edits.
      queryOptions={{ refetchOnWindowFocus: false, refetchOnReconnect: false }}
      mutationOptions={{
        onSuccess: (data: ArticleRecord) => notify(`Saved. Revision ${data.revisionCount}, edit rate ${Math.round(data.editRate * 100)} %.`, { type: 'success' }),
        onError: (error: unknown) => {
          const e = error as { status?: number; body?: { error?: { code?: string; details?: VersionConflict } } };
          if (e.status === 409 && e.body?.error?.code === 'version_conflict' && e.body.error.details) setConflict(e.body.error.details);
          else notify(errorMessage(error), { type: 'error' });
        },
      }}
      sx={{ '& .RaEdit-main': { mt: 1 } }}
    >
      <ArticleWorkspace readOnly={false} conflict={conflict} setConflict={setConflict} />
    </Edit>
  );
}
