import { createReadStream } from 'node:fs';
import { decodeText } from './decodeText';
import { osReason, tooLarge } from './inspectFile';
import { ImportInputError } from './types';

/** One line of a text file, without its line ending. */
export interface TextLine {
  text: string;
  /** 1-based. */
  line: number;
}

/**
 * Streams the lines of a UTF-8 file one at a time, so memory use follows the longest line rather
 * than the file. Each line is checked for NUL bytes and decoded strictly; a file that grows past
 * `maxBytes` while being read is refused.
 *
 * This splits raw bytes itself instead of using node:readline because readline decodes with
 * replacement characters: invalid UTF-8 would slip through silently, and we want to name its line.
 * Splitting on the byte 0x0A is safe in UTF-8, where that byte never occurs inside a character.
 */
export async function* readLines(path: string, maxBytes: number): AsyncGenerator<TextLine> {
  const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
  let pending: Buffer[] = [];
  let pendingStart = 0; // byte offset of the first pending byte
  let offset = 0; // bytes read so far
  let line = 1;

  const finish = (bytes: Buffer, start: number): TextLine => {
    const body = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.subarray(0, -1) : bytes;
    const nul = body.indexOf(0);
    if (nul !== -1) {
      throw new ImportInputError(path, `looks like a binary file, not text (NUL byte at byte offset ${start + nul})`, line);
    }
    return { text: decodeText(path, body, { line, offset: start }), line };
  };

  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      offset += chunk.length;
      if (offset > maxBytes) throw tooLarge(path, offset, maxBytes);
      let from = 0;
      let newline = chunk.indexOf(0x0a, from);
      while (newline !== -1) {
        const piece = chunk.subarray(from, newline);
        const bytes = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
        const start = pending.length === 0 ? offset - chunk.length + from : pendingStart;
        pending = [];
        yield finish(bytes, start);
        line += 1;
        from = newline + 1;
        newline = chunk.indexOf(0x0a, from);
      }
      if (from < chunk.length) {
        if (pending.length === 0) pendingStart = offset - chunk.length + from;
        pending.push(chunk.subarray(from));
      }
    }
  } catch (error) {
    if (error instanceof ImportInputError) throw error;
    throw new ImportInputError(path, `cannot read the file: ${osReason(error)}`, line);
  } finally {
    stream.destroy();
  }
  if (pending.length > 0) yield finish(Buffer.concat(pending), pendingStart);
}
