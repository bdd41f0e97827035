import { open, stat } from 'node:fs/promises';
import { binaryReason } from './decodeText';
import { ImportInputError } from './types';

/** How much of a file is read up front for format sniffing and the binary check. */
export const HEAD_BYTES = 64 * 1024;

/**
 * Checks, before any parsing, that `path` is a readable regular file of at most `maxBytes` bytes
 * that is not empty and does not look binary, and returns its size and first {@link HEAD_BYTES} bytes.
 * Every refusal is an {@link ImportInputError} that says why.
 */
export async function inspectFile(path: string, maxBytes: number): Promise<{ size: number; head: Buffer }> {
  let size: number;
  try {
    const stats = await stat(path);
    if (stats.isDirectory()) throw new ImportInputError(path, 'is a directory, not a file');
    if (!stats.isFile()) throw new ImportInputError(path, 'is not a regular file');
    size = stats.size;
  } catch (error) {
    if (error instanceof ImportInputError) throw error;
    throw new ImportInputError(path, `cannot read the file: ${osReason(error)}`);
  }
  if (size > maxBytes) throw tooLarge(path, size, maxBytes);
  if (size === 0) throw new ImportInputError(path, 'is empty');

  let head: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(Math.min(size, HEAD_BYTES));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new ImportInputError(path, `cannot read the file: ${osReason(error)}`);
  }
  const binary = binaryReason(head);
  if (binary) throw new ImportInputError(path, binary);
  return { size, head };
}

/** The refusal for a file over the size limit, shared with the readers that notice a file growing. */
export function tooLarge(path: string, size: number, maxBytes: number): ImportInputError {
  return new ImportInputError(
    path,
    `is ${formatBytes(size)} bytes, over the limit of ${formatBytes(maxBytes)} bytes`,
  );
}

/** The operating system's own words for a failed file operation, e.g. 'no such file or directory (ENOENT)'. */
export function osReason(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Node phrases these as "ENOENT: no such file or directory, stat 'path'"; the path is already in our message.
    const phrase = /^[A-Z0-9_]+: ([^,]+)/.exec(error.message)?.[1] ?? error.message;
    return code && !phrase.includes(code) ? `${phrase} (${code})` : phrase;
  }
  return String(error);
}

function formatBytes(bytes: number): string {
  return bytes.toLocaleString('en-US');
}

/**
 * The first {@link HEAD_BYTES} bytes of a regular file, or nothing when it cannot be read: only
 * for telling a format by content before the checks of {@link inspectFile} give their reasons.
 */
export async function peekHead(path: string): Promise<Buffer> {
  try {
    if (!(await stat(path)).isFile()) return Buffer.alloc(0);
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return Buffer.alloc(0);
  }
}
