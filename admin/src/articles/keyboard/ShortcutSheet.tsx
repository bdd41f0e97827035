import { Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import { displayKeys, SHORTCUTS } from './shortcuts';

/** Whether this is a Mac (⌘ instead of Ctrl in the sheet). */
export const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

/** Every editor shortcut, from the same table the key handler matches. Opened with `?` or the help button. */
export function ShortcutSheet({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} maxWidth="sm" fullWidth aria-labelledby="shortcut-sheet-title">
      <DialogTitle id="shortcut-sheet-title">Keyboard shortcuts</DialogTitle>
      <DialogContent>
        <Table size="small" data-testid="shortcut-sheet">
          <TableHead>
            <TableRow>
              <TableCell sx={{ width: '11rem' }}>Keys</TableCell>
              <TableCell>What it does</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {SHORTCUTS.map((s) => (
              <TableRow key={s.id} data-shortcut={s.id}>
                <TableCell>
                  <Box component="kbd" sx={{ fontFamily: 'monospace', fontSize: '0.85rem', px: 0.75, py: 0.25, border: '1px solid', borderColor: 'divider', borderRadius: 1, bgcolor: 'grey.50', whiteSpace: 'nowrap' }}>
                    {displayKeys(s.keys, IS_MAC)}
                  </Box>
                </TableCell>
                <TableCell>{s.description}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} autoFocus>
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
}
