import { useMemo, useState } from 'react';
import { Alert, Box, Button, Divider, Paper, Stack, ToggleButton, ToggleButtonGroup, Tooltip, Typography } from '@mui/material';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Loading, useDataProvider, useNotify } from 'react-admin';
import type { CopydeskDataProvider } from '../../dataProvider';
import { errorMessage } from '../../httpClient';
import { useRole } from '../../useRole';
import type { ArticleRecord } from '../../types';
import { storeArticle } from '../articleCache';
import { ChangeDecision, TrackedText, type DecisionState } from './TrackedText';
import type { ReviewBaseline, ReviewView } from './types';

const time = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
const day = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Texts of the view that have changes: the title first, then the paragraphs, in order. */
function changedTexts(view: ReviewView) {
  return [{ key: 'title', label: 'Title', text: view.title }, ...view.paragraphs.map((p) => ({ key: `p${p.index}`, label: `¶ ${p.index + 1}`, text: p }))].filter((t) => t.text.changes.length > 0);
}

/** "Edited during review by Maria at 10:42 (revision 5)": the edits made after the submission. */
function EditsBanner({ view }: { view: ReviewView }) {
  if (view.editsDuringReview.length === 0) return null;
  return (
    <Alert severity="warning" data-testid="edited-during-review" sx={{ mb: 2 }}>
      {view.editsDuringReview.map((e) => (
        <div key={e.id}>
          Edited during review by {e.byYou ? 'you' : (e.authorName ?? 'the system')} at {time(e.createdAt)} (revision {e.number}
          {e.kind === 'edit' ? '' : `, ${e.kind.replace('_', ' ')}`}).
        </div>
      ))}
      {view.since === 'approved' ? <div>Paragraphs marked “edited during review” changed after the submission.</div> : null}
    </Alert>
  );
}

/**
 * The Review tab: what changed since the submission or the last approval as
 * tracked changes, a decision per change (a rejection needs a note and sends
 * the article back with the notes as comments), and Approve, which names the
 * revision shown here and refuses if the article changed since it was opened.
 */
export default function ReviewPanel({ record, dirty }: { record: ArticleRecord; dirty: boolean }) {
  const dataProvider = useDataProvider<CopydeskDataProvider>();
  const [since, setSince] = useState<ReviewBaseline>('approved');
  const query = useQuery({ queryKey: ['article-review', record.id, record.version, since], queryFn: () => dataProvider.review(record.id, since), retry: false });
  const view = query.data;
  if (query.isPending) return <Loading />;
  if (query.error || !view) return <Alert severity="error">{errorMessage(query.error, 'The review could not be loaded.')}</Alert>;
  // Keyed by the view: another baseline or version has other change ids, so decisions start over.
  return <ReviewBody key={`${view.version}:${view.since}`} record={record} dirty={dirty} view={view} since={since} setSince={setSince} />;
}

