import { memo, useDeferredValue, useMemo, type KeyboardEvent, type ReactNode } from 'react';
import { Badge, Box, IconButton, Tooltip, Typography } from '@mui/material';
import ChatBubbleOutlineIcon from '@mui/icons-material/ChatBubbleOutlineOutlined';
import { useWatch } from 'react-hook-form';
import { TextInput } from 'react-admin';
import { fromEditable, toEditable } from '../../../shared/inlineCodes';
import { diffParagraph, type DiffPart } from '../../../shared/textDiff';
import { QaHighlightedText } from '../qa/QaHighlightedText';
import { QaParagraphFindings } from '../qa/QaParagraphFindings';
import { SEVERITY_STYLE, worstSeverity } from '../qa/severity';
import type { Finding } from '../qa/types';
import type { ArticleParagraph } from '../types';
import { DiffText } from './DiffText';
import { ParagraphMemory } from '../memory/ParagraphMemory';
import { CodedText, ParagraphMetaLine } from './ParagraphCodes';

/** Diff parts with inline codes in their visible ⟦k⟧ form. */
const visibleCodes = (parts: DiffPart[]): DiffPart[] => parts.map((part) => ({ ...part, text: toEditable(part.text) }));

/** Serif body type for long-form reading; the editing column uses the same face so the eye does not jump. */
export const readingSx = { fontFamily: '"Source Serif 4", "Source Serif Pro", Georgia, "Times New Roman", serif', fontSize: '1rem', lineHeight: 1.65 } as const;

export function gridColumns(hasSource: boolean): string {
  return hasSource ? '2.25rem minmax(0,1fr) minmax(0,1fr) minmax(0,1.25fr) 2.75rem' : '2.25rem minmax(0,1fr) minmax(0,1.35fr) 2.75rem';
}

export const paragraphInputId = (index: number) => `paragraph-text-${index}`;

interface RowProps {
  paragraph: ArticleParagraph;
  position: number;
  count: number;
  hasSource: boolean;
  readOnly: boolean;
  showMtDiff: boolean;
  showSavedDiff: boolean;
  openComments: number;
  totalComments: number;
  onComments: (index: number) => void;
  /** QA findings of this paragraph's saved text (a shared empty list when none, so the memo holds). */
  findings: readonly Finding[];
  showQa: boolean;
  /** Glossary hits and translation-memory matches under the text (admin/src/memory/). */
  showMemory?: boolean;
  /** Row controls shown above the comment button (the confirm toggle, admin/src/articles/confirm/). */
  actions?: ReactNode;
}

function focusParagraph(index: number) {
  const el = document.getElementById(paragraphInputId(index)) as HTMLTextAreaElement | null;
  if (!el) return;
  el.focus();
  el.setSelectionRange(el.value.length, el.value.length);
  el.closest('[data-paragraph-row]')?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
}

/** Alt+↓: next paragraph; Alt+↑: previous. (Ctrl+Enter confirms and moves on: admin/src/articles/keyboard/.) */
function onParagraphKey(e: KeyboardEvent<HTMLDivElement>, position: number, count: number) {
  const next = e.altKey && !e.shiftKey && e.key === 'ArrowDown';
  const prev = e.altKey && !e.shiftKey && e.key === 'ArrowUp';
  if (!next && !prev) return;
  e.preventDefault();
  const target = next ? Math.min(position + 1, count - 1) : Math.max(position - 1, 0);
  focusParagraph(target);
}

/** Diffs with the current value; deferred so typing never waits for the diff. */
function LiveDiff({ index, before, mode, fallback }: { index: number; before: string; mode: 'mt' | 'saved'; fallback?: string }) {
  const value = useWatch({ name: `paragraphs.${index}.text` }) as string | undefined;
  const current = useDeferredValue(value ?? fallback ?? '');
  const diff = useMemo(() => ({ parts: visibleCodes(diffParagraph(before, current).parts) }), [before, current]);
  if (mode === 'saved') {
    if (current === before) return null;
    return (
      <Box sx={{ mt: 0.75, p: 1, borderRadius: 1, bgcolor: '#fffbea', border: '1px dashed #e0c770', ...readingSx, fontSize: '0.95rem' }} data-testid={`saved-diff-${index}`}>
        <Typography variant="caption" component="div" color="text.secondary" sx={{ fontFamily: 'inherit' }}>
          Unsaved changes
        </Typography>
        <DiffText parts={diff.parts} />
      </Box>
    );
  }
  return <DiffText parts={diff.parts} />;
}

