import { memo, useState } from 'react';
import { Box, Button, Chip, Tooltip, Typography } from '@mui/material';
import AutoFixHighIcon from '@mui/icons-material/AutoFixHigh';
import { useFormContext } from 'react-hook-form';
import { useNotify } from 'react-admin';
import { QaHighlightedText } from './QaHighlightedText';
import { isWholeParagraph, SEVERITY_STYLE, worstSeverity } from './severity';
import type { Finding } from './types';
import { applyQaFix, spansOverlap, type AppliedFix } from '../../../shared/qaFixes';

const findingKey = (f: Finding) => `${f.check}:${f.start}:${f.end}:${f.message}`;

/** A flagged span as the findings list shows it: a long one (a whole long sentence) by its start and word count. */
export function spanPreview(span: string, max = 48): string {
  if (span.length <= max) return span;
  const words = span.trim().split(/\s+/u);
  return `${span.slice(0, max).replace(/\s+\S*$/u, '')} … (${words.length} words)`;
}

interface Props {
  /** Paragraph index, or -1 for the title. */
  index: number;
  /** The form field the "Fix" buttons edit; defaults to the paragraph's text. */
  field?: string;
  /** How the findings list is announced ("paragraph 3", "the title"). */
  label?: string;
  /** The saved text the findings' offsets refer to. */
  savedText: string;
  findings: readonly Finding[];
  /** Offer "Fix" buttons that write the suggestion into the paragraph's textarea. */
  editable: boolean;
  /** Also render the saved text with the flagged spans highlighted (the editor; read-only views highlight their text column instead). */
  showText: boolean;
}

/**
 * The QA findings of one paragraph: the saved text with its flagged spans
 * marked, then one line per finding with its message and suggestion. "Fix"
 * replaces the flagged span in the textarea (found again where earlier fixes
 * moved it, since the editor may have typed since the check) and leaves saving
 * to the editor. A finding overlapping a fix already applied is refused until
 * a save re-checks the text (see shared/qaFixes.ts).
 */
export const QaParagraphFindings = memo(function QaParagraphFindings({ index, field, label, savedText, findings, editable, showText }: Props) {
  const form = useFormContext();
  const notify = useNotify();
  // Fixed findings are remembered per findings list: a new check (after a save) starts afresh.
  const [fixed, setFixed] = useState<{ of: readonly Finding[]; keys: Set<string>; applied: AppliedFix[] }>({ of: findings, keys: new Set(), applied: [] });
  const fixedKeys = fixed.of === findings ? fixed.keys : new Set<string>();
  const applied = fixed.of === findings ? fixed.applied : [];
  const worst = SEVERITY_STYLE[worstSeverity(findings)];
  const where = label ?? `paragraph ${index + 1}`;
  const testId = index < 0 ? 'qa-title' : `qa-${index}`;

  const fix = (f: Finding) => {
    const name = field ?? `paragraphs.${index}.text`;
    const current = String(form.getValues(name) ?? '');
    const outcome = applyQaFix(current, savedText, f, applied);
    if (!outcome.ok) {
      notify(`${where[0].toUpperCase()}${where.slice(1)}: ${outcome.message}`, { type: 'warning' });
      return;
    }
    form.setValue(name, outcome.text, { shouldDirty: true, shouldTouch: true });
    setFixed({ of: findings, keys: new Set([...fixedKeys, findingKey(f)]), applied: [...applied, outcome.applied] });
  };

  return (
    <Box data-testid={testId} sx={{ mt: 0.75, p: 1, borderRadius: 1, border: '1px solid', borderColor: worst.line, borderLeftWidth: 4, bgcolor: '#fcfcfd' }}>
      {showText ? (
        <>
          <Typography variant="caption" component="div" color="text.secondary">
            Quality checks on the saved text
          </Typography>
          <Box sx={{ fontFamily: '"Source Serif 4", Georgia, serif', fontSize: '0.95rem', lineHeight: 1.65, mb: 0.5 }}>
            <QaHighlightedText text={savedText} findings={findings} testId={index < 0 ? 'qa-text-title' : `qa-text-${index}`} />
          </Box>
        </>
      ) : null}
      <Box component="ul" sx={{ m: 0, pl: 0, listStyle: 'none', display: 'grid', gap: 0.5 }} aria-label={`Quality findings for ${where}`}>
        {findings.map((f) => {
          const key = findingKey(f);
          const style = SEVERITY_STYLE[f.severity];
          const done = fixedKeys.has(key);
          const blocked = !done && applied.some((a) => spansOverlap(f, a) || (a.start === f.start && a.end === f.end));
          return (
            <Box component="li" key={key} data-check={f.check} data-severity={f.severity} sx={{ display: 'flex', gap: 1, alignItems: 'baseline', fontSize: '0.85rem', opacity: done ? 0.55 : 1 }}>
              <Chip label={style.label} size="small" color={style.chip} variant="outlined" sx={{ height: 20, fontSize: '0.7rem', flexShrink: 0 }} />
              <Box sx={{ flex: 1, minWidth: 0 }}>
                {isWholeParagraph(f) ? null : (
                  <Box component="span" sx={{ fontFamily: 'monospace', bgcolor: style.bg, px: 0.5, mr: 0.5, borderRadius: '2px', whiteSpace: 'pre-wrap' }}>
                    {spanPreview(savedText.slice(f.start, f.end))}
                  </Box>
                )}
                {f.message}
                {f.suggestion !== undefined ? (
                  <Box component="span" sx={{ color: 'success.dark', ml: 0.5 }}>
                    → {f.suggestion === '' ? <em>delete</em> : <strong>{f.suggestion}</strong>}
                  </Box>
                ) : null}
              </Box>
              {editable && f.suggestion !== undefined && !isWholeParagraph(f) ? (
                <Tooltip title={done ? 'Applied to the text: save to re-check' : blocked ? 'Overlaps a fix already applied: save to re-check' : 'Apply the suggestion to the text (not saved yet)'}>
                  <span>
                    <Button size="small" startIcon={<AutoFixHighIcon fontSize="small" />} disabled={done || blocked} onClick={() => fix(f)} sx={{ py: 0, minWidth: 0 }} aria-label={`Fix: ${f.message}`}>
                      {done ? 'Fixed' : 'Fix'}
                    </Button>
                  </span>
                </Tooltip>
              ) : null}
            </Box>
          );
        })}
      </Box>
    </Box>
  );
});
