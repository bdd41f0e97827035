import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, Typography } from '@mui/material';
import { diffParagraph } from '../../../server/policy/textDiff';
import type { VersionConflict } from '../types';
import { DiffText } from './DiffText';
import { readingSx } from './ParagraphRow';

/**
 * Shown when a save answers 409 version_conflict: what the other person changed
 * since this editor's version, paragraph by paragraph. It cannot be dismissed
 * without a choice, so nothing is lost silently.
 */
export function ConflictDialog({
  conflict,
  mine,
  onKeepMine,
  onDiscard,
}: {
  conflict: VersionConflict;
  /** The editor's unsaved text per paragraph index (only paragraphs they changed). */
  mine: Record<number, string>;
  onKeepMine: () => void;
  onDiscard: () => void;
}) {
  const who = conflict.current.assigneeName;
  const both = conflict.paragraphs.filter((p) => mine[p.index] !== undefined);
  return (
    <Dialog open maxWidth="md" fullWidth aria-labelledby="conflict-title">
      <DialogTitle id="conflict-title">Someone else saved this article while you were editing</DialogTitle>
      <DialogContent dividers>
        <Typography gutterBottom>
          You edited version {conflict.baseVersion}; the article is now at version {conflict.currentVersion}
          {who ? ` (assigned to ${who})` : ''}. Your text has not been saved yet and is still in the editor.
        </Typography>
        {Object.keys(mine).length > 0 ? (
          <Typography gutterBottom data-testid="conflict-mine">
            Your unsaved changes: paragraph{Object.keys(mine).length > 1 ? 's' : ''} {Object.keys(mine).map((i) => Number(i) + 1).join(', ')}.
          </Typography>
        ) : null}
        {both.length > 0 ? (
          <Alert severity="warning" sx={{ mb: 2 }}>
            You both changed paragraph{both.length > 1 ? 's' : ''} {both.map((p) => p.index + 1).join(', ')}. Keeping your text replaces theirs in
            {both.length > 1 ? ' those paragraphs' : ' that paragraph'}.
          </Alert>
        ) : null}
        {conflict.title ? (
          <Box sx={{ mb: 2 }}>
            <Typography variant="subtitle2">Title</Typography>
            <DiffText parts={diffParagraph(conflict.title.base, conflict.title.current).parts} />
          </Box>
        ) : null}
        {conflict.paragraphs.length === 0 && !conflict.title ? <Typography>They changed the assignment or status only; no text changed.</Typography> : null}
        {conflict.paragraphs.map((p) => (
          <Box key={p.index} sx={{ mb: 2 }} data-testid={`conflict-paragraph-${p.index}`}>
            <Typography variant="subtitle2">Paragraph {p.index + 1}: their change</Typography>
            <Box sx={{ ...readingSx, p: 1, bgcolor: 'grey.50', borderRadius: 1 }}>
              <DiffText parts={p.diff.parts} />
            </Box>
            {mine[p.index] !== undefined ? (
              <>
                <Typography variant="subtitle2" sx={{ mt: 1 }}>
                  Your unsaved text
                </Typography>
                <Box sx={{ ...readingSx, p: 1, bgcolor: '#f3f8ff', borderRadius: 1, whiteSpace: 'pre-wrap' }}>{mine[p.index]}</Box>
              </>
            ) : null}
          </Box>
        ))}
      </DialogContent>
      <DialogActions>
        <Button onClick={onDiscard} color="error">
          Discard my changes
        </Button>
        <Button onClick={onKeepMine} variant="contained" autoFocus>
          Keep my text on top of the new version
        </Button>
      </DialogActions>
    </Dialog>
  );
}
