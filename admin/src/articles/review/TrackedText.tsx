import { Box, Stack, TextField, ToggleButton, ToggleButtonGroup, Typography } from '@mui/material';
import { diffSx } from '../DiffText';
import type { ReviewChange, ReviewDecision, ReviewText } from './types';

/** The reviewer's choice for one change, with the note a rejection needs. */
export interface DecisionState {
  decision: ReviewDecision;
  note: string;
}

/** A change's ordinal for people: "t.2-…" → "2". */
const ordinal = (id: string) => id.slice(id.indexOf('.') + 1, id.indexOf('-'));

/**
 * One text (the title or a paragraph) with its tracked changes as React
 * elements: <del> for what the baseline had, <ins> for what the text has now,
 * each change numbered. Text is always a text child, never HTML.
 */
export function TrackedText({ text, label }: { text: ReviewText; label: string }) {
  return (
    <Box component="div" sx={{ ...diffSx, fontSize: '1rem', lineHeight: 1.7, '& del + ins': { ml: '2px' } }} className="diff" aria-label={label}>
      {text.parts.map((p, i) =>
        p.op === 'eq' ? (
          <span key={i}>{p.text}</span>
        ) : (
          <span key={p.change.id} data-change={p.change.id}>
            {p.change.del ? <del>{p.change.del}</del> : null}
            {p.change.ins ? <ins>{p.change.ins}</ins> : null}
            <Typography component="sup" variant="caption" sx={{ color: 'text.secondary', ml: '1px' }}>
              {ordinal(p.change.id)}
            </Typography>
          </span>
        ),
      )}
    </Box>
  );
}

/** The accept/reject controls of one change, and the note field once it is rejected. */
export function ChangeDecision({ change, state, disabled, onChange }: { change: ReviewChange; state: DecisionState | undefined; disabled: boolean; onChange: (s: DecisionState) => void }) {
  const rejectedWithoutNote = state?.decision === 'reject' && state.note.trim() === '';
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start', py: 0.5 }} data-testid={`decision-${change.id}`}>
      <Typography variant="body2" sx={{ minWidth: 24, color: 'text.secondary', pt: 0.75 }}>
        {ordinal(change.id)}.
      </Typography>
      <Box sx={{ ...diffSx, flex: '0 1 40%', pt: 0.5 }}>
        {change.del ? <del>{change.del}</del> : null}
        {change.del && change.ins ? ' → ' : null}
        {change.ins ? <ins>{change.ins}</ins> : null}
      </Box>
      <ToggleButtonGroup
        size="small"
        exclusive
        disabled={disabled}
        value={state?.decision ?? null}
        onChange={(_e, v: ReviewDecision | null) => v && onChange({ decision: v, note: state?.note ?? '' })}
        aria-label={`Decision on change ${ordinal(change.id)}`}
      >
        <ToggleButton value="accept" color="success" data-action="accept">
          Accept
        </ToggleButton>
        <ToggleButton value="reject" color="error" data-action="reject">
          Reject
        </ToggleButton>
      </ToggleButtonGroup>
      {state?.decision === 'reject' ? (
        <TextField
          size="small"
          required
          disabled={disabled}
          label="Why? (sent to the editor)"
          value={state.note}
          error={rejectedWithoutNote}
          helperText={rejectedWithoutNote ? 'A rejection needs a note' : ' '}
          onChange={(e) => onChange({ decision: 'reject', note: e.target.value })}
          sx={{ flex: 1, minWidth: 220 }}
          slotProps={{ htmlInput: { 'data-testid': `note-${change.id}`, maxLength: 2000 } }}
        />
      ) : null}
    </Stack>
  );
}
