// The statements of a save (server/services/saveRevision.ts): the read of an
// article for a write, the revision id, and the one statement that writes a
// revision with everything that goes with it. The service decides what to
// write (policy, diffs, audit data); this module only says it in SQL.
import { Prisma, queryRows, type Db } from '../client';
import type { ArticleStatus } from '../../../shared/workflow';

/** What a write needs of an article, read before the write and checked by version inside it. */
export interface LoadedArticle {
  id: number;
  version: number;
  status: ArticleStatus;
  title: string;
  mtTitle: string;
  revisionCount: number;
  assigneeId: number | null;
  /** `locked`: translate="no" in the imported file, so its text never changes. */
  paragraphs: Array<{ position: number; mt: string; text: string; locked?: boolean }>;
  /** The id the save will give its revision, when the read reserved one (see readArticleState). */
  nextRevisionId?: number | null;
}

/** A column of the wrong type means the SQL and its decoder disagree: a bug, reported with the column's name. */
class RowShapeError extends Error {
  override name = 'RowShapeError';
}

function int(row: Record<string, unknown>, key: string): number {
  const v = row[key];
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new RowShapeError(`saveRevision SQL: column ${key} is ${JSON.stringify(v)}, not an integer`);
  return v;
}

function intOrNull(row: Record<string, unknown>, key: string): number | null {
  return row[key] === null || row[key] === undefined ? null : int(row, key);
}

function text(row: Record<string, unknown>, key: string): string {
  const v = row[key];
  if (typeof v !== 'string') throw new RowShapeError(`saveRevision SQL: column ${key} is ${JSON.stringify(v)}, not text`);
  return v;
}

/** Decodes a row of `selectArticleForWrite`. */
export function decodeLoadedArticle(row: Record<string, unknown>): LoadedArticle {
  const paragraphs = row.paragraphs;
  if (!Array.isArray(paragraphs)) throw new RowShapeError('saveRevision SQL: column paragraphs is not a JSON array');
  return {
    id: int(row, 'id'),
    version: int(row, 'version'),
    status: text(row, 'status') as ArticleStatus,
    title: text(row, 'title'),
    mtTitle: text(row, 'mtTitle'),
    revisionCount: int(row, 'revisionCount'),
    assigneeId: intOrNull(row, 'assigneeId'),
    paragraphs: paragraphs.map((p: Record<string, unknown>) => ({ position: int(p, 'position'), mt: text(p, 'mt'), text: text(p, 'text'), locked: p.locked === true })),
  };
}

/**
 * Reads an article for a write, or null when it does not exist. One
 * statement (paragraphs aggregated in it) so the row and its texts come from
 * one snapshot.
 */
export async function selectArticleForWrite(db: Db, id: number): Promise<LoadedArticle | null> {
  const [row] = await queryRows<Record<string, unknown>>(
    db,
    Prisma.sql`
    SELECT a.id, a.version, a.status::text AS status, a.title, a."mtTitle", a."revisionCount", a."assigneeId",
           (SELECT coalesce(json_agg(json_build_object('position', p.position, 'mt', p.mt, 'text', p.text, 'locked', coalesce((p.meta ->> 'locked')::boolean, false)) ORDER BY p.position), '[]'::json)
              FROM paragraphs p WHERE p."articleId" = a.id) AS paragraphs
      FROM articles a
     WHERE a.id = ${id}`,
    { prepare: true },
  );
  return row ? decodeLoadedArticle(row) : null;
}

/**
 * Locks the article's row until the transaction ends and returns its
 * version, or null when it does not exist: a write that checks "nothing
 * changed since the read" holds it until it commits.
 */
export async function lockArticleVersion(tx: Db, id: number): Promise<number | null> {
  const [row] = await queryRows<Record<string, unknown>>(tx, Prisma.sql`SELECT version FROM articles WHERE id = ${id} FOR UPDATE`);
  return row ? int(row, 'version') : null;
}

/** A revision id for a save whose read did not reserve one (sequence values are never reused; an unused one is a gap). */
export async function nextRevisionId(db: Db): Promise<number> {
  const [row] = await queryRows<Record<string, unknown>>(db, Prisma.sql`SELECT nextval(pg_get_serial_sequence('revisions', 'id'))::int AS id`);
  return int(row, 'id');
}

/** Everything one save statement writes, decided by the service. */
export interface SaveWrite {
  articleId: number;
  /** The state the write must still find: version, revision count and status as read. */
  expected: { version: number; revisionCount: number; status: ArticleStatus };
  article: { title: string; status: ArticleStatus; searchText: string; editRate: number; wordCount: number; assigneeId: number | null; updatedAt: Date };
  /** Paragraphs whose text changes, by position. */
  paragraphs: Array<{ position: number; text: string }>;
  revision: {
    id: number;
    number: number;
    articleVersion: number;
    kind: 'edit' | 'restore' | 'bulk_replace' | 'review';
    authorId: number;
    note: string | null;
    title: string;
    /** JSON texts: the revision's paragraphs, diffs and statistics. */
    paragraphsJson: string;
    diffsJson: string;
    statsJson: string;
    editRate: number;
    wordsInserted: number;
    wordsDeleted: number;
    wordsSubstituted: number;
    restoredFromId: number | null;
  };
  /** A status change written with the revision, when the save moves the status. */
  statusChange: { from: ArticleStatus; to: ArticleStatus; actorId: number; note: string | null } | null;
  /** The `audit_append(…)` call (auditAppendSql), or null when the caller records the event itself. */
  audit: Prisma.Sql | null;
}

