import { Prisma, type Db, type PrismaClient } from '../db/client';
import { ConflictError, NotFoundError } from '../errors';
import type { UserActor } from '../auth/context';
import { diffParagraph, type ParagraphDiff } from '../policy/textDiff';
import { statusAfterSave, type ArticleStatus } from '../policy/workflow';
import { recordAudit } from './audit';
import { getArticleRecord, type ArticleRecord, type WorkflowOptions } from './articleRecord';
import { buildRevisionData, searchTextOf, type Snapshot } from './revisionData';

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
  paragraphs: Array<{ position: number; mt: string; text: string }>;
}

/**
 * Reads an article for a write; 404 when it does not exist. One statement
 * (paragraphs aggregated in it) so the row and its texts come from one snapshot.
 */
export async function loadArticle(db: Db, id: number): Promise<LoadedArticle> {
  const [a] = await db.$queryRaw<LoadedArticle[]>`
    SELECT a.id, a.version, a.status::text AS status, a.title, a."mtTitle", a."revisionCount", a."assigneeId",
           (SELECT coalesce(json_agg(json_build_object('position', p.position, 'mt', p.mt, 'text', p.text) ORDER BY p.position), '[]'::json)
              FROM paragraphs p WHERE p."articleId" = a.id) AS paragraphs
      FROM articles a
     WHERE a.id = ${id}`;
  if (!a) throw new NotFoundError(`Article ${id} does not exist.`);
  return a;
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
  const baseParagraphs = (base?.paragraphs ?? null) as string[] | null;
  const paragraphs: VersionConflictDetails['paragraphs'] = [];
  if (baseParagraphs) {
    for (const p of current.paragraphs) {
      const before = baseParagraphs[p.index] ?? '';
      if (before !== p.text) paragraphs.push({ index: p.index, base: before, current: p.text, diff: diffParagraph(before, p.text) });
    }
  }
  const title = base && base.title !== current.title ? { base: base.title, current: current.title } : null;
  const details: VersionConflictDetails = { baseVersion, currentVersion: current.version, current, title, paragraphs };
  const what =
    baseVersion > current.version
      ? `version ${baseVersion} does not exist yet`
      : paragraphs.length === 0 && !title
        ? 'its status or assignment changed'
        : `${[title ? 'the title' : '', paragraphs.length ? `${paragraphs.length} paragraph${paragraphs.length === 1 ? '' : 's'}` : ''].filter(Boolean).join(' and ')} changed`;
  return new ConflictError(
    `Article ${articleId} changed since you opened it (your version ${baseVersion}, current version ${current.version}): ${what}. Nothing was saved; review the changes and save again.`,
    details,
    'version_conflict',
  );
}

export interface SaveRequest {
  /** The article as read before the write; its `version` is the one the write must still find. */
  article: LoadedArticle;
  next: Snapshot;
  /** Audited as article.save, article.restore or article.bulk_replace. */
  kind: 'edit' | 'restore' | 'bulk_replace';
  note: string | null;
  restoredFrom?: { id: number; number: number };
  /** A new assignee to set in the same write; undefined leaves it. */
  assigneeId?: number | null;
  /** More fields for the audit event's data (e.g. a bulk replace's pattern). */
  auditExtra?: Record<string, unknown>;
  /** The note of the status change when the save moves the status (default: why, for approved articles). */
  statusNote?: string;
}

/** The 409 for a write to an archived article. */
export function archivedError(articleId: number, message: string): ConflictError {
  return new ConflictError(`Article ${articleId} is archived: ${message}.`, { status: 'archived' }, 'article_archived');
}

/**
 * Writes one revision in one transaction: the article's new state (version
 * and revision count bumped by an atomic `UPDATE … WHERE version = base`),
 * the changed paragraphs, the Revision (numbered from the updated row, so
 * numbers stay contiguous under concurrency), a StatusChange when the save
 * moves the status, and the audit event(s), last.
 *
 * Diffs are computed before the transaction opens: they are the costly part
 * and need no lock. Returns null when another write won the race (the caller
 * answers 409); nothing is written then.
 */
