import { useState } from 'react';
import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, TextField, Tooltip } from '@mui/material';
import { useQueryClient } from '@tanstack/react-query';
import { useFormState } from 'react-hook-form';
import { useDataProvider, useNotify, useRecordContext } from 'react-admin';
import type { CopydeskDataProvider } from '../dataProvider';
import { errorMessage } from '../httpClient';
import type { ArticleRecord, ArticleStatus } from '../types';
import { storeArticle } from './articleCache';
import { useGuardedSubmit } from './confirm/useGuardedSubmit';
import { STATUS_LABELS, TRANSITION_LABELS } from './statuses';

const ORDER: ArticleStatus[] = ['in_review', 'approved', 'changes_requested', 'in_edit', 'archived'];

/**
 * The status buttons the server allows this user now (`record.allowedTransitions`).
 * A refused approval (four-eyes) stays visible, disabled, with the reason.
 */
export function WorkflowActions() {
  const record = useRecordContext<ArticleRecord>();
  const { isDirty } = useFormState();
  const dataProvider = useDataProvider<CopydeskDataProvider>();
  const queryClient = useQueryClient();
  const notify = useNotify();
  const [busy, setBusy] = useState<ArticleStatus | null>(null);
  const [noteFor, setNoteFor] = useState<ArticleStatus | null>(null);
  const [note, setNote] = useState('');
  // A 409 approval_blocked: what is open, shown until the reviewer overrides with a reason or cancels.
  const [blocked, setBlocked] = useState<{ message: string; openErrors: Array<{ paragraphIndex: number; message: string }>; openComments: Array<{ id: number; paragraphIndex: number | null; body: string }> } | null>(null);
  const [reason, setReason] = useState('');
  const allowed = ORDER.filter((s) => record?.allowedTransitions?.includes(s));
  // Submitting with unconfirmed paragraphs or open errors asks first (and is what the submit shortcut runs).
  const guarded = useGuardedSubmit(allowed.includes('in_review'), () => void run('in_review'), busy !== null);
  if (!record) return null;
  const approvalRefused = allowed.includes('approved') && record.approval && !record.approval.allowed;

  async function run(to: ArticleStatus, withNote?: string, override?: { reason: string }) {
    if (!record) return;
    setBusy(to);
    try {
      // Approval names the revision on screen, so a newer one is refused (409 revision_changed) rather than approved unseen.
      const seen = to === 'approved' && record.currentRevisionId ? { revisionId: record.currentRevisionId } : {};
      const next = await dataProvider.transition(record.id, { to, version: record.version, ...seen, ...(withNote ? { note: withNote } : {}), ...(override ? { override } : {}) });
      storeArticle(queryClient, next);
      notify(`Article ${to === 'in_edit' ? 'unarchived' : `moved to “${STATUS_LABELS[to]}”`}.`, { type: 'success' });
      setNoteFor(null);
      setNote('');
      setBlocked(null);
      setReason('');
    } catch (e) {
      const err = e as { status?: number; body?: { error?: { code?: string; message?: string; details?: NonNullable<typeof blocked> } } };
      if (err.status === 409 && err.body?.error?.code === 'approval_blocked' && err.body.error.details) {
        setBlocked({ ...err.body.error.details, message: err.body.error.message ?? '' });
        return;
      }
      notify(errorMessage(e), { type: 'error' });
    } finally {
      setBusy(null);
    }
  }

  const dirtyHint = isDirty ? 'Save your changes first' : '';
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1, alignItems: 'flex-end' }}>
      <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', justifyContent: 'flex-end' }}>
        {allowed.map((to) => {
          const refused = to === 'approved' && approvalRefused;
          const needsNote = to === 'changes_requested' || to === 'archived';
          return (
            <Tooltip key={to} title={refused ? (record.approval.reason ?? 'You cannot approve this article.') : dirtyHint}>
              <span>
                <Button
                  variant={to === 'approved' || to === 'in_review' ? 'contained' : 'outlined'}
                  color={to === 'approved' ? 'success' : to === 'archived' || to === 'changes_requested' ? 'warning' : 'primary'}
                  disabled={refused || isDirty || busy !== null || (to === 'in_review' && guarded.checking)}
                  onClick={() => (needsNote ? setNoteFor(to) : to === 'in_review' ? guarded.start() : run(to))}
                  data-transition={to}
                >
                  {TRANSITION_LABELS[to] ?? STATUS_LABELS[to]}
                </Button>
              </span>
            </Tooltip>
          );
        })}
      </Box>
      {approvalRefused ? (
        <Alert severity="info" sx={{ maxWidth: 560 }} data-testid="approval-refused">
          {record.approval.reason ?? 'You cannot approve this article.'}
        </Alert>
      ) : null}
      {guarded.dialog}
      <Dialog open={blocked !== null} onClose={() => setBlocked(null)} fullWidth maxWidth="sm" aria-labelledby="approval-blocked-title">
        <DialogTitle id="approval-blocked-title">Approve with open issues?</DialogTitle>
        <DialogContent>
          <Alert severity="warning" sx={{ mb: 1 }} data-testid="approval-blocked">
            {blocked?.message}
          </Alert>
          <Box component="ul" sx={{ m: 0, pl: 2.5, fontSize: '0.9rem' }}>
            {blocked?.openErrors.map((e, i) => (
              <li key={`e${i}`}>
                {e.paragraphIndex < 0 ? 'Title' : `¶ ${e.paragraphIndex + 1}`}: {e.message}
              </li>
            ))}
            {blocked?.openComments.map((c) => (
              <li key={`c${c.id}`}>
                Comment{c.paragraphIndex == null ? '' : ` on ¶ ${c.paragraphIndex + 1}`}: {c.body}
              </li>
            ))}
          </Box>
          <TextField autoFocus fullWidth multiline minRows={2} required id="override-reason" label="Reason for approving anyway (recorded in the audit log)" value={reason} onChange={(e) => setReason(e.target.value)} sx={{ mt: 2 }} />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setBlocked(null)}>Cancel</Button>
          <Button variant="contained" color="success" disabled={busy !== null || reason.trim() === ''} onClick={() => run('approved', undefined, { reason: reason.trim() })} data-testid="approve-override">
            Approve anyway
          </Button>
        </DialogActions>
      </Dialog>
      <Dialog open={noteFor !== null} onClose={() => setNoteFor(null)} fullWidth maxWidth="sm">
        <DialogTitle>{noteFor === 'archived' ? 'Archive this article?' : 'Request changes'}</DialogTitle>
        <DialogContent>
          <TextField
            autoFocus
            fullWidth
            multiline
            minRows={3}
            id="transition-note"
            label={noteFor === 'archived' ? 'Note (optional)' : 'What should the editor change?'}
            required={noteFor === 'changes_requested'}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            sx={{ mt: 1 }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setNoteFor(null)}>Cancel</Button>
          <Button
            variant="contained"
            color="warning"
            disabled={busy !== null || (noteFor === 'changes_requested' && note.trim() === '')}
            onClick={() => noteFor && run(noteFor, note.trim() || undefined)}
          >
            {noteFor === 'archived' ? 'Archive' : 'Request changes'}
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
