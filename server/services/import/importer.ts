import { hostname } from 'node:os';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { sqlTransaction, type Db, type PrismaClient, type SqlTx } from '../../db/client';
import { BadRequestError, NotFoundError } from '../../errors';
import { recordAudit, recordAuditMany, type Actor, type AuditInput } from '../audit';
import type { ParagraphDiff } from '../../policy/textDiff';
import { buildRevisionData, contentHash, searchTextOf, type RevisionData } from '../revisionData';
import {
  checkStorable,
  classifyArticle,
  NoteCollector,
  OUTCOME_OF,
  type Decision,
  type KnownArticle,
  type KnownStatus,
  type Outcome,
} from './classifyArticle';
import { HEAD_BYTES, osReason } from './inspectFile';
import { normaliseLanguageTag } from './normaliseLanguageTag';
import { DEFAULT_MAX_BYTES, detectFormat, parseFile } from './parseFile';
import { IMPORT_FORMATS, ImportInputError, type ImportFormat, type ParsedArticle } from './types';

/** Options of one import run. */
export interface ImportOptions {
  /** 'auto' (the default) detects each file's format from its extension and content. */
  format?: ImportFormat | 'auto';
  /** Default source / target language for articles that do not name theirs. */
  sourceLang?: string;
  targetLang?: string;
  /** Files larger than this fail (COPYDESK_IMPORT_MAX_BYTES). */
  maxBytes?: number;
  /** A name for the batch; defaults to the paths given. */
  batchName?: string;
  /** Parse and classify against the database, write nothing (no batch row either). */
  dryRun?: boolean;
  /** Articles per bulk statement (memory stays bounded by this on streamed NDJSON). Default 500. */
  chunkSize?: number;
  /** Longest a file's transaction may stay open. Default one hour. */
  fileTimeoutMs?: number;
  /**
   * Files written at the same time, each in its own transaction (COPYDESK_IMPORT_CONCURRENCY,
   * `--concurrency`). Default 1. The result does not depend on it: see {@link importPaths}.
   * Each holds a connection of the client's pool while it is written, so keep it at most the
   * pool's size. A dry run always reads its files one after the other.
   */
  concurrency?: number;
}

/** A conflict: an article whose new MT text was not applied. */
export interface ConflictEntry {
  articleId: number | null;
  externalId: string | null;
  line: number | null;
  reason: string;
}

/** What happened to one input file. */
export interface FileReport {
  path: string;
  /** The format it was read as; null when it could not be told (unknown extension, unreadable). */
  format: ImportFormat | null;
  /** 'ok': its articles were classified and written together; 'failed': nothing of it was written. */
  status: 'ok' | 'failed';
  /** Articles the file holds (0 when it failed). */
  articles: number;
  imported: number;
  updated: number;
  skipped: number;
  conflicts: number;
  /** The reason, naming the file and line, when it failed. */
  error?: string;
  /** The parser's normalisation notes ("line 3: collapsed repeated spaces in 2 paragraphs"). */
  notes: string[];
  /** The first conflicts of the file (at most {@link MAX_LISTED_CONFLICTS}). */
  conflictList: ConflictEntry[];
  /** The first articles whose MT text the file replaced (at most {@link MAX_LISTED_CONFLICTS}), so no update goes unnamed. */
  updatedList: UpdateEntry[];
}

/** An article whose MT text an import replaced. */
export interface UpdateEntry {
  articleId: number | null;
  externalId: string | null;
  line: number | null;
}

export interface ImportTotals {
  files: number;
  failedFiles: number;
  articles: number;
  imported: number;
  updated: number;
  skipped: number;
  conflicts: number;
}

/** The result of {@link importPaths}. */
export interface ImportReport {
  /** The import_batches row; null for a dry run. */
  batchId: number | null;
  batchName: string;
  dryRun: boolean;
  importer: { id: number | null; username: string };
  startedAt: string;
  finishedAt: string;
  totals: ImportTotals;
  files: FileReport[];
  failures: Array<{ path: string; error: string }>;
}

/** A snapshot of a running import for progress displays. */
export interface ImportProgress {
  filesTotal: number;
  filesDone: number;
  currentFile: string | null;
  /** Articles read so far, from every file (including ones that later fail). */
  articlesRead: number;
  imported: number;
  updated: number;
  skipped: number;
  conflicts: number;
  failedFiles: number;
}

/** Progress events; `article` names the file the article was read from (several may be read at once). */
export type ImportEvent = { type: 'start' } | { type: 'article'; file: string } | { type: 'file'; file: FileReport } | { type: 'done' };
export type ProgressListener = (progress: Readonly<ImportProgress>, event: ImportEvent) => void;

export const MAX_LISTED_CONFLICTS = 1000;
/** The most files one run writes at the same time (each holds a database connection). */
export const MAX_IMPORT_CONCURRENCY = 16;
const DEFAULT_CHUNK = 500;
const RETRIES = 3;
// SQLSTATEs after which a file's transaction is simply run again: a deadlock or serialization
// failure, and a unique violation from a concurrent import that committed the same article
// between our lookup and our write (the retry classifies it as skipped).
const RETRYABLE = new Set(['40P01', '40001', '23505', 'P2002', 'P2034']);

/**
 * Checks the options that do not depend on any file, so a bad option is a usage error before
 * anything is read or written.
 *
 * @throws RangeError naming the option
 */
export function checkImportOptions(options: ImportOptions): void {
  const format = options.format ?? 'auto';
  if (format !== 'auto' && !IMPORT_FORMATS.includes(format)) {
    throw new RangeError(`--format must be auto or one of ${IMPORT_FORMATS.join(', ')}, got "${String(format)}"`);
  }
  for (const [name, value] of [['--source-lang', options.sourceLang], ['--target-lang', options.targetLang]] as const) {
    if (value !== undefined && !normaliseLanguageTag(value)) throw new RangeError(`${name} must be a language tag such as "zh" or "en-GB", got "${value}"`);
  }
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) throw new RangeError(`maxBytes must be a positive integer, got ${maxBytes}`);
  const chunk = options.chunkSize ?? DEFAULT_CHUNK;
  if (!Number.isSafeInteger(chunk) || chunk <= 0) throw new RangeError(`chunkSize must be a positive integer, got ${chunk}`);
  const concurrency = options.concurrency ?? 1;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > MAX_IMPORT_CONCURRENCY) {
    throw new RangeError(`--concurrency must be a whole number from 1 to ${MAX_IMPORT_CONCURRENCY}, got ${concurrency}`);
  }
}

/**
 * The actor recorded as the importer: the active user called `username`, or `fallback`
 * (the system actor) when no name is given. Auditors write nothing, so they cannot import.
 *
 * @throws NotFoundError for an unknown user, BadRequestError for a disabled user or an auditor
 */
