import type { Db, Prisma, PrismaClient } from '../db/client';
import { nextRevisionId, runSave, saveRevisionSql, selectArticleForWrite, type LoadedArticle } from '../db/sql/saveRevision';
import { decodeJson, revisionParagraphs } from '../db/json';
import { BadRequestError, ConflictError, NotFoundError } from '../errors';
import type { UserActor } from '../auth/context';
import { diffParagraph, type ParagraphDiff } from '../../shared/textDiff';
import { statusAfterSave } from '../../shared/workflow';
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

export type { LoadedArticle };

/** Reads an article for a write; 404 when it does not exist. */
export async function loadArticle(db: Db, id: number): Promise<LoadedArticle> {
  const a = await selectArticleForWrite(db, id);
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
          select: { id: true, title: true, paragraphs: true },
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
  const baseParagraphs = base ? decodeJson(revisionParagraphs, base.paragraphs, base.id) : null;
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
  const revisionId = article.nextRevisionId ?? (await nextRevisionId(db));
  const { statement, saved } = saveStatement({ ...req, data, revisionId, updatedAt: new Date() }, actor);
  return (await runSave(db, statement)) === null ? null : saved;
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

  const statement = saveRevisionSql({
    articleId: article.id,
    expected: { version: article.version, revisionCount: article.revisionCount, status: article.status },
    article: { title: next.title, status: after.to, searchText: searchTextOf(next), editRate: data.editRate, wordCount: s.words, assigneeId, updatedAt },
    paragraphs: changed.map((p) => ({ position: p.position, text: next.paragraphs[p.position] })),
    revision: {
      id: revisionId,
      number,
      articleVersion: version,
      kind: input.kind,
      authorId: actor.id,
      note: input.note,
      title: data.title,
      paragraphsJson: JSON.stringify(data.paragraphs),
      diffsJson: JSON.stringify(data.diffs),
      statsJson: JSON.stringify(data.stats),
      editRate: data.editRate,
      wordsInserted: data.wordsInserted,
      wordsDeleted: data.wordsDeleted,
      wordsSubstituted: data.wordsSubstituted,
      restoredFromId: input.restoredFrom?.id ?? null,
    },
    statusChange: statusMoves
      ? {
          from: article.status,
          to: after.to,
          actorId: actor.id,
          note:
            article.status === 'approved' || article.status === 'exported'
              ? 'Edited after approval: needs a new approval; the approved revision stays pinned for export until then.'
              : (input.statusNote ?? null),
        }
      : null,
    audit,
  });
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
