import path from 'node:path';
import type { PrismaClient } from '../../db/client';
import { nextExportBatchId, selectExistingArticleIds, selectSkipRows } from '../../db/sql/export';
import { BadRequestError } from '../../errors';
import { decideExport, type ArticleStatus } from '../../../shared/workflow';
import type { Actor } from '../audit';
import { auditHead, commitBatch, pinnedNote } from './exportCommit';
import { countExportSelection, findExportPage, type ExportRow, type ExportSelection } from './exportDocuments';
import { mapLimit, prepareOutDir, removeStaleTempFiles, removeSupersededFiles, removeTakenFiles } from './exportFiles';
import { MANIFEST_NAME, readManifest, sha256Hex } from './manifest';
import { exportFileName, renderExport, type ExportFormat } from './render';
import { writeFileAtomic } from './writeFileAtomic';

export { pinnedNote };

/** What to export and where. */
export interface ExportOptions {
  /** The output folder; resolved to an absolute path (relative to the working directory). */
  outDir: string;
  format: ExportFormat;
  /** Only these articles. Every id must exist. */
  ids?: readonly number[];
  /** Only articles approved at or after this instant. */
  since?: Date;
  /** Also re-export `exported` articles, and the pinned approved revision of articles edited since approval. */
  all?: boolean;
  /** Report what would be exported; write no file and change nothing. */
  dryRun?: boolean;
  /** Articles read per database page. */
  pageSize?: number;
  /** Files written at once. */
  concurrency?: number;
}

/** One exported (or, in a dry run, exportable) article. */
export interface ExportedItem {
  articleId: number;
  externalId: string | null;
  title: string;
  revisionId: number;
  revisionNumber: number;
  file: string;
  sha256: string;
  bytes: number;
  /** Username of the approver (null when that account is gone) and the approval time, ISO 8601. */
  approver: string | null;
  approvedAt: string | null;
  /** The article's status before and after the export. */
  from: ArticleStatus;
  to: ArticleStatus;
  /** Set when the exported revision is not the article's current text. */
  note?: string;
}

export interface ExportReport {
  /** Null in a dry run and when nothing was exported. */
  batchId: number | null;
  format: ExportFormat;
  outDir: string;
  dryRun: boolean;
  exporter: string;
  exported: ExportedItem[];
  /** Requested ids (--ids) that were not exported, with the reason. */
  skipped: Array<{ articleId: number; reason: string }>;
  /** Articles edited since their approval whose approved revision was not exported (no --all). */
  pendingEdits: number;
  manifest: string | null;
  manifestSha256: string | null;
  /** Superseded files of earlier batches (same article and format, older title) removed from the folder. */
  removed: string[];
  /** One human sentence summing up the run. */
  message: string;
  /**
   * The audit chain's head once the run is over (after its own events): the
   * checkpoint the command line prints and appends to the checkpoint file.
   * Null for an empty log.
   */
  auditHead: AuditHead | null;
}

/** The newest audit event: what a checkpoint records. */
export interface AuditHead {
  id: string;
  hash: string;
}

/** Progress callbacks for the command line. */
export interface ExportHooks {
  onStart?(total: number): void;
  /** Awaited, so a caller can pace the run. */
  onItem?(item: ExportedItem): void | Promise<void>;
}

const EDITED_STATUSES: readonly ArticleStatus[] = ['in_edit', 'in_review', 'changes_requested'];

/**
 * Exports approved articles to `outDir`: for each, the PINNED approved revision
 * (`approvedRevisionId`), never the current text.
 *
 * Order of work, so that a failure or a kill at any point leaves no article
 * marked exported: every file is written under a temporary name and renamed;
 * then `manifest.json` is written the same way; only then does ONE
 * transaction record the batch (export_batches + export_items), move
 * `approved` articles to `exported` (decideExport) with a StatusChange each,
 * and append the audit events (`article.export` per article, `export.batch`).
 * The transaction locks the articles and refuses the batch if one was
 * re-approved or archived meanwhile; the previous manifest is then put back.
 *
 * @throws BadRequestError (status 400) for unusable input: an output folder
 *   that is a file or not writable, unknown ids (named), a foreign manifest.json
 */
