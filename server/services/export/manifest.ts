import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { BadRequestError } from '../../errors';

/** The manifest's file name in an export folder. */
export const MANIFEST_NAME = 'manifest.json';

// A manifest entry names a file directly inside the folder: no separators, no
// dot-dot, so a tampered manifest cannot point --verify (or a later export's
// clean-up) outside it.
const fileName = z
  .string()
  .min(1)
  .refine((f) => !f.includes('/') && !f.includes('\\') && f !== '.' && f !== '..' && f !== MANIFEST_NAME, 'must be a plain file name inside the folder');

const entrySchema = z.object({
  file: fileName,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  articleId: z.number().int().positive(),
  revisionId: z.number().int().positive(),
  revisionNumber: z.number().int().positive(),
  approver: z.string().nullable(),
  approvedAt: z.string().nullable(),
  batchId: z.number().int().positive().optional(),
});

const manifestSchema = z.object({
  batchId: z.number().int().positive(),
  format: z.string(),
  createdAt: z.string(),
  exporter: z.string(),
  /** The audit chain's head (event id, hash) when the manifest was written; absent in manifests older than the keyed chain. */
  auditHead: z.object({ id: z.string().regex(/^\d+$/), hash: z.string().regex(/^[0-9a-f]{64}$/) }).nullable().optional(),
  files: z.array(entrySchema),
});

/** One exported file as the manifest lists it. */
export type ManifestEntry = z.infer<typeof entrySchema>;

/**
 * `manifest.json`: the batch that wrote it last, and every file of the folder
 * with its hash. Files of earlier batches into the same folder are carried
 * forward (each entry names its batch), so the manifest describes the folder.
 */
export type Manifest = z.infer<typeof manifestSchema>;

/** sha256 of a byte string, hex. */
export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const h = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    h.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: h.digest('hex'), bytes };
}

/**
 * Reads and validates `dir/manifest.json`; undefined when there is none.
 *
 * @throws BadRequestError `invalid_manifest` when the file is not a Copydesk manifest
 */
export async function readManifest(dir: string): Promise<Manifest | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dir, MANIFEST_NAME), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BadRequestError(`${path.join(dir, MANIFEST_NAME)} is not valid JSON, so it is not a Copydesk export manifest.`, undefined, 'invalid_manifest');
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BadRequestError(
      `${path.join(dir, MANIFEST_NAME)} is not a Copydesk export manifest: ${issue.path.join('.') || '(root)'} ${issue.message}.`,
      undefined,
      'invalid_manifest',
    );
  }
  return parsed.data;
}

/**
 * True when `dir` holds a valid Copydesk export manifest, so that an import of
 * an export folder skips it instead of reading it as an article.
 */
export async function hasExportManifest(dir: string): Promise<boolean> {
  return readManifest(dir).then((m) => m !== undefined, () => false);
}

/** True when a parsed JSON value has the shape of a Copydesk export manifest. */
export function isExportManifest(value: unknown): boolean {
  return manifestSchema.safeParse(value).success;
}

/** What `verifyExport` found. `ok` is true only when nothing is missing, modified or extra. */
export interface VerifyReport {
  dir: string;
  batchId: number;
  ok: boolean;
  /** Files that match the manifest. */
  matched: string[];
  missing: string[];
  modified: Array<{ file: string; expectedSha256: string; actualSha256: string; expectedBytes: number; actualBytes: number }>;
  /** Files in the folder that the manifest does not list (including temporary files a killed export left). */
  extra: string[];
}

/**
 * Re-hashes every file the manifest of `dir` lists and compares the folder
 * with it.
 *
 * @throws BadRequestError when `dir` is not a folder or holds no valid manifest
 */
export async function verifyExport(dir: string): Promise<VerifyReport> {
  const abs = path.resolve(dir);
  const st = await stat(abs).catch(() => undefined);
  if (!st) throw new BadRequestError(`${abs} does not exist.`, undefined, 'not_found');
  if (!st.isDirectory()) throw new BadRequestError(`${abs} is not a folder.`, undefined, 'not_a_directory');
  const manifest = await readManifest(abs);
  if (!manifest) throw new BadRequestError(`${abs} has no ${MANIFEST_NAME}: it is not an export folder, or the export did not finish.`, undefined, 'no_manifest');

  const report: VerifyReport = { dir: abs, batchId: manifest.batchId, ok: false, matched: [], missing: [], modified: [], extra: [] };
  const listed = new Set<string>();
  for (const entry of manifest.files) {
    listed.add(entry.file);
    const file = path.join(abs, entry.file);
    const fst = await stat(file).catch(() => undefined);
    if (!fst || !fst.isFile()) {
      report.missing.push(entry.file);
      continue;
    }
    const actual = await hashFile(file);
    if (actual.sha256 === entry.sha256 && actual.bytes === entry.bytes) report.matched.push(entry.file);
    else report.modified.push({ file: entry.file, expectedSha256: entry.sha256, actualSha256: actual.sha256, expectedBytes: entry.bytes, actualBytes: actual.bytes });
  }
  for (const name of (await readdir(abs)).sort()) {
    if (name !== MANIFEST_NAME && !listed.has(name)) report.extra.push(name);
  }
  report.ok = report.missing.length === 0 && report.modified.length === 0 && report.extra.length === 0;
  return report;
}
