import { Prisma, queryRows, type Db, type PrismaClient } from '../db/client';
import { BadRequestError, ConflictError, NotFoundError } from '../errors';
import type { UserActor } from '../auth/context';
import { diffParagraph, type ParagraphDiff } from '../../shared/textDiff';
import { statusAfterSave, type ArticleStatus } from '../../shared/workflow';
import { assigneeAfterSave } from '../policy/routing';
import { auditAppendSql, type Actor } from './audit';
import { getArticleRecord, type ArticleRecord, type ArticleState, type SavedState, type WorkflowOptions } from './articleRecord';
import { buildRevisionData, searchTextOf, type RevisionData, type Snapshot } from './revisionData';

/**
 * Interactive transactions wait for a pooled connection. Under a burst of
 * concurrent saves Prisma's 2 s default would fail some with a 500 instead of
 * letting them reach the version check and answer 409.
 */
export const WRITE_TX = { maxWait: 15_000, timeout: 30_000 } as const;

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

/**
 * Reads an article for a write; 404 when it does not exist. One statement
 * (paragraphs aggregated in it) so the row and its texts come from one snapshot.
 */
export async function loadArticle(db: Db, id: number): Promise<LoadedArticle> {
  const [a] = await db.$queryRaw<LoadedArticle[]>`
    SELECT a.id, a.version, a.status::text AS status, a.title, a."mtTitle", a."revisionCount", a."assigneeId",
           (SELECT coalesce(json_agg(json_build_object('position', p.position, 'mt', p.mt, 'text', p.text, 'locked', coalesce((p.meta ->> 'locked')::boolean, false)) ORDER BY p.position), '[]'::json)
              FROM paragraphs p WHERE p."articleId" = a.id) AS paragraphs
      FROM articles a
     WHERE a.id = ${id}`;
  if (!a) throw new NotFoundError(`Article ${id} does not exist.`);
  return a;
}

/** A loaded article from a state read for a save (same columns, paragraphs keyed by position). */
export function loadedFromState(a: ArticleState): LoadedArticle {
  return {
    id: a.id,
    version: a.version,
    status: a.status,
    title: a.title,
    mtTitle: a.mtTitle,
    revisionCount: a.revisionCount,
    assigneeId: a.assigneeId,
    paragraphs: a.paragraphs.map((p) => ({ position: p.index, mt: p.mt, text: p.text, locked: p.meta?.locked === true })),
    nextRevisionId: a.nextRevisionId,
  };
}

/**
 * A paragraph the imported file marked translate="no" is locked: a save that changes it is
 * refused (400 `paragraph_locked`), naming every such paragraph, before anything is written.
 */
export function refuseLockedEdits(article: Pick<LoadedArticle, 'id' | 'paragraphs'>, next: Pick<Snapshot, 'paragraphs'>): void {
  const locked = article.paragraphs.filter((p, i) => p.locked && next.paragraphs[i] !== undefined && next.paragraphs[i] !== p.text);
  if (locked.length === 0) return;
  const which = locked.map((p) => p.position + 1);
  throw new BadRequestError(
    `Article ${article.id}: paragraph${which.length === 1 ? '' : 's'} ${which.join(', ')} ${which.length === 1 ? 'is' : 'are'} locked (translate="no" in the imported file) and cannot be changed.`,
    { lockedParagraphs: locked.map((p) => p.position) },
    'paragraph_locked',
  );
}

/** The current text of a loaded article. */
export function snapshotOf(a: LoadedArticle): Snapshot {
  return { title: a.title, paragraphs: a.paragraphs.map((p) => p.text) };
}

/** `details` of a 409 `version_conflict`. */
export interface VersionConflictDetails {
  baseVersion: number;
  currentVersion: number;
  current: ArticleRecord;
  /** null when the title did not change since the editor's version. */
  title: { base: string; current: string } | null;
  /** Only the paragraphs changed since the editor's version; `diff` goes from base to current. */
  paragraphs: Array<{ index: number; base: string; current: string; diff: ParagraphDiff }>;
  /** Who wrote the newest revision since the editor's version; null when only the status or assignment moved, or the system wrote it. */
  by: { id: number; name: string } | null;
}