export async function resolveImporter(db: Db, username: string | undefined, fallback: Actor): Promise<Actor> {
  if (username === undefined) return fallback;
  const user = await db.user.findUnique({ where: { username: username.trim().toLowerCase() }, select: { id: true, username: true, role: true, disabled: true } });
  if (!user) throw new NotFoundError(`--as: no user is called "${username}".`);
  if (user.disabled) throw new BadRequestError(`--as: the user "${user.username}" is disabled.`);
  if (user.role === 'auditor') throw new BadRequestError(`--as: "${user.username}" is an auditor; auditors cannot import.`);
  return { id: user.id, username: user.username, role: user.role, ip: fallback.ip ?? null };
}

/** One entry of the input list: a file to import, or a path that already failed. */
export interface InputFile {
  path: string;
  error?: string;
}

/**
 * Expands the paths given on the command line into files, in order: a folder is read
 * recursively with its entries sorted, skipping names that start with a dot; every file in it
 * is listed whatever its extension (the parser refuses unknown ones, so they are reported).
 * A path that cannot be read is listed with its error. Each file is listed once, by its absolute path.
 */
export async function collectImportFiles(paths: readonly string[]): Promise<InputFile[]> {
  const out: InputFile[] = [];
  const seen = new Set<string>();
  const visitedDirs = new Set<string>();

  const addFile = async (p: string): Promise<void> => {
    const key = await realpath(p).catch(() => path.resolve(p));
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ path: p });
  };

  const walk = async (dir: string): Promise<void> => {
    const real = await realpath(dir).catch(() => path.resolve(dir));
    if (visitedDirs.has(real)) return; // a symlink loop, or the same folder given twice
    visitedDirs.add(real);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      out.push({ path: dir, error: new ImportInputError(dir, `cannot read the folder: ${osReason(error)}`).message });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const p = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      if (entry.isSymbolicLink()) isDir = await stat(p).then((s) => s.isDirectory(), () => false);
      if (isDir) await walk(p);
      else await addFile(p);
    }
  };

  // Absolute paths in every report and error: "../../x" says nothing once the batch is read elsewhere.
  for (const p of paths.map((given) => path.resolve(given))) {
    let isDir: boolean;
    try {
      isDir = (await stat(p)).isDirectory();
    } catch (error) {
      out.push({ path: p, error: new ImportInputError(p, `cannot read: ${osReason(error)}`).message });
      continue;
    }
    if (isDir) await walk(p);
    else await addFile(p);
  }
  return out;
}

async function formatOf(file: string, requested: ImportFormat | 'auto'): Promise<ImportFormat | null> {
  if (requested !== 'auto') return requested;
  try {
    // Opening a FIFO would wait for a writer; parseFile refuses anything but a regular file.
    if (!(await stat(file)).isFile()) return null;
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
      return detectFormat(file, buffer.subarray(0, bytesRead));
    } finally {
      await handle.close();
    }
  } catch {
    return null; // parseFile gives the reason
  }
}

/** An incoming article with its identity computed. */
interface Incoming {
  article: ParsedArticle;
  hash: string;
}

/**
 * Articles created or updated earlier in the current chunk (or, in a dry run, the run), which
 * the database does not show yet: later articles are classified against them too.
 */
class Overlay {
  readonly byExt = new Map<string, KnownArticle>();
  readonly byHash = new Map<string, KnownArticle>();

  record(item: Incoming, id: number | null): void {
    const known: KnownArticle = {
      id,
      externalId: item.article.externalId ?? null,
      contentHash: item.hash,
      status: 'mt_draft',
      edited: false,
      revisionCount: 1,
      origin: where(item.article),
    };
    if (known.externalId !== null) this.byExt.set(known.externalId, known);
    this.byHash.set(item.hash, known);
  }

  mergeInto(target: Overlay): void {
    for (const [k, v] of this.byExt) target.byExt.set(k, v);
    for (const [k, v] of this.byHash) target.byHash.set(k, v);
  }
}

function where(a: ParsedArticle): string {
  return a.location.line !== undefined ? `${a.location.file}:${a.location.line}` : a.location.file;
}

interface Lookup {
  byExt: Map<string, KnownArticle>;
  byHash: Map<string, KnownArticle>;
}

interface KnownRow {
  id: number;
  externalId: string | null;
  contentHash: string;
  status: KnownStatus;
  revisionCount: number;
  edited: boolean;
}

/** The existing articles with any of these externalIds or content hashes, in one query. */
async function lookupKnown(db: SqlTx, items: readonly Incoming[]): Promise<Lookup> {
  const ext = items.flatMap((i) => (i.article.externalId !== undefined ? [i.article.externalId] : []));
  const hashes = items.map((i) => i.hash);
  // Each key column gets its own `= any(…)` so both unique indexes are used (an OR of the two
  // scans the table), contentHash compared as char(64) like the column, and the revision check
  // runs per found article (LATERAL … LIMIT 1) on the (articleId, number) index.
  const rows =
    items.length === 0
      ? []
      : await db.$queryRaw<KnownRow[]>`
    select a.id, a."externalId", a."contentHash", a.status::text as status, a."revisionCount", e.edited is not null as edited
      from articles a
      left join lateral (
        select true as edited from revisions r where r."articleId" = a.id and r.kind not in ('import', 'mt_update') limit 1
      ) e on true
     where a.id in (
       select id from articles where "externalId" = any (array(select jsonb_array_elements_text(${JSON.stringify(ext)}::jsonb)))
       union all
       select id from articles where "contentHash" = any (array(select jsonb_array_elements_text(${JSON.stringify(hashes)}::jsonb)::char(64)))
     )`;
  const out: Lookup = { byExt: new Map(), byHash: new Map() };
  for (const row of rows) {
    const known: KnownArticle = { ...row, revisionCount: Number(row.revisionCount) };
    if (row.externalId !== null) out.byExt.set(row.externalId, known);
    out.byHash.set(row.contentHash, known);
  }
  return out;
}

function decide(item: Incoming, lookup: Lookup, overlays: readonly Overlay[]): Decision {
  const ext = item.article.externalId;
  const pick = (key: string | undefined, map: (o: Overlay | Lookup) => Map<string, KnownArticle>): KnownArticle | undefined => {
    if (key === undefined) return undefined;
    for (const o of overlays) {
      const hit = map(o).get(key);
      if (hit) return hit;
    }
    return map(lookup).get(key);
  };
  return classifyArticle(
    { externalId: ext, contentHash: item.hash },
    pick(ext, (o) => o.byExt),
    pick(item.hash, (o) => o.byHash),
  );
}

