import { memo, useLayoutEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { Box } from '@mui/material';
import { useWatch } from 'react-hook-form';
import { toEditable } from '../../../shared/inlineCodes';
import { markSpans, type ShownFinding } from './liveFindings';
import { SEVERITY_STYLE, worstSeverity } from './severity';

/** Translucent tints: the overlay lies above the textarea, whose own text shows through. */
const TINT = { error: 'rgba(198,40,40,0.16)', warning: 'rgba(230,81,0,0.16)', info: 'rgba(21,101,192,0.12)' } as const;

const COPIED = ['fontFamily', 'fontSize', 'fontWeight', 'fontStyle', 'lineHeight', 'letterSpacing', 'wordSpacing', 'paddingTop', 'paddingRight', 'paddingBottom', 'paddingLeft', 'tabSize'] as const;

interface Props {
  /** The form field the textarea edits. */
  field: string;
  /** The textarea's id. */
  inputId: string;
  findings: readonly ShownFinding[];
  /** The text the live findings were checked on, and the saved text the others refer to. */
  checked: string;
  saved: string;
  testId: string;
}

/**
 * The flagged spans of a paragraph drawn in place, over its textarea: a copy
 * of the text in transparent ink laid exactly on the textarea (same box, same
 * type, measured from the textarea itself), in which each flagged span is a
 * tinted <mark> with a wavy underline. It ignores the pointer, so typing,
 * selecting and the caret are the textarea's. While the text differs from
 * what was last checked (mid-typing) nothing is marked, rather than marking
 * the wrong words. Text only, never HTML.
 */
export const FindingsOverlay = memo(function FindingsOverlay({ field, inputId, findings, checked, saved, testId }: Props) {
  const value = (useWatch({ name: field }) as string | undefined) ?? '';
  const ref = useRef<HTMLDivElement>(null);
  const [box, setBox] = useState<CSSProperties | null>(null);
  useLayoutEffect(() => {
    const el = document.getElementById(inputId);
    const host = ref.current?.parentElement;
    if (!(el instanceof HTMLTextAreaElement) || !host) return;
    const measure = () => {
      const a = el.getBoundingClientRect();
      const b = host.getBoundingClientRect();
      const cs = getComputedStyle(el);
      const style: CSSProperties = { top: a.top - b.top + el.clientTop, left: a.left - b.left + el.clientLeft, width: el.clientWidth, height: el.clientHeight };
      for (const k of COPIED) (style as Record<string, string | number>)[k] = cs[k];
      setBox((prev) => (prev && JSON.stringify(prev) === JSON.stringify(style) ? prev : style));
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    ro.observe(host);
    return () => ro.disconnect();
  }, [inputId]);
  const spans = useMemo(() => markSpans(value, findings, checked, saved), [value, findings, checked, saved]);
  const shown = toEditable(value);
  const pieces: Array<{ start: number; end: number; span?: (typeof spans)[number] }> = [];
  let at = 0;
  for (const s of spans) {
    if (s.start > at) pieces.push({ start: at, end: s.start });
    pieces.push({ start: s.start, end: s.end, span: s });
    at = s.end;
  }
  if (at < shown.length) pieces.push({ start: at, end: shown.length });
  return (
    <Box
      ref={ref}
      aria-hidden
      data-testid={testId}
      style={box ?? { display: 'none' }}
      sx={{ position: 'absolute', zIndex: 1, pointerEvents: 'none', overflow: 'hidden', color: 'transparent', whiteSpace: 'pre-wrap', overflowWrap: 'break-word', wordBreak: 'normal' }}
    >
      {spans.length === 0
        ? null
        : pieces.map((p) => {
            const text = shown.slice(p.start, p.end);
            if (!p.span) return <span key={p.start}>{text}</span>;
            const severity = worstSeverity(p.span.findings);
            return (
              <Box
                component="mark"
                key={p.start}
                data-severity={severity}
                data-check={p.span.findings.map((f) => f.check).join(' ')}
                sx={{ color: 'transparent', bgcolor: TINT[severity], textDecorationLine: 'underline', textDecorationStyle: 'wavy', textDecorationColor: SEVERITY_STYLE[severity].line, textDecorationSkipInk: 'none', textUnderlineOffset: '3px', borderRadius: '2px' }}
              >
                {text}
              </Box>
            );
          })}
    </Box>
  );
});
