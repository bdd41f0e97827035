import { createHash } from 'node:crypto';
import { compareCounted, compareWhole, DIFF_LIMITS, sumStats, type EditStats, type ParagraphDiff } from '../../shared/textDiff';

/**
 * Work budget for all the diffs of one revision, in the units of
 * `DiffOptions.maxWork` (tokens searched × edit length searched). Each
 * paragraph's diff is bounded on its own too (`DIFF_LIMITS.maxWork`); this bound
 * keeps a save of a long, completely rewritten article from paying every
 * paragraph's bound in turn (see `diffWithinBudget`).
 *
 * It is a count, not a clock: which paragraphs come back truncated depends on
 * the texts alone, never on the machine or its load, so the same edit always
 * stores the same diffs and statistics. One million units let one heavily
 * rewritten paragraph (a 1,000-token paragraph with half its words edited
 * needs about 0.65 million) and the small fixes elsewhere in the article all
 * be diffed exactly, and the costliest inputs spend them in about 20 ms on an
 * idle 2-core machine and 30 ms on a loaded one, the bound the former 30 ms
 * clock budget gave (see docs/benchmarks.md, "diff-worst").
 */
export const REVISION_DIFF_WORK = 1_000_000;

/** What one revision stores per paragraph: the diff against the previous revision and against the MT. */
export interface ParagraphDiffs {
  /** Against the same paragraph of the previous revision; null for revision 1. */
  prev: ParagraphDiff | null;
  /** Against the paragraph's MT. */
  mt: ParagraphDiff;
}

export interface RevisionStats {
  /** The whole article against its MT (HTER-like; see docs/revisions.md, "Edit rate"). */
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
export function buildRevisionData(prev: Snapshot | null, next: Snapshot, mt: Snapshot, workBudget = REVISION_DIFF_WORK): RevisionData {
  if (next.paragraphs.length !== mt.paragraphs.length) {
    throw new Error(`paragraph count changed: ${mt.paragraphs.length} in the MT, ${next.paragraphs.length} in the revision`);
  }
  if (!(workBudget >= 0)) throw new RangeError(`workBudget must be a non-negative number, got ${String(workBudget)}`);
  // One alignment per paragraph and side gives both the diff and the stats.
  // Where the previous text is still the MT (every paragraph of a first edit),
  // the MT side's alignment serves both.
  const tasks: Array<{ before: string; after: string }> = [];
  const task = (before: string, after: string): number => tasks.push({ before, after }) - 1;
  const mtTask = next.paragraphs.map((text, i) => task(mt.paragraphs[i], text));
  const prevTask = prev ? next.paragraphs.map((text, i) => ((prev.paragraphs[i] ?? '') === mt.paragraphs[i] ? mtTask[i] : task(prev.paragraphs[i] ?? '', text))) : null;
  const titleMtTask = task(mt.title, next.title);
  const titlePrevTask = prev ? (prev.title === mt.title ? titleMtTask : task(prev.title, next.title)) : null;
  const done = diffWithinBudget(tasks, workBudget);
  const vsMt = mtTask.map((k) => done[k]);
  const vsPrev = prevTask ? prevTask.map((k) => done[k]) : null;
  const titleVsMt = done[titleMtTask];
  const paragraphs: ParagraphDiffs[] = next.paragraphs.map((_text, i) => ({ prev: vsPrev ? vsPrev[i].diff : null, mt: vsMt[i].diff }));
  const mtStats = sumStats(vsMt.map((c) => c.stats));
  const prevStats = vsPrev ? sumStats(vsPrev.map((c) => c.stats)) : null;
  return {
    title: next.title,
    paragraphs: [...next.paragraphs],
    diffs: {
      title: { prev: titlePrevTask === null ? null : done[titlePrevTask].diff, mt: titleVsMt.diff },
      paragraphs,
    },
    stats: { mt: mtStats, prev: prevStats, titleChanged: prev ? prev.title !== next.title : false },
    editRate: mtStats.editRate,
    wordsInserted: mtStats.inserted,
    wordsDeleted: mtStats.deleted,
    wordsSubstituted: mtStats.substituted,
  };
}

/**
 * Work a diff may spend in the first pass of `diffWithinBudget`: enough for a
 * few fixes in a paragraph of a thousand tokens or so (a 1,000-token paragraph
 * with 5 % of its words edited needs about 0.09 million).
 */
export const FIRST_PASS_WORK = 100_000;

type Compared = ReturnType<typeof compareWhole>;

/**
 * Aligns each (before, after) pair within one work budget, in two passes so
 * that a heavily rewritten paragraph early in an article cannot spend the
 * budget that the small fixes after it need: first every pair with at most
 * FIRST_PASS_WORK, then, in order, the pairs that ran out of it with up to
 * `DIFF_LIMITS.maxWork` of what is left. Failed attempts are charged too, so
 * the total work never exceeds the budget; once it is spent, the pairs still
 * open are whole replacements. Deterministic: no clock is read.
 */
function diffWithinBudget(tasks: ReadonlyArray<{ before: string; after: string }>, budget: number): Compared[] {
  let left = budget;
  const attempt = (t: { before: string; after: string }, cap: number): Compared & { work: number } => {
    if (left <= 0) return { ...compareWhole(t.before, t.after), work: 0 };
    const c = compareCounted(t.before, t.after, { maxWork: Math.min(cap, left) });
    left -= c.work;
    return c;
  };
  const first = tasks.map((t) => attempt(t, FIRST_PASS_WORK));
  // Only a search that ran and stopped short can do better with more work; a
  // token or edit-length bound would stop it again.
  const second = first.map((c, k) => (c.diff.truncated && c.work > 0 && left > 0 ? attempt(tasks[k], DIFF_LIMITS.maxWork) : c));
  return second.map(({ diff, stats }) => ({ diff, stats }));
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
