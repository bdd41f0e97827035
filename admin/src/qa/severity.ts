import type { Finding, QaSeverity } from './types';

const RANK: Record<QaSeverity, number> = { info: 0, warning: 1, error: 2 };

/** Highlight colours per severity: a tinted background plus a wavy underline, readable without colour vision thanks to the underline style. */
export const SEVERITY_STYLE: Record<QaSeverity, { bg: string; line: string; label: string; chip: 'error' | 'warning' | 'info' }> = {
  error: { bg: '#fde2e1', line: '#c62828', label: 'error', chip: 'error' },
  warning: { bg: '#fff1c2', line: '#e65100', label: 'warning', chip: 'warning' },
  info: { bg: '#e3f0fb', line: '#1565c0', label: 'info', chip: 'info' },
};

/** The most severe of some findings ('info' for none). */
export function worstSeverity(findings: readonly Finding[]): QaSeverity {
  let worst: QaSeverity = 'info';
  for (const f of findings) if (RANK[f.severity] > RANK[worst]) worst = f.severity;
  return worst;
}

/** Counts by severity. */
export function countBySeverity(findings: readonly Finding[]): Record<QaSeverity, number> {
  const counts: Record<QaSeverity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** Whether a finding is about the paragraph as a whole rather than a span of it. */
export const isWholeParagraph = (f: Finding): boolean => f.start === f.end;
