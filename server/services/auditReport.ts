import type { Db, Prisma } from '../db/client';
import { NotFoundError } from '../errors';
import { csvRow } from '../policy/csv';
import { isHumanAuthored } from '../../shared/revisionKinds';
import type { DiffPart, ParagraphDiff } from '../../shared/textDiff';
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
export interface RenderOptions {
  color: boolean;
}

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
const REVISION_WRITES = new Set(['article.save', 'article.restore', 'article.bulk_replace', 'article.mt_update', 'article.import', 'article.review']);

function actorLabel(u: { username: string; displayName: string } | null, fallback = 'system'): string {
  if (!u) return fallback;
  return u.displayName && u.displayName !== u.username ? `${u.displayName} (${u.username})` : u.username;
}

function inWindow(at: Date, w: ReportWindow): boolean {
  return (!w.since || at >= w.since) && (!w.until || at <= w.until);
}

function isDiff(v: unknown): v is ParagraphDiff {
  return !!v && typeof v === 'object' && Array.isArray((v as ParagraphDiff).parts);
}

function changed(d: ParagraphDiff): boolean {
  return d.parts.some((p) => p.op !== 'eq');
}

/** The title and paragraph diffs against the previous revision that change something, from a revision's stored `diffs`. */
export function changesOf(diffs: unknown): ParagraphChange[] {
  const out: ParagraphChange[] = [];
  const d = (diffs ?? {}) as { title?: { prev?: unknown }; paragraphs?: Array<{ prev?: unknown }> };
  if (isDiff(d.title?.prev) && changed(d.title.prev)) out.push({ index: null, diff: d.title.prev });
  (d.paragraphs ?? []).forEach((p, index) => {
    if (isDiff(p?.prev) && changed(p.prev)) out.push({ index, diff: p.prev });
  });
  return out;
}

