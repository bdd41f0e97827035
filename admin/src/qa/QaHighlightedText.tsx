import { Box, Tooltip } from '@mui/material';
import type { ReactNode } from 'react';
import { SEVERITY_STYLE, worstSeverity } from './severity';
import type { Finding } from './types';

/**
 * Splits `text` at every finding boundary: each piece lists the findings that cover it.
 * Offsets past the end (a stale finding) are clamped rather than trusted.
 */
export function highlightSegments(text: string, findings: readonly Finding[]): Array<{ start: number; end: number; findings: Finding[] }> {
  const spans = findings.filter((f) => f.end > f.start && f.start < text.length);
  const cuts = new Set<number>([0, text.length]);
  for (const f of spans) {
    cuts.add(Math.max(0, f.start));
    cuts.add(Math.min(text.length, f.end));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Array<{ start: number; end: number; findings: Finding[] }> = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    out.push({ start: a, end: b, findings: spans.filter((f) => f.start <= a && f.end >= b) });
  }
  return out;
}

/**
 * The paragraph text with each flagged span in a <mark> coloured by its worst
 * severity, the messages in a tooltip. Text is always a text child, never HTML.
 */
export function QaHighlightedText({ text, findings, testId }: { text: string; findings: readonly Finding[]; testId?: string }) {
  const nodes: ReactNode[] = highlightSegments(text, findings).map((s) => {
    const piece = text.slice(s.start, s.end);
    if (s.findings.length === 0) return <span key={s.start}>{piece}</span>;
    const severity = worstSeverity(s.findings);
    const style = SEVERITY_STYLE[severity];
    return (
      <Tooltip key={s.start} title={s.findings.map((f) => f.message).join(' · ')} describeChild>
        <Box
          component="mark"
          data-severity={severity}
          data-check={s.findings.map((f) => f.check).join(' ')}
          sx={{ bgcolor: style.bg, color: 'inherit', textDecoration: `underline wavy ${style.line}`, textDecorationSkipInk: 'none', textUnderlineOffset: '3px', borderRadius: '2px', px: '1px' }}
        >
          {piece}
        </Box>
      </Tooltip>
    );
  });
  return (
    <Box component="span" sx={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }} data-testid={testId}>
      {nodes}
    </Box>
  );
}
