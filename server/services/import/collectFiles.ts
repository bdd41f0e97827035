/** Expands the paths of an import into the files to read. */
import { constants } from 'node:fs';
import { access, lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { hasExportManifest, MANIFEST_NAME } from '../export/manifest';
import { HEAD_BYTES, osReason } from './inspectFile';
import { detectFormat } from './parseFile';
import { ImportInputError, type ImportFormat } from './types';

/** One entry of the input list: a file to import, or a path that already failed. */
export interface InputFile {
  path: string;
  error?: string;
  /** Not imported, and why: a symbolic link met inside a folder, which is never followed. */
  ignored?: string;
  /** Worth telling in the file's report (a symbolic link named on the command line). */
  note?: string;
}

/**
 * Expands the paths given on the command line into files, in order: a folder is read
 * recursively with its entries sorted, skipping names that start with a dot and a Copydesk
 * export's manifest.json; every file in it
 * is listed whatever its extension (the parser refuses unknown ones, so they are reported).
 * A path that cannot be read is listed with its error. Each file is listed once, by its absolute path.
 *
 * Symbolic links are never followed out of a folder: one met while walking is listed as
 * `ignored` (a link to /etc/passwd must not become an article). A link named on the command
 * line is read only when it resolves to a readable regular file, and its entry notes the target.
 */
export async function collectImportFiles(paths: readonly string[]): Promise<InputFile[]> {
  const out: InputFile[] = [];
  const seen = new Set<string>();
  const visitedDirs = new Set<string>();

  const addFile = async (p: string, note?: string): Promise<void> => {
    const key = await realpath(p).catch(() => path.resolve(p));
    if (seen.has(key)) return;
    seen.add(key);
    out.push(note ? { path: p, note } : { path: p });
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
      // An export folder's manifest lists files; it is not an article.
      if (entry.name === MANIFEST_NAME && (await hasExportManifest(dir))) continue;
      const p = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) out.push({ path: p, ignored: 'a symbolic link inside a folder is not followed' });
      else if (entry.isDirectory()) await walk(p);
      else await addFile(p);
    }
  };

  // Absolute paths in every report and error: "../../x" says nothing once the batch is read elsewhere.
  for (const p of paths.map((given) => path.resolve(given))) {
    let isDir: boolean;
    let link: boolean;
    try {
      link = (await lstat(p)).isSymbolicLink();
      isDir = (await stat(p)).isDirectory();
    } catch (error) {
      out.push({ path: p, error: new ImportInputError(p, `cannot read: ${osReason(error)}`).message });
      continue;
    }
    if (link) {
      const refused = await linkRefusal(p);
      if (typeof refused === 'string') out.push({ path: p, error: new ImportInputError(p, refused).message });
      else await addFile(p, `read through a symbolic link named on the command line, to ${refused.target}`);
    } else if (isDir) await walk(p);
    else await addFile(p);
  }
  return out;
}

/** Why a symbolic link named on the command line is not read, or its target when it may be. */
async function linkRefusal(p: string): Promise<string | { target: string }> {
  let target: string;
  try {
    target = await realpath(p);
  } catch (error) {
    return `is a symbolic link that leads nowhere readable: ${osReason(error)}`;
  }
  const st = await stat(target);
  if (!st.isFile()) return `is a symbolic link to ${target}, which is not a regular file; only links to files are followed`;
  try {
    await access(target, constants.R_OK);
  } catch (error) {
    return `is a symbolic link to ${target}, which cannot be read: ${osReason(error)}`;
  }
  return { target };
}

/** The format a file will be read as, for the report; null when parseFile will give the reason. */
export async function formatOf(file: string, requested: ImportFormat | 'auto'): Promise<ImportFormat | null> {
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