/** The revisions a bulk-replace request event says it wrote on one article. */
function bulkRevisionIds(data: unknown, articleId: number): number[] {
  const applied = data && typeof data === 'object' && !Array.isArray(data) ? (data as { applied?: unknown }).applied : undefined;
  if (!Array.isArray(applied)) return [];
  return applied.filter((a): a is { articleId: number } => !!a && typeof a === 'object' && (a as { articleId?: unknown }).articleId === articleId).flatMap((a) => {
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
  const [revisions, statusChanges, exportItems, events] = await Promise.all([
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
      const words = ((r.stats as { mt?: { words?: number } } | null)?.mt?.words ?? 0) as number;
      entries.push({
        type: 'import',
        at: r.createdAt,
        actor: r.author ? actorLabel(r.author) : r.number === 1 && article.importBatch ? article.importBatch.actorName : 'system',
        revisionId: r.id,
        number: r.number,
        paragraphs: Array.isArray(r.paragraphs) ? r.paragraphs.length : 0,
        words,
        batch: r.number === 1 && article.importBatch ? { id: article.importBatch.id, name: article.importBatch.name } : null,
        auditEventId: eventOfRevision.get(r.id) ?? null,
        seq: seq++,
        username: authorName ?? (r.number === 1 ? (article.importBatch?.actorName ?? 'system') : 'system'),
      });
      continue;
    }
    const prev = (r.stats as { prev?: { inserted: number; deleted: number; substituted: number } | null } | null)?.prev ?? null;
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

// ---------------------------------------------------------------- rendering

const GREEN = '\u001b[32m';
const RED = '\u001b[31m';
const RESET = '\u001b[0m';
/** Unchanged text longer than this is shortened around the changes. */
const CONTEXT = 40;

function oneLine(s: string): string {
  return s.replace(/\r\n|\r|\n/g, ' ↵ ');
}

function elide(text: string, where: 'start' | 'middle' | 'end'): string {
  if (text.length <= CONTEXT * 2 + 5) return text;
  if (where === 'start') return `…${text.slice(-CONTEXT)}`;
  if (where === 'end') return `${text.slice(0, CONTEXT)}…`;
  return `${text.slice(0, CONTEXT)} … ${text.slice(-CONTEXT)}`;
}

/**
 * A word diff on one line: insertions in green and deletions in red with
 * `color`, else as `[+added+]` and `[-removed-]`. Long unchanged stretches are
 * shortened to the words around the changes.
 */
export function renderDiff(diff: ParagraphDiff, opts: RenderOptions): string {
  const parts: DiffPart[] = diff.parts;
  return parts
    .map((p, i) => {
      const text = oneLine(p.text);
      if (p.op === 'eq') return elide(text, i === 0 ? 'start' : i === parts.length - 1 ? 'end' : 'middle');
      if (opts.color) return `${p.op === 'ins' ? GREEN : RED}${text}${RESET}`;
      return p.op === 'ins' ? `[+${text}+]` : `[-${text}-]`;
    })
    .join('');
}

/** `2026-11-21 10:05:12 UTC` */
export function formatTime(d: Date): string {
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function percent(rate: number): string {
  return `${(Math.round(rate * 1000) / 10).toString()}%`;
}

function changeLabel(c: ParagraphChange): string {
  return c.index === null ? 'title' : `¶${c.index + 1}`;
}

const KIND_VERB: Record<string, string> = { edit: 'Saved', restore: 'Restored', bulk_replace: 'Bulk replace wrote', mt_update: 'MT update wrote', review: 'Review reverted rejected changes in' };

function entryLines(e: ArticleTimelineEntry, opts: RenderOptions): string[] {
  const t = formatTime(e.at);
  switch (e.type) {
    case 'import': {
      const batch = e.batch ? ` (import batch #${e.batch.id}${e.batch.name ? ` "${e.batch.name}"` : ''})` : '';
      const audit = e.auditEventId !== null ? ` [audit #${e.auditEventId}]` : '';
      return [`${t}  Imported as revision ${e.number} by ${e.actor}${batch}: ${e.paragraphs} paragraph${e.paragraphs === 1 ? '' : 's'}, ${e.words} words${audit}`];
    }
    case 'revision': {
      const from = e.restoredFromNumber !== null ? ` from revision ${e.restoredFromNumber}` : '';
      const audit = e.auditEventId !== null ? ` [audit #${e.auditEventId}]` : isHumanAuthored(e.kind) ? ' [NO AUDIT EVENT]' : '';
      const lines = [`${t}  ${KIND_VERB[e.kind] ?? `Wrote (${e.kind})`} revision ${e.number}${from} by ${e.actor}${audit}`];
      if (e.note) lines.push(`    note: ${oneLine(e.note)}`);
      const c = e.changes;
      lines.push(`    edit rate ${percent(e.editRate)} against the MT${c ? `; this save: ${c.inserted} inserted, ${c.deleted} deleted, ${c.substituted} substituted words` : ''}`);
      for (const d of e.diffs) lines.push(`    ${changeLabel(d)}: ${d.diff.truncated ? '(rewritten whole) ' : ''}${renderDiff(d.diff, opts)}`);
      if (e.diffs.length === 0) lines.push('    (no text change against the previous revision)');
      return lines;
    }
    case 'status':
      return [`${t}  Status ${e.from ?? '—'} → ${e.to} by ${e.actor}${e.revisionNumber !== null ? ` at revision ${e.revisionNumber}` : ''}${e.note ? `: "${oneLine(e.note)}"` : ''}`];
    case 'export':
      return [`${t}  Exported revision ${e.revisionNumber} by ${e.actor} (export batch #${e.batchId}, ${e.format}): ${e.path} sha256 ${e.sha256.slice(0, 12)}…`];
    case 'event':
      return [`${t}  ${e.action} by ${e.actor} [audit #${e.auditEventId}]${summarize(e.action, e.data)}`];
  }
}

function windowText(w: ReportWindow): string {
  if (!w.since && !w.until) return '';
  return ` from ${w.since ? formatTime(w.since) : 'the start'} to ${w.until ? formatTime(w.until) : 'now'}`;
}

/** The article timeline as text for people. */
export function articleReportText(r: ArticleReport, opts: RenderOptions): string {
  const a = r.article;
  const head = [
    `Article #${a.id}${a.externalId ? ` (${a.externalId})` : ''} "${oneLine(a.title)}": ${a.status}, ${a.revisionCount} revision${a.revisionCount === 1 ? '' : 's'}`,
  ];
  if (r.username || r.window.since || r.window.until) head.push(`Showing${r.username ? ` what ${r.username} did` : ' everything'}${windowText(r.window)}: ${r.entries.length} entr${r.entries.length === 1 ? 'y' : 'ies'}`);
  const body = r.entries.flatMap((e) => entryLines(e, opts));
  return [...head, '', ...(body.length ? body : ['(nothing in this window)'])].join('\n') + '\n';
}

export const ARTICLE_CSV_HEADER = ['at', 'type', 'actor', 'revision', 'from', 'to', 'editRate', 'note', 'auditEventId', 'detail'] as const;

/** The article timeline as CSV, one row per entry; diffs use the [+ +]/[- -] markers. */
export function articleReportCsv(r: ArticleReport): string {
  const plain = { color: false };
  const rows = r.entries.map((e) => {
    switch (e.type) {
      case 'import':
        return [e.at, 'import', e.actor, e.number, '', 'mt_draft', 0, '', e.auditEventId, e.batch ? `import batch #${e.batch.id}` : ''];
      case 'revision':
        return [e.at, e.kind, e.actor, e.number, '', '', e.editRate, e.note, e.auditEventId, e.diffs.map((d) => `${changeLabel(d)}: ${renderDiff(d.diff, plain)}`).join(' | ')];
      case 'status':
        return [e.at, 'status', e.actor, e.revisionNumber, e.from, e.to, '', e.note, '', ''];
      case 'export':
        return [e.at, 'export', e.actor, e.revisionNumber, '', '', '', '', '', `batch #${e.batchId} ${e.format} ${e.path} sha256 ${e.sha256}`];
      case 'event':
        return [e.at, e.action, e.actor, '', '', '', '', '', e.auditEventId, e.data];
    }
  });
  return csvRow([...ARTICLE_CSV_HEADER]) + rows.map(csvRow).join('');
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

function articleIdOf(e: { entity: string; entityId: string | null; data: unknown }): number | null {
  if (e.entity === 'article' && e.entityId && /^\d+$/.test(e.entityId)) return Number(e.entityId);
  const v = e.data && typeof e.data === 'object' && !Array.isArray(e.data) ? (e.data as Record<string, unknown>).articleId : undefined;
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
    const page: Array<{ id: bigint; at: Date; actorId: number | null; actorName: string; action: string; entity: string; entityId: string | null; ip: string | null; data: Prisma.JsonValue }> =
      await db.auditEvent.findMany({ where: after === null ? where : { AND: [where, { id: { gt: after } }] }, orderBy: { id: 'asc' }, take: pageSize });
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

function scalar(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  return JSON.stringify(v) ?? String(v);
}

/** A short, readable summary of an event's data, for the text report. */
export function summarize(action: string, data: unknown): string {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return '';
  const d = data as Record<string, unknown>;
  if ((action === 'article.save' || action === 'article.restore') && typeof d.editRate === 'number') {
    const from = d.restoredFromNumber !== undefined ? ` from revision ${String(d.restoredFromNumber)}` : '';
    return `: revision ${String(d.number)}${from}, edit rate ${percent(d.editRate)}, ${String(d.inserted)} inserted, ${String(d.deleted)} deleted, ${String(d.substituted)} substituted`;
  }
  if (action === 'article.export' && d.revisionNumber !== undefined) {
    return `: revision ${String(d.revisionNumber)} → ${String(d.file)}${typeof d.sha256 === 'string' ? ` sha256 ${d.sha256.slice(0, 12)}…` : ''}${d.batchId !== undefined ? ` (export batch #${String(d.batchId)})` : ''}`;
  }
  if (action === 'article.transition') return `: ${String(d.from)} → ${String(d.to)}${typeof d.note === 'string' && d.note ? ` "${oneLine(d.note)}"` : ''}`;
  const keys = Object.keys(d).filter((k) => k !== 'articleId');
  if (keys.length === 0) return '';
  return `: ${keys.map((k) => `${k}=${scalar(d[k])}`).join(', ')}`;
}

function subjectText(s: ActivitySubject): string {
  if (s.kind === 'user') return `Activity of ${s.displayName && s.displayName !== s.username ? `${s.displayName} (${s.username}, ${s.role})` : `${s.username} (${s.role})`}`;
  return s.kind === 'system' ? 'Activity of the system' : 'Activity of everyone';
}

/** The activity report as text lines: a heading, one line per event (two with a revision note), and a count. */
export async function* activityText(entries: AsyncIterable<ActivityEntry>, subject: ActivitySubject, window: ReportWindow): AsyncGenerator<string> {
  yield `${subjectText(subject)}${windowText(window)}\n\n`;
  let n = 0;
  for await (const e of entries) {
    n++;
    const who = subject.kind === 'user' ? '' : ` by ${e.actorName}`;
    const target = e.article ? `article #${e.article.id} "${oneLine(e.article.title)}"` : `${e.entity}${e.entityId !== null ? ` #${e.entityId}` : ''}`;
    const ip = e.ip ? ` [${e.ip}]` : '';
    let line = `${formatTime(e.at)}  #${e.id}  ${e.action}${who}  ${target}${summarize(e.action, e.data)}${ip}\n`;
    // A revision's note belongs to the save that wrote it, not to later events naming the revision.
    if (e.revision?.note && REVISION_WRITES.has(e.action)) line += `    note: ${oneLine(e.revision.note)}\n`;
    yield line;
  }
  yield `\n${n} event${n === 1 ? '' : 's'}\n`;
}

export const ACTIVITY_CSV_HEADER = ['id', 'at', 'actorId', 'actorName', 'action', 'entity', 'entityId', 'articleId', 'articleTitle', 'revisionNumber', 'revisionNote', 'ip', 'data'] as const;

/** The activity report as CSV (header first), one row per event. */
export async function* activityCsv(entries: AsyncIterable<ActivityEntry>): AsyncGenerator<string> {
  yield csvRow([...ACTIVITY_CSV_HEADER]);
  for await (const e of entries) {
    yield csvRow([e.id, e.at, e.actorId, e.actorName, e.action, e.entity, e.entityId, e.article?.id, e.article?.title, e.revision?.number, e.revision?.note, e.ip, e.data]);
  }
}

/** The activity report as one JSON document, written piecewise: `{ subject, since, until, events: [...] }`. */
export async function* activityJson(entries: AsyncIterable<ActivityEntry>, subject: ActivitySubject, window: ReportWindow): AsyncGenerator<string> {
  const head = { subject, since: window.since ?? null, until: window.until ?? null };
  yield `${JSON.stringify(head).slice(0, -1)},"events":[`;
  let first = true;
  for await (const e of entries) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify(e)}`;
    first = false;
  }
  yield '\n]}\n';
}
