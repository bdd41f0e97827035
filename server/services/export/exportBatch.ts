import { constants as fsConstants } from 'node:fs';
import { access, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { type PrismaClient, type Tx } from '../../db/client';
import { BadRequestError, ConflictError } from '../../errors';
import { decideExport, type ArticleStatus } from '../../../shared/workflow';
import { recordAuditMany, type Actor } from '../audit';
import { chainHead } from '../auditCheckpoints';
import { countExportSelection, findExportPage, type ExportRow, type ExportSelection } from './exportDocuments';
import { MANIFEST_NAME, readManifest, sha256Hex, type Manifest, type ManifestEntry } from './manifest';
import { exportFileName, renderExport, type ExportFormat } from './render';
import { TEMP_NAME, writeFileAtomic } from './writeFileAtomic';

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

async function auditHead(db: PrismaClient): Promise<AuditHead | null> {
  const head = await chainHead(db);
  return head ? { id: head.id.toString(), hash: head.hash } : null;
}

/** Progress callbacks for the command line. */
export interface ExportHooks {
  onStart?(total: number): void;
  /** Awaited, so a caller can pace the run. */
  onItem?(item: ExportedItem): void | Promise<void>;
}

const EDITED_STATUSES: readonly ArticleStatus[] = ['in_edit', 'in_review', 'changes_requested'];

/** The note on an export of an approved revision that is no longer the current text. */
export function pinnedNote(revisionNumber: number): string {
  return `exported the approved revision ${revisionNumber}; the article has unapproved edits since`;
}

async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Checks the output folder before anything is exported: it must be a folder
 * (created when missing, except in a dry run) that this process can write.
 */
async function prepareOutDir(outDir: string, dryRun: boolean): Promise<void> {
  const st = await stat(outDir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    if (err.code === 'ENOTDIR') throw new BadRequestError(`Cannot use ${outDir} as the output folder: part of its path is a file.`, undefined, 'out_not_writable');
    throw new BadRequestError(`Cannot use ${outDir} as the output folder: ${err.message}`, undefined, 'out_not_writable');
  });
  if (st && !st.isDirectory()) throw new BadRequestError(`The output folder ${outDir} is a file, not a folder.`, undefined, 'out_not_directory');
  if (dryRun) {
    if (st) await access(outDir, fsConstants.W_OK).catch(() => {
      throw new BadRequestError(`The output folder ${outDir} is not writable.`, undefined, 'out_not_writable');
    });
    return;
  }
  try {
    if (!st) await mkdir(outDir, { recursive: true });
    // A real write, not access(): root passes every permission check, but not a read-only mount.
    const probe = path.join(outDir, `.copydesk-write-probe-${process.pid}`);
    await writeFileAtomic(outDir, path.basename(probe), Buffer.alloc(0));
    await rm(probe, { force: true });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOTDIR' ? 'part of its path is a file' : e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : e.code === 'EROFS' ? 'read-only file system' : e.message;
    throw new BadRequestError(`The output folder ${outDir} is not writable: ${why}.`, undefined, 'out_not_writable');
  }
}

