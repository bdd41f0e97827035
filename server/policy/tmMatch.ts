import { paragraphStats, tokenizeWords } from '../../shared/textDiff';

/** Suggestions below this match percentage are not shown. */
export const TM_MIN_PERCENT = 50;
/** Most suggestions per paragraph. */
export const TM_MAX_MATCHES = 5;

/**
 * How closely a translation-memory entry's MT matches a paragraph's MT, as a
 * whole percentage a translator can read: the share of words that need no
 * edit.
 *
 * Both texts are split into tokens by `tokenizeWords` (words and punctuation
 * marks; whitespace does not count) and aligned by the same bounded word diff
 * as the edit statistics (`paragraphStats`). With `d` the word edit distance
 * (insertions + deletions + substitutions) and `n` the longer token count:
 *
 *     percent = floor(100 × (1 − d / n))
 *
 * so 100 means the same tokens in the same order (spacing aside), one word
 * changed in a ten-word sentence gives 90, and two empty texts give 100.
 * Comparison is exact: case and punctuation count, as they do for the editor.
 */
export function matchPercent(query: string, candidate: string): number {
  const n = Math.max(tokenizeWords(query).length, tokenizeWords(candidate).length);
  if (n === 0) return 100;
  const d = paragraphStats(candidate, query).editDistance;
  return Math.max(0, Math.floor(100 * (1 - d / n)));
}

/** A candidate the database returned, before ranking. */
export interface TmCandidate {
  articleId: number;
  position: number;
  mt: string;
}

/**
 * Ranks candidates by `matchPercent` against `query` (ties: the most recent
 * article first, then the earlier paragraph), drops those under `min` and
 * keeps the best `max`.
 */
export function rankTmCandidates<T extends TmCandidate>(query: string, candidates: readonly T[], min = TM_MIN_PERCENT, max = TM_MAX_MATCHES): Array<T & { percent: number }> {
  return candidates
    .map((c) => ({ ...c, percent: matchPercent(query, c.mt) }))
    .filter((c) => c.percent >= min)
    .sort((a, b) => b.percent - a.percent || b.articleId - a.articleId || a.position - b.position)
    .slice(0, max);
}
