import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { binaryReason, decodeText } from './decodeText';
import { EXTENSIONS, FORMATS } from './formats';
import { inspectFile, osReason, peekHead, tooLarge } from './inspectFile';
import { normaliseLanguageTag } from './normaliseLanguageTag';
import { IMPORT_FORMATS, ImportInputError, type ImportFormat, type ParsedArticle, type ParseFileOptions } from './types';

/** The default for {@link ParseFileOptions.maxBytes}. */
export const DEFAULT_MAX_BYTES = 1_000_000;

const EXPECTED_EXTENSIONS = `expected one of ${Object.keys(EXTENSIONS).join(', ')}`;

/**
 * Picks the format of a file from its extension, corrected by what its first bytes look like:
 * content with an `<xliff>` root is XLIFF whatever the extension; JSON content is NDJSON when its
 * first line is a complete object and another object line follows, and JSON otherwise. Plain text
 * and Markdown are never guessed from content, as any text could be either.
 *
 * @param path the file's path; only its extension is used
 * @param head the first bytes of the file (64 KiB is plenty)
 * @throws ImportInputError when the extension is missing or not one the importer knows
 */
export function detectFormat(path: string, head: Buffer): ImportFormat {
  const extension = extname(path).toLowerCase();
  const byExtension = EXTENSIONS[extension];
  // XLIFF is told by its root element, whatever the name (.txlf, .xml, no extension …).
  if (!byExtension && sniffFormat(head) === 'xliff') return 'xliff';
  if (!byExtension) {
    throw new ImportInputError(
      path,
      extension ? `unknown extension "${extension}"; ${EXPECTED_EXTENSIONS}` : `has no file extension; ${EXPECTED_EXTENSIONS}`,
    );
  }
  const sniffed = sniffFormat(head);
  if (sniffed === 'json or ndjson') return byExtension === 'json' || byExtension === 'ndjson' ? byExtension : 'json';
  return sniffed ?? byExtension;
}

/** What the content alone says; 'json or ndjson' is one complete object on a single line. */
function sniffFormat(head: Buffer): ImportFormat | 'json or ndjson' | undefined {
  // Non-fatal decoding: the head may end inside a character, and real validation comes later.
  const text = new TextDecoder('utf-8').decode(head).replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('<')) return /<(?:[\w.-]+:)?xliff[\s>]/.test(text) ? 'xliff' : undefined;
  if (/^\[\s*[{\]]/.test(text)) return 'json';
  if (!text.startsWith('{')) return undefined;
  const [firstLine, ...rest] = text.split(/\r?\n/);
  // No line break in the head means the first line may be cut off; the extension then decides.
  if (rest.length === 0 && !isJsonObject(firstLine)) return undefined;
  if (!isJsonObject(firstLine)) return /^\{\s*("|$)/.test(firstLine) ? 'json' : undefined;
  const next = rest.find((line) => line.trim() !== '');
  if (next === undefined) return 'json or ndjson';
  return next.trim().startsWith('{') ? 'ndjson' : 'json';
}

function isJsonObject(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * Reads one import file and yields its articles in file order, validated and normalised.
 *
 * Before parsing it refuses, with an {@link ImportInputError} saying why: a path that cannot be
 * read or is not a regular file, a file over `maxBytes`, an empty or whitespace-only file, a binary
 * file, invalid UTF-8 (naming the line of the first bad byte) and an unknown extension (unless
 * `format` is given). A UTF-8 BOM is ignored. NDJSON is streamed line by line; the other formats
 * are read whole (they are at most `maxBytes`). An article that does not name its languages gets
 * `sourceLang`/`targetLang` from the options. The same externalId twice in one file is refused.
 *
 * Errors may come after some articles have been yielded: callers should treat a file as one unit
 * and discard what they got from it when iteration throws.
 *
 * @throws RangeError for invalid options (a bad language tag or maxBytes)
 */
export async function* parseFile(path: string, opts: ParseFileOptions = {}): AsyncGenerator<ParsedArticle> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) throw new RangeError(`maxBytes must be a positive integer, got ${maxBytes}`);
  const defaults = {
    sourceLang: optionLanguage('sourceLang', opts.sourceLang),
    targetLang: optionLanguage('targetLang', opts.targetLang),
  };
  const requested = opts.format ?? 'auto';
  if (requested !== 'auto' && !IMPORT_FORMATS.includes(requested)) {
    throw new RangeError(`format must be "auto" or one of ${IMPORT_FORMATS.join(', ')}, got "${String(requested)}"`);
  }
  const byExtension = requested === 'auto' ? EXTENSIONS[extname(path).toLowerCase()] : undefined;
  // An unknown extension is refused before any other check, as the most useful thing to say,
  // unless the content is XLIFF.
  if (requested === 'auto' && !byExtension) detectFormat(path, await peekHead(path));

  const { head } = await inspectFile(path, maxBytes);
  const format = requested === 'auto' ? detectFormat(path, head) : requested;
  const formatNote =
    requested !== 'auto' || format === byExtension
      ? undefined
      : byExtension
        ? `read as ${format} because of its content, although the extension says ${byExtension}`
        : `read as ${format} because of its content`;

  const externalIds = new Map<string, number | undefined>();
  const finish = (article: ParsedArticle): ParsedArticle => {
    if (article.externalId !== undefined) {
      const line = article.location.line;
      if (externalIds.has(article.externalId)) {
        const earlier = externalIds.get(article.externalId);
        throw new ImportInputError(
          path,
          `duplicate externalId "${article.externalId}"${earlier === undefined ? '' : ` (first used at line ${earlier})`}`,
          line,
          'externalId',
        );
      }
      externalIds.set(article.externalId, line);
    }
    return {
      ...article,
      ...(article.sourceLang === undefined && defaults.sourceLang ? { sourceLang: defaults.sourceLang } : {}),
      ...(article.targetLang === undefined && defaults.targetLang ? { targetLang: defaults.targetLang } : {}),
      notes: formatNote ? [formatNote, ...article.notes] : article.notes,
    };
  };

  const reader = FORMATS[format].reader;
  if (reader.kind === 'stream') {
    for await (const article of reader.parse(path, maxBytes)) yield finish(article);
    return;
  }
  const articles = await reader.parse(await readWholeText(path, maxBytes), path);
  for (const article of articles) yield finish(article);
}

async function readWholeText(path: string, maxBytes: number): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new ImportInputError(path, `cannot read the file: ${osReason(error)}`);
  }
  // The file may have changed since it was inspected.
  if (bytes.length > maxBytes) throw tooLarge(path, bytes.length, maxBytes);
  const binary = binaryReason(bytes);
  if (binary) throw new ImportInputError(path, binary);
  const text = decodeText(path, bytes);
  if (text.trim() === '') throw new ImportInputError(path, 'contains only whitespace');
  return text;
}

function optionLanguage(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const tag = normaliseLanguageTag(value);
  if (!tag) throw new RangeError(`${name} must be a language tag such as "zh" or "en-GB", got "${value}"`);
  return tag;
}