/** Removes temporary files that killed exports left behind (their writer no longer runs). */
async function removeStaleTempFiles(outDir: string): Promise<void> {
  for (const name of await readdir(outDir)) {
    const m = TEMP_NAME.exec(name);
    if (m && Number(m[1]) !== process.pid && !isAlive(Number(m[1]))) await rm(path.join(outDir, name), { force: true });
  }
}

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
    const found = new Set((await db.article.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((a) => a.id));
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

  const [{ id: rawBatchId }] = await db.$queryRaw<Array<{ id: bigint }>>`select nextval(pg_get_serial_sequence('export_batches', 'id')) as id`;
  const batchId = Number(rawBatchId);
  const ext = path.extname(exported[0].file);

  // The manifest is written inside the transaction, after the articles are
  // locked: an export running at the same time (another instance, another
  // folder) may have exported some of them meanwhile, and those leave this
  // batch. The manifest then lists exactly what the batch records.
  let wroteManifest = false;
  let superseded: ManifestEntry[] = [];
  let taken: ExportedItem[];
  let manifestSha256: string | null = null;
  try {
    const outcome = await db.$transaction(
      async (tx) => {
        const claim = await claimArticles(tx, exported, all);
        if (claim.kept.length === 0) return claim;
        const built = buildManifest(previous, claim.kept, batchId, format, ext, actor, await auditHead(db));
        superseded = built.superseded;
        await writeFileAtomic(outDir, MANIFEST_NAME, built.bytes, true);
        wroteManifest = true;
        manifestSha256 = sha256Hex(built.bytes);
        await recordBatch(tx, { batchId, startedAt, format, outDir, all, since: options.since, ids, manifestSha256, exported: claim.kept, actor });
        return claim;
      },
      { timeout: 10 * 60_000, maxWait: 30_000 },
    );
    taken = outcome.taken;
    exported.splice(0, exported.length, ...outcome.kept);
  } catch (err) {
    // The manifest must not vouch for a batch the database does not know.
    if (wroteManifest) {
      if (previous) await writeFileAtomic(outDir, MANIFEST_NAME, Buffer.from(JSON.stringify(previous, null, 2) + '\n', 'utf8'), true);
      else await rm(path.join(outDir, MANIFEST_NAME), { force: true });
    }
    throw err;
  }
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

  const removed: string[] = [];
  for (const e of superseded) {
    const file = path.join(outDir, e.file);
    // Only a file still exactly as an earlier export wrote it: never someone's edit.
    const current = await readFile(file).catch(() => undefined);
    if (current && sha256Hex(current) === e.sha256) {
      await rm(file, { force: true });
      removed.push(e.file);
    }
  }
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
  const rows = await db.article.findMany({
    where: { id: { in: rest } },
    select: { id: true, status: true, approvedAt: true, approvedRevision: { select: { number: true } } },
    orderBy: { id: 'asc' },
  });
  return rows.map((a) => {
    let reason: string;
    if (!a.approvedRevision) reason = `article ${a.id} is ${a.status} and has no approved revision`;
    else if (a.status === 'archived') reason = `article ${a.id} is archived`;
    else if (since && (!a.approvedAt || a.approvedAt < since)) reason = `article ${a.id} was approved before ${since.toISOString()}`;
    else if (a.status === 'exported' && !all) reason = `article ${a.id} is already exported (pass --all to export it again)`;
    else if (!all) reason = `article ${a.id} has unapproved edits since approval (pass --all to export its approved revision ${a.approvedRevision.number})`;
    else reason = `article ${a.id} is ${a.status}`;
    return { articleId: a.id, reason };
  });
}

interface CommitInput {
  batchId: number;
  startedAt: Date;
  format: ExportFormat;
  outDir: string;
  all: boolean;
  since: Date | undefined;
  ids: readonly number[] | undefined;
  manifestSha256: string;
  exported: ExportedItem[];
  actor: Actor;
}

