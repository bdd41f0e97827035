import type { Db, Prisma } from '../db/client';
import { NotFoundError } from '../errors';
import { auditEventData, decodeJson, revisionDiffs, revisionParagraphs, revisionStats } from '../db/json';
import type { RevisionData } from './revisionData';
import type { ParagraphDiff } from '../../shared/textDiff';
import type { HashedEventFields } from './audit';
import { revisionIdOf } from './auditEvents';

/** A time window; either end may be open. */
export interface ReportWindow {
  since?: Date;
  until?: Date;
}

export type ReportFormat = 'text' | 'json' | 'csv';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'csv'];

/** How to print word diffs: ANSI colours (a terminal) or [+added+] / [-removed-] markers. */
/** A change of one paragraph (or the title) in a revision, against the previous revision. */
export interface ParagraphChange {
  /** 0-based paragraph index; null for the title. */
  index: number | null;
  diff: ParagraphDiff;
}

export type ArticleTimelineEntry =
  | {
      type: 'import';
      at: Date;
      actor: string;
      revisionId: number;
      number: number;
      paragraphs: number;
      words: number;
      batch: { id: number; name: string | null } | null;
      auditEventId: number | null;
    }
  | {
      type: 'revision';
      at: Date;
      actor: string;
      revisionId: number;
      number: number;
      kind: string;
      note: string | null;
      /** Against the MT, for the whole article after this revision. */
      editRate: number;
      /** Word counts of this revision against the previous one. */
      changes: { inserted: number; deleted: number; substituted: number } | null;
      restoredFromNumber: number | null;
      diffs: ParagraphChange[];
      /** The audit event that recorded this save; null when none names the revision. */
      auditEventId: number | null;
    }
  | { type: 'status'; at: Date; actor: string; from: string | null; to: string; note: string | null; revisionNumber: number | null }
  | { type: 'export'; at: Date; actor: string; batchId: number; format: string; revisionNumber: number; path: string; sha256: string }
  | { type: 'event'; at: Date; actor: string; action: string; auditEventId: number; data: unknown };

export interface ArticleReport {
  article: { id: number; externalId: string | null; title: string; status: string; revisionCount: number };
  window: ReportWindow;
  /** When given, only what this user did. */
  username: string | null;
  entries: ArticleTimelineEntry[];
}

/** Audit actions whose facts the timeline shows from the revision, status-change and export tables. */
const SHOWN_FROM_TABLES = new Set(['article.save', 'article.restore', 'article.transition', 'article.export', 'article.import', 'article.mt_update', 'article.bulk_replace']);
/** Audit actions that wrote the revision their data names. */
export const REVISION_WRITES = new Set(['article.save', 'article.restore', 'article.bulk_replace', 'article.mt_update', 'article.import', 'article.review']);

function actorLabel(u: { username: string; displayName: string } | null, fallback = 'system'): string {
  if (!u) return fallback;
  return u.displayName && u.displayName !== u.username ? `${u.displayName} (${u.username})` : u.username;
}

function inWindow(at: Date, w: ReportWindow): boolean {
  return (!w.since || at >= w.since) && (!w.until || at <= w.until);
}

function changed(d: ParagraphDiff): boolean {
  return d.parts.some((p) => p.op !== 'eq');
}

/** The title and paragraph diffs against the previous revision that change something, from a revision's stored `diffs`. */
export function changesOf(diffs: RevisionData['diffs'] | null): ParagraphChange[] {
  const out: ParagraphChange[] = [];
  if (!diffs) return out;
  if (diffs.title.prev && changed(diffs.title.prev)) out.push({ index: null, diff: diffs.title.prev });
  diffs.paragraphs.forEach((p, index) => {
    if (p.prev && changed(p.prev)) out.push({ index, diff: p.prev });
  });
  return out;
}

/** The revisions a bulk-replace request event says it wrote on one article. */
function bulkRevisionIds(data: Record<string, unknown>, articleId: number): number[] {
  const applied = data.applied;
  if (!Array.isArray(applied)) return [];
  return applied.flatMap((a: unknown) => {
    if (a === null || typeof a !== 'object' || !('articleId' in a) || a.articleId !== articleId) return [];
    const rid = revisionIdOf(a);
    return rid === null ? [] : [rid];
  });
}

/** Finds an article by numeric id or by externalId; 404 when neither matches. */
export async function findArticleForReport(db: Db, ref: string): Promise<{ id: number }> {
  const n = Number(ref);
  const byId = Number.isSafeInteger(n) && n > 0 && String(n) === ref ? await db.article.findUnique({ where: { id: n }, select: { id: true } }) : null;
  const found = byId ?? (await db.article.findUnique({ where: { externalId: ref }, select: { id: true } }));
  if (!found) throw new NotFoundError(`No article has the id or external id "${ref}".`);
  return found;
}

/**
 * The history of one article, oldest first: the import, each revision with
 * its author, note, edit rate and word diff against the previous revision,
 * each status change with its note, each export, and the other audited
 * actions on it (assignments, comments). Revisions come from the revisions
 * table and are matched to the audit events that recorded them; a person's
 * save without one is reported (`auditEventId: null`).
 */
