import { lazy, Suspense, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Alert, Box, Button, Paper, Stack, Tab, Tabs, Tooltip, Typography } from '@mui/material';
import AssignmentIndIcon from '@mui/icons-material/AssignmentInd';
import ForumOutlinedIcon from '@mui/icons-material/ForumOutlined';
import { useQueryClient } from '@tanstack/react-query';
import { useFormContext, useFormState } from 'react-hook-form';
import { Form, Loading, SaveButton, TextInput, useGetIdentity, useGetList, useNotify, useRecordContext, useUpdate } from 'react-admin';
import { errorMessage } from '../httpClient';
import { useRole } from '../useRole';
import type { ArticleFormValues, ArticleRecord, CommentRow, StatusChangeRow, VersionConflict } from '../types';
import { storeArticle } from './articleCache';
import { CommentsPanel } from './CommentsPanel';
import { ConfirmProvider } from './confirm/ConfirmContext';
import { EditorPanel } from './EditorPanel';
import { ConflictDialog } from './ConflictDialog';
import { ExportMenu } from './ExportMenu';
import { useEditorView } from './EditorToolbar';
import { readingSx } from './readingSx';
import { PresenceNote, usePresence } from './PresenceNote';
import { StatusChip } from './StatusChip';
import { StatusHistory } from './StatusHistory';
import { formatRate } from './statuses';
import { WorkflowActions } from './WorkflowActions';

const ArticleHistory = lazy(() => import('./ArticleHistory'));
const ReviewPanel = lazy(() => import('./review/ReviewPanel'));

export interface ConflictState {
  conflict: VersionConflict | null;
  setConflict: (c: VersionConflict | null) => void;
}

function TabPanel({ value, current, children }: { value: string; current: string; children: ReactNode }) {
  return (
    <Box role="tabpanel" id={`panel-${value}`} aria-labelledby={`tab-${value}`} hidden={value !== current} sx={{ pt: 2 }}>
      {children}
    </Box>
  );
}

/** The text the editor changed relative to the record they started from. */
function unsavedEdits(values: ArticleFormValues, base: ArticleRecord): { title?: string; paragraphs: Record<number, string> } {
  const paragraphs: Record<number, string> = {};
  for (const p of base.paragraphs) {
    const v = values.paragraphs?.[p.index]?.text;
    if (typeof v === 'string' && v !== p.text) paragraphs[p.index] = v;
  }
  return { ...(values.title !== base.title ? { title: values.title } : {}), paragraphs };
}

function AssignToMe({ record, disabled }: { record: ArticleRecord; disabled: boolean }) {
  const { identity } = useGetIdentity();
  const mayTakeOver = useRole().allows('article.assign.any');
  const [update, { isPending }] = useUpdate<ArticleRecord>();
  const notify = useNotify();
  const me = identity ? Number(identity.id) : null;
  if (me === null || record.assigneeId === me || (!mayTakeOver && record.assigneeId !== null) || record.status === 'archived') return null;
  return (
    <Tooltip title={disabled ? 'Save your changes first' : ''}>
      <span>
        <Button
          size="small"
          startIcon={<AssignmentIndIcon />}
          disabled={disabled || isPending}
          onClick={() =>
            update(
              'articles',
              { id: record.id, data: { assigneeId: me }, previousData: record },
              { mutationMode: 'pessimistic', onSuccess: () => notify('Assigned to you.', { type: 'success' }), onError: (e) => notify(errorMessage(e), { type: 'error' }) },
            )
          }
        >
          Assign to me
        </Button>
      </span>
    </Tooltip>
  );
}

function Header({ record, readOnly, dirty, onAllComments, commentCount }: { record: ArticleRecord; readOnly: boolean; dirty: boolean; onAllComments: () => void; commentCount: number }) {
  const { allows } = useRole();
  const canWrite = allows('article.edit');
  const others = usePresence(record.id, dirty, canWrite);
  return (
    <Box sx={{ display: 'flex', gap: 3, alignItems: 'flex-start', flexWrap: 'wrap' }}>
      <Box sx={{ flex: '1 1 480px', minWidth: 0 }}>
        {/* The saved title names the page; it is edited, checked and diffed as the first row below. */}
        <Typography variant="h5" component="h1" sx={{ ...readingSx, fontSize: readOnly ? '1.6rem' : '1.3rem', fontWeight: 600, lineHeight: 1.3 }} data-testid="article-title">
          {record.title}
        </Typography>
        <PresenceNote others={others} />
        <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center',  mt: 1, flexWrap: 'wrap', rowGap: 1 }}>
          <StatusChip status={record.status} />
          <Typography variant="body2" color="text.secondary">
            #{record.id}
            {record.externalId ? ` · ${record.externalId}` : ''} · v{record.version} · {record.revisionCount} revision{record.revisionCount === 1 ? '' : 's'}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            Assignee: <strong>{record.assigneeName ?? 'nobody'}</strong>
          </Typography>
          <Typography variant="body2" color="text.secondary" data-testid="edit-rate">
            Edit rate: <strong>{formatRate(record.editRate)}</strong>
            {record.stats ? ` · ${record.stats.paragraphsChanged} ¶ changed · ${record.wordCount} words` : ''}
          </Typography>
          {record.approvedAt ? (
            <Typography variant="body2" color="text.secondary">
              Approved by {record.approvedByName ?? '—'} on {new Date(record.approvedAt).toLocaleDateString()}
            </Typography>
          ) : null}
          {allows('article.assign.self') ? <AssignToMe record={record} disabled={dirty} /> : null}
          <Button size="small" startIcon={<ForumOutlinedIcon />} onClick={onAllComments}>
            All comments ({commentCount})
          </Button>
        </Stack>
      </Box>
      <Stack spacing={1} sx={{ alignItems: 'flex-end' }}>
        <WorkflowActions />
        {record.approvedRevisionId ? <ExportMenu articleId={record.id} /> : null}
      </Stack>
    </Box>
  );
}

