import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle } from '@mui/material';
import type { SubmitCheck } from './ConfirmContext';

const where = (i: number) => (i < 0 ? 'Title' : `¶ ${i + 1}`);

/**
 * Asked before submitting an article with unconfirmed paragraphs or open
 * error findings (the lines come from `submitWarnings` in shared/gates.ts).
 * The server never refuses such a submit; this is the editor's last look.
 * Cancel has the focus, so a stray Enter does not submit.
 */
export function SubmitWarningDialog({ check, busy, onCancel, onSubmit }: { check: SubmitCheck | null; busy: boolean; onCancel: () => void; onSubmit: () => void }) {
  return (
    <Dialog open={check !== null} onClose={onCancel} fullWidth maxWidth="sm" aria-labelledby="submit-warning-title" aria-describedby="submit-warning-lines">
      <DialogTitle id="submit-warning-title">Submit with open points?</DialogTitle>
      <DialogContent>
        <Alert severity="warning" sx={{ mb: 1 }} id="submit-warning-lines" data-testid="submit-warnings">
          {check?.lines.map((l) => (
            <div key={l}>{l}</div>
          ))}
        </Alert>
        {check && check.unconfirmed.length > 0 ? (
          <Box sx={{ fontSize: '0.9rem', mb: 1 }} data-testid="submit-unconfirmed">
            <strong>Not confirmed:</strong> {check.unconfirmed.map(where).join(', ')}
          </Box>
        ) : null}
        {check && check.errors.length > 0 ? (
          <Box component="ul" sx={{ m: 0, pl: 2.5, fontSize: '0.9rem' }} data-testid="submit-errors" aria-label="Open error findings">
            {check.errors.map((f, i) => (
              <li key={i}>
                {where(f.paragraphIndex)}: {f.message}
              </li>
            ))}
          </Box>
        ) : null}
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel} autoFocus data-testid="submit-cancel">
          Cancel
        </Button>
        <Button variant="contained" disabled={busy} onClick={onSubmit} data-testid="submit-anyway">
          Submit anyway
        </Button>
      </DialogActions>
    </Dialog>
  );
}