export async function buildArticleReport(db: Db, articleId: number, window: ReportWindow = {}, username: string | null = null): Promise<ArticleReport> {
  const article = await db.article.findUnique({
    where: { id: articleId },
    select: { id: true, externalId: true, title: true, status: true, revisionCount: true, importBatch: { select: { id: true, name: true, actorName: true } } },
  });
  if (!article) throw new NotFoundError(`Article ${articleId} does not exist.`);
  const user = { select: { username: true, displayName: true } } as const;
  const [storedRevisions, statusChanges, exportItems, storedEvents] = await Promise.all([
    db.revision.findMany({
      where: { articleId },
      orderBy: { number: 'asc' },
      select: { id: true, number: true, kind: true, note: true, editRate: true, stats: true, diffs: true, paragraphs: true, restoredFromId: true, createdAt: true, author: user },
    }),
    db.statusChange.findMany({ where: { articleId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], include: { actor: user, revision: { select: { number: true } } } }),
    db.exportItem.findMany({ where: { articleId }, orderBy: { id: 'asc' }, include: { batch: { include: { exporter: user } }, revision: { select: { number: true } } } }),
    db.auditEvent.findMany({
      where: {
        OR: [
          { entity: 'article', entityId: String(articleId) },
          { entity: 'comment', data: { path: ['articleId'], equals: articleId } },
          // A bulk replace is one event for the whole request, listing the articles it changed.
          { action: 'article.bulk_replace', entityId: null, data: { path: ['applied'], array_contains: [{ articleId }] } },
        ],
      },
      orderBy: { id: 'asc' },
      include: { actor: user },
    }),
  ]);
  const revisions = storedRevisions.map((r) => ({
    ...r,
    stats: decodeJson(revisionStats, r.stats, r.id),
    diffs: decodeJson(revisionDiffs, r.diffs, r.id),
    paragraphs: decodeJson(revisionParagraphs, r.paragraphs, r.id),
  }));
  const events = storedEvents.map((e) => ({ ...e, data: decodeJson(auditEventData, e.data, e.id) }));
  const numberOf = new Map(revisions.map((r) => [r.id, r.number]));
  const eventOfRevision = new Map<number, number>();
  for (const e of events) {
    const rids = [revisionIdOf(e.data), ...bulkRevisionIds(e.data, articleId)];
    for (const rid of rids) if (rid !== null && REVISION_WRITES.has(e.action) && !eventOfRevision.has(rid)) eventOfRevision.set(rid, Number(e.id));
  }

  const entries: Array<ArticleTimelineEntry & { seq: number; username: string | null }> = [];
  let seq = 0;
  for (const r of revisions) {
    const authorName = r.author?.username ?? null;
    if (r.kind === 'import') {
      const words = r.stats.mt.words;
      entries.push({
        type: 'import',
        at: r.createdAt,
        actor: r.author ? actorLabel(r.author) : r.number === 1 && article.importBatch ? article.importBatch.actorName : 'system',
        revisionId: r.id,
        number: r.number,
        paragraphs: r.paragraphs.length,
        words,
        batch: r.number === 1 && article.importBatch ? { id: article.importBatch.id, name: article.importBatch.name } : null,
        auditEventId: eventOfRevision.get(r.id) ?? null,
        seq: seq++,
        username: authorName ?? (r.number === 1 ? (article.importBatch?.actorName ?? 'system') : 'system'),
      });
      continue;
    }
    const prev = r.stats.prev;
    entries.push({
      type: 'revision',
      at: r.createdAt,
      actor: actorLabel(r.author),
      revisionId: r.id,
      number: r.number,
      kind: r.kind,
      note: r.note,
      editRate: r.editRate,
      changes: prev ? { inserted: prev.inserted, deleted: prev.deleted, substituted: prev.substituted } : null,
      restoredFromNumber: r.restoredFromId ? (numberOf.get(r.restoredFromId) ?? null) : null,
      diffs: changesOf(r.diffs),
      auditEventId: eventOfRevision.get(r.id) ?? null,
      seq: seq++,
      username: authorName ?? 'system',
    });
  }
  for (const s of statusChanges) {
    // The import's own null → mt_draft is part of the import entry.
    if (s.fromStatus === null) continue;
    entries.push({
      type: 'status',
      at: s.createdAt,
      actor: actorLabel(s.actor),
      from: s.fromStatus,
      to: s.toStatus,
      note: s.note,
      revisionNumber: s.revision?.number ?? null,
      seq: seq++,
      username: s.actor?.username ?? 'system',
    });
  }
  for (const x of exportItems) {
    entries.push({
      type: 'export',
      at: x.batch.finishedAt ?? x.batch.startedAt,
      actor: actorLabel(x.batch.exporter, x.batch.actorName),
      batchId: x.batchId,
      format: x.batch.format,
      revisionNumber: x.revision.number,
      path: x.path,
      sha256: x.sha256,
      seq: seq++,
      username: x.batch.actorName,
    });
  }
  for (const e of events) {
    if (SHOWN_FROM_TABLES.has(e.action)) continue;
    entries.push({
      type: 'event',
      at: e.at,
      actor: actorLabel(e.actor, e.actorName),
      action: e.action,
      auditEventId: Number(e.id),
      data: e.data,
      seq: seq++,
      username: e.actorName,
    });
  }
  // Same-millisecond facts keep a stable, meaningful order: a save before the
  // status change it caused, the approval before the export.
  const rank: Record<ArticleTimelineEntry['type'], number> = { import: 0, revision: 1, status: 2, event: 3, export: 4 };
  entries.sort((a, b) => a.at.getTime() - b.at.getTime() || rank[a.type] - rank[b.type] || a.seq - b.seq);
  const wanted = username?.toLowerCase() ?? null;
  return {
    article: { id: article.id, externalId: article.externalId, title: article.title, status: article.status, revisionCount: article.revisionCount },
    window,
    username: wanted,
    entries: entries
      .filter((e) => inWindow(e.at, window) && (wanted === null || e.username === wanted))
      .map(({ seq: _seq, username: _u, ...e }) => e as ArticleTimelineEntry),
  };
}

