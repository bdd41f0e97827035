import { memo, useState } from 'react';
import { Box, Button, Chip, Tooltip } from '@mui/material';
import AutoFixHighIcon from '@mui/icons-material/AutoFixHigh';
import { useFormContext, useWatch } from 'react-hook-form';
import { useNotify } from 'react-admin';
import { applyQaFix, relocate, spansOverlap, type AppliedFix } from '../../../shared/qaFixes';
import { editableOffset, findingKey, type ShownFinding } from './liveFindings';
import { isWholeParagraph, SEVERITY_STYLE, worstSeverity } from './severity';

/** A flagged span as the findings list shows it: a long one (a whole long sentence) by its start and word count. */
export function spanPreview(span: string, max = 48): string {
  if (span.length <= max) return span;
  const words = span.trim().split(/\s+/u);
  return `${span.slice(0, max).replace(/\s+\S*$/u, '')} … (${words.length} words)`;
}

interface Props {
  /** Paragraph index, or -1 for the title. */
  index: number;
  /** The form field the "Fix" buttons edit (the title, or the paragraph's text). */
  field: string;
  /** How the findings list is announced ("paragraph 3", "the title"). */
  label: string;
  /** The saved text, which findings from the last save refer to. */
  savedText: string;
  /** The text the live findings were checked on. */
  checkedText: string;
  findings: readonly ShownFinding[];
  /** Offer "Fix" buttons, and select a finding's span in the textarea (`inputId`) when it is clicked. */
  editable: boolean;
  inputId?: string;
  dense?: boolean;
}

/**
 * The QA findings of one paragraph, one line each, directly under its field:
 * the flagged span quoted (clicking it selects the span in the textarea), the
 * message and the suggestion. "Fix" replaces the span in the textarea (found
 * again where earlier fixes moved it, since the editor may have typed since
 * the check) and leaves saving to the editor; a finding overlapping a fix
 * already applied waits for the next check (see shared/qaFixes.ts). Findings
 * the browser cannot make (tagged checks) on a text changed since are
 * labelled as from the last save.
 */
export const QaParagraphFindings = memo(function QaParagraphFindings({ index, field, label, savedText, checkedText, findings, editable, inputId, dense = false }: Props) {
  const form = useFormContext();
  const notify = useNotify();
  const current = (useWatch({ name: field, disabled: !editable }) as string | undefined) ?? savedText;
  // Fixed findings are remembered per findings list: the next check starts afresh.
  const [fixed, setFixed] = useState<{ of: readonly ShownFinding[]; keys: Set<string>; applied: AppliedFix[] }>({ of: findings, keys: new Set(), applied: [] });
  const fixedKeys = fixed.of === findings ? fixed.keys : new Set<string>();
  const applied = fixed.of === findings ? fixed.applied : [];
  const worst = SEVERITY_STYLE[worstSeverity(findings)];
  const testId = index < 0 ? 'qa-title' : `qa-${index}`;
  const baseOf = (f: ShownFinding) => (f.origin === 'live' ? checkedText : savedText);
  const stale = (f: ShownFinding) => f.origin === 'save' && editable && current !== savedText;

  const fix = (f: ShownFinding) => {
    const text = String(form.getValues(field) ?? '');
    const outcome = applyQaFix(text, baseOf(f), f, applied);
    if (!outcome.ok) {
      notify(`${label[0].toUpperCase()}${label.slice(1)}: ${outcome.message}`, { type: 'warning' });
      return;
    }
    form.setValue(field, outcome.text, { shouldDirty: true, shouldTouch: true });
    setFixed({ of: findings, keys: new Set([...fixedKeys, findingKey(f)]), applied: [...applied, outcome.applied] });
  };

  const select = (f: ShownFinding) => {
    const el = inputId ? document.getElementById(inputId) : null;
    if (!(el instanceof HTMLTextAreaElement)) return;
    const text = String(form.getValues(field) ?? '');
    const base = baseOf(f);
    const span = base.slice(f.start, f.end);
    const at = base === text ? f.start : relocate(text, span, f.start);
    if (at < 0) {
      notify(`${label[0].toUpperCase()}${label.slice(1)} no longer contains “${span}”.`, { type: 'info' });
      return;
    }
    el.focus();
    el.setSelectionRange(editableOffset(text, at), editableOffset(text, at + span.length));
  };

  return (
    <Box data-testid={testId} sx={{ mt: 0.5, pl: 1, borderLeft: '3px solid', borderColor: worst.line }}>
      <Box component="ul" sx={{ m: 0, pl: 0, listStyle: 'none', display: 'grid', gap: dense ? 0 : 0.25 }} aria-label={`Quality findings for ${label}`}>
        {findings.map((f) => {
          const key = findingKey(f);
          const style = SEVERITY_STYLE[f.severity];
          const done = fixedKeys.has(key);
          const blocked = !done && applied.some((a) => spansOverlap(f, a) || (a.start === f.start && a.end === f.end));
          const old = stale(f);
          const span = baseOf(f).slice(f.start, f.end);
          return (
            <Box component="li" key={key} data-check={f.check} data-severity={f.severity} data-origin={old ? 'last-save' : 'current'} sx={{ display: 'flex', gap: 0.75, alignItems: 'baseline', fontSize: dense ? '0.8rem' : '0.85rem', lineHeight: 1.45, opacity: done || old ? 0.6 : 1 }}>
              <Chip label={style.label} size="small" color={style.chip} variant="outlined" sx={{ height: 18, fontSize: '0.68rem', flexShrink: 0 }} />
              <Box sx={{ flex: 1, minWidth: 0 }}>
                {old ? (
                  <Box component="span" sx={{ color: 'text.secondary', mr: 0.5, fontStyle: 'italic' }}>
                    last save:
                  </Box>
                ) : null}
                {isWholeParagraph(f) ? null : editable && inputId && !old ? (
                  <Box
                    component="button"
                    type="button"
                    onClick={() => select(f)}
                    aria-label={`Select “${span}” in ${label}`}
                    sx={{ font: 'inherit', fontFamily: 'monospace', border: 0, cursor: 'pointer', bgcolor: style.bg, color: 'inherit', px: 0.5, mr: 0.5, borderRadius: '2px', whiteSpace: 'pre-wrap', textAlign: 'left' }}
                  >
                    {spanPreview(span)}
                  </Box>
                ) : (
                  <Box component="span" sx={{ fontFamily: 'monospace', bgcolor: style.bg, px: 0.5, mr: 0.5, borderRadius: '2px', whiteSpace: 'pre-wrap' }}>
                    {spanPreview(span)}
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
                <Tooltip title={done ? 'Applied to the text (not saved yet)' : blocked ? 'Overlaps a fix already applied: wait for the next check' : 'Apply the suggestion to the text (not saved yet)'}>
                  <span>
                    <Button size="small" startIcon={<AutoFixHighIcon fontSize="small" />} disabled={done || blocked} onClick={() => fix(f)} sx={{ py: 0, minWidth: 0, lineHeight: 1.3 }} aria-label={`Fix: ${f.message}`}>
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
