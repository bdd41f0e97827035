import { z } from 'zod';
import { Prisma, queryRows, type Db } from '../db/client';
import { NotFoundError } from '../errors';
import type { ListQuery } from '../http/listQuery';
import { rankTmCandidates, TM_MAX_MATCHES, TM_MIN_PERCENT } from '../policy/tmMatch';
import type { ArticleStatus } from '../../shared/workflow';

/**
 * Statuses whose pinned approved revision is in the translation memory. An
 * article that leaves them (archived, reopened) leaves the memory with it.
 */
export const TM_STATUSES: readonly ArticleStatus[] = Object.freeze(['approved', 'exported']);

const tmStatusList = Prisma.sql`(${Prisma.join(TM_STATUSES.map((s) => Prisma.sql`${s}::"ArticleStatus"`))})`;

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
  const ids = [...articleIds];
  await tx.$executeRaw`DELETE FROM tm_segments WHERE "articleId" = ANY(${ids}::int[])`;
  await tx.$executeRaw`
    INSERT INTO tm_segments ("articleId", position, "revisionId", "sourceLang", "targetLang", mt, source, approved, anchors)
    SELECT a.id, p.position, r.id, a."sourceLang", a."targetLang", p.mt, p.source, t.text, tm_anchors(p.mt)
      FROM articles a
      JOIN revisions r ON r.id = a."approvedRevisionId"
      CROSS JOIN LATERAL jsonb_array_elements_text(r.paragraphs) WITH ORDINALITY AS t(text, n)
      JOIN paragraphs p ON p."articleId" = a.id AND p.position = t.n - 1
     WHERE a.id = ANY(${ids}::int[]) AND a.status IN ${tmStatusList} AND btrim(p.mt) <> '' AND btrim(t.text) <> ''`;
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

interface CandidateRow {
  articleId: number;
  position: number;
  mt: string;
  source: string | null;
  approved: string;
  articleTitle: string;
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
  const [para] = await queryRows<{ mt: string; sourceLang: string | null; targetLang: string | null }>(
    db,
    Prisma.sql`SELECT p.mt, a."sourceLang", a."targetLang" FROM paragraphs p JOIN articles a ON a.id = p."articleId" WHERE p."articleId" = ${articleId} AND p.position = ${index}`,
  );
  if (!para) throw new NotFoundError(`Article ${articleId} has no paragraph ${index} (paragraphs are numbered from 0).`);
  if (para.mt.trim() === '') return { articleId, index, mt: para.mt, matches: [] };
  const rows = await queryRows<CandidateRow>(
    db,
    Prisma.sql`
      WITH q AS MATERIALIZED (SELECT tm_anchors(${para.mt}) AS anchors)
      SELECT s."articleId", s.position, s.mt, s.source, s.approved, a.title AS "articleTitle"
        FROM q, tm_segments s JOIN articles a ON a.id = s."articleId"
       WHERE s.anchors && q.anchors
         AND s."articleId" <> ${articleId}
         AND s."sourceLang" IS NOT DISTINCT FROM ${para.sourceLang}::varchar
         AND s."targetLang" IS NOT DISTINCT FROM ${para.targetLang}::varchar
         AND a.status IN ${tmStatusList} AND a."approvedRevisionId" = s."revisionId"
       ORDER BY (SELECT count(*) FROM unnest(s.anchors) AS x WHERE x = ANY (q.anchors)) DESC, s."articleId" DESC, s.position
       LIMIT ${CANDIDATES}`,
  );
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
  const pattern = likeContains(f.q);
  const conds: Prisma.Sql[] = [
    Prisma.sql`(s.mt ILIKE ${pattern} OR s.approved ILIKE ${pattern})`,
    Prisma.sql`a.status IN ${tmStatusList}`,
    Prisma.sql`a."approvedRevisionId" = s."revisionId"`,
  ];
  if (f.sourceLang) conds.push(Prisma.sql`s."sourceLang" = ${f.sourceLang}`);
  if (f.targetLang) conds.push(Prisma.sql`s."targetLang" = ${f.targetLang}`);
  const where = Prisma.join(conds, ' AND ');
  const dir = q.sort.order === 'asc' ? Prisma.raw('ASC') : Prisma.raw('DESC');
  const [rows, [{ total }]] = await Promise.all([
    queryRows<ConcordanceRow>(
      db,
      Prisma.sql`
        SELECT s."articleId" || ':' || s.position AS id, s."articleId", a.title AS "articleTitle", s.position AS index,
               s."sourceLang", s."targetLang", s.mt, s.approved
          FROM tm_segments s JOIN articles a ON a.id = s."articleId"
         WHERE ${where}
         ORDER BY s."articleId" ${dir}, s.position ${dir}
         LIMIT ${q.take} OFFSET ${q.skip}`,
    ),
    queryRows<{ total: number }>(db, Prisma.sql`SELECT count(*)::int AS total FROM tm_segments s JOIN articles a ON a.id = s."articleId" WHERE ${where}`),
  ]);
  return { rows, total };
}
