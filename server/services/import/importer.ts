// Imports files and folders of MT drafts. The run is put together from modules with one job
// each: collectFiles (the input list), parseFile (formats), fileState (a file's articles,
// classified and written chunk by chunk), articleWrites (the SQL), orderedWriter (files written
// at once with the result of one after the other), importBatch (the batch row) and importReport.
import { hostname } from 'node:os';
import { type Db, type PrismaClient } from '../../db/client';
import { BadRequestError, NotFoundError } from '../../errors';
import { can } from '../../../shared/permissions';
import { type Actor } from '../audit';
import { normaliseLanguageTag } from './normaliseLanguageTag';
import { DEFAULT_MAX_BYTES } from './parseFile';
import { IMPORT_FORMATS } from './types';
import { collectImportFiles } from './collectFiles';
import { Overlay, classifyOnly } from './fileState';
import { closeAbandonedBatches, finishBatch } from './importBatch';
import { type FileReport, type ImportProgress, type ImportReport, type ProgressListener, failedFile, totalsOf } from './importReport';
import { writeFiles } from './orderedWriter';
import { DEFAULT_CHUNK, type ImportOptions, MAX_IMPORT_CONCURRENCY, type RunContext } from './runContext';

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
  // Importing writes article text, so it needs the permission to edit articles (auditors have none).
  if (!can(user.role, 'article.edit')) throw new BadRequestError(`--as: "${user.username}" has the ${user.role} role, which may not write articles, so cannot import.`);
  return { id: user.id, username: user.username, role: user.role, ip: fallback.ip ?? null };
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
  const collected = await collectImportFiles(paths);
  const inputs = collected.filter((input) => input.ignored === undefined);
  const ignored = collected.flatMap((input) => (input.ignored !== undefined ? [{ path: input.path, reason: input.ignored }] : []));
  const inputNotes = new Map(inputs.flatMap((input) => (input.note ? [[input.path, input.note] as const] : [])));
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
    const note = inputNotes.get(report.path);
    if (note) report.notes.unshift(note);
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
        throw new AggregateError([error, secondary], `${why(error)}\n(import batch #${ctx.batchId} could not be marked failed either: ${why(secondary)})`, { cause: secondary });
      }
    }
    throw error;
  }
  progress.currentFile = null;
  const report = buildReport(ctx, batchName, startedAt, files, ignored);
  if (ctx.batchId !== null) await finishBatch(ctx, files, 'completed', recordedOptions);
  ctx.emit({ type: 'done' });
  return report;
}

function buildReport(ctx: RunContext, batchName: string, startedAt: Date, files: FileReport[], ignored: ImportReport['ignored']): ImportReport {
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
    ignored,
  };
}

export { collectImportFiles, type InputFile } from './collectFiles';
export { closeAbandonedBatches } from './importBatch';
export { differentDocument } from './articleWrites';
export { importExitCode, MAX_LISTED_CONFLICTS, type ConflictEntry, type FileReport, type ImportEvent, type ImportProgress, type ImportReport, type ImportTotals, type ProgressListener, type UpdateEntry } from './importReport';
export { MAX_IMPORT_CONCURRENCY, type ImportOptions } from './runContext';