/** A batch's manifest: earlier batches' files carried over, this batch's files, and the superseded files to remove after the commit. */
function buildManifest(previous: Manifest | null | undefined, items: readonly ExportedItem[], batchId: number, format: ExportFormat, ext: string, actor: Actor, head: AuditHead | null) {
  const inBatch = new Set(items.map((e) => e.articleId));
  const fresh: ManifestEntry[] = items.map(({ file, sha256, bytes, articleId, revisionId, revisionNumber, approver, approvedAt }) => ({
    file,
    sha256,
    bytes,
    articleId,
    revisionId,
    revisionNumber,
    approver,
    approvedAt,
    batchId,
  }));
  const names = new Set(fresh.map((e) => e.file));
  // Earlier batches' files stay listed, except those this batch supersedes
  // (same article, same format): those are removed once the batch commits.
  const carried: ManifestEntry[] = [];
  const superseded: ManifestEntry[] = [];
  for (const e of previous?.files ?? []) {
    if (names.has(e.file)) continue;
    if (inBatch.has(e.articleId) && path.extname(e.file) === ext) superseded.push(e);
    else carried.push({ ...e, batchId: e.batchId ?? previous?.batchId });
  }
  const manifest: Manifest = {
    batchId,
    format,
    createdAt: new Date().toISOString(),
    exporter: actor.username,
    // The chain's head before this batch's own events: a checkpoint that leaves the building with the files.
    auditHead: head,
    files: [...carried, ...fresh].sort((a, b) => a.articleId - b.articleId || a.file.localeCompare(b.file)),
  };
  return { bytes: Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8'), superseded };
}

/** Files this run wrote for articles another export took meanwhile: removed unless an earlier batch in this folder lists the same name. */
async function removeTakenFiles(outDir: string, previous: Manifest | null | undefined, taken: readonly ExportedItem[]): Promise<void> {
  const listed = new Set((previous?.files ?? []).map((e) => e.file));
  for (const e of taken) {
    if (listed.has(e.file)) continue;
    const file = path.join(outDir, e.file);
    const current = await readFile(file).catch(() => undefined);
    if (current && sha256Hex(current) === e.sha256) await rm(file, { force: true });
  }
}

/**
 * Locks the exported articles (row locks, in id order: no save, approval or
 * archive can interleave with the commit, and two exports queue here) and
 * claims them on their locked state: an article read as approved that is
 * now exported was taken by an export that committed first, and leaves this
 * batch (unless `all`, which re-exports on purpose). The claim is one
 * set-based statement, so among any number of exports each approved article
 * goes to exactly one batch.
 */
async function claimArticles(tx: Tx, exported: readonly ExportedItem[], all: boolean): Promise<{ kept: ExportedItem[]; taken: ExportedItem[] }> {
  const articleIds = exported.map((e) => e.articleId);
  const current = await tx.$queryRaw<Array<{ id: number; status: ArticleStatus; approvedRevisionId: number | null }>>`
    select id, status::text as status, "approvedRevisionId" from articles where id = any(${articleIds}::int[]) order by id for update`;
  const byId = new Map(current.map((r) => [r.id, r]));
  const kept: ExportedItem[] = [];
  const taken: ExportedItem[] = [];
  for (const item of exported) {
    const now = byId.get(item.articleId);
    if (!now) throw new ConflictError(`Article ${item.articleId} was deleted during the export; nothing was recorded. Run the export again.`, undefined, 'export_conflict');
    if (now.approvedRevisionId !== item.revisionId) {
      throw new ConflictError(`Article ${item.articleId} was re-approved during the export; nothing was recorded. Run the export again.`, undefined, 'export_conflict');
    }
    if (now.status === 'archived') throw new ConflictError(`Article ${item.articleId} was archived during the export; nothing was recorded. Run the export again.`, undefined, 'export_conflict');
    if (!all && item.from === 'approved' && now.status === 'exported') {
      taken.push(item);
      continue;
    }
    // Decide on the locked status, not the one read before the files were written.
    const decision = decideExport(now.status);
    item.from = now.status;
    item.to = decision.ok ? decision.to : now.status;
    if (decision.ok) delete item.note;
    else item.note = pinnedNote(item.revisionNumber);
    kept.push(item);
  }
  return { kept, taken };
}

/** Every database write of a batch, in the caller's transaction, after claimArticles. */
async function recordBatch(tx: Tx, input: CommitInput): Promise<void> {
  const { batchId, exported, actor } = input;
  const now = new Date();
  const moved = exported.filter((e) => e.from === 'approved' && e.to === 'exported');
  const again = exported.filter((e) => e.from === 'exported');
  await tx.exportBatch.create({
    data: {
      id: batchId,
      exporterId: actor.id,
      actorName: actor.username,
      status: 'completed',
      format: input.format,
      outDir: input.outDir,
      startedAt: input.startedAt,
      finishedAt: now,
      articleCount: exported.length,
      manifestSha256: input.manifestSha256,
      options: {
        all: input.all,
        ids: input.ids ? [...input.ids] : null,
        since: input.since?.toISOString() ?? null,
        counts: { exported: exported.length, approvedToExported: moved.length, reexported: again.length, pinnedOnly: exported.length - moved.length - again.length },
      },
    },
  });
  // Bulk statements over unnest(arrays): a batch of thousands stays a few round trips.
  await tx.$executeRaw`
    insert into export_items ("batchId", "articleId", "revisionId", path, sha256)
    select ${batchId}::int, * from unnest(${exported.map((e) => e.articleId)}::int[], ${exported.map((e) => e.revisionId)}::int[], ${exported.map((e) => e.file)}::text[], ${exported.map((e) => e.sha256)}::bpchar[])`;
  if (moved.length > 0) {
    const ids = moved.map((e) => e.articleId);
    await tx.$executeRaw`
      update articles set status = 'exported', "exportedAt" = ${now}, version = version + 1, "updatedAt" = ${now}
       where id = any(${ids}::int[]) and status = 'approved'`;
    await tx.$executeRaw`
      insert into status_changes ("articleId", "fromStatus", "toStatus", "actorId", note, "revisionId", "createdAt")
      select a, 'approved'::"ArticleStatus", 'exported'::"ArticleStatus", ${actor.id}::int, ${`export batch ${batchId}`}, r, ${now}::timestamptz from unnest(${ids}::int[], ${moved.map((e) => e.revisionId)}::int[]) as u(a, r)`;
  }
  // Articles with unapproved edits keep their row untouched: bumping their
  // version would turn an editor's next save into a spurious conflict.
  if (again.length > 0) {
    await tx.$executeRaw`
      update articles set "exportedAt" = ${now}, version = version + 1, "updatedAt" = ${now} where id = any(${again.map((e) => e.articleId)}::int[])`;
  }
  await recordAuditMany(tx, actor, [
    ...exported.map((e) => ({
      action: 'article.export',
      entity: 'article',
      entityId: e.articleId,
      data: { batchId, revisionId: e.revisionId, revisionNumber: e.revisionNumber, file: e.file, sha256: e.sha256, from: e.from, to: e.to, ...(e.note ? { note: e.note } : {}) },
    })),
    {
      action: 'export.batch',
      entity: 'export_batch',
      entityId: batchId,
      data: { format: input.format, outDir: input.outDir, articleCount: exported.length, manifestSha256: input.manifestSha256, all: input.all, ids: input.ids ? [...input.ids] : null, since: input.since?.toISOString() ?? null },
    },
  ]);
}
