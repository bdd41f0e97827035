import { useState } from 'react';
import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, TextField, ToggleButton, ToggleButtonGroup, Typography } from '@mui/material';
import { diffParagraph } from '../../../shared/textDiff';
import type { VersionConflict } from '../types';
import { DiffText } from './DiffText';
import { readingSx } from './ParagraphRow';

/** What the editor keeps of a paragraph both people changed. */
export type ParagraphChoice = 'mine' | 'theirs' | 'both';

/** The editor's text to lay over the new version: per paragraph index, and the title when they changed it. */
export interface ConflictResolution {
  title?: string;
  paragraphs: Record<number, string>;
}

/** The text a choice leaves in a paragraph; "both" starts the merge with the editor's text, then theirs. */
export function resolvedText(choice: ParagraphChoice, mine: string, theirs: string, merged?: string): string {
  if (choice === 'mine') return mine;
  if (choice === 'theirs') return theirs;
  return merged ?? `${mine}\n\n${theirs}`;
}

/**
 * Shown when a save answers 409 version_conflict: who saved in between, what
 * they changed since this editor's version, and, for each paragraph both
 * changed, a choice of mine, theirs or both (a merge box pre-filled with
 * both). Paragraphs only one side changed keep that side's text. The typed
 * revision note is kept; "Save" writes the result on top of the new version.
 * It cannot be dismissed without a choice, so nothing is lost silently.
 */
export function ConflictDialog({
  conflict,
  mine,
  mineTitle,
  onResolve,
  onDiscard,
}: {
  conflict: VersionConflict;
  /** The editor's unsaved text per paragraph index (only paragraphs they changed). */
  mine: Record<number, string>;
  /** The editor's unsaved title, when they changed it. */
  mineTitle?: string;
  onResolve: (resolution: ConflictResolution) => void;
  onDiscard: () => void;
}) {
  const who = conflict.by?.name ?? 'Someone else';
  const both = conflict.paragraphs.filter((p) => mine[p.index] !== undefined);
  const [choices, setChoices] = useState<Record<number, ParagraphChoice>>(() => Object.fromEntries(both.map((p) => [p.index, 'mine'])));
  const [merged, setMerged] = useState<Record<number, string>>({});
  const mineCount = Object.keys(mine).length;

  const resolve = () => {
    const paragraphs: Record<number, string> = { ...mine };
    for (const p of both) {
      const choice = choices[p.index] ?? 'mine';
      if (choice === 'theirs') delete paragraphs[p.index];
      else paragraphs[p.index] = resolvedText(choice, mine[p.index], p.current, merged[p.index]);
    }
    onResolve({ ...(mineTitle !== undefined ? { title: mineTitle } : {}), paragraphs });
  };

  return (
    <Dialog open maxWidth="md" fullWidth aria-labelledby="conflict-title">
      <DialogTitle id="conflict-title" data-testid="conflict-title">
        {who} saved this article while you were editing
      </DialogTitle>
      <DialogContent dividers>
        <Typography gutterBottom>
          You edited version {conflict.baseVersion}; the article is now at version {conflict.currentVersion}. Your text and your revision note have not been saved yet and are
          kept.
        </Typography>
        {mineCount > 0 ? (
          <Typography gutterBottom data-testid="conflict-mine">
            Your unsaved changes: paragraph{mineCount > 1 ? 's' : ''} {Object.keys(mine).map((i) => Number(i) + 1).join(', ')}.
          </Typography>
        ) : null}
        {both.length > 0 ? (
          <Alert severity="warning" sx={{ mb: 2 }}>
            You both changed paragraph{both.length > 1 ? 's' : ''} {both.map((p) => p.index + 1).join(', ')}: choose for each what to keep.
          </Alert>
        ) : null}
        {conflict.title ? (
          <Box sx={{ mb: 2 }}>
            <Typography variant="subtitle2">Title: their change{mineTitle !== undefined ? ' (your title replaces it)' : ''}</Typography>
            <DiffText parts={diffParagraph(conflict.title.base, conflict.title.current).parts} />
          </Box>
        ) : null}
        {conflict.paragraphs.length === 0 && !conflict.title ? <Typography>They changed the assignment or status only; no text changed.</Typography> : null}
        {conflict.paragraphs.map((p) => {
          const choice = choices[p.index];
          return (
            <Box key={p.index} sx={{ mb: 2 }} data-testid={`conflict-paragraph-${p.index}`}>
              <Typography variant="subtitle2">
                Paragraph {p.index + 1}: {who === 'Someone else' ? 'their' : `${who}'s`} change
              </Typography>
              <Box sx={{ ...readingSx, p: 1, bgcolor: 'grey.50', borderRadius: 1 }}>
                <DiffText parts={p.diff.parts} />
              </Box>
              {mine[p.index] !== undefined ? (
                <>
                  <Typography variant="subtitle2" sx={{ mt: 1 }}>
                    Your unsaved text
                  </Typography>
                  <Box sx={{ ...readingSx, p: 1, bgcolor: '#f3f8ff', borderRadius: 1, whiteSpace: 'pre-wrap' }}>{mine[p.index]}</Box>
                  <ToggleButtonGroup
                    size="small"
                    color="primary"
                    exclusive
                    value={choice}
                    onChange={(_e, v: ParagraphChoice | null) => v && setChoices((c) => ({ ...c, [p.index]: v }))}
                    aria-label={`Keep for paragraph ${p.index + 1}`}
                    sx={{ mt: 1 }}
                  >
                    <ToggleButton value="mine" data-testid={`choose-mine-${p.index}`}>
                      Keep mine
                    </ToggleButton>
                    <ToggleButton value="theirs" data-testid={`choose-theirs-${p.index}`}>
                      Keep theirs
                    </ToggleButton>
                    <ToggleButton value="both" data-testid={`choose-both-${p.index}`}>
                      Edit both
                    </ToggleButton>
                  </ToggleButtonGroup>
                  {choice === 'both' ? (
                    <TextField
                      multiline
                      fullWidth
                      minRows={3}
                      sx={{ mt: 1 }}
                      label={`Merged paragraph ${p.index + 1}`}
                      value={merged[p.index] ?? resolvedText('both', mine[p.index], p.current)}
                      onChange={(e) => setMerged((m) => ({ ...m, [p.index]: e.target.value }))}
                      slotProps={{ htmlInput: { 'data-testid': `merged-${p.index}` } }}
                    />
                  ) : null}
                </>
              ) : (
                <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
                  You did not change this paragraph: their text stays.
                </Typography>
              )}
            </Box>
          );
        })}
      </DialogContent>
      <DialogActions>
        <Button onClick={onDiscard} color="error">
          Discard my changes
        </Button>
        <Button onClick={resolve} variant="contained" autoFocus data-testid="conflict-save">
          Save on top of the new version
        </Button>
      </DialogActions>
    </Dialog>
  );
}
