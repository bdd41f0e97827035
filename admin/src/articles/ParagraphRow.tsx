import { memo, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Badge, Box, IconButton, Tooltip, Typography } from '@mui/material';
import ChatBubbleOutlineIcon from '@mui/icons-material/ChatBubbleOutlineOutlined';
import { TextInput } from 'react-admin';
import { fromEditable, toEditable } from '../../../shared/inlineCodes';
import { FindingsOverlay } from '../qa/FindingsOverlay';
import type { ShownFinding } from '../qa/liveFindings';
import { QaHighlightedText } from '../qa/QaHighlightedText';
import { QaParagraphFindings } from '../qa/QaParagraphFindings';
import { SEVERITY_STYLE, worstSeverity } from '../qa/severity';
import type { ArticleParagraph } from '../types';
import { ParagraphMemory } from '../memory/ParagraphMemory';
import { gridColumns, type EditorView } from './editorView';
import { ChangesCell } from './ChangesCell';
import { CodedText, ParagraphMetaLine } from './ParagraphCodes';
import { readingSx } from './readingSx';

export { readingSx } from './readingSx';

/** The id of a row's textarea ("paragraph-text-3", "paragraph-text-title"). */
export const paragraphInputId = (index: number) => `paragraph-text-${index < 0 ? 'title' : index}`;
/** The form field a row edits. */
export const rowField = (index: number) => (index < 0 ? 'title' : `paragraphs.${index}.text`);
const rowKey = (index: number) => (index < 0 ? 'title' : String(index));

export interface RowProps {
  /** The paragraph, or the title as one (index -1, its MT and source title, no codes). */
  paragraph: ArticleParagraph;
  /** Paragraphs in the article: Alt+↓ stops at the last one. */
  count: number;
  hasSource: boolean;
  readOnly: boolean;
  view: EditorView;
  /** Findings of this row (live and from the last save; a shared empty list when none, so the memo holds). */
  findings: readonly ShownFinding[];
  /** The text the live findings were checked on. */
  checkedText: string;
  openComments?: number;
  totalComments?: number;
  /** Absent for the title, which takes article-level comments. */
  onComments?: (index: number) => void;
  /** Controls mounted at the row's end, under the comments button. */
  actions?: ReactNode;
}

function focusRow(index: number) {
  const el = document.getElementById(paragraphInputId(index)) as HTMLTextAreaElement | null;
  if (!el) return;
  el.focus();
  el.setSelectionRange(el.value.length, el.value.length);
  el.closest('[data-paragraph-index]')?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
}

/** Whether a row is laid out: a row filter hides rows with `display: none` (see ConfirmBar). */
function rowShown(index: number): boolean {
  const el = document.getElementById(paragraphInputId(index));
  return el !== null && el.getClientRects().length > 0;
}

/**
 * Alt+↓: next row shown; Alt+↑: previous (the title is the row before
 * paragraph 1); rows hidden by a filter are skipped. Ctrl+Enter confirms and
 * moves on: admin/src/articles/keyboard/.
 */
function onRowKey(e: KeyboardEvent<HTMLDivElement>, index: number, count: number) {
  const next = e.altKey && !e.shiftKey && e.key === 'ArrowDown';
  const prev = e.altKey && !e.shiftKey && e.key === 'ArrowUp';
  if (!next && !prev) return;
  e.preventDefault();
  const step = next ? 1 : -1;
  for (let i = index + step; i >= -1 && i < count; i += step) {
    if (rowShown(i)) return focusRow(i);
  }
}

/**
 * One row: source, MT and the edited text side by side (columns per the
 * view), with the word diff drawn in the MT column and the quality findings
 * marked over the text and listed right under it. The title is a row like the
 * others, with index -1. Other features mount in `actions`.
 */
