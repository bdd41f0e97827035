// Edit statistics (HTER-like counts) from an alignment; the formula is documented
// at `paragraphStats` in shared/textDiff.ts.
import type { Change } from './boundedDiff';
import type { Alignment } from './parts';

/** Edit statistics of a text against its machine translation; see `paragraphStats` for the formula. */
export interface EditStats {
  mtWords: number;
  words: number;
  inserted: number;
  deleted: number;
  substituted: number;
  editDistance: number;
  editRate: number;
}

export interface EditCounts {
  inserted: number;
  deleted: number;
  substituted: number;
}

function countEdits(changes: readonly Change[]): EditCounts {
  const counts: EditCounts = { inserted: 0, deleted: 0, substituted: 0 };
  let removed = 0;
  let added = 0;
  const flush = (): void => {
    counts.substituted += Math.min(removed, added);
    counts.inserted += Math.max(0, added - removed);
    counts.deleted += Math.max(0, removed - added);
    removed = 0;
    added = 0;
  };
  for (const change of changes) {
    if (change.added) added += change.count;
    else if (change.removed) removed += change.count;
    else flush();
  }
  flush();
  return counts;
}

export function wholeReplacementCounts(mtWords: number, words: number): EditCounts {
  return {
    substituted: Math.min(mtWords, words),
    inserted: Math.max(0, words - mtWords),
    deleted: Math.max(0, mtWords - words),
  };
}

function total(counts: EditCounts): number {
  return counts.inserted + counts.deleted + counts.substituted;
}

function rate(editDistance: number, mtWords: number, words: number): number {
  if (mtWords === 0) return words === 0 ? 0 : 1;
  return Math.round((editDistance / mtWords) * 10_000) / 10_000;
}

export function stats(mtWords: number, words: number, counts: EditCounts): EditStats {
  const editDistance = total(counts);
  return { mtWords, words, ...counts, editDistance, editRate: rate(editDistance, mtWords, words) };
}

export function statsOf({ oldTokens, newTokens, changes }: Alignment): EditStats {
  const mtWords = oldTokens.texts.length;
  const words = newTokens.texts.length;
  const whole = wholeReplacementCounts(mtWords, words);
  if (changes === undefined) return stats(mtWords, words, whole);
  const aligned = countEdits(changes);
  // An LCS alignment can cost more than a rewrite ("p q c" → "c r s" keeps "c" at 4 edits
  // against 3); an edit distance is the cheapest known script, so take the rewrite then.
  return stats(mtWords, words, total(aligned) <= total(whole) ? aligned : whole);
}
/**
 * Article totals of per-paragraph statistics, by the same rules as `articleStats`
 * (for callers that already have each paragraph's stats from `compareWithMt` and
 * should not align the paragraphs a second time).
 */
export function sumStats(perParagraph: ReadonlyArray<EditStats>): EditStats & { paragraphsChanged: number } {
  const total = { mtWords: 0, words: 0, inserted: 0, deleted: 0, substituted: 0 };
  let paragraphsChanged = 0;
  for (const p of perParagraph) {
    total.mtWords += p.mtWords;
    total.words += p.words;
    total.inserted += p.inserted;
    total.deleted += p.deleted;
    total.substituted += p.substituted;
    if (p.editDistance > 0) paragraphsChanged++;
  }
  const { mtWords, words, ...counts } = total;
  return { ...stats(mtWords, words, counts), paragraphsChanged };
}
