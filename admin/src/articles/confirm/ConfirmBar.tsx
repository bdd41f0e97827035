import { useMemo, type ReactNode } from 'react';
import { Box, Button, Checkbox, FormControlLabel, GlobalStyles, LinearProgress, Paper, Typography } from '@mui/material';
import { useWatch } from 'react-hook-form';
import type { Finding } from '../../qa/types';
import type { ArticleFormValues, ArticleRecord } from '../../types';
import { useConfirm } from './ConfirmContext';
import { countProgress, progressText, ROW_FILTERS, rowsOf, rowVisible } from './progress';

/**
 * Progress ("7 of 11 confirmed", the title counted with the paragraphs) and
 * the row filters, at the top of the workspace. Filtered-out paragraph rows
 * are hidden with a style rule, never unmounted, so their unsaved text stays
 * in the form. `children` go at the right end (the shortcut help button).
 */
export function ConfirmBar({ record, byParagraph, children }: { record: ArticleRecord; byParagraph: ReadonlyMap<number, readonly Finding[]>; children?: ReactNode }) {
  const api = useConfirm();
  const [title, paragraphs] = useWatch<ArticleFormValues, ['title', 'paragraphs']>({ name: ['title', 'paragraphs'] });
  const rows = useMemo(() => rowsOf(record, { title, paragraphs }), [record, title, paragraphs]);
  if (!api) return null;
  const progress = countProgress(rows, api.confirmedSaved);
  const percent = progress.total === 0 ? 0 : (100 * progress.confirmed) / progress.total;
  const hidden = rows.filter((r) => r.index >= 0 && !rowVisible(r, api.filters, api.confirmedSaved, (i) => byParagraph.get(i)?.length ?? 0)).map((r) => r.index);
  const shown = rows.length - 1 - hidden.length;
  const rule = hidden.map((i) => `[data-paragraph-index="${i}"]`).join(',');
  return (
    <Paper variant="outlined" sx={{ mt: 2, px: 2, py: 1, display: 'flex', alignItems: 'center', gap: 2, flexWrap: 'wrap' }} data-testid="confirm-bar">
      {rule ? <GlobalStyles styles={{ [rule]: { display: 'none !important' } }} /> : null}
      <Box sx={{ flex: '0 1 260px', minWidth: 200 }}>
        <Typography variant="body2" role="status" aria-live="polite" data-testid="confirm-progress" sx={{ fontWeight: 600 }}>
          {api.loaded ? progressText(progress) : 'Loading confirmations…'}
        </Typography>
        <LinearProgress variant="determinate" value={percent} color={progress.confirmed === progress.total ? 'success' : 'primary'} aria-label={`${progressText(progress)} (title and paragraphs)`} sx={{ mt: 0.5, height: 8, borderRadius: 4 }} />
      </Box>
      <Box sx={{ display: 'flex', alignItems: 'center', flexWrap: 'wrap' }} role="group" aria-label="Show only">
        {ROW_FILTERS.map((f) => (
          <FormControlLabel
            key={f.id}
            control={<Checkbox size="small" checked={api.filters.has(f.id)} onChange={() => api.toggleFilter(f.id)} slotProps={{ input: { 'data-filter': f.id } as object }} />}
            label={f.label}
          />
        ))}
        {api.filters.size > 0 ? (
          <>
            <Typography variant="body2" color="text.secondary" data-testid="filter-count">
              {shown} of {rows.length - 1} shown{shown === 0 ? ': no paragraph matches these filters' : ''}
            </Typography>
            <Button size="small" onClick={api.clearFilters} data-testid="filter-show-all" sx={{ ml: 1 }}>
              Show all
            </Button>
          </>
        ) : null}
      </Box>
      <Box sx={{ ml: 'auto' }}>{children}</Box>
    </Paper>
  );
}
