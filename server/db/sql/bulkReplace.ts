// The statement of a bulk replace's preview (server/services/bulkReplace.ts)
// that picks the articles to read; the writes go through the save's
// statements (./saveRevision.ts).
import { Prisma, type Db } from '../client';
import type { ArticleStatus } from '../../../shared/workflow';
import { int, rowDecoder, selectRows } from './rows';

/** A literal search, narrowed in the database: a LIKE pattern (escaped, see ../like.ts). */
export interface LikeFilter {
  like: string;
  caseSensitive: boolean;
  /** Match the title as well as the paragraphs. */
  includeTitles: boolean;
}

const decodeId = rowDecoder('bulkReplace.candidateIds', { id: int });

/**
 * Up to `take` ids (ascending, after `cursor`) of articles in `statuses`;
 * with `filter`, only those with a paragraph (or title) matching it. A regex
 * search passes no filter: PostgreSQL regexes differ from JavaScript's.
 */
export async function bulkReplaceCandidateIds(db: Db, statuses: readonly ArticleStatus[], cursor: number, take: number, filter: LikeFilter | null): Promise<number[]> {
  const statusSql = Prisma.join(statuses.map((s) => Prisma.sql`${s}::"ArticleStatus"`));
  const op = filter?.caseSensitive ? Prisma.sql`LIKE` : Prisma.sql`ILIKE`;
  const prefilter = filter
    ? Prisma.sql`AND (EXISTS (SELECT 1 FROM paragraphs p WHERE p."articleId" = a.id AND p.text ${op} ${filter.like})${filter.includeTitles ? Prisma.sql` OR a.title ${op} ${filter.like}` : Prisma.empty})`
    : Prisma.empty;
  const rows = await selectRows(
    db,
    Prisma.sql`
      SELECT a.id FROM articles a WHERE a.status IN (${statusSql}) AND a.id > ${cursor} ${prefilter} ORDER BY a.id LIMIT ${take}`,
    decodeId,
  );
  return rows.map((r) => r.id);
}
