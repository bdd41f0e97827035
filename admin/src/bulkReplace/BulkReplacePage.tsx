import { useState, type FormEvent } from 'react';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormLabel,
  Stack,
  Switch,
  TextField,
  Typography,
} from '@mui/material';
import { Link } from 'react-router-dom';
import { Title, useDataProvider, useNotify } from 'react-admin';
import { DiffText } from '../articles/DiffText';
import { StatusChip } from '../articles/StatusChip';
import { STATUS_LABELS } from '../articles/statuses';
import type { CopydeskDataProvider } from '../dataProvider';
import { errorMessage } from '../httpClient';
import { BULK_STATUSES, type BulkApplyResult, type BulkPattern, type BulkPreview, type BulkStatus } from './types';

const SKIP_REASONS: Record<BulkApplyResult['skipped'][number]['reason'], string> = {
  version_conflict: 'changed since the preview',
  not_found: 'no longer exists',
  status: 'no longer editable in bulk',
  no_match: 'no longer matches',
  too_long: 'a paragraph would grow too long',
  empty_title: 'the title would be empty',
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const samePattern = (a: BulkPattern, b: BulkPattern) =>
  a.find === b.find && a.replace === b.replace && !!a.regex === !!b.regex && !!a.caseSensitive === !!b.caseSensitive && !!a.includeTitles === !!b.includeTitles;

/**
 * Find and replace across the articles not yet approved. Preview lists every
 * matching paragraph as a word diff; the reviewer unticks articles to leave
 * out, then applies: each article gets one bulk_replace revision, and an
 * article someone changed since the preview is skipped (its version moved).
 */
export default function BulkReplacePage() {
  const dataProvider = useDataProvider<CopydeskDataProvider>();
  const notify = useNotify();
  const [pattern, setPattern] = useState<BulkPattern>({ find: '', replace: '', regex: false, caseSensitive: false, includeTitles: false });
  const [statuses, setStatuses] = useState<Set<BulkStatus>>(new Set(BULK_STATUSES));
  const [preview, setPreview] = useState<{ pattern: BulkPattern; data: BulkPreview } | null>(null);
  const [excluded, setExcluded] = useState<Set<number>>(new Set());
  const [result, setResult] = useState<BulkApplyResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const runPreview = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const data = await dataProvider.bulkReplacePreview({ ...pattern, statuses: BULK_STATUSES.filter((s) => statuses.has(s)) });
      setPreview({ pattern, data });
      setExcluded(new Set());
    } catch (err) {
      setError(errorMessage(err));
      setPreview(null);
    } finally {
      setBusy(false);
    }
  };

  const chosen = preview ? preview.data.matches.filter((m) => !excluded.has(m.articleId)) : [];
  const stale = preview !== null && !samePattern(preview.pattern, pattern);

  const apply = async () => {
    if (!preview) return;
    setConfirming(false);
    setBusy(true);
    setError(null);
    try {
      const r = await dataProvider.bulkReplaceApply({ ...preview.pattern, articles: chosen.map((m) => ({ id: m.articleId, version: m.version })) });
      setResult(r);
      setPreview(null);
      notify(`Replaced in ${r.applied.length} article${r.applied.length === 1 ? '' : 's'}${r.skipped.length ? `; ${r.skipped.length} skipped` : ''}.`, { type: r.skipped.length ? 'warning' : 'success' });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const toggleArticle = (id: number, include: boolean) =>
    setExcluded((s) => {
      const next = new Set(s);
      if (include) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <Box sx={{ width: '100%', maxWidth: 1200, mx: 'auto', p: { xs: 1, md: 2 }, display: 'grid', gap: 2 }}>
      <Title title="Bulk replace" />
      <Typography variant="h5" component="h1">
        Bulk replace
      </Typography>
      <Card variant="outlined" component="form" onSubmit={(e: FormEvent) => void runPreview(e)} aria-label="Find and replace">
        <CardContent sx={{ display: 'grid', gap: 2 }}>
          <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
            <TextField label="Find" value={pattern.find} onChange={(e) => setPattern({ ...pattern, find: e.target.value })} required fullWidth slotProps={{ htmlInput: { spellCheck: false } }} />
            <TextField label="Replace with" value={pattern.replace} onChange={(e) => setPattern({ ...pattern, replace: e.target.value })} fullWidth helperText={pattern.regex ? 'Use $1, $2… for captured groups.' : undefined} slotProps={{ htmlInput: { spellCheck: false } }} />
          </Stack>
          <Stack direction="row" spacing={3}>
            <FormControlLabel control={<Switch checked={!!pattern.regex} onChange={(e) => setPattern({ ...pattern, regex: e.target.checked })} />} label="Regular expression" />
            <FormControlLabel control={<Switch checked={!!pattern.caseSensitive} onChange={(e) => setPattern({ ...pattern, caseSensitive: e.target.checked })} />} label="Match case" />
            <FormControlLabel control={<Switch checked={!!pattern.includeTitles} onChange={(e) => setPattern({ ...pattern, includeTitles: e.target.checked })} />} label="Include titles" />
          </Stack>
          <Stack direction="row">
            <FormControl component="fieldset">
              <FormLabel component="legend" sx={{ fontSize: '0.8rem' }}>
                In articles that are
              </FormLabel>
              <FormGroup row>
                {BULK_STATUSES.map((s) => (
                  <FormControlLabel
                    key={s}
                    control={
                      <Checkbox
                        size="small"
                        checked={statuses.has(s)}
                        onChange={(e) =>
                          setStatuses((cur) => {
                            const next = new Set(cur);
                            if (e.target.checked) next.add(s);
                            else next.delete(s);
                            return next;
                          })
                        }
                      />
                    }
                    label={STATUS_LABELS[s]}
                  />
                ))}
              </FormGroup>
            </FormControl>
          </Stack>
          <Box>
            <Button type="submit" variant="contained" disabled={busy || pattern.find === '' || statuses.size === 0}>
              {busy && !preview ? 'Searching…' : 'Preview'}
            </Button>
          </Box>
        </CardContent>
      </Card>

      {error ? (
        <Alert severity="error" data-testid="bulk-error">
          {error}
        </Alert>
      ) : null}

      {result ? (
        <Alert severity={result.skipped.length ? 'warning' : 'success'} data-testid="bulk-result">
          <strong>
            Replaced in {result.applied.length} article{result.applied.length === 1 ? '' : 's'} ({plural(result.applied.reduce((n, a) => n + a.replacements, 0), 'replacement')}).
          </strong>
          <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
            {result.applied.map((a) => (
              <li key={a.articleId}>
                <Link to={`/articles/${a.articleId}`}>Article #{a.articleId}</Link>: {a.replacements} replacement{a.replacements === 1 ? '' : 's'}, new revision
              </li>
            ))}
            {result.skipped.map((s) => (
              <li key={s.articleId} data-testid={`bulk-skipped-${s.articleId}`}>
                <Link to={`/articles/${s.articleId}`}>Article #{s.articleId}</Link> skipped ({SKIP_REASONS[s.reason]}): {s.message}
              </li>
            ))}
          </Box>
        </Alert>
      ) : null}

      {preview ? (
        <Box sx={{ display: 'grid', gap: 1.5 }} data-testid="bulk-preview">
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap', position: 'sticky', top: 48, zIndex: 2, bgcolor: 'background.default', py: 1 }}>
            <Typography variant="subtitle1" data-testid="bulk-totals">
              {preview.data.totalReplacements} replacement{preview.data.totalReplacements === 1 ? '' : 's'} in {preview.data.totalArticles} article{preview.data.totalArticles === 1 ? '' : 's'}
              {preview.pattern.includeTitles ? ', titles included' : ', paragraphs only (titles unchanged)'}
            </Typography>
            <Button variant="contained" color="warning" disabled={busy || stale || chosen.length === 0} onClick={() => setConfirming(true)}>
              Apply to {chosen.length} article{chosen.length === 1 ? '' : 's'}
            </Button>
            {stale ? <Typography color="warning.main" variant="body2">The pattern changed: preview again before applying.</Typography> : null}
          </Stack>
          {preview.data.truncated ? <Alert severity="warning">More than {preview.data.limit} articles match; only the first {preview.data.limit} are listed. Narrow the search, apply, then preview again.</Alert> : null}
          {preview.data.matches.length === 0 ? <Alert severity="info">No article matches.</Alert> : null}
          {preview.data.matches.map((m) => {
            const included = !excluded.has(m.articleId);
            return (
              <Card key={m.articleId} variant="outlined" sx={{ opacity: included ? 1 : 0.55 }} data-testid={`bulk-article-${m.articleId}`}>
                <CardContent sx={{ py: 1.5, '&:last-child': { pb: 1.5 } }}>
                  <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                    <Checkbox checked={included} onChange={(e) => toggleArticle(m.articleId, e.target.checked)} slotProps={{ input: { 'aria-label': `Include article #${m.articleId} ${m.title}` } }} />
                    <Typography variant="subtitle1" sx={{ fontWeight: 600 }}>
                      <Link to={`/articles/${m.articleId}`}>#{m.articleId}</Link> {m.title}
                    </Typography>
                    <StatusChip status={m.status} />
                    <Typography variant="body2" color="text.secondary">
                      {m.replacements} replacement{m.replacements === 1 ? '' : 's'}
                    </Typography>
                  </Stack>
                  <Box sx={{ display: 'grid', gap: 0.75, pl: 6 }}>
                    {m.titleChange ? (
                      <Box sx={{ display: 'grid', gridTemplateColumns: '2.5rem 1fr', gap: 1, fontFamily: '"Source Serif 4", Georgia, serif', lineHeight: 1.6, fontWeight: 600 }}>
                        <Typography variant="body2" color="text.secondary" sx={{ textAlign: 'right', pt: '2px' }}>
                          Title
                        </Typography>
                        <Box data-testid={`bulk-diff-${m.articleId}-title`}>
                          <DiffText parts={m.titleChange.diff.parts} />
                        </Box>
                      </Box>
                    ) : null}
                    {m.paragraphs.map((p) => (
                      <Box key={p.index} sx={{ display: 'grid', gridTemplateColumns: '2.5rem 1fr', gap: 1, fontFamily: '"Source Serif 4", Georgia, serif', lineHeight: 1.6 }}>
                        <Typography variant="body2" color="text.secondary" sx={{ textAlign: 'right', pt: '2px' }}>
                          ¶{p.index + 1}
                        </Typography>
                        <Box data-testid={`bulk-diff-${m.articleId}-${p.index}`}>
                          <DiffText parts={p.diff.parts} />
                        </Box>
                      </Box>
                    ))}
                  </Box>
                </CardContent>
              </Card>
            );
          })}
        </Box>
      ) : null}

      <Dialog open={confirming} onClose={() => setConfirming(false)} aria-labelledby="bulk-confirm-title">
        <DialogTitle id="bulk-confirm-title">Apply the replacement?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Each of the {chosen.length} article{chosen.length === 1 ? '' : 's'} gets a new revision by you ({chosen.reduce((n, m) => n + m.replacements, 0)} replacements). Articles changed since the preview are skipped. Revisions can be restored from each article's history.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)}>Cancel</Button>
          <Button variant="contained" color="warning" onClick={() => void apply()}>
            Apply
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