export const ParagraphRow = memo(function ParagraphRow(props: RowProps) {
  const { paragraph: p, count, hasSource, readOnly, view, findings, checkedText, openComments = 0, totalComments = 0, onComments, actions } = props;
  const [collapsed, setCollapsed] = useState(false);
  const isTitle = p.index < 0;
  const key = rowKey(p.index);
  const field = rowField(p.index);
  const inputId = paragraphInputId(p.index);
  const label = isTitle ? 'the title' : `paragraph ${p.index + 1}`;
  const compact = view.density === 'compact';
  const qa = view.showQa && findings.length > 0;
  const listed = qa && !collapsed;
  const qaStyle = SEVERITY_STYLE[worstSeverity(findings)];
  const source = hasSource && view.showSource;
  const text = { ...readingSx, ...(compact ? { fontSize: '0.94rem', lineHeight: 1.5 } : {}), ...(isTitle ? { fontWeight: 600 } : {}) };
  const cellSx = { ...text, pt: compact ? 0.5 : 1, whiteSpace: 'pre-wrap', minWidth: 0 };
  return (
    <Box
      data-paragraph-index={p.index}
      {...(isTitle ? { 'data-title-row': '' } : { 'data-paragraph-row': p.index })}
      sx={{ display: 'grid', gridTemplateColumns: gridColumns(view, hasSource), columnGap: compact ? 1.5 : 2, py: compact ? 0.5 : 1.25, px: 1, borderBottom: '1px solid', borderColor: 'divider', alignItems: 'start', bgcolor: isTitle ? '#fafbfc' : undefined }}
    >
      <Box sx={{ pt: compact ? 0.5 : 1, display: 'flex', flexDirection: 'column', alignItems: 'flex-end', gap: 0.5 }}>
        <Typography variant="body2" color="text.secondary" sx={{ fontVariantNumeric: 'tabular-nums', fontSize: isTitle ? '0.7rem' : undefined, textTransform: isTitle ? 'uppercase' : undefined }} aria-hidden>
          {isTitle ? 'Title' : p.index + 1}
        </Typography>
        {findings.length > 0 ? (
          <Tooltip title={`${findings.length} quality finding${findings.length === 1 ? '' : 's'} (worst: ${qaStyle.label})${view.showQa ? (collapsed ? ': show' : ': hide the list') : ''}`}>
            <Box
              component="button"
              type="button"
              onClick={() => setCollapsed(!collapsed)}
              aria-expanded={listed}
              aria-label={`${findings.length} quality findings on ${label}`}
              data-testid={`qa-count-${key}`}
              sx={{ minWidth: 22, height: 20, px: 0.5, border: 0, cursor: 'pointer', borderRadius: 10, bgcolor: qaStyle.line, color: '#fff', fontSize: '0.72rem', fontWeight: 700, opacity: listed ? 1 : 0.7 }}
            >
              {findings.length}
            </Box>
          </Tooltip>
        ) : null}
      </Box>
      {source ? (
        <Box sx={{ ...cellSx, color: 'text.secondary' }} lang="und" data-testid={`source-${key}`}>
          <CodedText text={p.source ?? ''} codes={p.codes} testId={`source-${key}`} />
        </Box>
      ) : null}
      {view.showMt ? (
        <Box sx={{ ...cellSx, color: '#3c4650' }} data-testid={`mt-${key}`}>
          <ChangesCell paragraph={p} field={field} mode={view.diff} readOnly={readOnly} />
          <ParagraphMetaLine meta={p.meta} text={p.text} index={p.index} />
        </Box>
      ) : null}
      <Box sx={{ minWidth: 0 }}>
        {readOnly ? (
          <Box sx={cellSx} data-testid={`text-${key}`}>
            {qa ? <QaHighlightedText text={p.text} findings={findings} testId={`qa-text-${key}`} /> : <CodedText text={p.text} codes={p.codes} testId={`text-${key}`} />}
          </Box>
        ) : (
          <Box sx={{ position: 'relative' }} onKeyDown={(e) => onRowKey(e, p.index, count)}>
            <TextInput
              source={field}
              id={inputId}
              label={isTitle ? 'Title' : `Paragraph ${p.index + 1}`}
              multiline
              minRows={compact || isTitle ? 1 : 2}
              fullWidth
              // Inline codes are edited as visible ⟦k⟧ labels and stored as code characters again;
              // a locked paragraph (translate="no") is shown but cannot be changed.
              format={(value: string | undefined) => toEditable(value ?? '')}
              parse={(value: string) => fromEditable(value, p.codes?.length ?? 0)}
              readOnly={p.meta?.locked === true}
              helperText={false}
              slotProps={{ htmlInput: { 'data-testid': `paragraph-edit-${key}` } }}
              sx={{ m: 0, '& textarea': text, '& .MuiInputBase-root': compact ? { py: 0.75 } : {} }}
            />
            {qa ? <FindingsOverlay key={view.density} field={field} inputId={inputId} findings={findings} checked={checkedText} saved={p.text} testId={`qa-text-${key}`} /> : null}
          </Box>
        )}
        {listed ? <QaParagraphFindings index={p.index} field={field} label={label} savedText={p.text} checkedText={checkedText} findings={findings} editable={!readOnly} inputId={inputId} dense={compact} /> : null}
        {!view.showMt && view.diff !== 'off' ? (
          <Box sx={{ ...cellSx, fontSize: '0.9rem', color: '#3c4650' }} data-testid={`mt-${key}`}>
            <ChangesCell paragraph={p} field={field} mode={view.diff} readOnly={readOnly} hideUnchanged />
          </Box>
        ) : null}
        {/* Memory mount point: everything it shows lives in admin/src/memory/. */}
        {view.showMemory && !isTitle ? <ParagraphMemory paragraph={p} editable={!readOnly} /> : null}
      </Box>
      {/* Side by side when compact, so the row stays one field high. */}
      <Box sx={{ display: 'flex', flexDirection: compact ? 'row' : 'column', alignItems: 'center', gap: compact ? 0 : 0.5, minWidth: '2.25rem' }}>
        {onComments ? (
          <Tooltip title={totalComments ? `${openComments} open of ${totalComments} comments` : 'Comment on this paragraph'}>
            <IconButton onClick={() => onComments(p.index)} aria-label={`Comments on paragraph ${p.index + 1} (${openComments} open)`} size="small" sx={{ mt: compact ? 0 : 0.5 }}>
              <Badge badgeContent={openComments} color="warning" invisible={openComments === 0}>
                <ChatBubbleOutlineIcon fontSize="small" color={totalComments ? 'action' : 'disabled'} />
              </Badge>
            </IconButton>
          </Tooltip>
        ) : null}
        {actions}
      </Box>
    </Box>
  );
});