function SaveBar({ rootRef }: { rootRef: React.RefObject<HTMLDivElement | null> }) {
  const { isDirty, isSubmitting } = useFormState();
  const dirtyRef = useRef(isDirty);
  useEffect(() => {
    dirtyRef.current = isDirty;
  }, [isDirty]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 's') {
        e.preventDefault();
        if (dirtyRef.current) rootRef.current?.closest('form')?.requestSubmit();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [rootRef]);
  return (
    <Paper
      elevation={isDirty ? 6 : 1}
      sx={{ position: 'sticky', bottom: 0, zIndex: 2, mt: 2, px: 2, py: 1.5, display: 'flex', gap: 2, alignItems: 'center', borderTop: '3px solid', borderColor: isDirty ? 'warning.main' : 'transparent' }}
    >
      <TextInput source="note" label="Revision note (optional)" helperText={false} sx={{ m: 0, flex: '1 1 280px', minWidth: 240, maxWidth: 560 }} />
      <SaveButton label={isSubmitting ? 'Saving…' : 'Save'} />
      <Typography variant="body2" color="text.secondary" sx={{ ml: 'auto' }}>
        {isDirty ? 'Unsaved changes · ' : ''}Ctrl+S saves · Ctrl+Enter confirms and moves on · Alt+↓ / Alt+↑ move between paragraphs · ? lists every shortcut
      </Typography>
    </Paper>
  );
}

