// The article record's read (server/services/articleRecord.ts): the row,
// its paragraphs, the current revision's statistics and the four-eyes
// authors in one statement, run before every editor view and every save.
// Columns keep the schema's names (a paragraph's `position`); the service
// maps them to the API's.
import { ARTICLE_ROW_COLUMNS, articleRowShape } from './articleList';
import { Prisma, type Db } from '../client';
import type { InlineCode, ParagraphMeta } from '../../../shared/inlineCodes';
import type { EditStats } from '../../../shared/textDiff';
import { decodeJson, paragraphCodes, paragraphMetaColumn, revisionMtStats } from '../json';
import { authorsSinceApprovalSql } from './revisionKinds';
import { arrayOf, date, int, json, nullable, rowDecoder, selectRows, text, type RowOf } from './rows';

const decodeAuthors = rowDecoder('articleRecord.authorsSinceApproval', { authors: arrayOf(int) });

/** Ids of the users who wrote a person's revision of the article since its last approval (see authorsSinceApprovalSql). */
export async function authorsSinceApproval(db: Db, articleId: number): Promise<number[]> {
  const [row] = await selectRows(db, Prisma.sql`SELECT ${authorsSinceApprovalSql(Prisma.sql`${articleId}::int`)} AS authors`, decodeAuthors);
  return row.authors;
}

const stateRow = {
  ...articleRowShape,
  mtTitle: text,
  sourceTitle: nullable(text),
  paragraphs: arrayOf(json),
  stats: json,
  approvedAt: nullable(date),
  approvedById: nullable(int),
  approvedByName: nullable(text),
  exportedAt: nullable(date),
  currentRevisionId: nullable(int),
  authors: nullable(arrayOf(int)),
  nextRevisionId: nullable(int),
};
const decodeStateRow = rowDecoder('articleRecord.state', stateRow);
const decodeParagraph = rowDecoder('articleRecord.state.paragraphs', { position: int, mt: text, text, source: nullable(text), codes: json, meta: json });

/** A paragraph as stored. */
export interface StoredParagraph {
  position: number;
  mt: string;
  text: string;
  source: string | null;
  codes: InlineCode[] | null;
  meta: ParagraphMeta | null;
}

/** An article's state as stored, from one snapshot. */
export type StoredArticleState = Omit<RowOf<typeof stateRow>, 'paragraphs' | 'stats'> & {
  paragraphs: StoredParagraph[];
  /** The current revision's statistics against the MT; null when it has none. */
  stats: (EditStats & { paragraphsChanged: number }) | null;
};

/**
 * Decodes a row of `selectArticleState`. Per row, cheaply: the paragraphs'
 * codes and meta go through their column decoders only when present (an
 * article imported from plain text or HTML has neither).
 */
function decodeState(raw: unknown): StoredArticleState {
  const row = decodeStateRow(raw);
  const paragraphs = row.paragraphs.map((value): StoredParagraph => {
    const p = decodeParagraph(value);
    const at = `${row.id} (paragraph ${p.position})`;
    return {
      position: p.position,
      mt: p.mt,
      text: p.text,
      source: p.source,
      codes: p.codes === null ? null : decodeJson(paragraphCodes, p.codes, at),
      meta: p.meta === null ? null : decodeJson(paragraphMetaColumn, p.meta, at),
    };
  });
  const stats = row.stats === null ? null : decodeJson(revisionMtStats, row.stats, row.currentRevisionId ?? `of article ${row.id}`);
  return { ...row, paragraphs, stats };
}

/**
 * Reads an article's state by one statement, or null when it does not
 * exist. `fourEyes`: read the authors the approval check needs when the
 * article is in review. `reserveRevisionId`: also take the id of the revision
 * a save will write.
 */
export async function selectArticleState(db: Db, id: number, fourEyes: boolean, reserveRevisionId: boolean): Promise<StoredArticleState | null> {
  const [row] = await selectRows(
    db,
    Prisma.sql`
    SELECT ${ARTICLE_ROW_COLUMNS},
           a."mtTitle", a."sourceTitle",
           (SELECT coalesce(json_agg(json_build_object('position', p.position, 'mt', p.mt, 'text', p.text, 'source', p.source, 'codes', p.codes, 'meta', p.meta) ORDER BY p.position), '[]'::json)
              FROM paragraphs p WHERE p."articleId" = a.id) AS paragraphs,
           cur.stats -> 'mt' AS stats,
           a."approvedAt", a."approvedById", apr."displayName" AS "approvedByName", a."exportedAt",
           cur.id AS "currentRevisionId",
           CASE WHEN a.status = 'in_review' AND ${fourEyes}::boolean THEN ${authorsSinceApprovalSql(Prisma.sql`a.id`)} END AS authors,
           ${reserveRevisionId ? Prisma.sql`nextval(pg_get_serial_sequence('revisions', 'id'))::int` : Prisma.sql`NULL::int`} AS "nextRevisionId"
      FROM articles a
      LEFT JOIN users u ON u.id = a."assigneeId"
      LEFT JOIN users apr ON apr.id = a."approvedById"
      LEFT JOIN revisions cur ON cur."articleId" = a.id AND cur.number = a."revisionCount"
     WHERE a.id = ${id}`,
    decodeState,
    // Planning this statement costs more than running it: prepared once per connection.
    { prepare: true },
  );
  return row ?? null;
}