export async function saveRevision(db: PrismaClient, req: SaveRequest, actor: UserActor): Promise<{ id: number; number: number } | null> {
  const { article, next } = req;
  const after = statusAfterSave(article.status);
  if (!after.ok) throw archivedError(article.id, after.message);
  const prev = snapshotOf(article);
  const mt: Snapshot = { title: article.mtTitle, paragraphs: article.paragraphs.map((p) => p.mt) };
  const data = buildRevisionData(prev, next, mt);
  const changed = article.paragraphs.filter((p, i) => p.text !== next.paragraphs[i]);
  const assign = req.assigneeId !== undefined && req.assigneeId !== article.assigneeId;

  return db.$transaction(async (tx) => {
    // One statement for the version-checked article update, the changed
    // paragraphs and the revision: the paragraphs and revision hang off the
    // update's RETURNING row, so when another write won the race (no row)
    // nothing at all is written. The revision is numbered from the updated
    // row, so numbers stay contiguous under concurrency.
    const paragraphUpdate =
      changed.length > 0
        ? // One statement however many paragraphs changed (a bulk edit can touch hundreds).
          Prisma.sql`, par AS (
            UPDATE paragraphs p SET text = v.text
              FROM upd, unnest(${changed.map((p) => p.position)}::int[], ${changed.map((p) => next.paragraphs[p.position])}::text[]) AS v(position, text)
             WHERE p."articleId" = ${article.id} AND p.position = v.position)`
        : Prisma.empty;
    // The diffs are tens of KB of JSON, and sending them as three jsonb
    // parameters costs a fraction of Prisma's own JSON handling.
    const [revision] = await tx.$queryRaw<Array<{ id: number; number: number }>>`
      WITH upd AS (
        UPDATE articles
           SET version = version + 1, "revisionCount" = "revisionCount" + 1, title = ${next.title}, status = ${after.to}::"ArticleStatus",
               "searchText" = ${searchTextOf(next)}, "editRate" = ${data.editRate}::float8, "wordCount" = ${data.stats.mt.words}::int,
               "assigneeId" = ${assign ? Prisma.sql`${req.assigneeId ?? null}::int` : Prisma.sql`"assigneeId"`},
               "updatedAt" = ${new Date()}::timestamptz
         -- Matching the status too keeps a writer that forgot to bump the version from being overwritten.
         WHERE id = ${article.id} AND version = ${article.version} AND status = ${article.status}::"ArticleStatus"
        RETURNING version, "revisionCount")${paragraphUpdate}
      INSERT INTO revisions ("articleId", number, "articleVersion", kind, "authorId", note, title, paragraphs, diffs, stats,
                             "editRate", "wordsInserted", "wordsDeleted", "wordsSubstituted", "restoredFromId")
      SELECT ${article.id}, upd."revisionCount", upd.version, ${req.kind}::"RevisionKind", ${actor.id}, ${req.note}, ${data.title},
             ${JSON.stringify(data.paragraphs)}::jsonb, ${JSON.stringify(data.diffs)}::jsonb, ${JSON.stringify(data.stats)}::jsonb,
             ${data.editRate}::float8, ${data.wordsInserted}::int, ${data.wordsDeleted}::int, ${data.wordsSubstituted}::int, ${req.restoredFrom?.id ?? null}::int
        FROM upd
      RETURNING id, number`;
    if (!revision) return null;
    if (after.to !== article.status) {
      const note =
        article.status === 'approved' || article.status === 'exported'
          ? 'Edited after approval: needs a new approval; the approved revision stays pinned for export until then.'
          : (req.statusNote ?? null);
      await tx.$executeRaw`
        INSERT INTO status_changes ("articleId", "fromStatus", "toStatus", "actorId", note, "revisionId")
        VALUES (${article.id}, ${article.status}::"ArticleStatus", ${after.to}::"ArticleStatus", ${actor.id}, ${note}, ${revision.id})`;
    }
    const s = data.stats.mt;
    await recordAudit(tx, actor, {
      action: req.kind === 'edit' ? 'article.save' : `article.${req.kind}`,
      entity: 'article',
      entityId: article.id,
      data: {
        revisionId: revision.id,
        number: revision.number,
        editRate: data.editRate,
        inserted: s.inserted,
        deleted: s.deleted,
        substituted: s.substituted,
        paragraphsChanged: changed.length,
        titleChanged: prev.title !== next.title,
        ...(after.to !== article.status ? { statusFrom: article.status, statusTo: after.to } : {}),
        ...(req.restoredFrom ? { restoredFromId: req.restoredFrom.id, restoredFromNumber: req.restoredFrom.number } : {}),
        // A save that also reassigns stays one event: one request, one audit record.
        ...(assign ? { assigneeFrom: article.assigneeId, assigneeTo: req.assigneeId } : {}),
        ...req.auditExtra,
      },
    });
    return revision;
  }, WRITE_TX);
}
