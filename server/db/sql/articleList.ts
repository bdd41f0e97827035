// The article list's statements (GET /api/articles): one page and the total,
// with every filter on its index (status+updatedAt, assigneeId+status,
// importBatchId, and article_search_fts on article_search.vector, kept by
// triggers from articles.searchText; see the article_search_table migration).
// Paragraphs are never read here.
import { Prisma, type Db } from '../client';
import { STATUSES } from '../../../shared/workflow';
import { date, int, nullable, num, oneOf, rowDecoder, selectRows, text, type RowOf } from './rows';

/** Web-search syntax: a "quoted phrase", an -excluded word, or "or". Such queries keep websearch_to_tsquery's meaning. */
const WEB_SEARCH_SYNTAX = /"|(?:^|\s)-\S|(?:^|\s)or(?:\s|$)/iu;
const SEARCH_WORD = /[\p{L}\p{N}]+/gu;
const MAX_SEARCH_WORDS = 16;

/**
 * The list's `q` filter. Each word matches by its English stem ("fishing"
 * finds "fished") or as the start of a word ("Zhej" finds "Zhejiang"); stop
 * words are ignored, as in the stored vector. Words are runs of letters and
 * digits taken from the text and bound as parameters, so no tsquery syntax is
 * ever built from what the user typed. A query with web-search syntax
 * ("quoted phrase", -word, or) goes to websearch_to_tsquery unchanged.
 */
function searchQuery(text: string): Prisma.Sql {
  const words = [...text.matchAll(SEARCH_WORD)].map((m) => m[0]).slice(0, MAX_SEARCH_WORDS);
  const query =
    WEB_SEARCH_SYNTAX.test(text) || words.length === 0
      ? Prisma.sql`websearch_to_tsquery('english', ${text})`
      : Prisma.join(
          words.map(
            (w) => Prisma.sql`CASE WHEN numnode(to_tsquery('english', ${w})) = 0 THEN ''::tsquery ELSE to_tsquery('english', ${w}) || to_tsquery('simple', ${`${w}:*`}) END`,
          ),
          ' && ',
        );
  return query;
}

/** The `q` filter as a condition on articles `a`: a semi-join, so the GIN index on article_search finds the ids and the page's sort stays on articles. */
export function searchCondition(text: string): Prisma.Sql {
  return Prisma.sql`a.id IN (SELECT s."articleId" FROM article_search s WHERE s.vector @@ (${searchQuery(text)}))`;
}

/** The list's filters, parsed and typed (the service maps the API's filter to this). */
export interface ArticleListWhere {
  ids?: readonly number[];
  statuses?: readonly string[];
  /** A user id, or null for unassigned. */
  assigneeId?: number | null;
  importBatchId?: number;
  q?: string;
  updatedFrom?: Date;
  updatedTo?: Date;
}

/** Sortable columns of the list; anything else is refused by the caller before it gets here. */
export const ARTICLE_LIST_SORTABLE = ['id', 'title', 'status', 'assigneeId', 'editRate', 'wordCount', 'createdAt', 'updatedAt', 'publishedAt'] as const;

/** The columns of an article row as the list and the record read both return them. */
export const articleRowShape = {
  id: int,
  externalId: nullable(text),
  title: text,
  status: oneOf(STATUSES),
  version: int,
  assigneeId: nullable(int),
  assigneeName: nullable(text),
  importBatchId: nullable(int),
  editRate: num,
  wordCount: int,
  mtWordCount: int,
  revisionCount: int,
  approvedRevisionId: nullable(int),
  sourceLang: nullable(text),
  targetLang: nullable(text),
  publishedAt: nullable(date),
  createdAt: date,
  updatedAt: date,
};
const decodeListRow = rowDecoder('articles.listPage', articleRowShape);
const decodeTotal = rowDecoder('articles.listTotal', { total: int });
export type ArticleListRow = RowOf<typeof articleRowShape>;

function whereSql(w: ArticleListWhere): Prisma.Sql {
  const where: Prisma.Sql[] = [];
  if (w.ids !== undefined) where.push(w.ids.length ? Prisma.sql`a.id IN (${Prisma.join([...w.ids])})` : Prisma.sql`false`);
  if (w.statuses !== undefined) where.push(w.statuses.length ? Prisma.sql`a.status IN (${Prisma.join(w.statuses.map((s) => Prisma.sql`${s}::"ArticleStatus"`))})` : Prisma.sql`false`);
  if (w.assigneeId !== undefined) where.push(w.assigneeId === null ? Prisma.sql`a."assigneeId" IS NULL` : Prisma.sql`a."assigneeId" = ${w.assigneeId}`);
  if (w.importBatchId !== undefined) where.push(Prisma.sql`a."importBatchId" = ${w.importBatchId}`);
  if (w.q) where.push(searchCondition(w.q));
  if (w.updatedFrom) where.push(Prisma.sql`a."updatedAt" >= ${w.updatedFrom}`);
  if (w.updatedTo) where.push(Prisma.sql`a."updatedAt" <= ${w.updatedTo}`);
  return where.length ? Prisma.sql`WHERE ${Prisma.join(where, ' AND ')}` : Prisma.empty;
}

