import { ImportInputError } from './types';

// Share of control bytes above which a file is taken for binary data even without NUL bytes.
const CONTROL_SHARE_LIMIT = 0.1;
const CONTROL_SAMPLE_BYTES = 8192;

/**
 * Says why `bytes` (the start of a file) cannot be text, or returns undefined when it can.
 * UTF-16 gets its own message because it is the usual way a "text" file ends up full of NUL bytes.
 */
export function binaryReason(bytes: Uint8Array): string | undefined {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return 'is UTF-16 encoded (it starts with a UTF-16 byte-order mark); save it as UTF-8';
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) return `looks like a binary file, not text (NUL byte at byte offset ${nul})`;
  const sample = bytes.subarray(0, CONTROL_SAMPLE_BYTES);
  let controls = 0;
  for (const byte of sample) {
    // Tab, LF, VT, FF and CR are ordinary in text files.
    if ((byte < 0x20 && (byte < 0x09 || byte > 0x0d)) || byte === 0x7f) controls += 1;
  }
  if (sample.length > 0 && controls / sample.length > CONTROL_SHARE_LIMIT) {
    const percent = Math.round((controls / sample.length) * 100);
    return `looks like a binary file, not text (${percent}% of its first ${sample.length} bytes are control characters)`;
  }
  return undefined;
}

/**
 * Decodes UTF-8 strictly. A UTF-8 byte-order mark is dropped when `at.line` is 1 (the start of the
 * file). Invalid UTF-8 is an {@link ImportInputError} naming the line and byte offset of the first
 * bad byte; `at` says where `bytes` starts in the file when it is only a part of it.
 */
export function decodeText(file: string, bytes: Uint8Array, at: { line: number; offset: number } = { line: 1, offset: 0 }): string {
  let text: string;
  try {
    // ignoreBOM: true keeps a BOM in the output so that it is only removed at the very start of the file.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const bad = firstInvalidByte(bytes);
    let line = at.line;
    for (let i = 0; i < bad; i++) if (bytes[i] === 0x0a) line += 1;
    const hex = (bytes[bad] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    throw new ImportInputError(
      file,
      `is not valid UTF-8 (bad byte 0x${hex} at byte offset ${at.offset + bad}); save the file as UTF-8`,
      line,
    );
  }
  return at.line === 1 && text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** Index of the first byte of the first invalid UTF-8 sequence in `bytes` (which must contain one). */
function firstInvalidByte(bytes: Uint8Array): number {
  // Streaming decodes tolerate a sequence cut off at the end, so "this prefix decodes" is monotonic
  // and a binary search finds the byte where decoding first fails.
  const prefixDecodes = (length: number): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, length), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  if (prefixDecodes(bytes.length)) return leadOfTruncatedTail(bytes, bytes.length);
  let good = 0;
  let bad = bytes.length;
  while (bad - good > 1) {
    const mid = (good + bad) >>> 1;
    if (prefixDecodes(mid)) good = mid;
    else bad = mid;
  }
  const failing = bad - 1;
  const byte = bytes[failing];
  // An ASCII or lead byte only fails when it interrupts an unfinished sequence: blame that sequence.
  if (byte < 0x80 || byte >= 0xc0) return leadOfTruncatedTail(bytes, failing);
  return failing;
}

/** Start of an unfinished multi-byte sequence that ends just before `end`, or `end` itself if none. */
function leadOfTruncatedTail(bytes: Uint8Array, end: number): number {
  let i = end - 1;
  while (i >= 0 && end - i <= 3 && (bytes[i] & 0xc0) === 0x80) i -= 1;
  return i >= 0 && bytes[i] >= 0xc0 ? i : Math.min(end, bytes.length - 1);
}