function WorkspaceBody({ readOnly, conflict, setConflict }: { readOnly: boolean } & Partial<ConflictState>) {
  const record = useRecordContext<ArticleRecord>();
  const canWrite = useRole().allows('article.edit');
  const form = useFormContext<ArticleFormValues>();
  const { isDirty } = useFormState();
  const queryClient = useQueryClient();
  const rootRef = useRef<HTMLDivElement>(null);
  const [tab, setTab] = useState('editor');
  const [historyOpened, setHistoryOpened] = useState(false);
  const [view, setView] = useEditorView();
  const [commentsFor, setCommentsFor] = useState<number | null | undefined>(undefined);
  const pending = useRef<{ version: number; title?: string; paragraphs: Record<number, string>; note?: string } | null>(null);

  const { data: comments = [] } = useGetList<CommentRow>(
    'comments',
    { filter: { articleId: record?.id }, sort: { field: 'createdAt', order: 'ASC' }, pagination: { page: 1, perPage: 1000 } },
    { enabled: record !== undefined },
  );
  const { data: changes = [] } = useGetList<StatusChangeRow>(
    'status-changes',
    { filter: { articleId: record?.id }, sort: { field: 'createdAt', order: 'DESC' }, pagination: { page: 1, perPage: 1 } },
    { enabled: record?.status === 'changes_requested' },
  );
  const counts = useMemo(() => {
    const m = new Map<number, { open: number; total: number }>();
    for (const c of comments) {
      if (c.paragraphIndex == null) continue;
      const e = m.get(c.paragraphIndex) ?? { open: 0, total: 0 };
      e.total++;
      if (!c.resolved) e.open++;
      m.set(c.paragraphIndex, e);
    }
    return m;
  }, [comments]);

  // After the conflict dialog: the form resets to the new version once the
  // record changes; the editor's chosen text and note are laid over it after
  // that reset, then saved on top of the new version.
  useEffect(() => {
    const p = pending.current;
    if (!p || record?.version !== p.version) return;
    pending.current = null;
    setTimeout(() => {
      if (p.title !== undefined) form.setValue('title', p.title, { shouldDirty: true });
      for (const [i, text] of Object.entries(p.paragraphs)) form.setValue(`paragraphs.${Number(i)}.text`, text, { shouldDirty: true });
      if (p.note) form.setValue('note', p.note, { shouldDirty: true });
      if (p.title !== undefined || Object.keys(p.paragraphs).length > 0) rootRef.current?.closest('form')?.requestSubmit();
    }, 0);
  }, [record?.version, form]);

  // react-admin shows the list row as a placeholder while the full record loads; it has no paragraphs.
  if (!record || !Array.isArray(record.paragraphs)) return <Loading />;
  const editable = !readOnly && canWrite && record.status !== 'archived';
  const mine = conflict ? unsavedEdits(form.getValues(), record) : null;

  return (
    <ConfirmProvider record={record} editable={editable} conflict={conflict} rootRef={rootRef}>
    <Box ref={rootRef} sx={{ maxWidth: 1680, mx: 'auto', px: { xs: 1, md: 2 }, pb: editable ? 0 : 3 }}>
      <Header record={record} readOnly={!editable} dirty={isDirty} commentCount={comments.length} onAllComments={() => setCommentsFor(null)} />
      {record.status === 'changes_requested' && changes[0]?.note ? (
        <Alert severity="warning" sx={{ mt: 2 }}>
          <strong>{changes[0].actorName ?? 'A reviewer'} requested changes:</strong> <span style={{ whiteSpace: 'pre-wrap' }}>{changes[0].note}</span>
        </Alert>
      ) : null}
      {record.status === 'archived' && !readOnly && canWrite ? (
        <Alert severity="info" sx={{ mt: 2 }}>
          This article is archived and read-only.
        </Alert>
      ) : null}
      <Tabs
        value={tab}
        onChange={(_e, v: string) => {
          setTab(v);
          if (v === 'history') setHistoryOpened(true);
        }}
        sx={{ mt: 2, borderBottom: 1, borderColor: 'divider' }}
      >
        <Tab value="editor" label={editable ? 'Editor' : 'Text'} id="tab-editor" aria-controls="panel-editor" />
        <Tab value="history" label={`History (${record.revisionCount})`} id="tab-history" aria-controls="panel-history" />
        <Tab value="activity" label="Status history" id="tab-activity" aria-controls="panel-activity" />
        <Tab value="review" label="Review" id="tab-review" aria-controls="panel-review" />
      </Tabs>
      <TabPanel value="editor" current={tab}>
        <EditorPanel record={record} editable={editable} view={view} onView={setView} counts={counts} onComments={setCommentsFor} />
        {editable ? <SaveBar rootRef={rootRef} /> : null}
      </TabPanel>
      <TabPanel value="history" current={tab}>
        {historyOpened ? (
          <Suspense fallback={<Loading />}>
            <ArticleHistory record={record} dirty={isDirty} canRestore={editable} />
          </Suspense>
        ) : null}
      </TabPanel>
      <TabPanel value="activity" current={tab}>
        <StatusHistory articleId={record.id} />
      </TabPanel>
      <TabPanel value="review" current={tab}>
        {tab === 'review' ? (
          <Suspense fallback={<Loading />}>
            <ReviewPanel record={record} dirty={isDirty} />
          </Suspense>
        ) : null}
      </TabPanel>
      <CommentsPanel articleId={record.id} paragraphIndex={commentsFor} comments={comments} canWrite={canWrite} onClose={() => setCommentsFor(undefined)} />
      {conflict && setConflict && mine ? (
        <ConflictDialog
          conflict={conflict}
          mine={mine.paragraphs}
          mineTitle={mine.title}
          onDiscard={() => {
            setConflict(null);
            storeArticle(queryClient, conflict.current);
          }}
          onResolve={(resolution) => {
            pending.current = { version: conflict.current.version, ...resolution, note: form.getValues().note ?? undefined };
            setConflict(null);
            storeArticle(queryClient, conflict.current);
          }}
        />
      ) : null}
    </Box>
    </ConfirmProvider>
  );
}

/**
 * The article page: header with workflow actions, the paragraph grid (source,
 * MT, edited text), history and status history tabs, comments. Read-only for
 * auditors and for archived articles.
 */
const NOTE_DEFAULT = { note: '' };

export function ArticleWorkspace({ readOnly, conflict, setConflict }: { readOnly: boolean } & Partial<ConflictState>) {
  const record = useRecordContext<ArticleRecord>();
  // react-admin first shows the list row as a placeholder (no paragraphs, no MT).
  // The form starts from the full record only: started from the placeholder,
  // its default values lack most fields, and once react-hook-form recomputes
  // "dirty" (on any change) the form stays dirty even after the text is back.
  if (!record || !Array.isArray(record.paragraphs)) return <Loading />;
  return (
    // `note` is not part of the record: without a default its key is missing
    // from the default values, and react-hook-form then never finds the form clean.
    <Form warnWhenUnsavedChanges={!readOnly} sanitizeEmptyValues={false} defaultValues={NOTE_DEFAULT}>
      <WorkspaceBody readOnly={readOnly} conflict={conflict} setConflict={setConflict} />
    </Form>
  );
}
