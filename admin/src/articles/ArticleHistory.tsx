import { useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Paper,
  Radio,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from '@mui/material';
import RestoreIcon from '@mui/icons-material/Restore';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useDataProvider, useGetList, useNotify } from 'react-admin';
import type { CopydeskDataProvider } from '../dataProvider';
import { errorMessage } from '../httpClient';
import type { ArticleRecord, CompareResult, RevisionRow } from '../types';
import { storeArticle } from './articleCache';
import { DiffText } from './DiffText';
import { readingSx } from './ParagraphRow';
import { formatRate } from './statuses';

const KIND_LABELS: Record<RevisionRow['kind'], string> = { import: 'Import', mt_update: 'MT update', edit: 'Edit', restore: 'Restore', bulk_replace: 'Bulk replace', review: 'Review' };
const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const changed = (d: CompareResult['paragraphs'][number]['diff']) => d.parts.some((p) => p.op !== 'eq');

function CompareView({ result, mode }: { result: CompareResult; mode: 'side' | 'inline' }) {
  const rows = [{ key: 'title', label: 'Title', diff: result.title }, ...result.paragraphs.map((p) => ({ key: String(p.index), label: `¶ ${p.index + 1}`, diff: p.diff }))];
  const changedCount = result.paragraphs.filter((p) => changed(p.diff)).length;
  return (
    <Box data-testid="compare-view">
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        Revision {result.from.number} → revision {result.to.number}: {changedCount} paragraph{changedCount === 1 ? '' : 's'} changed.
      </Typography>
      {mode === 'side' ? (
        <Box sx={{ display: 'grid', gridTemplateColumns: '3rem minmax(0,1fr) minmax(0,1fr)', columnGap: 2 }}>
          <span />
          <Typography variant="subtitle2">
            Older · revision {result.from.number} ({result.from.authorName ?? 'system'})
          </Typography>
          <Typography variant="subtitle2">
            Newer · revision {result.to.number} ({result.to.authorName ?? 'system'})
          </Typography>
          {rows.map((r) => {
            const diff = changed(r.diff);
            return (
              <Box key={r.key} sx={{ display: 'contents', '& > *': { py: 1, borderTop: '1px solid', borderColor: 'divider', opacity: diff ? 1 : 0.55 } }}>
                <Typography variant="body2" color="text.secondary" sx={{ textAlign: 'right' }}>
                  {r.label}
                </Typography>
                <Box sx={readingSx} data-side="old">
                  <DiffText parts={r.diff.parts} show="old" />
                </Box>
                <Box sx={readingSx} data-side="new">
                  <DiffText parts={r.diff.parts} show="new" />
                </Box>
              </Box>
            );
          })}
        </Box>
      ) : (
        <Box sx={{ display: 'grid', gridTemplateColumns: '3rem minmax(0,1fr)', columnGap: 2 }}>
          {rows.map((r) => (
            <Box key={r.key} sx={{ display: 'contents', '& > *': { py: 1, borderTop: '1px solid', borderColor: 'divider', opacity: changed(r.diff) ? 1 : 0.55 } }}>
              <Typography variant="body2" color="text.secondary" sx={{ textAlign: 'right' }}>
                {r.label}
              </Typography>
              <Box sx={readingSx}>
                <DiffText parts={r.diff.parts} />
              </Box>
            </Box>
          ))}
        </Box>
      )}
    </Box>
  );
}

/**
 * The revisions of an article: pick two and compare them (older on the left),
 * or restore one. Restoring writes a new revision; history is never rewritten.
 */
