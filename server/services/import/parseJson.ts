import { isExportManifest } from '../export/manifest';
import { articleFromJson } from './articleFromJson';
import { ImportInputError, type ParsedArticle } from './types';

/**
 * Parses a JSON file holding one article object or an array of them (see {@link articleFromJson}
 * for the shape). Items of an array are located by their index (`[3]`) and starting line.
 *
 * @param text the file's content, already decoded and without a BOM
 * @param file the name used in locations and error messages
 * @throws ImportInputError for malformed JSON (with line and column when V8 reports a position),
 *   a top level that is neither an object nor an array, an empty array, or an invalid article
 */
export function parseJson(text: string, file: string): ParsedArticle[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw malformedJson(file, text, error);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) throw new ImportInputError(file, 'contains an empty array; there are no articles to import');
    const lines = arrayItemLines(text);
    return value.map((item, index) =>
      articleFromJson(item, { file, line: lines[index], index, fieldPrefix: `[${index}]` }),
    );
  }
  if (isExportManifest(value)) {
    throw new ImportInputError(file, 'is a Copydesk export manifest (the list of an export folder’s files), not an article; importing the folder skips it');
  }
  if (value === null || typeof value !== 'object') {
    throw new ImportInputError(file, 'expected an article object or an array of article objects at the top level');
  }
  return [articleFromJson(value, { file, line: lineAt(text, text.search(/\S/)), index: 0 })];
}

/**
 * Turns a JSON.parse SyntaxError into an {@link ImportInputError}. V8 puts the offending offset in
 * its message ("... in JSON at position 42") for most errors; that offset becomes a line and column.
 * `lineOfText` is given for NDJSON, where `text` is that one line of the file.
 */
export function malformedJson(file: string, text: string, error: unknown, lineOfText?: number): ImportInputError {
  const firstLine = lineOfText ?? 1;
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message);
  // "Unexpected token 'x', "<the whole input>" is not valid JSON": the input is noise in a report.
  // A longer input is quoted as `..."<10 characters before>x<up to 10 after>"...`, without a position.
  let reason = message
    .replace(/^(Unexpected token .+?), (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '$1')
    .replace(/\s*in JSON at position \d+.*$/s, '')
    .replace(/\s*\(line \d+ column \d+\)$/, '');
  const end = text.trimEnd().length;
  const offset = position ? Number(position[1]) : offsetOfQuotedContext(text, message);
  // V8 reports a cut-off input either as "Unexpected end" or as an error positioned at the very end.
  if (/Unexpected end of JSON input/.test(message) || (offset !== undefined && offset >= end)) {
    if (offset === undefined) reason = 'an object, array or string is left open';
    return new ImportInputError(file, `malformed JSON: the input ends too early: ${reason}`, firstLine + lineAt(text, end) - 1);
  }
  if (offset !== undefined) {
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    return new ImportInputError(
      file,
      `malformed JSON: ${reason} (column ${offset - lineStart + 1})`,
      firstLine + lineAt(text, offset) - 1,
    );
  }
  return new ImportInputError(file, `malformed JSON: ${reason}`, lineOfText);
}

/**
 * V8 reports some errors without a position but quotes the input around the bad token: after a
 * leading `...` there are exactly 10 characters before the token. When that quote occurs once in
 * the text, it gives the token's offset.
 */
function offsetOfQuotedContext(text: string, message: string): number | undefined {
  const quoted = /^Unexpected token .+?, \.\.\."(.*)"(?:\.\.\.)? is not valid JSON$/s.exec(message);
  if (!quoted) return undefined;
  const at = text.indexOf(quoted[1]);
  if (at === -1 || text.indexOf(quoted[1], at + 1) !== -1) return undefined;
  return at + 10;
}

/** 1-based line of a character offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
}

/** Starting line of each item of a top-level JSON array, in one pass over text that is known to be valid JSON. */
function arrayItemLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let awaitingItem = false;
  for (const c of text) {
    if (c === '\n') line += 1;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') continue;
    if (depth === 1 && awaitingItem && c !== ']') {
      lines.push(line);
      awaitingItem = false;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') depth += 1;
    else if (c === ']' || c === '}') depth -= 1;
    if (c === ',' && depth === 1) awaitingItem = true;
    else if (c === '[' && depth === 1) awaitingItem = true;
  }
  return lines;
}
