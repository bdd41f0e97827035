/**
 * Applying a QA finding's suggestion to a paragraph the editor may have
 * changed since the check ran. Pure, so the admin's "Fix" button and its unit
 * tests share one definition.
 *
 * Findings carry offsets into the saved text. After one fix the text no longer
 * matches those offsets, and a second finding whose span overlaps the first
 * (a repeated phrase that also holds a forbidden glossary variant, a run of
 * punctuation inside a double space…) describes text that is gone: replacing
 * "its" span would splice the suggestion into the wrong characters. Such a fix
 * is refused until a save re-runs the checks on the new text.
 */

/** What a fix needs of a finding. */
export interface FixableFinding {
  start: number;
  end: number;
  suggestion?: string;
}

/** A fix already applied to the unsaved text: the finding's saved span and the length of what replaced it. */
export interface AppliedFix {
  start: number;
  end: number;
  insertedLength: number;
}

export type FixOutcome =
  | { ok: true; text: string; applied: AppliedFix }
  | { ok: false; reason: 'no_suggestion' | 'overlaps' | 'gone'; message: string };

/** Whether two spans of the saved text share a character; a zero-width span (an insertion point) overlaps a span it falls strictly inside. */
export function spansOverlap(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  if (a.start === a.end) return a.start > b.start && a.start < b.end;
  if (b.start === b.end) return b.start > a.start && b.start < a.end;
  return a.start < b.end && b.start < a.end;
}

/** Where `span` sits in `current`: at `expected` if it is still there, else the occurrence nearest to it, or -1. */
export function relocate(current: string, span: string, expected: number): number {
  if (span !== '' && current.startsWith(span, expected)) return expected;
  let best = -1;
  for (let i = current.indexOf(span); i !== -1; i = current.indexOf(span, i + 1)) {
    if (best === -1 || Math.abs(i - expected) < Math.abs(best - expected)) best = i;
    if (span === '') break;
  }
  return best;
}

/**
 * Applies `finding`'s suggestion to `current` (the unsaved text), given the
 * `savedText` its offsets refer to and the fixes already applied since. The
 * span is looked for where the earlier fixes moved it, then near there (the
 * editor may have typed). Refuses, without changing anything, a finding that
 * has no suggestion, overlaps an applied fix, or whose text is gone.
 */
export function applyQaFix(current: string, savedText: string, finding: FixableFinding, applied: readonly AppliedFix[]): FixOutcome {
  if (finding.suggestion === undefined) return { ok: false, reason: 'no_suggestion', message: 'This finding has no suggestion to apply.' };
  if (applied.some((a) => spansOverlap(finding, a) || (a.start === finding.start && a.end === finding.end))) {
    return { ok: false, reason: 'overlaps', message: 'This finding overlaps a fix already applied; save to re-check the new text.' };
  }
  const span = savedText.slice(finding.start, finding.end);
  const shift = applied.filter((a) => a.end <= finding.start).reduce((sum, a) => sum + a.insertedLength - (a.end - a.start), 0);
  const at = relocate(current, span, finding.start + shift);
  if (at === -1 || span === '') return { ok: false, reason: 'gone', message: `The text no longer contains “${span}”; save to re-check.` };
  return {
    ok: true,
    text: current.slice(0, at) + finding.suggestion + current.slice(at + span.length),
    applied: { start: finding.start, end: finding.end, insertedLength: finding.suggestion.length },
  };
}
