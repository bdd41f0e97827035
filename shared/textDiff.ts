/**
 * Word diffs and edit statistics of two versions of a paragraph: the public
 * entry points. The work is split by job under shared/diff/: tokenizing
 * (tokens.ts), the bounded alignment (boundedDiff.ts), building the parts
 * (parts.ts) and counting edits (editStats.ts).
 */
import { DIFF_LIMITS, resolveLimits, type DiffOptions } from './diff/boundedDiff';
import { stats, statsOf, sumStats, wholeReplacementCounts, type EditStats } from './diff/editStats';
import { align, partsOf, unchanged, wholeReplacement, type DiffPart, type ParagraphDiff } from './diff/parts';
import { tokenizeWords, tokensOf } from './diff/tokens';

export { DIFF_LIMITS, sumStats, tokenizeWords };
export type { DiffOptions, DiffPart, EditStats, ParagraphDiff };

/**
 * Word-level diff of two versions of a paragraph, for display and storage.
 *
 * Tokens (see `tokenizeWords`) are aligned with jsdiff's `diffArrays` under the
 * `DIFF_LIMITS` bounds; whitespace between tokens is then put back, so joining the
 * `eq`+`del` parts yields `before` and joining `eq`+`ins` yields `after`, byte for
 * byte. Adjacent parts with the same op are merged and empty parts are omitted.
 *
 * When a bound is hit (too many tokens, edit length or work exceeded) the result is
 * `{ parts: [del before, ins after], truncated: true }`.
 */
export function diffParagraph(before: string, after: string, opts?: DiffOptions): ParagraphDiff {
  const limits = resolveLimits(opts);
  if (before === after) return unchanged(before);
  return partsOf(before, after, align(before, after, limits));
}
/**
 * Edit statistics of `text` against its machine translation `mt` (HTER-like).
 *
 * Both texts are split by `tokenizeWords` (words and punctuation marks count, whitespace
 * does not; each CJK character is a token). `mtWords` and `words` are the token counts.
 * The token sequences are aligned by a bounded longest-common-subsequence diff
 * (jsdiff `diffArrays`). Between two consecutive matched tokens, a run of k deleted MT
 * tokens and m inserted tokens counts as
 *
 *     substituted += min(k, m);  inserted += max(0, m − k);  deleted += max(0, k − m)
 *
 * and then
 *
 *     editDistance = inserted + deleted + substituted
 *     editRate     = editDistance / mtWords, rounded to 4 decimals
 *
 * with editRate = 0 when both texts are empty and 1 when the MT is empty but the text
 * is not. Counting the paragraph as rewritten whole gives
 *
 *     substituted = min(mtWords, words);  inserted = max(0, words − mtWords);  deleted = max(0, mtWords − words)
 *
 * and that count is used instead when the alignment would cost more (reordered words
 * can make it so) or when a `DIFF_LIMITS` bound is hit. Hence
 * editDistance ≤ max(mtWords, words), and editRate exceeds 1 only when the text is longer
 * than the MT. Comparison is exact (case- and punctuation-sensitive); unlike TER, moved
 * phrases count as deletions plus insertions, not as shifts.
 */
export function paragraphStats(mt: string, text: string, opts?: DiffOptions): EditStats {
  return compareWithMt(mt, text, opts).stats;
}

/**
 * `diffParagraph(mt, text)` and `paragraphStats(mt, text)` from a single alignment.
 * A save needs both for every paragraph and the alignment is the costly part, so
 * services should call this rather than the two separately.
 */
export function compareWithMt(mt: string, text: string, opts?: DiffOptions): { diff: ParagraphDiff; stats: EditStats } {
  const { diff, stats } = compareCounted(mt, text, opts);
  return { diff, stats };
}

/**
 * `compareWithMt` plus the search work it took (0 for equal texts or when a token
 * bound ruled the search out), in the units of `DiffOptions.maxWork`: for a caller
 * that shares one work budget between several diffs (see REVISION_DIFF_WORK in
 * server/services/revisionData.ts).
 */
export function compareCounted(mt: string, text: string, opts?: DiffOptions): { diff: ParagraphDiff; stats: EditStats; work: number } {
  const limits = resolveLimits(opts);
  if (mt === text) {
    const n = tokensOf(mt).texts.length;
    return { diff: unchanged(mt), stats: stats(n, n, { inserted: 0, deleted: 0, substituted: 0 }), work: 0 };
  }
  const alignment = align(mt, text, limits);
  return { diff: partsOf(mt, text, alignment), stats: statsOf(alignment), work: alignment.work };
}

/**
 * `compareWithMt` without an alignment: the text recorded as a whole
 * replacement of the MT (truncated), with whole-replacement statistics, or
 * as unchanged when the two are equal. For a caller whose work budget is
 * spent (see REVISION_DIFF_WORK in server/services/revisionData.ts).
 */
export function compareWhole(mt: string, text: string): { diff: ParagraphDiff; stats: EditStats } {
  const mtWords = tokensOf(mt).texts.length;
  if (mt === text) return { diff: unchanged(mt), stats: stats(mtWords, mtWords, { inserted: 0, deleted: 0, substituted: 0 }) };
  const words = tokensOf(text).texts.length;
  return { diff: wholeReplacement(mt, text), stats: stats(mtWords, words, wholeReplacementCounts(mtWords, words)) };
}

/**
 * Article totals of `paragraphStats` over (MT, text) pairs: every count is summed and
 * editRate = Σ editDistance / Σ mtWords (same rounding and empty-MT rules), so long
 * paragraphs weigh more than short ones. `paragraphsChanged` counts paragraphs with
 * editDistance > 0: a whitespace-only change does not count.
 */
export function articleStats(
  pairs: ReadonlyArray<{ mt: string; text: string }>,
  opts?: DiffOptions,
): EditStats & { paragraphsChanged: number } {
  return sumStats(pairs.map((pair) => paragraphStats(pair.mt, pair.text, opts)));
}