/** A list row's columns (`articleRowShape`), from articles `a` joined with the assignee `u`; the record read selects them too. */
export const ARTICLE_ROW_COLUMNS = Prisma.sql`a.id, a."externalId", a.title, a.status::text AS status, a.version, a."assigneeId", u."displayName" AS "assigneeName",
  a."importBatchId", a."editRate", a."wordCount", a."mtWordCount", a."revisionCount", a."approvedRevisionId",
  a."sourceLang", a."targetLang", a."publishedAt", a."createdAt", a."updatedAt"`;

/** The article columns of a list row, without the assignee's name (joined on the page only). */
const ARTICLE_COLUMNS = Prisma.sql`a.id, a."externalId", a.title, a.status, a.version, a."assigneeId", a."importBatchId", a."editRate", a."wordCount",
  a."mtWordCount", a."revisionCount", a."approvedRevisionId", a."sourceLang", a."targetLang", a."publishedAt", a."createdAt", a."updatedAt"`;

/**
 * A search with at most this many matches is answered by one statement that
 * gathers every match through the full-text index, then sorts and counts
 * them. Above it, the page and the count run as for any other filter, and
 * the planner walks the sort order's index, which finds 25 matches of a
 * frequent word quickly. Either way a search never scans the articles
 * table for a rare word (see docs/benchmarks.md, "scale").
 */
export const SEARCH_GATHER_LIMIT = 2000;

const decodeSearchRow = rowDecoder('articles.searchPage', { ...articleRowShape, matchCount: int });

type ListSort = { field: (typeof ARTICLE_LIST_SORTABLE)[number]; order: 'asc' | 'desc' };
type ListPage = { take: number; skip: number };

function orderSql(sort: ListSort): Prisma.Sql {
  // Safe to interpolate: the field is one of ARTICLE_LIST_SORTABLE.
  const dir = sort.order === 'asc' ? Prisma.raw('ASC') : Prisma.raw('DESC');
  return Prisma.sql`ORDER BY a.${Prisma.raw(`"${sort.field}"`)} ${dir}, a.id ${dir}`;
}

/**
 * The page and total of a search that has few matches, in one statement; or
 * undefined when it has more than SEARCH_GATHER_LIMIT (or the page lies past
 * the last match, where the page alone does not tell the total).
 */
async function gatheredSearchPage(db: Db, cond: Prisma.Sql, sort: ListSort, page: ListPage): Promise<{ rows: ArticleListRow[]; total: number } | undefined> {
  const order = orderSql(sort);
  const rows = await selectRows(
    db,
    Prisma.sql`
    WITH m AS MATERIALIZED (SELECT ${ARTICLE_COLUMNS} FROM articles a ${cond} LIMIT ${SEARCH_GATHER_LIMIT + 1})
    SELECT ${ARTICLE_ROW_COLUMNS}, (SELECT count(*)::int FROM m) AS "matchCount"
      FROM (SELECT * FROM m a ${order} LIMIT ${page.take} OFFSET ${page.skip}) a LEFT JOIN users u ON u.id = a."assigneeId"
     ${order}`,
    decodeSearchRow,
  );
  if (rows.length === 0) return page.skip === 0 ? { rows: [], total: 0 } : undefined;
  const total = rows[0].matchCount;
  if (total > SEARCH_GATHER_LIMIT) return undefined;
  return { rows: rows.map(({ matchCount: _, ...row }) => row), total };
}

/**
 * The total. A search with no other filter counts its matches in
 * article_search alone, which holds exactly one row per article (insert
 * trigger, foreign key with cascade): half the work of probing articles for
 * each match, which a frequent word has tens of thousands of.
 */
function countSql(w: ArticleListWhere, cond: Prisma.Sql): Prisma.Sql {
  if (w.q && Object.entries(w).every(([k, v]) => k === 'q' || v === undefined)) {
    return Prisma.sql`SELECT count(*)::int AS total FROM article_search s WHERE s.vector @@ (${searchQuery(w.q)})`;
  }
  return Prisma.sql`SELECT count(*)::int AS total FROM articles a ${cond}`;
}

/** One page of the list (sorted by `sort`, then id) and the total, run in parallel. */
export async function articleListPage(db: Db, w: ArticleListWhere, sort: ListSort, page: ListPage): Promise<{ rows: ArticleListRow[]; total: number }> {
  const cond = whereSql(w);
  if (w.q) {
    const gathered = await gatheredSearchPage(db, cond, sort, page);
    if (gathered) return gathered;
  }
  const order = orderSql(sort);
  const [rows, [count]] = await Promise.all([
    selectRows(
      db,
      Prisma.sql`
      SELECT ${ARTICLE_ROW_COLUMNS}
        FROM articles a LEFT JOIN users u ON u.id = a."assigneeId"
        ${cond} ${order}
       LIMIT ${page.take} OFFSET ${page.skip}`,
      decodeListRow,
    ),
    selectRows(db, countSql(w, cond), decodeTotal),
  ]);
  return { rows, total: count?.total ?? 0 };
}