/** Per-file state of one attempt; thrown away when the file fails or is retried. */
class FileState {
  read = 0;
  /** Written runs: the file's place in the run, where its keys are registered for later files. */
  slot: Slot | null = null;
  readonly counts: Record<Outcome, number> = { imported: 0, updated: 0, skipped: 0, conflict: 0 };
  readonly conflicts: ConflictEntry[] = [];
  readonly updates: UpdateEntry[] = [];
  readonly notes = new NoteCollector();
  readonly audit: AuditInput[] = [];
  /** Dry run: what this file would have created, merged into the run's overlay on success. */
  readonly overlay = new Overlay();
  /** Chunks whose articles have all been classified, and who is told each time. */
  classifiedChunks = 0;
  onClassified: () => void = () => undefined;

  constructor(
    readonly file: string,
    readonly format: ImportFormat | null,
  ) {}

  /**
   * Makes the keys an article reads or changes known to later files of the run: its own
   * externalId and hash, and the old hash of the article it updates (which stops matching).
   */
  register(item: Incoming, decision: Decision, lookup: Lookup): void {
    if (!this.slot) return;
    for (const key of keysOf(item)) this.slot.keys.add(key);
    const ext = item.article.externalId;
    const target = decision.action === 'update' && ext !== undefined ? lookup.byExt.get(ext) : undefined;
    if (target) this.slot.keys.add(`h:${target.contentHash}`);
  }

  count(item: Incoming, decision: Decision): void {
    this.counts[OUTCOME_OF[decision.action]]++;
    if (decision.action === 'update' && this.updates.length < MAX_LISTED_CONFLICTS) {
      this.updates.push({ articleId: decision.articleId, externalId: item.article.externalId ?? null, line: item.article.location.line ?? null });
    }
    if (decision.action === 'conflict' && this.conflicts.length < MAX_LISTED_CONFLICTS) {
      this.conflicts.push({ articleId: decision.articleId, externalId: item.article.externalId ?? null, line: item.article.location.line ?? null, reason: decision.reason });
    }
  }

  report(): FileReport {
    return {
      path: this.file,
      format: this.format,
      status: 'ok',
      articles: this.read,
      imported: this.counts.imported,
      updated: this.counts.updated,
      skipped: this.counts.skipped,
      conflicts: this.counts.conflict,
      notes: this.notes.list(),
      conflictList: this.conflicts,
      updatedList: this.updates,
    };
  }
}

function failedFile(file: string, format: ImportFormat | null, error: string): FileReport {
  return { path: file, format, status: 'failed', articles: 0, imported: 0, updated: 0, skipped: 0, conflicts: 0, error, notes: [], conflictList: [], updatedList: [] };
}

interface RunContext {
  db: PrismaClient;
  options: Required<Pick<ImportOptions, 'format' | 'maxBytes' | 'chunkSize' | 'fileTimeoutMs' | 'dryRun' | 'concurrency'>> & Pick<ImportOptions, 'sourceLang' | 'targetLang'>;
  actor: Actor;
  batchId: number | null;
  /** Dry run only: what earlier files of the run would have created. */
  runOverlay: Overlay;
  progress: ImportProgress;
  emit: (event: ImportEvent) => void;
}

/** The SQLSTATE (or Prisma code) of a database error, wherever the driver put it. */
function sqlState(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let e: unknown = error;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const o = e as { code?: unknown; originalCode?: unknown; meta?: { code?: unknown; driverAdapterError?: unknown }; cause?: unknown };
    for (const c of [o.originalCode, o.meta?.code, o.code]) if (typeof c === 'string' && RETRYABLE.has(c)) return c;
    e = o.meta?.driverAdapterError ?? o.cause;
  }
  return undefined;
}

/**
 * Imports files and folders of MT drafts: each file is parsed, its articles classified against
 * the database (new → imported, same text → skipped, new text for an untouched draft → updated,
 * new text for an edited article → conflict) and written in ONE transaction per file, with bulk
 * statements of `chunkSize` articles. A file that fails to parse or holds an article the database
 * cannot store leaves nothing behind; the other files go on. The run is recorded in an
 * import_batches row (created first, completed at the end) and an `import.batch` audit event;
 * each article gets an `article.import` or `article.mt_update` event in its file's transaction.
 *
 * Two runs at once never create duplicates: the unique externalId and contentHash columns plus
 * `INSERT … ON CONFLICT DO NOTHING` make the later writer wait, then see the article as existing.
 *
 * With `concurrency` > 1, that many files are written at the same time, each still in its own
 * transaction, and the outcome is the one of writing them one after the other in order: every
 * article is classified as it would have been (an article that an earlier, unfinished file of
 * the run also holds waits for that file), files commit and append their audit events in input
 * order, and files are reported, counted and shown as progress in input order. Only the ids of
 * new rows may interleave between files written at the same time.
 *
 * @throws RangeError for bad options (before anything is written)
 */
export async function importPaths(
  db: PrismaClient,
  paths: readonly string[],
  options: ImportOptions,
  actor: Actor,
  onProgress?: ProgressListener,
): Promise<ImportReport> {
  checkImportOptions(options);
  const startedAt = new Date();
  // The column holds 256 characters; cutting by code point never splits a surrogate pair.
  const batchName = Array.from(options.batchName ?? paths.join(', ')).slice(0, 256).join('');
  const inputs = await collectImportFiles(paths);
  const progress: ImportProgress = {
    filesTotal: inputs.length,
    filesDone: 0,
    currentFile: null,
    articlesRead: 0,
    imported: 0,
    updated: 0,
    skipped: 0,
    conflicts: 0,
    failedFiles: 0,
  };
  const ctx: RunContext = {
    db,
    options: {
      format: options.format ?? 'auto',
      maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
      chunkSize: options.chunkSize ?? DEFAULT_CHUNK,
      fileTimeoutMs: options.fileTimeoutMs ?? 60 * 60_000,
      dryRun: options.dryRun ?? false,
      concurrency: options.concurrency ?? 1,
      sourceLang: options.sourceLang,
      targetLang: options.targetLang,
    },
    actor,
    batchId: null,
    runOverlay: new Overlay(),
    progress,
    emit: (event) => onProgress?.(progress, event),
  };
  const recordedOptions = {
    // Who runs the batch, so a later import can tell a batch whose process died.
    runner: { host: hostname(), pid: process.pid },
    paths: [...paths],
    format: ctx.options.format,
    sourceLang: options.sourceLang ?? null,
    targetLang: options.targetLang ?? null,
    maxBytes: ctx.options.maxBytes,
  };

  if (!ctx.options.dryRun) {
    await closeAbandonedBatches(db, actor);
    const batch = await db.importBatch.create({
      data: { name: batchName, importerId: actor.id, actorName: actor.username, status: 'running', fileCount: inputs.length, options: recordedOptions },
      select: { id: true },
    });
    ctx.batchId = batch.id;
  }
  ctx.emit({ type: 'start' });

  const files: FileReport[] = [];
  const done = (report: FileReport): void => {
    files.push(report);
    progress.filesDone++;
    if (report.status === 'failed') progress.failedFiles++;
    ctx.emit({ type: 'file', file: report });
  };
  try {
    if (ctx.options.dryRun) {
      for (const input of inputs) {
        progress.currentFile = input.path;
        done(input.error ? failedFile(input.path, null, input.error) : await classifyOnly(ctx, input.path));
      }
    } else {
      await writeFiles(ctx, inputs, done);
    }
  } catch (error) {
    // The run cannot go on (database gone, a bug): what committed stays, and the batch says so.
    if (ctx.batchId !== null) {
      try {
        await finishBatch(ctx, files, 'failed', recordedOptions);
      } catch (secondary) {
        const why = (e: unknown) => (e instanceof Error ? e.message : String(e));
        throw new AggregateError([error, secondary], `${why(error)}\n(import batch #${ctx.batchId} could not be marked failed either: ${why(secondary)})`);
      }
    }
    throw error;
  }
  progress.currentFile = null;
  const report = buildReport(ctx, batchName, startedAt, files);
  if (ctx.batchId !== null) await finishBatch(ctx, files, 'completed', recordedOptions);
  ctx.emit({ type: 'done' });
  return report;
}

