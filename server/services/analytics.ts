import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db/client';
import { approvedMtDiffs, editorEffort, editRateDistribution, weeklyTrend } from '../db/sql/analytics';
import type { UserActor } from '../auth/context';
import { can } from '../../shared/permissions';
import type { DiffPart, ParagraphDiff } from '../../shared/textDiff';

/** Upper bounds of the edit-rate histogram buckets; the last bucket is open. */
export const EDIT_RATE_BUCKETS = [0.05, 0.1, 0.2, 0.3, 0.5, 1] as const;

export interface AnalyticsSummary {
  /** 'all' for holders of analytics.read; 'self' (only the caller's own work) for everyone else. */
  scope: 'all' | 'self';
  /** Current edit rate of the articles people have edited (in scope 'self': that the caller edited). */
  editRate: {
    articles: number;
    mean: number | null;
    median: number | null;
    p90: number | null;
    buckets: Array<{ from: number; to: number | null; count: number }>;
  };
  editors: Array<{
    userId: number;
    username: string;
    displayName: string;
    articlesTouched: number;
    revisions: number;
    wordsInserted: number;
    wordsDeleted: number;
    wordsSubstituted: number;
    /** inserted + deleted + substituted, each revision against the one before it. */
    wordsEdited: number;
    /** Mean edit rate against the MT of the editor's latest revision of each article they touched. */
    avgEditRate: number | null;
  }>;
  /** ISO weeks (Monday 00:00 UTC), oldest first, the current week last. */
  weeks: Array<{ week: string; start: string; revisions: number; meanEditRate: number | null; articlesApproved: number }>;
}

export const summaryQuery = z
  .object({
    weeks: z.coerce.number().int().min(1).max(104).optional().default(12),
  })
  .strict();

const round4 = (n: number | null): number | null => (n === null ? null : Math.round(n * 10_000) / 10_000);

/**
 * Post-edit analytics: the edit-rate distribution of edited articles, per
 * editor effort, and weekly trends. Aggregated in SQL. Users without
 * analytics.read see only their own work.
 */
export async function analyticsSummary(db: Db, query: z.output<typeof summaryQuery>, actor: UserActor): Promise<AnalyticsSummary> {
  const { weeks } = query;
  const scope: AnalyticsSummary['scope'] = can(actor.role, 'analytics.read') ? 'all' : 'self';
  const authored = scope === 'self' ? { authorId: actor.id } : null;
  const dist = await editRateDistribution(db, authored, EDIT_RATE_BUCKETS);
  const editors = await editorEffort(db, authored);
  const weekRows = await weeklyTrend(db, authored, weeks);

  const bounds = [0, ...EDIT_RATE_BUCKETS];
  return {
    scope,
    editRate: {
      articles: dist.n,
      mean: round4(dist.mean),
      median: round4(dist.median),
      p90: round4(dist.p90),
      buckets: dist.buckets.map((count, i) => ({ from: bounds[i], to: EDIT_RATE_BUCKETS[i] ?? null, count })),
    },
    editors: editors.map((e) => ({ ...e, avgEditRate: round4(e.avgEditRate) })),
    weeks: weekRows.map((w) => ({ ...w, meanEditRate: round4(w.meanEditRate) })),
  };
}

// ---------------------------------------------------------------- recurring corrections

/** A phrase of the MT that editors replaced the same way in several approved articles. */
export interface RecurringCorrection {
  /** Stable id derived from the pair (react-admin needs one). */
  id: string;
  mt: string;
  edited: string;
  /** Occurrences over all approved revisions. */
  count: number;
  /** Distinct articles it occurs in. */
  articles: number;
  /** Up to five places it occurs. */
  examples: Array<{ articleId: number; paragraphIndex: number }>;
}

export const correctionsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).optional().default(50),
    minCount: z.coerce.number().int().min(1).max(1_000_000).optional().default(2),
  })
  .strict();

