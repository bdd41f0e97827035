import { Button, Chip, CircularProgress, Stack, Typography } from '@mui/material';
import RefreshIcon from '@mui/icons-material/Refresh';
import { countBySeverity } from './severity';
import type { Finding } from './types';

/** The article's QA totals (errors, warnings, info) and a "Re-check" button. */
export function QaSummary({ findings, fetching, failed, onRecheck }: { findings: readonly Finding[]; fetching: boolean; failed: boolean; onRecheck: () => void }) {
  const c = countBySeverity(findings);
  const paragraphs = new Set(findings.filter((f) => f.paragraphIndex >= 0).map((f) => f.paragraphIndex)).size;
  const inTitle = findings.some((f) => f.paragraphIndex < 0);
  const where = [paragraphs > 0 ? `${paragraphs} paragraph${paragraphs === 1 ? '' : 's'}` : '', inTitle ? 'the title' : ''].filter(Boolean).join(' and ');
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }} data-testid="qa-summary" aria-live="polite">
      <Typography variant="body2" sx={{ fontWeight: 600 }}>
        Quality checks:
      </Typography>
      {failed ? (
        <Typography variant="body2" color="error">
          could not run
        </Typography>
      ) : findings.length === 0 ? (
        <Chip size="small" color="success" variant="outlined" label={fetching ? 'checking…' : 'no findings'} />
      ) : (
        <>
          <Chip size="small" color="error" variant={c.error ? 'filled' : 'outlined'} label={`${c.error} error${c.error === 1 ? '' : 's'}`} data-testid="qa-errors" />
          <Chip size="small" color="warning" variant={c.warning ? 'filled' : 'outlined'} label={`${c.warning} warning${c.warning === 1 ? '' : 's'}`} data-testid="qa-warnings" />
          {c.info ? <Chip size="small" color="info" variant="outlined" label={`${c.info} info`} /> : null}
          <Typography variant="body2" color="text.secondary">
            in {where}
          </Typography>
        </>
      )}
      <Button size="small" onClick={onRecheck} disabled={fetching} startIcon={fetching ? <CircularProgress size={14} /> : <RefreshIcon fontSize="small" />}>
        Re-check
      </Button>
    </Stack>
  );
}