function totalsOf(files: readonly FileReport[]): ImportTotals {
  const ok = files.filter((f) => f.status === 'ok');
  const sum = (k: 'articles' | 'imported' | 'updated' | 'skipped' | 'conflicts') => ok.reduce((n, f) => n + f[k], 0);
  return {
    files: files.length,
    failedFiles: files.length - ok.length,
    articles: sum('articles'),
    imported: sum('imported'),
    updated: sum('updated'),
    skipped: sum('skipped'),
    conflicts: sum('conflicts'),
  };
}

function buildReport(ctx: RunContext, batchName: string, startedAt: Date, files: FileReport[]): ImportReport {
  return {
    batchId: ctx.batchId,
    batchName,
    dryRun: ctx.options.dryRun,
    importer: { id: ctx.actor.id, username: ctx.actor.username },
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    totals: totalsOf(files),
    files,
    failures: files.flatMap((f) => (f.status === 'failed' ? [{ path: f.path, error: f.error ?? 'failed' }] : [])),
  };
}

async function finishBatch(ctx: RunContext, files: FileReport[], status: 'completed' | 'failed', options: Record<string, unknown>): Promise<void> {
  const batchId = ctx.batchId as number;
  const totals = totalsOf(files);
  const failures = files.flatMap((f) => (f.status === 'failed' ? [{ path: f.path, error: f.error ?? 'failed' }] : []));
  // JSON columns get plain data: the per-file entries without undefined members.
  const fileEntries = JSON.parse(JSON.stringify(files)) as object[];
  await ctx.db.$transaction(async (tx) => {
    await tx.importBatch.update({
      where: { id: batchId },
      data: {
        status,
        finishedAt: new Date(),
        fileCount: files.length,
        imported: totals.imported,
        updated: totals.updated,
        skipped: totals.skipped,
        conflicts: totals.conflicts,
        failed: totals.failedFiles,
        files: fileEntries,
        failures,
      },
    });
    await recordAudit(tx, ctx.actor, {
      action: 'import.batch',
      entity: 'import_batch',
      entityId: batchId,
      data: { status, files: totals.files, failedFiles: totals.failedFiles, articles: totals.articles, imported: totals.imported, updated: totals.updated, skipped: totals.skipped, conflicts: totals.conflicts, options },
    });
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Marks as failed the batches left `running` by an import process on this
 * host that no longer exists (killed, or the machine restarted). The files it
 * had committed stay imported (each file is its own transaction); the batch
 * records how many articles it brought, and the closing is audited. Batches
 * of other hosts are left alone: their processes cannot be checked from here.
 */
export async function closeAbandonedBatches(db: PrismaClient, actor: Actor): Promise<number[]> {
  const running = await db.importBatch.findMany({ where: { status: 'running' }, select: { id: true, options: true } });
  const here = hostname();
  const dead = running.filter((b) => {
    const runner = (b.options as { runner?: { host?: unknown; pid?: unknown } } | null)?.runner;
    return runner?.host === here && typeof runner.pid === 'number' && runner.pid !== process.pid && !processAlive(runner.pid);
  });
  for (const b of dead) {
    const pid = (b.options as { runner: { pid: number } }).runner.pid;
    await db.$transaction(async (tx) => {
      const imported = await tx.article.count({ where: { importBatchId: b.id } });
      const closed = await tx.importBatch.updateMany({
        where: { id: b.id, status: 'running' },
        data: { status: 'failed', finishedAt: new Date(), imported, failures: [{ path: null, error: `the import process (pid ${pid}) ended before finishing; the ${imported} article(s) of the files it had committed stay imported` }] },
      });
      if (closed.count === 1) {
        await recordAudit(tx, actor, { action: 'import.batch', entity: 'import_batch', entityId: b.id, data: { status: 'failed', abandoned: true, pid, imported } });
      }
    });
  }
  return dead.map((b) => b.id);
}

/** Dry run of one file: classified against the database and what earlier files would create. */
async function classifyOnly(ctx: RunContext, file: string): Promise<FileReport> {
  const format = await formatOf(file, ctx.options.format);
  const state = new FileState(file, format);
  try {
    await classifyFile(ctx, state);
  } catch (error) {
    if (error instanceof ImportInputError) return failedFile(file, format, error.message);
    throw error;
  }
  addCounts(ctx.progress, state.counts);
  state.overlay.mergeInto(ctx.runOverlay);
  return state.report();
}

function addCounts(progress: ImportProgress, counts: Readonly<Record<Outcome, number>>): void {
  progress.imported += counts.imported;
  progress.updated += counts.updated;
  progress.skipped += counts.skipped;
  progress.conflicts += counts.conflict;
}

// ---------------------------------------------------------------------------------------------
// Writing several files at once.
//
// Each file is still one transaction, and the run must come out as if the files had been
// written one after the other, in order: same classification, same report, audit events in
// file order. Three rules give that:
//  1. Gate: a file classifies its first chunk only once every earlier file still running has
//     classified all of its articles, so their keys (externalIds, content hashes, and the old
//     hash of each article they update) are known.
//  2. Collisions: before classifying a chunk, a file waits for every earlier, unfinished file
//     that holds one of the chunk's keys to commit or fail. An article can only be found
//     through those keys, so a file with none in common sees what it would have seen had the
//     earlier files committed already.
//  3. Order: a file appends its audit events and commits only after every earlier file has
//     committed or failed.
// Waiting for another file inside a transaction goes through PostgreSQL (an advisory lock that
// each file's transaction holds, key (batch id, file index)), so that a cycle with another
// process's transactions is a deadlock PostgreSQL detects and breaks (the file is retried),
// never a silent hang. A file only waits for JavaScript signals while it holds no row lock:
// at the gate, before its first write, or outside its transaction.
// ---------------------------------------------------------------------------------------------

/** A promise with its resolver, and whether it has resolved. */
class Signal {
  done = false;
  readonly promise: Promise<void>;
  private release!: () => void;
  constructor() {
    this.promise = new Promise((resolve) => (this.release = resolve));
  }
  resolve(): void {
    this.done = true;
    this.release();
  }
}

type SlotOutcome = { kind: 'ok'; report: FileReport; counts: Record<Outcome, number> } | { kind: 'failed'; report: FileReport } | { kind: 'fatal'; error: unknown } | { kind: 'aborted' };

/** One input file's place in a run that writes files concurrently. */
class Slot {
  /** `e:<externalId>` and `h:<content hash>` of the articles this file reads or changes (every attempt). */
  readonly keys = new Set<string>();
  /** Attempts started; a later file that classified against an earlier attempt starts again. */
  attempt = 0;
  /** The current attempt holds its advisory lock (so waiting for the lock waits for the attempt). */
  locked = false;
  /** Settles when the current attempt's transaction has ended and the outcome (if any) is set. */
  attemptEnded: Promise<void> = Promise.resolve();
  /** The current attempt has classified every article of the file. */
  classified = new Signal();
  /** The file's final outcome. */
  outcome: SlotOutcome | undefined;
  readonly settled = new Signal();

  constructor(
    readonly index: number,
    readonly input: InputFile,
  ) {}

  finish(outcome: SlotOutcome): void {
    this.outcome = outcome;
    this.settled.resolve();
    this.classified.resolve();
  }
}

interface Run {
  slots: Slot[];
  /** The first file that failed with an unexpected error: later files are rolled back, as if never started. */
  fatalIndex: number;
}

/** Thrown inside a file's transaction to roll it back and start it again once `after` has finished. */
class Requeue extends Error {
  constructor(readonly after: Slot | null) {
    super('requeued behind an earlier file');
  }
}

/** Thrown inside a file's transaction when an earlier file ended the run. */
class RunAborted extends Error {
  constructor() {
    super('an earlier file failed; the run stops');
  }
}

function keysOf(item: Incoming): string[] {
  return item.article.externalId !== undefined ? [`e:${item.article.externalId}`, `h:${item.hash}`] : [`h:${item.hash}`];
}

/**
 * Waits, inside `tx`, until the earlier file `other` has its outcome. The wait itself is an
 * advisory lock that `other`'s transaction holds, so PostgreSQL sees it; when `other` is between
 * attempts (retrying) the caller is rolled back and requeued instead of waiting with its locks.
 */
async function outcomeOf(ctx: RunContext, tx: SqlTx, run: Run, self: Slot, other: Slot): Promise<SlotOutcome> {
  if (!other.outcome) {
    if (!other.locked) throw new Requeue(other);
    const ended = other.attemptEnded;
    await tx.$executeRaw`select pg_advisory_xact_lock_shared(${ctx.batchId}::int, ${other.index}::int)`;
    await ended;
    if (!other.outcome) throw new Requeue(other);
  }
  if (other.outcome.kind === 'fatal' || other.outcome.kind === 'aborted' || run.fatalIndex < self.index) throw new RunAborted();
  return other.outcome;
}

/** Rule 1: every earlier unfinished file has classified all its articles. Returns their attempt numbers. */
async function passGate(run: Run, self: Slot): Promise<number[]> {
  for (const other of run.slots.slice(0, self.index)) {
    while (!other.outcome && !other.classified.done) await Promise.race([other.classified.promise, other.settled.promise]);
  }
  if (run.fatalIndex < self.index) throw new RunAborted();
  return run.slots.slice(0, self.index).map((s) => s.attempt);
}

/** Rule 2: earlier unfinished files that hold any key of the chunk have committed or failed. */
async function awaitCollisions(ctx: RunContext, tx: SqlTx, run: Run, self: Slot, chunk: readonly Incoming[]): Promise<void> {
  if (run.fatalIndex < self.index) throw new RunAborted();
  const keys = chunk.flatMap(keysOf);
  for (let i = self.index - 1; i >= 0; i--) {
    const other = run.slots[i];
    if (!other.outcome && keys.some((k) => other.keys.has(k))) await outcomeOf(ctx, tx, run, self, other);
  }
}

/** Rule 3: every earlier file has committed or failed (a committed one waited for those before it). */
async function awaitEarlierFiles(ctx: RunContext, tx: SqlTx, run: Run, self: Slot): Promise<void> {
  for (let i = self.index - 1; i >= 0; i--) {
    if ((await outcomeOf(ctx, tx, run, self, run.slots[i])).kind === 'ok') break;
  }
}

/**
 * Writes the files, up to `concurrency` at a time, and reports each one, in input order, to
 * `done` as soon as it and every file before it have finished. Returns after every started file
 * has ended; throws the error of the first file that failed unexpectedly (the files after it are
 * rolled back and not reported, as if the run had stopped there).
 */
async function writeFiles(ctx: RunContext, inputs: readonly InputFile[], done: (report: FileReport) => void): Promise<void> {
  const run: Run = { slots: inputs.map((input, i) => new Slot(i, input)), fatalIndex: Infinity };
  let reported = 0;
  const report = (): void => {
    for (let slot = run.slots[reported]; slot?.outcome; slot = run.slots[reported]) {
      const outcome = slot.outcome;
      if (outcome.kind !== 'ok' && outcome.kind !== 'failed') break;
      if (outcome.kind === 'ok') addCounts(ctx.progress, outcome.counts);
      reported++;
      ctx.progress.currentFile = run.slots[reported]?.input.path ?? null;
      done(outcome.report);
    }
  };
  ctx.progress.currentFile = run.slots[0]?.input.path ?? null;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < run.slots.length && next <= run.fatalIndex) {
      const slot = run.slots[next++];
      if (slot.input.error) slot.finish({ kind: 'failed', report: failedFile(slot.input.path, null, slot.input.error) });
      else await writeSlot(ctx, run, slot);
      report();
    }
  };
  await Promise.all(Array.from({ length: Math.min(ctx.options.concurrency, Math.max(1, inputs.length)) }, worker));
  const fatal = run.slots.find((s) => s.outcome?.kind === 'fatal')?.outcome;
  if (fatal?.kind === 'fatal') throw fatal.error;
}

/** Imports one file atomically, retrying the whole file after a deadlock or a concurrent insert. */
async function writeSlot(ctx: RunContext, run: Run, slot: Slot): Promise<void> {
  const file = slot.input.path;
  const format = await formatOf(file, ctx.options.format);
  for (let failures = 0; ; ) {
    if (run.fatalIndex < slot.index) return slot.finish({ kind: 'aborted' });
    slot.attempt++;
    const state = new FileState(file, format);
    state.slot = slot;
    let ended!: () => void;
    slot.attemptEnded = new Promise((resolve) => (ended = resolve));
    let after: Slot | null = null;
    try {
      // Raw statements straight on a pooled connection: a file's bulk statements carry parameters of
      // hundreds of KB, which cost ten times the CPU through Prisma's request pipeline (see sqlTransaction).
      await sqlTransaction(ctx.db, (tx) => writeFile(ctx, run, slot, tx, state), ctx.options.fileTimeoutMs);
      return slot.finish({ kind: 'ok', report: state.report(), counts: state.counts });
    } catch (error) {
      if (error instanceof ImportInputError) return slot.finish({ kind: 'failed', report: failedFile(file, format, error.message) });
      if (error instanceof RunAborted) return slot.finish({ kind: 'aborted' });
      if (error instanceof Requeue) after = error.after;
      else if (++failures >= RETRIES || sqlState(error) === undefined) {
        run.fatalIndex = Math.min(run.fatalIndex, slot.index);
        return slot.finish({ kind: 'fatal', error });
      }
      // Starting again: its articles will be read again, and files waiting for its
      // classification wait for the next attempt's.
      ctx.progress.articlesRead -= state.read;
      const stale = slot.classified;
      slot.classified = new Signal();
      stale.resolve();
    } finally {
      slot.locked = false;
      ended();
    }
    if (after) await after.settled.promise;
  }
}

async function* incoming(ctx: RunContext, state: FileState): AsyncGenerator<Incoming[]> {
  let chunk: Incoming[] = [];
  for await (const article of parseFile(state.file, {
    format: ctx.options.format,
    maxBytes: ctx.options.maxBytes,
    sourceLang: ctx.options.sourceLang,
    targetLang: ctx.options.targetLang,
  })) {
    checkStorable(article);
    state.notes.add(article);
    state.read++;
    ctx.progress.articlesRead++;
    ctx.emit({ type: 'article', file: state.file });
    chunk.push({ article, hash: contentHash(article.title, article.paragraphs) });
    if (chunk.length >= ctx.options.chunkSize) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** Dry run: classify against the database and what earlier files and articles would have created. */
async function classifyFile(ctx: RunContext, state: FileState): Promise<void> {
  for await (const chunk of incoming(ctx, state)) {
    const lookup = await lookupKnown(ctx.db, chunk);
    for (const item of chunk) {
      const decision = decide(item, lookup, [state.overlay, ctx.runOverlay]);
      if (decision.action === 'import' || decision.action === 'update') state.overlay.record(item, decision.action === 'update' ? decision.articleId : null);
      state.count(item, decision);
    }
  }
}

/** One file's transaction: every chunk of articles, then the file's audit events (the last writes). */
async function writeFile(ctx: RunContext, run: Run, slot: Slot, tx: SqlTx, state: FileState): Promise<void> {
  // Held to the end of the transaction: later files of the run wait for this file by waiting for
  // it. One file at a time, every earlier file has finished before this one starts: no one waits.
  if (ctx.options.concurrency > 1) await tx.$executeRaw`select pg_advisory_xact_lock(${ctx.batchId}::int, ${slot.index}::int)`;
  slot.locked = true;
  let earlierAttempts: number[] | undefined;
  let issued = 0;
  let parsed = false;
  const classifiedOne = (): void => {
    if (parsed && state.classifiedChunks === issued) slot.classified.resolve();
  };
  state.onClassified = classifiedOne;
  // The next chunk is parsed while the database works on the previous one; chunks are still
  // written one after the other, so each is classified against everything written before it.
  let writing: Promise<void> | undefined;
  try {
    for await (const chunk of incoming(ctx, state)) {
      await writing;
      issued++;
      writing = (async () => {
        earlierAttempts ??= await passGate(run, slot);
        await awaitCollisions(ctx, tx, run, slot, chunk);
        await writeChunk(ctx, tx, state, chunk);
      })();
      writing.catch(() => undefined); // rejections are awaited below; this only stops an unhandled-rejection crash meanwhile
    }
    parsed = true;
    classifiedOne();
    await writing;
  } catch (error) {
    // A parse error may arrive while a chunk is still being written: let it settle before rollback.
    await writing?.catch(() => undefined);
    throw error;
  }
  await awaitEarlierFiles(ctx, tx, run, slot);
  // An earlier file started again after this one classified against it: classify again.
  if (earlierAttempts?.some((n, i) => run.slots[i].attempt !== n)) throw new Requeue(null);
  await recordAuditMany(tx, ctx.actor, state.audit);
}

async function writeChunk(ctx: RunContext, tx: SqlTx, state: FileState, chunk: Incoming[]): Promise<void> {
  let pending = chunk;
  for (let round = 0; pending.length > 0; round++) {
    const lookup = await lookupKnown(tx, pending);
    const overlay = new Overlay();
    const toInsert: Incoming[] = [];
    const toUpdate: Array<{ item: Incoming; articleId: number }> = [];
    for (const item of pending) {
      const decision = decide(item, lookup, [overlay]);
      state.register(item, decision, lookup);
      if (decision.action === 'import') {
        toInsert.push(item);
        overlay.record(item, null);
      } else if (decision.action === 'update' && decision.articleId !== null) {
        toUpdate.push({ item, articleId: decision.articleId });
        overlay.record(item, decision.articleId);
      } else {
        state.count(item, decision);
      }
    }
    if (round === 0) {
      state.classifiedChunks++;
      state.onClassified();
    }
    const inserted = await insertArticles(ctx, tx, toInsert);
    const retry: Incoming[] = [];
    for (const item of toInsert) {
      const done = inserted.get(item.hash);
      if (!done) {
        retry.push(item); // another import committed it meanwhile: classify it again
        continue;
      }
      state.count(item, { action: 'import' });
      state.audit.push({
        action: 'article.import',
        entity: 'article',
        entityId: done.articleId,
        data: { batchId: ctx.batchId, externalId: item.article.externalId ?? null, revisionId: done.revisionId, paragraphs: item.article.paragraphs.length, file: state.file, line: item.article.location.line ?? null },
      });
    }
    for (const { item, articleId } of toUpdate) {
      const result = await updateArticle(ctx, tx, item, articleId);
      if ('decision' in result) {
        state.count(item, result.decision);
        continue;
      }
      state.count(item, { action: 'update', articleId });
      state.audit.push({
        action: 'article.mt_update',
        entity: 'article',
        entityId: articleId,
        data: { batchId: ctx.batchId, externalId: item.article.externalId ?? null, revisionId: result.revisionId, number: result.number, paragraphs: item.article.paragraphs.length, file: state.file, line: item.article.location.line ?? null },
      });
    }
    // Each round settles at least the articles it inserted; a row that keeps vanishing is a bug.
    if (round >= RETRIES && retry.length > 0) throw new Error(`articles of ${state.file} kept conflicting with concurrent imports`);
    pending = retry;
  }
}

/** The article row fields written on import and on an MT update. */
function articleFields(item: Incoming, rev: RevisionData) {
  const a = item.article;
  return {
    externalId: a.externalId ?? null,
    contentHash: item.hash,
    title: a.title,
    sourceTitle: a.source?.title ?? null,
    sourceLang: a.sourceLang ?? null,
    targetLang: a.targetLang ?? null,
    publishedAt: a.publishedAt ? a.publishedAt.toISOString() : null,
    metadata: a.metadata,
    mtWordCount: rev.stats.mt.mtWords,
    wordCount: rev.stats.mt.words,
    searchText: searchTextOf(a),
    paragraphs: a.paragraphs,
    sources: a.source?.paragraphs ?? null,
    codes: a.details ? a.details.map((d) => d.codes) : null,
    metas: a.details ? a.details.map((d) => d.meta) : null,
    diffs: rev.diffs,
    stats: rev.stats,
    editRate: rev.editRate,
    wordsInserted: rev.wordsInserted,
    wordsDeleted: rev.wordsDeleted,
    wordsSubstituted: rev.wordsSubstituted,
  };
}

const identical = (d: ParagraphDiff, text: string): boolean => !d.truncated && d.parts.length === 1 && d.parts[0].op === 'eq' && d.parts[0].text === text && Object.keys(d.parts[0]).length === 2;

/** True when the diffs only say that every text equals the MT and there is no previous revision. */
function isIdentityDiff(rev: RevisionData, mt: { title: string; paragraphs: readonly string[] }): boolean {
  const { title, paragraphs } = rev.diffs;
  return title.prev === null && identical(title.mt, mt.title) && paragraphs.every((p, i) => p.prev === null && identical(p.mt, mt.paragraphs[i]));
}

/**
 * Inserts new articles with their paragraphs, revision 1 and status change in one statement.
 * Returns, by content hash, the rows actually inserted: an article a concurrent import
 * committed first is left out (ON CONFLICT DO NOTHING on the unique externalId / contentHash).
 */
async function insertArticles(ctx: RunContext, tx: SqlTx, items: readonly Incoming[]): Promise<Map<string, { articleId: number; revisionId: number }>> {
  const out = new Map<string, { articleId: number; revisionId: number }>();
  if (items.length === 0) return out;
  // The payload is what the database parses, so text is not sent three times: searchText is
  // derived in SQL exactly as searchTextOf does, and diffs that only say "identical to the MT"
  // (always, for revision 1) are rebuilt in SQL. The service tests compare both with the
  // TypeScript originals.
  const rows = items.map((item, k) => {
    const mt = { title: item.article.title, paragraphs: item.article.paragraphs };
    const rev = buildRevisionData(null, mt, mt);
    const { searchText: _derived, ...fields } = articleFields(item, rev);
    return { k, ...fields, diffs: isIdentityDiff(rev, mt) ? null : rev.diffs };
  });
  const note = ctx.batchId === null ? null : `import batch #${ctx.batchId}`;
  const result = await tx.$queryRaw<Array<{ contentHash: string; articleId: number; revisionId: number }>>`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(
        k int, "externalId" text, "contentHash" text, title text, "sourceTitle" text, "sourceLang" text, "targetLang" text,
        "publishedAt" timestamptz, metadata jsonb, "mtWordCount" int, "wordCount" int,
        paragraphs jsonb, sources jsonb, codes jsonb, metas jsonb, diffs jsonb, stats jsonb, "editRate" float8,
        "wordsInserted" int, "wordsDeleted" int, "wordsSubstituted" int)
    ), ins as (
      insert into articles ("externalId", "contentHash", title, "mtTitle", "sourceTitle", status, version, "sourceLang", "targetLang",
                            "publishedAt", metadata, "importBatchId", "revisionCount", "mtWordCount", "wordCount", "editRate", "searchText")
      select "externalId", "contentHash", title, title, "sourceTitle", 'mt_draft'::"ArticleStatus", 1, "sourceLang", "targetLang",
             "publishedAt", metadata, ${ctx.batchId}::int, 1, "mtWordCount", "wordCount", 0,
             title || E'\n' || (select string_agg(t.value, E'\n' order by t.ord) from jsonb_array_elements_text(paragraphs) with ordinality as t(value, ord))
        from input order by k
      on conflict do nothing
      returning id, "contentHash"
    ), added as (
      select ins.id, input.* from ins join input using ("contentHash")
    ), paras as (
      insert into paragraphs ("articleId", position, mt, text, source, codes, meta)
      select added.id, (p.ord - 1)::int, p.value, p.value, added.sources ->> (p.ord - 1)::int,
             nullif(added.codes -> (p.ord - 1)::int, 'null'::jsonb), nullif(added.metas -> (p.ord - 1)::int, 'null'::jsonb)
        from added cross join lateral jsonb_array_elements_text(added.paragraphs) with ordinality as p(value, ord)
    ), revs as (
      insert into revisions ("articleId", number, "articleVersion", kind, "authorId", title, paragraphs, diffs, stats,
                             "editRate", "wordsInserted", "wordsDeleted", "wordsSubstituted")
      select id, 1, 1, 'import'::"RevisionKind", ${ctx.actor.id}::int, title, paragraphs,
             coalesce(diffs, jsonb_build_object(
               'title', jsonb_build_object('prev', null, 'mt', jsonb_build_object('parts', jsonb_build_array(jsonb_build_object('op', 'eq', 'text', title)), 'truncated', false)),
               'paragraphs', (select jsonb_agg(jsonb_build_object('prev', null, 'mt', jsonb_build_object('parts', jsonb_build_array(jsonb_build_object('op', 'eq', 'text', t.value)), 'truncated', false)) order by t.ord)
                                from jsonb_array_elements_text(paragraphs) with ordinality as t(value, ord)))),
             stats, "editRate", "wordsInserted", "wordsDeleted", "wordsSubstituted"
        from added
      returning id, "articleId"
    ), changes as (
      insert into status_changes ("articleId", "fromStatus", "toStatus", "actorId", note, "revisionId")
      select "articleId", null, 'mt_draft'::"ArticleStatus", ${ctx.actor.id}::int, ${note}::text, id from revs
    )
    select added."contentHash", added.id as "articleId", revs.id as "revisionId" from added join revs on revs."articleId" = added.id`;
  for (const r of result) out.set(r.contentHash, { articleId: r.articleId, revisionId: r.revisionId });
  return out;
}

/**
 * Replaces the MT text of an untouched draft: locks the article, checks again that no editor
 * touched it meanwhile, replaces its paragraphs, records revision n+1 (kind mt_update) and bumps
 * the version. Returns the new decision instead when the article changed since classification.
 */
async function updateArticle(
  ctx: RunContext,
  tx: SqlTx,
  item: Incoming,
  articleId: number,
): Promise<{ revisionId: number; number: number } | { decision: Decision }> {
  const [locked] = await tx.$queryRaw<Array<KnownRow & { version: number; title: string }>>`
    select id, "externalId", "contentHash", status::text as status, "revisionCount", version, title, false as edited
      from articles where id = ${articleId} for update`;
  if (!locked) return { decision: { action: 'conflict', articleId, reason: `article #${articleId} was deleted while importing` } };
  // A separate statement, so its snapshot includes revisions committed before we got the lock.
  const [current] = await tx.$queryRaw<Array<{ edited: boolean; paragraphs: string[]; unitIds: string[] }>>`
    select exists (select 1 from revisions r where r."articleId" = ${articleId} and r.kind not in ('import', 'mt_update')) as edited,
           coalesce((select jsonb_agg(p.text order by p.position) from paragraphs p where p."articleId" = ${articleId}), '[]'::jsonb) as paragraphs,
           coalesce((select jsonb_agg(p.meta ->> 'unitId') from paragraphs p where p."articleId" = ${articleId} and p.meta ? 'unitId'), '[]'::jsonb) as "unitIds"`;
  const known: KnownArticle = { ...locked, revisionCount: Number(locked.revisionCount), edited: current.edited };
  const again = classifyArticle({ externalId: item.article.externalId, contentHash: item.hash }, known, undefined);
  if (again.action !== 'update') return { decision: again };
  const unrelated = differentDocument(current.unitIds, item.article.details?.flatMap((d) => (d.meta?.unitId !== undefined ? [d.meta.unitId] : [])) ?? []);
  if (unrelated) return { decision: { action: 'conflict', articleId, reason: `article #${articleId} has this file's identity (externalId "${item.article.externalId}"), but ${unrelated}; it looks like another document, so it was left unchanged (rename the file to import it as a new article)` } };

  const mt = { title: item.article.title, paragraphs: item.article.paragraphs };
  const rev = buildRevisionData({ title: locked.title, paragraphs: current.paragraphs }, mt, mt);
  const fields = articleFields(item, rev);
  const number = known.revisionCount + 1;
  const version = locked.version + 1;
  await tx.$executeRaw`delete from paragraphs where "articleId" = ${articleId}`;
  const [written] = await tx.$queryRaw<Array<{ revisionId: number }>>`
    with input as (
      select * from jsonb_to_record(${JSON.stringify(fields)}::jsonb) as x(
        "contentHash" text, title text, "sourceTitle" text, "sourceLang" text, "targetLang" text, "publishedAt" timestamptz,
        metadata jsonb, "mtWordCount" int, "wordCount" int, "searchText" text, paragraphs jsonb, sources jsonb,
        codes jsonb, metas jsonb, diffs jsonb, stats jsonb, "editRate" float8, "wordsInserted" int, "wordsDeleted" int, "wordsSubstituted" int)
    ), paras as (
      insert into paragraphs ("articleId", position, mt, text, source, codes, meta)
      select ${articleId}::int, (p.ord - 1)::int, p.value, p.value, input.sources ->> (p.ord - 1)::int,
             nullif(input.codes -> (p.ord - 1)::int, 'null'::jsonb), nullif(input.metas -> (p.ord - 1)::int, 'null'::jsonb)
        from input cross join lateral jsonb_array_elements_text(input.paragraphs) with ordinality as p(value, ord)
    ), rev as (
      insert into revisions ("articleId", number, "articleVersion", kind, "authorId", title, paragraphs, diffs, stats,
                             "editRate", "wordsInserted", "wordsDeleted", "wordsSubstituted")
      select ${articleId}::int, ${number}::int, ${version}::int, 'mt_update'::"RevisionKind", ${ctx.actor.id}::int, title, paragraphs, diffs, stats,
             "editRate", "wordsInserted", "wordsDeleted", "wordsSubstituted"
        from input
      returning id
    ), art as (
      update articles a
         set title = input.title, "mtTitle" = input.title, "contentHash" = input."contentHash", "sourceTitle" = input."sourceTitle",
             "sourceLang" = input."sourceLang", "targetLang" = input."targetLang", "publishedAt" = input."publishedAt",
             metadata = input.metadata, "importBatchId" = ${ctx.batchId}::int, version = ${version}::int,
             "revisionCount" = ${number}::int, "mtWordCount" = input."mtWordCount", "wordCount" = input."wordCount",
             "editRate" = 0, "searchText" = input."searchText", "updatedAt" = now()
        from input
       where a.id = ${articleId}::int
    )
    select rev.id as "revisionId" from rev`;
  return { revisionId: written.revisionId, number };
}

/**
 * Why two versions of a translation file are not the same document, or undefined when they may
 * be: a new version of a document keeps most of its unit ids (tools derive them from the
 * source), an unrelated file that happens to share a name and file id does not.
 */
export function differentDocument(before: readonly string[], after: readonly string[]): string | undefined {
  if (before.length === 0 || after.length === 0) return undefined;
  const old = new Set(before);
  const next = new Set(after);
  const shared = [...next].filter((id) => old.has(id)).length;
  if (shared * 2 >= Math.max(old.size, next.size)) return undefined;
  return `only ${shared} of its ${next.size} unit ids are among the ${old.size} of the article`;
}

/** 0 when no file failed, else 1. Conflicts are listed but are not failures. */
export function importExitCode(report: Pick<ImportReport, 'totals'>): number {
  return report.totals.failedFiles > 0 ? 1 : 0;
}