/** Longest phrase, in words, on either side of a pair that counts. */
export const MAX_PHRASE_WORDS = 6;
/** Distinct pairs kept in memory; past it, pairs seen once are dropped. */
const MAX_PAIRS = 100_000;
const PAGE = 200;
const MAX_EXAMPLES = 5;

/** Lower case, single spaces, no punctuation at either end: how pairs are compared. */
export function normalisePhrase(s: string): string {
  return s
    .normalize('NFC')
    .toLowerCase()
    .replace(/\s+/gu, ' ')
    .replace(/^[\p{P}\p{S}\s]+|[\p{P}\p{S}\s]+$/gu, '');
}

/**
 * The MT-phrase → edited-phrase pairs of one paragraph diff against the MT:
 * each run of deleted and inserted parts between unchanged words (only
 * whitespace may separate them) is one replacement when it both deletes and
 * inserts. Pure insertions or deletions, truncated diffs, case-only changes
 * and phrases longer than MAX_PHRASE_WORDS are left out.
 */
export function replacementPairs(diff: ParagraphDiff): Array<{ mt: string; edited: string }> {
  if (diff.truncated) return [];
  const pairs: Array<{ mt: string; edited: string }> = [];
  let del = '';
  let ins = '';
  const flush = () => {
    const mt = normalisePhrase(del);
    const edited = normalisePhrase(ins);
    del = '';
    ins = '';
    if (mt === '' || edited === '' || mt === edited) return;
    if (mt.split(' ').length > MAX_PHRASE_WORDS || edited.split(' ').length > MAX_PHRASE_WORDS) return;
    pairs.push({ mt, edited });
  };
  for (const part of diff.parts as DiffPart[]) {
    if (part.op === 'del') del += part.text;
    else if (part.op === 'ins') ins += part.text;
    else if (part.text.trim() === '') {
      del += part.text;
      ins += part.text;
    } else flush();
  }
  flush();
  return pairs;
}

interface Tally {
  mt: string;
  edited: string;
  count: number;
  articles: number;
  lastArticle: number;
  examples: Array<{ articleId: number; paragraphIndex: number }>;
}

/**
 * Recurring corrections mined from the approved revisions: every article's
 * approved revision is read in pages of 200 (its stored word diffs against
 * the MT), replacement pairs are counted in a bounded map, and the pairs seen
 * at least `minCount` times come back most frequent first.
 */
export async function recurringCorrections(db: Db, query: z.output<typeof correctionsQuery>): Promise<RecurringCorrection[]> {
  const { limit, minCount } = query;
  const tallies = new Map<string, Tally>();
  let cursor = 0;
  for (;;) {
    const page = await approvedMtDiffs(db, cursor, PAGE);
    if (page.length === 0) break;
    cursor = page[page.length - 1].id;
    for (const article of page) {
      article.mt.forEach((diff, paragraphIndex) => {
        if (!diff) return;
        for (const { mt, edited } of replacementPairs(diff)) {
          const key = `${mt}\u0000${edited}`;
          let t = tallies.get(key);
          if (!t) {
            t = { mt, edited, count: 0, articles: 0, lastArticle: 0, examples: [] };
            tallies.set(key, t);
          }
          t.count++;
          if (t.lastArticle !== article.id) {
            t.articles++;
            t.lastArticle = article.id;
          }
          if (t.examples.length < MAX_EXAMPLES) t.examples.push({ articleId: article.id, paragraphIndex });
        }
      });
    }
    if (tallies.size > MAX_PAIRS) {
      for (const [key, t] of tallies) if (t.count === 1) tallies.delete(key);
    }
    if (page.length < PAGE) break;
  }
  return [...tallies.values()]
    .filter((t) => t.count >= minCount)
    .sort((a, b) => b.count - a.count || b.articles - a.articles || a.mt.localeCompare(b.mt) || a.edited.localeCompare(b.edited))
    .slice(0, limit)
    .map((t) => ({
      id: createHash('sha256').update(`${t.mt}\u0000${t.edited}`).digest('hex').slice(0, 16),
      mt: t.mt,
      edited: t.edited,
      count: t.count,
      articles: t.articles,
      examples: t.examples,
    }));
}