export default function ArticleHistory({ record, dirty, canRestore }: { record: ArticleRecord; dirty: boolean; canRestore: boolean }) {
  const { data: revisions = [], isPending } = useGetList<RevisionRow>('revisions', {
    filter: { articleId: record.id },
    sort: { field: 'number', order: 'DESC' },
    pagination: { page: 1, perPage: 500 },
  });
  const [pickedFrom, setFrom] = useState<number | null>(null);
  const [pickedTo, setTo] = useState<number | null>(null);
  const [mode, setMode] = useState<'side' | 'inline'>('side');
  const [asked, setAsked] = useState<{ from: number; to: number } | null>(null);
  const [restoring, setRestoring] = useState<RevisionRow | null>(null);
  const [busy, setBusy] = useState(false);
  const dataProvider = useDataProvider<CopydeskDataProvider>();
  const queryClient = useQueryClient();
  const notify = useNotify();

  // Until the user picks, the two latest revisions are compared.
  const from = pickedFrom ?? (revisions.length >= 2 ? revisions[1].id : null);
  const to = pickedTo ?? (revisions.length >= 2 ? revisions[0].id : null);

  const byId = new Map(revisions.map((r) => [r.id, r]));
  const a = from !== null ? byId.get(from) : undefined;
  const b = to !== null ? byId.get(to) : undefined;
  // Older on the left whatever order they were picked in.
  const pair = a && b ? (a.number <= b.number ? { from: a.id, to: b.id } : { from: b.id, to: a.id }) : null;

  const compare = useQuery({
    queryKey: ['articles', 'compare', record.id, asked?.from, asked?.to],
    queryFn: () => dataProvider.compare(record.id, asked!.from, asked!.to),
    enabled: asked !== null,
  });

  const restore = async () => {
    if (!restoring) return;
    setBusy(true);
    try {
      const next = await dataProvider.restore(record.id, { revisionId: restoring.id, version: record.version });
      storeArticle(queryClient, next);
      notify(`Revision ${restoring.number} restored as revision ${next.revisionCount}.`, { type: 'success' });
      setRestoring(null);
    } catch (e) {
      notify(errorMessage(e), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  const latest = revisions[0]?.number;
  return (
    <Box>
      <Paper variant="outlined" sx={{ mb: 2, overflowX: 'auto' }}>
        <Table size="small" aria-label="Revisions">
          <TableHead>
            <TableRow>
              <TableCell padding="checkbox">From</TableCell>
              <TableCell padding="checkbox">To</TableCell>
              <TableCell>#</TableCell>
              <TableCell>Kind</TableCell>
              <TableCell>Author</TableCell>
              <TableCell>When</TableCell>
              <TableCell>Note</TableCell>
              <TableCell align="right">Edit rate</TableCell>
              <TableCell align="right">+ / − / ~ words</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {isPending ? (
              <TableRow>
                <TableCell colSpan={10}>Loading…</TableCell>
              </TableRow>
            ) : null}
            {revisions.map((r) => (
              <TableRow key={r.id} hover selected={r.id === from || r.id === to} data-revision={r.number}>
                <TableCell padding="checkbox">
                  <Radio checked={from === r.id} onChange={() => setFrom(r.id)} slotProps={{ input: { 'aria-label': `Compare from revision ${r.number}` } }} size="small" />
                </TableCell>
                <TableCell padding="checkbox">
                  <Radio checked={to === r.id} onChange={() => setTo(r.id)} slotProps={{ input: { 'aria-label': `Compare to revision ${r.number}` } }} size="small" />
                </TableCell>
                <TableCell>{r.number}</TableCell>
                <TableCell>
                  {KIND_LABELS[r.kind] ?? r.kind}
                  {r.kind === 'restore' && r.restoredFromId ? ` (of #${byId.get(r.restoredFromId)?.number ?? '?'})` : ''}
                </TableCell>
                <TableCell>{r.authorName ?? 'system'}</TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{when(r.createdAt)}</TableCell>
                <TableCell sx={{ maxWidth: 280, whiteSpace: 'pre-wrap' }}>{r.note ?? ''}</TableCell>
                <TableCell align="right">{formatRate(r.editRate)}</TableCell>
                <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
                  +{r.wordsInserted} / −{r.wordsDeleted} / ~{r.wordsSubstituted}
                </TableCell>
                <TableCell align="right">
                  {canRestore && r.number !== latest ? (
                    <Button size="small" startIcon={<RestoreIcon />} disabled={dirty || record.status === 'archived'} onClick={() => setRestoring(r)} aria-label={`Restore revision ${r.number}`}>
                      Restore
                    </Button>
                  ) : null}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Paper>
      {dirty && canRestore ? (
        <Alert severity="info" sx={{ mb: 2 }}>
          Save or discard your changes before restoring a revision.
        </Alert>
      ) : null}
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', mb: 2 }}>
        <Button variant="contained" disabled={!pair || pair.from === pair.to} onClick={() => pair && setAsked(pair)}>
          Compare selected
        </Button>
        <ToggleButtonGroup size="small" exclusive value={mode} onChange={(_e, v) => v && setMode(v)} aria-label="Comparison layout">
          <ToggleButton value="side">Side by side</ToggleButton>
          <ToggleButton value="inline">Inline</ToggleButton>
        </ToggleButtonGroup>
      </Box>
      {compare.isError ? <Alert severity="error">{errorMessage(compare.error)}</Alert> : null}
      {compare.data ? <CompareView result={compare.data} mode={mode} /> : null}
      <Dialog open={restoring !== null} onClose={() => setRestoring(null)}>
        <DialogTitle>Restore revision {restoring?.number}?</DialogTitle>
        <DialogContent>
          <Typography>
            The article’s title and text become those of revision {restoring?.number}, saved as a new revision {latest !== undefined ? latest + 1 : ''}. No revision is deleted; you can
            restore the current text again later.
          </Typography>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setRestoring(null)}>Cancel</Button>
          <Button variant="contained" onClick={restore} disabled={busy}>
            Restore
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