/**
 * Builds the 409 for a write made against `baseVersion` when the article has
 * moved on. The editor's version is matched to the revision that was current
 * then (the newest with articleVersion ≤ baseVersion; an assignment bumps the
 * version without a revision), and every paragraph changed since is listed
 * with its diff, so the editor can merge rather than overwrite.
 */
export async function versionConflict(db: Db, articleId: number, baseVersion: number, actor: UserActor, opts: WorkflowOptions): Promise<ConflictError> {
  const current = await getArticleRecord(db, articleId, actor, opts);
  const base =
    baseVersion < current.version
      ? await db.revision.findFirst({
          where: { articleId, articleVersion: { lte: baseVersion } },
          orderBy: { articleVersion: 'desc' },
          select: { title: true, paragraphs: true },
        })
      : null;
  const winner =
    baseVersion < current.version
      ? await db.revision.findFirst({
          where: { articleId, articleVersion: { gt: baseVersion } },
          orderBy: { articleVersion: 'desc' },
          select: { author: { select: { id: true, displayName: true } } },
        })
      : null;
  const by = winner?.author ? { id: winner.author.id, name: winner.author.displayName } : null;
  const baseParagraphs = (base?.paragraphs ?? null) as string[] | null;
  const paragraphs: VersionConflictDetails['paragraphs'] = [];
  if (baseParagraphs) {
    for (const p of current.paragraphs) {
      const before = baseParagraphs[p.index] ?? '';
      if (before !== p.text) paragraphs.push({ index: p.index, base: before, current: p.text, diff: diffParagraph(before, p.text) });
    }
  }
  const title = base && base.title !== current.title ? { base: base.title, current: current.title } : null;
  const details: VersionConflictDetails = { baseVersion, currentVersion: current.version, current, title, paragraphs, by };
  const what =
    baseVersion > current.version
      ? `version ${baseVersion} does not exist yet`
      : paragraphs.length === 0 && !title
        ? 'its status or assignment changed'
        : `${[title ? 'the title' : '', paragraphs.length ? `${paragraphs.length} paragraph${paragraphs.length === 1 ? '' : 's'}` : ''].filter(Boolean).join(' and ')} changed`;
  return new ConflictError(
    `Article ${articleId} changed since you opened it (your version ${baseVersion}, current version ${current.version})${by ? `; ${by.name} saved it` : ''}: ${what}. Nothing was saved; review the changes and save again.`,
    details,
    'version_conflict',
  );
}

export interface SaveRequest {
  /** The article as read before the write; its `version` is the one the write must still find. */
  article: LoadedArticle;
  next: Snapshot;
  /** Audited as article.save, article.restore or article.bulk_replace (a review records its own event). */
  kind: 'edit' | 'restore' | 'bulk_replace' | 'review';
  note: string | null;
  restoredFrom?: { id: number; number: number };
  /** A new assignee to set in the same write; undefined leaves it. */
  assigneeId?: number | null;
  /** More fields for the audit event's data (e.g. a bulk replace's pattern). */
  auditExtra?: Record<string, unknown>;
  /** The note of the status change when the save moves the status (default: why, for approved articles). */
  statusNote?: string;
  /**
   * False when the caller records the audit event itself, in the same
   * transaction (a bulk replace records one event for the whole request).
   */
  audit?: boolean;
}

/** The 409 for a write to an archived article. */
export function archivedError(articleId: number, message: string): ConflictError {
  return new ConflictError(`Article ${articleId} is archived: ${message}.`, { status: 'archived' }, 'article_archived');
}

