// The export's file-system side: the output folder's checks, the files
// written under temporary names and renamed, and the clean-up of what a run
// must not leave behind. No database here (see exportCommit.ts).
import { constants as fsConstants } from 'node:fs';
import { access, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { BadRequestError } from '../../errors';
import { MANIFEST_NAME, sha256Hex, type Manifest, type ManifestEntry } from './manifest';
import { TEMP_NAME, writeFileAtomic } from './writeFileAtomic';

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
 *
 * @throws BadRequestError `out_not_directory`, `out_not_writable`
 */
export async function prepareOutDir(outDir: string, dryRun: boolean): Promise<void> {
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
export async function removeStaleTempFiles(outDir: string): Promise<void> {
  for (const name of await readdir(outDir)) {
    const m = TEMP_NAME.exec(name);
    if (m && Number(m[1]) !== process.pid && !isAlive(Number(m[1]))) await rm(path.join(outDir, name), { force: true });
  }
}

/** Runs `fn` over `items`, at most `limit` at once. */
export async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** A file this run wrote: its name in the folder and its hash. */
export interface WrittenFile {
  file: string;
  sha256: string;
}

/** Removes `file` from `outDir` only while it is exactly as an export wrote it (`sha256`): never someone's edit. Returns whether it was removed. */
async function removeIfUnchanged(outDir: string, e: WrittenFile): Promise<boolean> {
  const file = path.join(outDir, e.file);
  const current = await readFile(file).catch(() => undefined);
  if (!current || sha256Hex(current) !== e.sha256) return false;
  await rm(file, { force: true });
  return true;
}

/** Files this run wrote for articles another export took meanwhile: removed unless an earlier batch in this folder lists the same name. */
export async function removeTakenFiles(outDir: string, previous: Manifest | null | undefined, taken: readonly WrittenFile[]): Promise<void> {
  const listed = new Set((previous?.files ?? []).map((e) => e.file));
  for (const e of taken) if (!listed.has(e.file)) await removeIfUnchanged(outDir, e);
}

/** Removes superseded files of earlier batches (still exactly as written); returns the names removed. */
export async function removeSupersededFiles(outDir: string, superseded: readonly ManifestEntry[]): Promise<string[]> {
  const removed: string[] = [];
  for (const e of superseded) if (await removeIfUnchanged(outDir, e)) removed.push(e.file);
  return removed;
}

/** Puts the previous manifest back (or removes this run's) when the batch did not commit: the manifest must not vouch for a batch the database does not know. */
export async function restoreManifest(outDir: string, previous: Manifest | null | undefined): Promise<void> {
  if (previous) await writeFileAtomic(outDir, MANIFEST_NAME, Buffer.from(JSON.stringify(previous, null, 2) + '\n', 'utf8'), true);
  else await rm(path.join(outDir, MANIFEST_NAME), { force: true });
}

