// Translation-memory statements (table tm_segments, filled from the pinned
// approved revision of approved and exported articles). Columns keep the
// schema's name, `position`; the API's `index` is given by the callers.
import { Prisma, type Db } from '../client';
import type { ArticleStatus } from '../../../shared/workflow';
import { execute, int, nullable, rowDecoder, selectRows, text, type RowOf } from './rows';

const statusList = (statuses: readonly ArticleStatus[]) => Prisma.sql`(${Prisma.join(statuses.map((s) => Prisma.sql`${s}::"ArticleStatus"`))})`;

/** Rebuilds the segments of `ids` from their approved revisions, for articles in `statuses`. */
export async function rebuildTmSegments(tx: Db, ids: readonly number[], statuses: readonly ArticleStatus[]): Promise<void> {
  await execute(tx, Prisma.sql`DELETE FROM tm_segments WHERE "articleId" = ANY(${[...ids]}::int[])`);
  await execute(
    tx,
    Prisma.sql`
    INSERT INTO tm_segments ("articleId", position, "revisionId", "sourceLang", "targetLang", mt, source, approved, anchors)
    SELECT a.id, p.position, r.id, a."sourceLang", a."targetLang", p.mt, p.source, t.text, tm_anchors(p.mt)
      FROM articles a
      JOIN revisions r ON r.id = a."approvedRevisionId"
      CROSS JOIN LATERAL jsonb_array_elements_text(r.paragraphs) WITH ORDINALITY AS t(text, n)
      JOIN paragraphs p ON p."articleId" = a.id AND p.position = t.n - 1
     WHERE a.id = ANY(${[...ids]}::int[]) AND a.status IN ${statusList(statuses)} AND btrim(p.mt) <> '' AND btrim(t.text) <> ''`,
  );
}

const decodeParagraph = rowDecoder('tm.paragraphMt', { mt: text, sourceLang: nullable(text), targetLang: nullable(text) });
/** A paragraph's MT and its article's language pair; undefined when there is no such paragraph. */
export async function paragraphMt(db: Db, articleId: number, position: number): Promise<{ mt: string; sourceLang: string | null; targetLang: string | null } | undefined> {
  const [row] = await selectRows(
    db,
    Prisma.sql`SELECT p.mt, a."sourceLang", a."targetLang" FROM paragraphs p JOIN articles a ON a.id = p."articleId" WHERE p."articleId" = ${articleId} AND p.position = ${position}`,
    decodeParagraph,
  );
  return row;
}

const candidateRow = { articleId: int, position: int, mt: text, source: nullable(text), approved: text, articleTitle: text };
const decodeCandidate = rowDecoder('tm.candidates', candidateRow);
/** A segment that shares anchors with the MT looked up. */
export type TmCandidateRow = RowOf<typeof candidateRow>;

/**
 * The `limit` segments of other articles (same language pair, still the
 * article's pinned approval) sharing the most anchors with `mt`, found on
 * the GIN index.
 */
export async function tmCandidates(
  db: Db,
  q: { mt: string; articleId: number; sourceLang: string | null; targetLang: string | null; statuses: readonly ArticleStatus[]; limit: number },
): Promise<TmCandidateRow[]> {
  return selectRows(
    db,
    Prisma.sql`
      WITH q AS MATERIALIZED (SELECT tm_anchors(${q.mt}) AS anchors)
      SELECT s."articleId", s.position, s.mt, s.source, s.approved, a.title AS "articleTitle"
        FROM q, tm_segments s JOIN articles a ON a.id = s."articleId"
       WHERE s.anchors && q.anchors
         AND s."articleId" <> ${q.articleId}
         AND s."sourceLang" IS NOT DISTINCT FROM ${q.sourceLang}::varchar
         AND s."targetLang" IS NOT DISTINCT FROM ${q.targetLang}::varchar
         AND a.status IN ${statusList(q.statuses)} AND a."approvedRevisionId" = s."revisionId"
       ORDER BY (SELECT count(*) FROM unnest(s.anchors) AS x WHERE x = ANY (q.anchors)) DESC, s."articleId" DESC, s.position
       LIMIT ${q.limit}`,
    decodeCandidate,
  );
}

const concordanceRow = { articleId: int, articleTitle: text, position: int, sourceLang: nullable(text), targetLang: nullable(text), mt: text, approved: text };
const decodeConcordance = rowDecoder('tm.concordance', concordanceRow);
const decodeTotal = rowDecoder('tm.concordanceTotal', { total: int });
/** A concordance hit: an approved segment. */
export type ConcordanceSegmentRow = RowOf<typeof concordanceRow>;

/**
 * One page of segments whose MT or approved text matches the LIKE `pattern`
 * (case-insensitive, on the trigram indexes), by article then position, and
 * how many there are.
 */
export async function concordancePage(
  db: Db,
  q: { pattern: string; sourceLang?: string; targetLang?: string; statuses: readonly ArticleStatus[]; order: 'asc' | 'desc'; skip: number; take: number },
): Promise<{ rows: ConcordanceSegmentRow[]; total: number }> {
  const conds: Prisma.Sql[] = [
    Prisma.sql`(s.mt ILIKE ${q.pattern} OR s.approved ILIKE ${q.pattern})`,
    Prisma.sql`a.status IN ${statusList(q.statuses)}`,
    Prisma.sql`a."approvedRevisionId" = s."revisionId"`,
  ];
  if (q.sourceLang) conds.push(Prisma.sql`s."sourceLang" = ${q.sourceLang}`);
  if (q.targetLang) conds.push(Prisma.sql`s."targetLang" = ${q.targetLang}`);
  const where = Prisma.join(conds, ' AND ');
  const dir = q.order === 'asc' ? Prisma.raw('ASC') : Prisma.raw('DESC');
  const [rows, [{ total }]] = await Promise.all([
    selectRows(
      db,
      Prisma.sql`
        SELECT s."articleId", a.title AS "articleTitle", s.position, s."sourceLang", s."targetLang", s.mt, s.approved
          FROM tm_segments s JOIN articles a ON a.id = s."articleId"
         WHERE ${where}
         ORDER BY s."articleId" ${dir}, s.position ${dir}
         LIMIT ${q.take} OFFSET ${q.skip}`,
      decodeConcordance,
    ),
    selectRows(db, Prisma.sql`SELECT count(*)::int AS total FROM tm_segments s JOIN articles a ON a.id = s."articleId" WHERE ${where}`, decodeTotal),
  ]);
  return { rows, total };
}