/**
 * Writes one revision with ONE statement, which PostgreSQL runs as one
 * transaction: the article's new state (version and revision count bumped,
 * matched on the version, revision count and status that were read), the
 * changed paragraphs, the Revision, a StatusChange when the save moves the
 * status, and the audit event, last, through `audit_append`. The paragraphs,
 * the revision and the status change hang off the update's row, so when
 * another write won the race nothing at all is written, the audit event
 * included. One round trip and no interactive transaction: the audit chain's
 * lock is held only while the statement finishes and commits.
 *
 * Diffs are computed before, with no lock held. The revision's id comes from
 * the read (`nextRevisionId`) or is taken here, so the audit event, written
 * by the same statement, can name it. Returns null when another write won
 * the race (the caller answers 409).
 */
export async function saveRevision(db: PrismaClient, req: SaveRequest, actor: UserActor): Promise<SavedState | null> {
  const { article, next } = req;
  refuseLockedEdits(article, next);
  const after = statusAfterSave(article.status);
  if (!after.ok) throw archivedError(article.id, after.message);
  const mt: Snapshot = { title: article.mtTitle, paragraphs: article.paragraphs.map((p) => p.mt) };
  const data = buildRevisionData(snapshotOf(article), next, mt);
  const revisionId = article.nextRevisionId ?? (await reserveRevisionId(db));
  const { statement, saved } = saveStatement({ ...req, data, revisionId, updatedAt: new Date() }, actor);
  const rows = await queryRows<{ id: number }>(db, statement);
  return rows.length === 0 ? null : saved;
}

/** Everything a save statement writes: the request, its computed revision data, the revision's id and the time. */
export interface SaveStatementInput extends SaveRequest {
  data: RevisionData;
  revisionId: number;
  updatedAt: Date;
}

/**
 * The one statement of a save (see saveRevision) and the state it writes when
 * it matches. Pure: the benchmark's raw-SQL baseline runs exactly this SQL.
 */
