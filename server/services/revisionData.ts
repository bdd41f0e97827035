import { createHash } from 'node:crypto';
import { compareWhole, compareWithMt, DIFF_LIMITS, sumStats, type EditStats, type ParagraphDiff } from '../policy/textDiff';

/**
 * Wall-clock budget for all the diffs of one revision. Each paragraph's diff is
 * bounded on its own too; this bound keeps a save of a long, completely
 * rewritten article from paying every paragraph's bound in turn: once it is
 * spent, the remaining paragraphs are recorded as whole replacements.
 *
 * 30 ms leaves room within the 50 ms bound of a save's diff work for what
 * the budget does not cover: the tokenization of the remaining text and the
 * overshoot of the diff running when the budget runs out (jsdiff checks its
 * timeout between edit-length rounds).
 */
export const REVISION_DIFF_BUDGET_MS = 30;

/** What one revision stores per paragraph: the diff against the previous revision and against the MT. */
export interface ParagraphDiffs {
  /** Against the same paragraph of the previous revision; null for revision 1. */
  prev: ParagraphDiff | null;
  /** Against the paragraph's MT. */
  mt: ParagraphDiff;
}

export interface RevisionStats {
  /** The whole article against its MT (HTER-like; see README, "Edit rate"). */
  mt: EditStats & { paragraphsChanged: number };
  /** This revision against the previous one; null for revision 1. */
  prev: (EditStats & { paragraphsChanged: number }) | null;
  titleChanged: boolean;
}

/** The computed columns of a Revision row (everything but ids, author, note and kind). */
export interface RevisionData {
  title: string;
  paragraphs: string[];
  diffs: { title: { prev: ParagraphDiff | null; mt: ParagraphDiff }; paragraphs: ParagraphDiffs[] };
  stats: RevisionStats;
  editRate: number;
  wordsInserted: number;
  wordsDeleted: number;
  wordsSubstituted: number;
}

export interface Snapshot {
  title: string;
  paragraphs: readonly string[];
}

/**
 * Computes the diffs and statistics a revision stores: per paragraph, a
 * bounded word diff against the previous revision and against the MT, plus
 * article-level statistics. `mt` is the imported machine translation; a
 * paragraph count never changes after import, so the arrays align.
 */
export function buildRevisionData(prev: Snapshot | null, next: Snapshot, mt: Snapshot, budgetMs = REVISION_DIFF_BUDGET_MS): RevisionData {
  if (next.paragraphs.length !== mt.paragraphs.length) {
    throw new Error(`paragraph count changed: ${mt.paragraphs.length} in the MT, ${next.paragraphs.length} in the revision`);
  }
  // One alignment per paragraph and side gives both the diff and the stats.
  // Once the budget is spent, the rest are whole replacements without an
  // alignment at all: even a 1 ms attempt per remaining diff would add up.
  const deadline = performance.now() + budgetMs;
  const compare = (before: string, after: string) => {
    const left = deadline - performance.now();
    return left > 0 ? compareWithMt(before, after, { timeoutMs: Math.min(DIFF_LIMITS.timeoutMs, left) }) : compareWhole(before, after);
  };
  const vsMt = next.paragraphs.map((text, i) => compare(mt.paragraphs[i], text));
  // Where the previous text is still the MT (every paragraph of a first edit), that alignment is already done.
  const vsPrev = prev
    ? next.paragraphs.map((text, i) => {
        const before = prev.paragraphs[i] ?? '';
        return before === mt.paragraphs[i] ? vsMt[i] : compare(before, text);
      })
    : null;
  const titleVsMt = compare(mt.title, next.title);
  const paragraphs: ParagraphDiffs[] = next.paragraphs.map((_text, i) => ({ prev: vsPrev ? vsPrev[i].diff : null, mt: vsMt[i].diff }));
  const mtStats = sumStats(vsMt.map((c) => c.stats));
  const prevStats = vsPrev ? sumStats(vsPrev.map((c) => c.stats)) : null;
  return {
    title: next.title,
    paragraphs: [...next.paragraphs],
    diffs: {
      title: { prev: prev ? (prev.title === mt.title ? titleVsMt : compare(prev.title, next.title)).diff : null, mt: titleVsMt.diff },
      paragraphs,
    },
    stats: { mt: mtStats, prev: prevStats, titleChanged: prev ? prev.title !== next.title : false },
    editRate: mtStats.editRate,
    wordsInserted: mtStats.inserted,
    wordsDeleted: mtStats.deleted,
    wordsSubstituted: mtStats.substituted,
  };
}

/** The text searched by the q filter: title plus current paragraphs. */
export function searchTextOf(s: Snapshot): string {
  return [s.title, ...s.paragraphs].join('\n');
}

/** Identity of an article without an externalId: sha256 over its MT title and paragraphs. */
export function contentHash(title: string, paragraphs: readonly string[]): string {
  const h = createHash('sha256').update(title.normalize('NFC'));
  for (const p of paragraphs) h.update('\u0000').update(p.normalize('NFC'));
  return h.digest('hex');
}