function ReviewBody({ record, dirty, view, since, setSince }: { record: ArticleRecord; dirty: boolean; view: ReviewView; since: ReviewBaseline; setSince: (s: ReviewBaseline) => void }) {
  const dataProvider = useDataProvider<CopydeskDataProvider>();
  const queryClient = useQueryClient();
  const notify = useNotify();
  const canReview = useRole().allows('article.approve');
  const [decisions, setDecisions] = useState<Record<string, DecisionState>>({});
  const [busy, setBusy] = useState(false);
  const [changedSince, setChangedSince] = useState<string | null>(null);
  const texts = useMemo(() => changedTexts(view), [view]);
  const changes = texts.flatMap((t) => t.text.changes);
  const decided = changes.filter((c) => decisions[c.id]).length;
  const rejected = changes.filter((c) => decisions[c.id]?.decision === 'reject');
  const missingNote = rejected.some((c) => decisions[c.id]!.note.trim() === '');
  const canDecide = canReview && record.status === 'in_review' && !dirty;

  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['article-review', record.id] });

  const send = async () => {
    setBusy(true);
    try {
      const body = { since: view.since, version: view.version, decisions: changes.map((c) => ({ changeId: c.id, decision: decisions[c.id]!.decision, ...(decisions[c.id]!.decision === 'reject' ? { note: decisions[c.id]!.note.trim() } : {}) })) };
      const result = await dataProvider.submitReview(record.id, body);
      storeArticle(queryClient, result.article);
      void queryClient.invalidateQueries({ queryKey: ['comments'] });
      notify(result.rejected > 0 ? `${result.rejected} change${result.rejected === 1 ? '' : 's'} reverted; the article went back to the editor with your notes.` : 'All changes accepted.', { type: 'success' });
    } catch (e) {
      notify(errorMessage(e), { type: 'error' });
      refresh();
    } finally {
      setBusy(false);
    }
  };

  const approve = async () => {
    setBusy(true);
    try {
      // Look again first: if someone saved since this view was opened, say so rather than approve.
      const latest = await dataProvider.review(record.id, view.since);
      if (latest.currentRevision.id !== view.currentRevision.id) {
        setChangedSince(`The article changed since you opened it: you are looking at revision ${view.currentRevision.number}, the current revision is ${latest.currentRevision.number}. Reload the review before approving.`);
        return;
      }
      const next = await dataProvider.transition(record.id, { to: 'approved', version: view.version, revisionId: view.currentRevision.id });
      storeArticle(queryClient, next);
      notify(`Approved revision ${view.currentRevision.number}.`, { type: 'success' });
    } catch (e) {
      const err = e as { body?: { error?: { code?: string } } };
      if (err.body?.error?.code === 'revision_changed' || err.body?.error?.code === 'version_conflict') setChangedSince(errorMessage(e));
      else notify(errorMessage(e), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  const approvable = canReview && record.status === 'in_review';

  return (
    <Box data-testid="review-panel">
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 2, flexWrap: 'wrap' }}>
        <ToggleButtonGroup size="small" exclusive value={since} onChange={(_e, v: ReviewBaseline | null) => v && setSince(v)} aria-label="Compare with">
          <ToggleButton value="submitted" disabled={view.submittedRevision === null} data-since="submitted">
            Since submission
          </ToggleButton>
          <ToggleButton value="approved" data-since="approved">
            Since last approval
          </ToggleButton>
        </ToggleButtonGroup>
        <Typography variant="body2" color="text.secondary" data-testid="review-revisions">
          Revision {view.baseRevision.number} ({view.baseRevision.kind === 'import' ? 'imported' : view.since === 'approved' ? 'approved' : 'submitted'} {day(view.baseRevision.createdAt)}) → revision {view.currentRevision.number}
          {view.currentRevision.authorName ? ` by ${view.currentRevision.authorName}` : ''}: {view.changeCount} change{view.changeCount === 1 ? '' : 's'}
        </Typography>
      </Stack>
      <EditsBanner view={view} />
      {changedSince ? (
        <Alert severity="error" sx={{ mb: 2 }} data-testid="review-stale" action={<Button onClick={refresh}>Reload</Button>}>
          {changedSince}
        </Alert>
      ) : null}
      {texts.length === 0 ? <Alert severity="info">No changes since the {view.since === 'approved' ? 'last approval' : 'submission'}.</Alert> : null}
      <Stack spacing={2}>
        {texts.map((t) => (
          <Paper key={t.key} variant="outlined" sx={{ p: 2 }} data-testid={`review-${t.key}`}>
            <Stack direction="row" spacing={1} sx={{ mb: 1, alignItems: 'baseline' }}>
              <Typography variant="subtitle2">{t.label}</Typography>
              {t.text.editedDuringReview ? (
                <Typography variant="caption" color="warning.main">
                  edited during review
                </Typography>
              ) : null}
              {t.text.truncated ? (
                <Typography variant="caption" color="text.secondary">
                  rewritten as a whole (too long to compare word by word)
                </Typography>
              ) : null}
            </Stack>
            <TrackedText text={t.text} label={t.label} />
            <Divider sx={{ my: 1 }} />
            {t.text.changes.map((c) => (
              <ChangeDecision key={c.id} change={c} state={decisions[c.id]} disabled={!canDecide || busy} onChange={(s) => setDecisions((d) => ({ ...d, [c.id]: s }))} />
            ))}
          </Paper>
        ))}
      </Stack>
      {approvable ? (
        <Stack direction="row" spacing={2} sx={{ mt: 2, alignItems: 'center', flexWrap: 'wrap' }}>
          {changes.length > 0 ? (
            <>
              <Button disabled={!canDecide || busy} onClick={() => setDecisions((d) => Object.fromEntries(changes.map((c) => [c.id, d[c.id] ?? { decision: 'accept', note: '' }])))}>
                Accept the rest
              </Button>
              <Tooltip title={dirty ? 'Save your changes first' : decided < changes.length ? 'Decide on every change first' : missingNote ? 'Every rejection needs a note' : ''}>
                <span>
                  <Button variant="contained" color={rejected.length > 0 ? 'warning' : 'primary'} disabled={!canDecide || busy || decided < changes.length || missingNote} onClick={send} data-testid="send-review">
                    {rejected.length > 0 ? `Reject ${rejected.length} and send back` : 'Accept all changes'}
                  </Button>
                </span>
              </Tooltip>
            </>
          ) : null}
          <Box sx={{ flex: 1 }} />
          {!view.approval.allowed ? (
            <Typography variant="body2" color="text.secondary" sx={{ maxWidth: 420 }}>
              {view.approval.reason}
            </Typography>
          ) : null}
          <Tooltip title={rejected.length > 0 ? 'You rejected changes: send the review instead' : ''}>
            <span>
              <Button variant="contained" color="success" disabled={busy || dirty || !view.approval.allowed || rejected.length > 0} onClick={approve} data-testid="review-approve">
                Approve revision {view.currentRevision.number}
              </Button>
            </span>
          </Tooltip>
        </Stack>
      ) : null}
    </Box>
  );
}