export function saveStatement(input: SaveStatementInput, actor: Actor & { id: number }): { statement: Prisma.Sql; saved: SavedState } {
  const { article, next, data, revisionId, updatedAt } = input;
  const after = statusAfterSave(article.status);
  if (!after.ok) throw archivedError(article.id, after.message);
  refuseLockedEdits(article, next);
  const changed = article.paragraphs.filter((p, i) => p.text !== next.paragraphs[i]);
  // Matched on the version like the rest of the update: of two saves racing
  // for an unassigned article, the one that wins the version check is the one
  // that claims it.
  const assigneeId = assigneeAfterSave({ kind: input.kind, current: article.assigneeId, requested: input.assigneeId, actorId: actor.id });
  const assign = assigneeId !== article.assigneeId;
  const claimed = assign && input.assigneeId === undefined;
  const number = article.revisionCount + 1;
  const version = article.version + 1;
  const statusMoves = after.to !== article.status;
  const s = data.stats.mt;
  const audit = input.audit === false ? null : auditAppendSql(actor, [
    {
      action: input.kind === 'edit' ? 'article.save' : `article.${input.kind}`,
      entity: 'article',
      entityId: article.id,
      data: {
        revisionId,
        number,
        editRate: data.editRate,
        inserted: s.inserted,
        deleted: s.deleted,
        substituted: s.substituted,
        paragraphsChanged: changed.length,
        titleChanged: article.title !== next.title,
        ...(statusMoves ? { statusFrom: article.status, statusTo: after.to } : {}),
        ...(input.restoredFrom ? { restoredFromId: input.restoredFrom.id, restoredFromNumber: input.restoredFrom.number } : {}),
        // A save that also reassigns stays one event: one request, one audit record.
        ...(assign ? { assigneeFrom: article.assigneeId, assigneeTo: assigneeId } : {}),
        ...(claimed ? { claimedOnSave: true } : {}),
        ...input.auditExtra,
      },
    },
  ]);

  // Every CTE hangs off `upd`. The final SELECT joins the counts of the
  // paragraph update and the status change, so both finish before the audit
  // event is appended (row locks before the chain's lock, as every writer
  // takes them), and calls audit_append once per revision row: never when
  // the update matched nothing.
  const paragraphUpdate =
    changed.length > 0
      ? // One statement however many paragraphs changed (a bulk edit can touch hundreds).
        Prisma.sql`, par AS (
          UPDATE paragraphs p SET text = v.text
            FROM upd, unnest(${changed.map((p) => p.position)}::int[], ${changed.map((p) => next.paragraphs[p.position])}::text[]) AS v(position, text)
           WHERE p."articleId" = ${article.id} AND p.position = v.position
          RETURNING p.id)`
      : Prisma.sql`, par AS (SELECT 1 AS id WHERE false)`;
  const statusChange = statusMoves
    ? Prisma.sql`, sc AS (
        INSERT INTO status_changes ("articleId", "fromStatus", "toStatus", "actorId", note, "revisionId")
        SELECT ${article.id}, ${article.status}::"ArticleStatus", ${after.to}::"ArticleStatus", ${actor.id}, ${
          article.status === 'approved' || article.status === 'exported'
            ? 'Edited after approval: needs a new approval; the approved revision stays pinned for export until then.'
            : (input.statusNote ?? null)
        }, rev.id FROM rev
        RETURNING id)`
    : Prisma.sql`, sc AS (SELECT 1 AS id WHERE false)`;
  // The diffs are tens of KB of JSON: three jsonb parameters cost a fraction of Prisma's own JSON handling.
  const statement = Prisma.sql`
    WITH upd AS (
      UPDATE articles
         SET version = version + 1, "revisionCount" = "revisionCount" + 1, title = ${next.title}, status = ${after.to}::"ArticleStatus",
             "searchText" = ${searchTextOf(next)}, "editRate" = ${data.editRate}::float8, "wordCount" = ${s.words}::int,
             "assigneeId" = ${assigneeId}::int, "updatedAt" = ${updatedAt}::timestamptz
       -- The status too, so a writer that forgot to bump the version is not overwritten.
       WHERE id = ${article.id} AND version = ${article.version} AND "revisionCount" = ${article.revisionCount} AND status = ${article.status}::"ArticleStatus"
      RETURNING id)${paragraphUpdate},
    rev AS (
      INSERT INTO revisions (id, "articleId", number, "articleVersion", kind, "authorId", note, title, paragraphs, diffs, stats,
                             "editRate", "wordsInserted", "wordsDeleted", "wordsSubstituted", "restoredFromId")
      SELECT ${revisionId}::int, upd.id, ${number}::int, ${version}::int, ${input.kind}::"RevisionKind", ${actor.id}, ${input.note}, ${data.title},
             ${JSON.stringify(data.paragraphs)}::jsonb, ${JSON.stringify(data.diffs)}::jsonb, ${JSON.stringify(data.stats)}::jsonb,
             ${data.editRate}::float8, ${data.wordsInserted}::int, ${data.wordsDeleted}::int, ${data.wordsSubstituted}::int, ${input.restoredFrom?.id ?? null}::int
        FROM upd
      RETURNING id)${statusChange}
    SELECT rev.id${audit ? Prisma.sql`, cardinality(${audit}) AS audited` : Prisma.empty}
      FROM rev, (SELECT count(*) FROM par) AS paragraphs_written, (SELECT count(*) FROM sc) AS status_changes_written`;
  const saved: SavedState = {
    revisionId,
    version,
    revisionCount: number,
    status: after.to,
    title: next.title,
    paragraphs: [...next.paragraphs],
    editRate: data.editRate,
    wordCount: s.words,
    stats: s,
    updatedAt,
    assigneeId,
  };
  return { statement, saved };
}

/** A revision id for a save whose read did not reserve one. */
async function reserveRevisionId(db: PrismaClient): Promise<number> {
  const [{ id }] = await queryRows<{ id: number }>(db, Prisma.sql`SELECT nextval(pg_get_serial_sequence('revisions', 'id'))::int AS id`);
  return id;
}