export async function exportBatch(db: PrismaClient, options: ExportOptions, actor: Actor, hooks: ExportHooks = {}): Promise<ExportReport> {
  const startedAt = new Date();
  const outDir = path.resolve(options.outDir);
  const { format } = options;
  const all = options.all ?? false;
  const dryRun = options.dryRun ?? false;
  const pageSize = options.pageSize ?? 500;
  const concurrency = options.concurrency ?? 16;
  const ids = options.ids ? [...new Set(options.ids)].sort((a, b) => a - b) : undefined;

  if (ids) {
    const found = await selectExistingArticleIds(db, ids);
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw new BadRequestError(`No article with id ${missing.join(', ')}.`, { missing }, 'unknown_ids');
    }
  }
  await prepareOutDir(outDir, dryRun);
  // Read before anything is written: a folder holding some other tool's manifest.json is refused.
  const previous = await readManifest(outDir);

  const selection: ExportSelection = {
    statuses: all ? ['approved', 'exported', ...EDITED_STATUSES] : ['approved'],
    ids,
    since: options.since,
  };
  const pendingEdits = all ? 0 : await countExportSelection(db, { ...selection, statuses: EDITED_STATUSES });
  hooks.onStart?.(await countExportSelection(db, selection));
  if (!dryRun) await removeStaleTempFiles(outDir);

  const exported: ExportedItem[] = [];
  // The next page is read while this one is rendered and written.
  const fetchPage = (after: number) => {
    const p = findExportPage(db, selection, after, pageSize);
    p.catch(() => undefined); // awaited below; this only keeps an early failure from being "unhandled"
    return p;
  };
  for (let pending = fetchPage(0); ; ) {
    const page = await pending;
    if (page.length === 0) break;
    if (page.length === pageSize) pending = fetchPage(page[page.length - 1].id);
    const items = page.map((row) => ({ row, body: Buffer.from(renderExport(row, format), 'utf8') }));
    await mapLimit(items, concurrency, async ({ row, body }) => {
      const item = itemOf(row, format, body);
      if (!dryRun) await writeFileAtomic(outDir, item.file, body);
      exported.push(item);
      await hooks.onItem?.(item);
    });
    if (page.length < pageSize) break;
  }
  exported.sort((a, b) => a.articleId - b.articleId);

  const skipped = ids ? await skippedOf(db, ids, exported, all, options.since) : [];
  const base = { format, outDir, dryRun, exporter: actor.username, skipped, pendingEdits };
  if (exported.length === 0 || dryRun) {
    return {
      ...base,
      batchId: null,
      exported,
      manifest: null,
      manifestSha256: null,
      removed: [],
      message: summarise(exported.length, dryRun, pendingEdits, null),
      auditHead: await auditHead(db),
    };
  }

  const batchId = await nextExportBatchId(db);
  const outcome = await commitBatch(db, exported, { batchId, startedAt, format, outDir, all, since: options.since, ids, actor, previous });
  const { taken, manifestSha256 } = outcome;
  exported.splice(0, exported.length, ...outcome.kept);
  await removeTakenFiles(outDir, previous, taken);
  const takenSkips = taken.map((e) => ({ articleId: e.articleId, reason: `article ${e.articleId} was exported by another export running at the same time` }));
  if (exported.length === 0) {
    return {
      ...base,
      skipped: [...skipped, ...takenSkips],
      batchId: null,
      exported,
      manifest: null,
      manifestSha256: null,
      removed: [],
      message: summarise(0, false, pendingEdits, null),
      auditHead: await auditHead(db),
    };
  }

  const removed = await removeSupersededFiles(outDir, outcome.superseded);
  return {
    ...base,
    skipped: [...skipped, ...takenSkips],
    batchId,
    exported,
    manifest: path.join(outDir, MANIFEST_NAME),
    manifestSha256,
    removed,
    message: summarise(exported.length, false, pendingEdits, batchId),
    auditHead: await auditHead(db),
  };
}

function itemOf(row: ExportRow, format: ExportFormat, body: Buffer): ExportedItem {
  const decision = decideExport(row.status);
  return {
    articleId: row.id,
    externalId: row.externalId,
    title: row.title,
    revisionId: row.revision.id,
    revisionNumber: row.revision.number,
    file: exportFileName(row, format),
    sha256: sha256Hex(body),
    bytes: body.length,
    from: row.status,
    to: decision.ok ? decision.to : row.status,
    ...(decision.ok ? {} : { note: pinnedNote(row.revision.number) }),
    approver: row.approvedBy,
    approvedAt: row.approvedAt?.toISOString() ?? null,
  };
}

function summarise(count: number, dryRun: boolean, pendingEdits: number, batchId: number | null): string {
  const pending =
    pendingEdits > 0
      ? ` ${pendingEdits} article${pendingEdits === 1 ? ' has' : 's have'} unapproved edits since approval and ${pendingEdits === 1 ? 'was' : 'were'} not exported (pass --all to export the approved revision).`
      : '';
  if (count === 0) return `Nothing to export: no approved article is waiting for export.${pending}`;
  const n = `${count} article${count === 1 ? '' : 's'}`;
  if (dryRun) return `Dry run: would export ${n}; nothing was written.${pending}`;
  return `Exported ${n} in batch ${batchId}.${pending}`;
}

/** Why each requested id that was not exported was left out. */
async function skippedOf(db: PrismaClient, ids: readonly number[], exported: readonly ExportedItem[], all: boolean, since: Date | undefined) {
  const done = new Set(exported.map((e) => e.articleId));
  const rest = ids.filter((id) => !done.has(id));
  if (rest.length === 0) return [];
  const rows = await selectSkipRows(db, rest);
  return rows.map((a) => {
    let reason: string;
    if (a.approvedRevisionNumber === null) reason = `article ${a.id} is ${a.status} and has no approved revision`;
    else if (a.status === 'archived') reason = `article ${a.id} is archived`;
    else if (since && (!a.approvedAt || a.approvedAt < since)) reason = `article ${a.id} was approved before ${since.toISOString()}`;
    else if (a.status === 'exported' && !all) reason = `article ${a.id} is already exported (pass --all to export it again)`;
    else if (!all) reason = `article ${a.id} has unapproved edits since approval (pass --all to export its approved revision ${a.approvedRevisionNumber})`;
    else reason = `article ${a.id} is ${a.status}`;
    return { articleId: a.id, reason };
  });
}
