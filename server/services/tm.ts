import { z } from 'zod';
import type { Db } from '../db/client';
import { concordancePage, paragraphMt, rebuildTmSegments, tmCandidates } from '../db/sql/tm';
import { NotFoundError } from '../errors';
import type { ListQuery } from '../http/listQuery';
import { rankTmCandidates, TM_MAX_MATCHES, TM_MIN_PERCENT } from '../policy/tmMatch';
import type { ArticleStatus } from '../../shared/workflow';

/**
 * Statuses whose pinned approved revision is in the translation memory. An
 * article that leaves them (archived, reopened) leaves the memory with it.
 */
export const TM_STATUSES: readonly ArticleStatus[] = Object.freeze(['approved', 'exported']);


/** How many trigram candidates the database hands to the word-level ranking. */
const CANDIDATES = 40;

/**
 * Rewrites the translation-memory rows of articles from their current state,
 * in the caller's transaction: the paragraphs of each one's pinned approved
 * revision keyed by their MT when it is approved or exported, none otherwise.
 * One DELETE and one INSERT … SELECT, however many articles and paragraphs.
 */
export async function syncTmSegments(tx: Db, articleIds: readonly number[]): Promise<void> {
  if (articleIds.length === 0) return;
  await rebuildTmSegments(tx, articleIds, TM_STATUSES);
}

/** One suggestion for a paragraph. */
export interface TmMatch {
  articleId: number;
  articleTitle: string;
  /** 0-based paragraph index in that article. */
  index: number;
  /** See `matchPercent`. */
  percent: number;
  mt: string;
  source: string | null;
  /** The approved text: what inserting the match writes. */
  approved: string;
}

/** `GET /api/articles/:id/paragraphs/:index/tm`. */
export interface TmLookup {
  articleId: number;
  index: number;
  /** The MT the matches are keyed on (it never changes after import, so unsaved edits do not move the matches). */
  mt: string;
  matches: TmMatch[];
}

/**
 * Fuzzy matches for paragraph `index` of an article: approved paragraphs of
 * other approved or exported articles with the same source and target
 * language, whose MT is close to this paragraph's MT.
 *
 * Candidates share at least one anchor (a run of three words, see the
 * database function tm_anchors) with the MT, found on the GIN index; the
 * `CANDIDATES` sharing the most are ranked at word level by `matchPercent`,
 * and at most `TM_MAX_MATCHES` at ≥ `TM_MIN_PERCENT` % are returned, best
 * first. A row is only suggested while its revision is still the article's
 * pinned approval.
 */
export async function lookupTm(db: Db, articleId: number, index: number): Promise<TmLookup> {
  const para = await paragraphMt(db, articleId, index);
  if (!para) throw new NotFoundError(`Article ${articleId} has no paragraph ${index} (paragraphs are numbered from 0).`);
  if (para.mt.trim() === '') return { articleId, index, mt: para.mt, matches: [] };
  const rows = await tmCandidates(db, { mt: para.mt, articleId, sourceLang: para.sourceLang, targetLang: para.targetLang, statuses: TM_STATUSES, limit: CANDIDATES });
  const ranked = rankTmCandidates(para.mt, rows, TM_MIN_PERCENT, TM_MAX_MATCHES);
  return {
    articleId,
    index,
    mt: para.mt,
    matches: ranked.map((r) => ({ articleId: r.articleId, articleTitle: r.articleTitle, index: r.position, percent: r.percent, mt: r.mt, source: r.source, approved: r.approved })),
  };
}

const lang = z.string().trim().min(1).max(16);

/** The filter of `GET /api/concordance`: the phrase and, optionally, the language pair. */
export const concordanceFilter = z
  .object({
    q: z.string().trim().min(3, 'must be at least 3 characters').max(200, 'must be at most 200 characters'),
    sourceLang: lang.optional(),
    targetLang: lang.optional(),
  })
  .strict();

export const CONCORDANCE_SORTABLE = ['id'] as const;

/** One concordance row: an approved paragraph and its MT. `id` is "articleId:index". */
export interface ConcordanceRow {
  id: string;
  articleId: number;
  articleTitle: string;
  index: number;
  sourceLang: string | null;
  targetLang: string | null;
  mt: string;
  approved: string;
}

/** `%`, `_` and `\` in user text match themselves in a LIKE pattern. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Approved paragraphs whose MT or approved text contains the phrase
 * (case-insensitive), newest article first; ILIKE on the trigram indexes.
 */
export async function searchConcordance(db: Db, q: ListQuery<z.output<typeof concordanceFilter>>): Promise<{ rows: ConcordanceRow[]; total: number }> {
  const f = q.filter;
  const { rows, total } = await concordancePage(db, {
    pattern: likeContains(f.q),
    sourceLang: f.sourceLang,
    targetLang: f.targetLang,
    statuses: TM_STATUSES,
    order: q.sort.order,
    skip: q.skip,
    take: q.take,
  });
  // The API names a segment by article and paragraph index ("articleId:index").
  return {
    rows: rows.map(({ position, ...r }) => ({ id: `${r.articleId}:${position}`, articleId: r.articleId, articleTitle: r.articleTitle, index: position, sourceLang: r.sourceLang, targetLang: r.targetLang, mt: r.mt, approved: r.approved })),
    total,
  };
}