/**
 * The one statement of a save. PostgreSQL runs it as one transaction: the
 * article's update, matched on the expected state, then the paragraphs, the
 * revision and the status change, which all hang off the update's row, and
 * the audit event last. When another write won the race the update matches
 * nothing and nothing at all is written, the audit event included; the
 * statement then returns no row (see `decodeSaved`).
 */
export function saveRevisionSql(w: SaveWrite): Prisma.Sql {
  const { article: a, revision: r, expected: e } = w;
  // The final SELECT joins the counts of the paragraph update and the status
  // change, so both finish before the audit event is appended (row locks
  // before the chain's lock, as every writer takes them), and calls
  // audit_append once per revision row: never when the update matched nothing.
  const paragraphUpdate =
    w.paragraphs.length > 0
      ? // One statement however many paragraphs changed (a bulk edit can touch hundreds).
        Prisma.sql`, par AS (
          UPDATE paragraphs p SET text = v.text
            FROM upd, unnest(${w.paragraphs.map((p) => p.position)}::int[], ${w.paragraphs.map((p) => p.text)}::text[]) AS v(position, text)
           WHERE p."articleId" = ${w.articleId} AND p.position = v.position
          RETURNING p.id)`
      : Prisma.sql`, par AS (SELECT 1 AS id WHERE false)`;
  const sc = w.statusChange;
  const statusChange = sc
    ? Prisma.sql`, sc AS (
        INSERT INTO status_changes ("articleId", "fromStatus", "toStatus", "actorId", note, "revisionId")
        SELECT ${w.articleId}, ${sc.from}::"ArticleStatus", ${sc.to}::"ArticleStatus", ${sc.actorId}, ${sc.note}, rev.id FROM rev
        RETURNING id)`
    : Prisma.sql`, sc AS (SELECT 1 AS id WHERE false)`;
  // The diffs are tens of KB of JSON: three jsonb parameters cost a fraction of Prisma's own JSON handling.
  return Prisma.sql`
    WITH upd AS (
      UPDATE articles
         SET version = version + 1, "revisionCount" = "revisionCount" + 1, title = ${a.title}, status = ${a.status}::"ArticleStatus",
             "searchText" = ${a.searchText}, "editRate" = ${a.editRate}::float8, "wordCount" = ${a.wordCount}::int,
             "assigneeId" = ${a.assigneeId}::int, "updatedAt" = ${a.updatedAt}::timestamptz
       -- The status too, so a writer that forgot to bump the version is not overwritten.
       WHERE id = ${w.articleId} AND version = ${e.version} AND "revisionCount" = ${e.revisionCount} AND status = ${e.status}::"ArticleStatus"
      RETURNING id)${paragraphUpdate},
    rev AS (
      INSERT INTO revisions (id, "articleId", number, "articleVersion", kind, "authorId", note, title, paragraphs, diffs, stats,
                             "editRate", "wordsInserted", "wordsDeleted", "wordsSubstituted", "restoredFromId")
      SELECT ${r.id}::int, upd.id, ${r.number}::int, ${r.articleVersion}::int, ${r.kind}::"RevisionKind", ${r.authorId}, ${r.note}, ${r.title},
             ${r.paragraphsJson}::jsonb, ${r.diffsJson}::jsonb, ${r.statsJson}::jsonb,
             ${r.editRate}::float8, ${r.wordsInserted}::int, ${r.wordsDeleted}::int, ${r.wordsSubstituted}::int, ${r.restoredFromId}::int
        FROM upd
      RETURNING id)${statusChange}
    SELECT rev.id${w.audit ? Prisma.sql`, cardinality(${w.audit}) AS audited` : Prisma.empty}
      FROM rev, (SELECT count(*) FROM par) AS paragraphs_written, (SELECT count(*) FROM sc) AS status_changes_written`;
}

/** The revision id a save statement returned, or null when it wrote nothing (another write won the race). */
export function decodeSaved(rows: ReadonlyArray<Record<string, unknown>>): number | null {
  if (rows.length === 0) return null;
  if (rows.length > 1) throw new RowShapeError(`saveRevision SQL: the save returned ${rows.length} rows, not one`);
  return int(rows[0], 'id');
}

/** Runs a save statement; the revision id, or null when another write won the race. */
export async function runSave(db: Db, statement: Prisma.Sql): Promise<number | null> {
  return decodeSaved(await queryRows<Record<string, unknown>>(db, statement));
}
