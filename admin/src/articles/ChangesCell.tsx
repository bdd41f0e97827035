import { useDeferredValue, useMemo } from 'react';
import { Box, Typography } from '@mui/material';
import { useWatch } from 'react-hook-form';
import { toEditable } from '../../../shared/inlineCodes';
import { diffParagraph, type DiffPart } from '../../../shared/textDiff';
import type { ArticleParagraph } from '../types';
import type { DiffMode } from './editorView';
import { DiffText } from './DiffText';
import { CodedText } from './ParagraphCodes';

/** Diff parts with inline codes in their visible ⟦k⟧ form. */
const visibleCodes = (parts: DiffPart[]): DiffPart[] => parts.map((part) => ({ ...part, text: toEditable(part.text) }));

interface Props {
  paragraph: ArticleParagraph;
  field: string;
  mode: DiffMode;
  readOnly: boolean;
  /** Render nothing (rather than the MT) when there is no diff to show: the cell is then an extra under the text. */
  hideUnchanged?: boolean;
}

/**
 * The MT column of a row, in place: the MT itself, or the word diff from the
 * MT to the current text, or from the last save to the current text while
 * the row has unsaved changes. The current text is deferred, so typing never
 * waits for the diff.
 */
export function ChangesCell({ paragraph: p, field, mode, readOnly, hideUnchanged = false }: Props) {
  const watched = useWatch({ name: field, disabled: readOnly || mode === 'off' }) as string | undefined;
  const current = useDeferredValue(readOnly ? p.text : (watched ?? p.text));
  const before = mode === 'mt' ? p.mt : p.text;
  const parts = useMemo(() => (mode === 'off' ? null : visibleCodes(diffParagraph(before, current).parts)), [mode, before, current]);
  const key = p.index < 0 ? 'title' : String(p.index);
  if (parts && mode === 'mt') return <DiffText parts={parts} />;
  if (parts && mode === 'saved' && current !== p.text) {
    return (
      <Box data-testid={`saved-diff-${key}`}>
        <Typography variant="caption" component="div" color="warning.dark" sx={{ lineHeight: 1.3 }}>
          Unsaved changes
        </Typography>
        <DiffText parts={parts} />
      </Box>
    );
  }
  return hideUnchanged ? null : <CodedText text={p.mt} codes={p.codes} testId={`mt-${key}`} />;
}