// ------------------------------------------------------- activity (events)

/** Whose events an activity report lists: one user, the system, or everyone. */
export type ActivitySubject = { kind: 'user'; id: number; username: string; displayName: string; role: string } | { kind: 'system' } | { kind: 'everyone' };

export interface ActivityEntry extends Omit<HashedEventFields, 'id'> {
  id: number;
  /** For events about an article (or a comment on one): the article's id and current title. */
  article: { id: number; title: string } | null;
  /** For events naming a revision: its number and note. */
  revision: { id: number; number: number; note: string | null } | null;
}

/** Pages of events read per query: a long window is streamed, never loaded whole. */
export const ACTIVITY_PAGE_SIZE = 1000;

/** Resolves `--user`: a username, or "system" for events of the system itself. */
export async function findActivitySubject(db: Db, username: string): Promise<ActivitySubject> {
  const name = username.trim().toLowerCase();
  if (name === 'system') return { kind: 'system' };
  const u = await db.user.findUnique({ where: { username: name }, select: { id: true, username: true, displayName: true, role: true } });
  if (!u) throw new NotFoundError(`No user is called "${username}".`);
  return { kind: 'user', ...u };
}

function articleIdOf(e: { entity: string; entityId: string | null; data: Record<string, unknown> }): number | null {
  if (e.entity === 'article' && e.entityId && /^\d+$/.test(e.entityId)) return Number(e.entityId);
  const v = e.data.articleId;
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : null;
}

/**
 * Every audit event of the subject in the window, oldest first, with the
 * article and revision each one concerns. Streams in pages by id.
 */
export async function* activity(db: Db, subject: ActivitySubject, window: ReportWindow = {}, pageSize = ACTIVITY_PAGE_SIZE): AsyncGenerator<ActivityEntry> {
  const where: Prisma.AuditEventWhereInput = {
    ...(subject.kind === 'user' ? { actorId: subject.id } : subject.kind === 'system' ? { actorId: null } : {}),
    ...(window.since || window.until ? { at: { ...(window.since ? { gte: window.since } : {}), ...(window.until ? { lte: window.until } : {}) } } : {}),
  };
  let after: bigint | null = null;
  for (;;) {
    const stored: Array<{ id: bigint; at: Date; actorId: number | null; actorName: string; action: string; entity: string; entityId: string | null; ip: string | null; data: Prisma.JsonValue }> =
      await db.auditEvent.findMany({ where: after === null ? where : { AND: [where, { id: { gt: after } }] }, orderBy: { id: 'asc' }, take: pageSize });
    const page = stored.map((e) => ({ ...e, data: decodeJson(auditEventData, e.data, e.id) }));
    if (page.length === 0) return;
    const articleIds = [...new Set(page.map(articleIdOf).filter((n): n is number => n !== null))];
    const revisionIds = [...new Set(page.map((e) => revisionIdOf(e.data)).filter((n): n is number => n !== null))];
    const [articles, revisions] = await Promise.all([
      articleIds.length ? db.article.findMany({ where: { id: { in: articleIds } }, select: { id: true, title: true } }) : [],
      revisionIds.length ? db.revision.findMany({ where: { id: { in: revisionIds } }, select: { id: true, number: true, note: true } }) : [],
    ]);
    const titles = new Map(articles.map((a) => [a.id, a.title]));
    const revs = new Map(revisions.map((r) => [r.id, r]));
    for (const e of page) {
      const aid = articleIdOf(e);
      const rid = revisionIdOf(e.data);
      yield {
        id: Number(e.id),
        at: e.at,
        actorId: e.actorId,
        actorName: e.actorName,
        action: e.action,
        entity: e.entity,
        entityId: e.entityId,
        ip: e.ip,
        data: e.data,
        article: aid !== null && titles.has(aid) ? { id: aid, title: titles.get(aid)! } : null,
        revision: rid !== null ? (revs.get(rid) ?? null) : null,
      };
    }
    if (page.length < pageSize) return;
    after = page[page.length - 1].id;
  }
}
