import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** The temporary name a file is written under before it is renamed into place. */
export function tempNameOf(name: string, pid: number = process.pid): string {
  return `.${name}.tmp-${pid}`;
}

/** Matches temporary names made by `tempNameOf`; group 1 is the writer's pid. */
export const TEMP_NAME = /^\..+\.tmp-(\d+)$/;

/**
 * Writes `data` to `dir/name` atomically: to a hidden temporary name in the
 * same directory first, then renamed over the final name. A reader (a
 * publishing pipeline watching the folder) sees either the old file or the
 * complete new one, never a partial file, even if this process is killed.
 *
 * @param durable also fsync the file and the directory (for the manifest: the commit point)
 */
export async function writeFileAtomic(dir: string, name: string, data: Buffer, durable = false): Promise<void> {
  const tmp = path.join(dir, tempNameOf(name));
  const fh = await open(tmp, 'w', 0o644);
  try {
    await fh.writeFile(data);
    if (durable) await fh.sync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
  await fh.close();
  try {
    await rename(tmp, path.join(dir, name));
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  if (durable) {
    const d = await open(dir, 'r');
    await d.sync().catch(() => undefined);
    await d.close();
  }
}