/** One paragraph: source (when present), MT and the edited text side by side. */
export const ParagraphRow = memo(function ParagraphRow(props: RowProps) {
  const { paragraph: p, position, count, hasSource, readOnly, showMtDiff, showSavedDiff, openComments, totalComments, onComments, findings, showQa, showMemory = false, actions } = props;
  const n = p.index + 1;
  const qa = showQa && findings.length > 0;
  const qaStyle = SEVERITY_STYLE[worstSeverity(findings)];
  return (
    <Box
      data-paragraph-row={p.index}
      data-paragraph-index={p.index}
      sx={{ display: 'grid', gridTemplateColumns: gridColumns(hasSource), gap: 2, py: 1.5, px: 1, borderBottom: '1px solid', borderColor: 'divider', alignItems: 'start' }}
    >
      <Typography variant="body2" color="text.secondary" sx={{ pt: 1, textAlign: 'right', fontVariantNumeric: 'tabular-nums' }} aria-hidden>
        {n}
      </Typography>
      {hasSource ? (
        <Box sx={{ ...readingSx, color: 'text.secondary', pt: 1, whiteSpace: 'pre-wrap' }} lang="und" data-testid={`source-${p.index}`}>
          <CodedText text={p.source ?? ''} codes={p.codes} testId={`source-${p.index}`} />
        </Box>
      ) : null}
      <Box sx={{ ...readingSx, color: '#3c4650', pt: 1, whiteSpace: 'pre-wrap' }} data-testid={`mt-${p.index}`}>
        {showMtDiff ? readOnly ? <DiffText parts={visibleCodes(diffParagraph(p.mt, p.text).parts)} /> : <LiveDiff index={p.index} before={p.mt} mode="mt" fallback={p.text} /> : <CodedText text={p.mt} codes={p.codes} testId={`mt-${p.index}`} />}
        <ParagraphMetaLine meta={p.meta} text={p.text} index={p.index} />
      </Box>
      <Box>
        {readOnly ? (
          <>
            <Box sx={{ ...readingSx, pt: 1, whiteSpace: 'pre-wrap' }} data-testid={`text-${p.index}`}>
              {qa ? <QaHighlightedText text={p.text} findings={findings} testId={`qa-text-${p.index}`} /> : <CodedText text={p.text} codes={p.codes} testId={`text-${p.index}`} />}
            </Box>
            {qa ? <QaParagraphFindings index={p.index} savedText={p.text} findings={findings} editable={false} showText={false} /> : null}
          </>
        ) : (
          <Box onKeyDown={(e) => onParagraphKey(e, position, count)}>
            <TextInput
              source={`paragraphs.${p.index}.text`}
              id={paragraphInputId(p.index)}
              label={`Paragraph ${n}`}
              multiline
              minRows={2}
              fullWidth
              // Inline codes are edited as visible ⟦k⟧ labels and stored as code characters again;
              // a locked paragraph (translate="no") is shown but cannot be changed.
              format={(value: string | undefined) => toEditable(value ?? '')}
              parse={(value: string) => fromEditable(value, p.codes?.length ?? 0)}
              readOnly={p.meta?.locked === true}
              helperText={false}
              slotProps={{ htmlInput: { 'data-testid': `paragraph-edit-${p.index}` } }}
              sx={{ m: 0, '& textarea': { ...readingSx } }}
            />
            {showSavedDiff ? <LiveDiff index={p.index} before={p.text} mode="saved" /> : null}
            {qa ? <QaParagraphFindings index={p.index} savedText={p.text} findings={findings} editable showText /> : null}
          </Box>
        )}
        {/* Memory mount point: everything it shows lives in admin/src/memory/. */}
        {showMemory ? <ParagraphMemory paragraph={p} editable={!readOnly} /> : null}
      </Box>
      <Box sx={{ display: 'flex', flexDirection: 'column', alignItems: 'center', gap: 0.5 }}>
        {actions}
        <Tooltip title={totalComments ? `${openComments} open of ${totalComments} comments` : 'Comment on this paragraph'}>
          <IconButton onClick={() => onComments(p.index)} aria-label={`Comments on paragraph ${n} (${openComments} open)`} size="small" sx={{ mt: 0.5 }}>
            <Badge badgeContent={openComments} color="warning" invisible={openComments === 0}>
              <ChatBubbleOutlineIcon fontSize="small" color={totalComments ? 'action' : 'disabled'} />
            </Badge>
          </IconButton>
        </Tooltip>
        {findings.length > 0 ? (
          <Tooltip title={`${findings.length} quality finding${findings.length === 1 ? '' : 's'} (worst: ${qaStyle.label})`}>
            <Box
              role="status"
              aria-label={`${findings.length} quality findings on paragraph ${n}`}
              data-testid={`qa-count-${p.index}`}
              sx={{ minWidth: 22, height: 22, px: 0.5, borderRadius: 11, bgcolor: qaStyle.line, color: '#fff', fontSize: '0.75rem', fontWeight: 700, display: 'flex', alignItems: 'center', justifyContent: 'center' }}
            >
              {findings.length}
            </Box>
          </Tooltip>
        ) : null}
      </Box>
    </Box>
  );
});
