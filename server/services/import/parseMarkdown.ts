import { unescapeMarkdown } from '../export/markdownEscape';
import { LANGUAGE_TAG_HINT, normaliseLanguageTag } from './normaliseLanguageTag';
import { parseDate } from './parseDate';
import { suggestKey } from './suggestKey';
import { TextNormaliser } from './TextNormaliser';
import { ImportInputError, type ParsedArticle } from './types';

type FrontMatterField = 'externalId' | 'sourceLang' | 'targetLang' | 'publishedAt';

// Front-matter keys and the field each one sets; 'id' and 'date' are the spellings other tools use.
const FRONT_MATTER_KEYS: Record<string, FrontMatterField> = {
  externalId: 'externalId',
  id: 'externalId',
  sourceLang: 'sourceLang',
  targetLang: 'targetLang',
  publishedAt: 'publishedAt',
  date: 'publishedAt',
};

// Front-matter keys only Copydesk's own Markdown export writes: provenance of the
// approved revision, which a re-import does not need. `revision` has indented
// `number:` and `id:` lines under it.
const EXPORT_PROVENANCE_KEYS = new Set(['revision', 'approver', 'approvedAt']);

/**
 * Parses a Markdown article: optional front matter between `---` lines at the very top holding
 * simple `key: value` pairs (externalId or id, sourceLang, targetLang, publishedAt or date), then a
 * `# Title` heading as the first non-empty line, then paragraphs separated by blank lines. Other
 * Markdown is not interpreted: paragraph text is kept as written, apart from whitespace.
 *
 * A Copydesk Markdown export (its front matter has a `revision:` entry) is read back as the
 * article it came from: `id` is then Copydesk's article id, not the externalId, and is ignored
 * like the other provenance keys; values are JSON scalars (`null` means none); and the escaping
 * of the export (backslashes, character references) is undone in the title and paragraphs.
 *
 * @param text the file's content, already decoded and without a BOM
 * @param file the name used in locations and error messages
 * @throws ImportInputError naming the line of a bad front-matter entry or a missing heading
 */
export function parseMarkdown(text: string, file: string): ParsedArticle {
  const lines = text.split(/\r\n|\r|\n/);
  const article: Partial<Pick<ParsedArticle, FrontMatterField>> = {};
  let i = 0;
  let copydeskExport = false;

  if (lines[0]?.trim() === '---') {
    // Look for the end first: without it every later line would be misreported as a bad entry.
    const end = lines.findIndex((line, n) => n > 0 && line.trim() === '---');
    if (end === -1) {
      throw new ImportInputError(file, 'the front matter that starts here is never closed by a "---" line', 1);
    }
    const seen = new Map<FrontMatterField, string>();
    copydeskExport = lines.slice(1, end).some((line) => /^revision[ \t]*:[ \t]*$/.test(line));
    for (i = 1; i < end; i++) {
      const line = lines[i].trim();
      if (line === '' || line.startsWith('#')) continue;
      if (copydeskExport && /^[ \t]/.test(lines[i]) && /^(?:number|id)\s*:\s*\d+$/.test(line)) continue;
      const entry = /^([A-Za-z][\w-]*)\s*:\s*(.*)$/.exec(line);
      if (!entry) throw new ImportInputError(file, `expected "key: value" in the front matter, found "${line}"`, i + 1);
      const [, key, rawValue] = entry;
      if (copydeskExport && (EXPORT_PROVENANCE_KEYS.has(key) || key === 'id')) continue;
      const field = FRONT_MATTER_KEYS[key];
      if (!field) {
        const hint = suggestKey(key, Object.keys(FRONT_MATTER_KEYS));
        throw new ImportInputError(
          file,
          `unknown front-matter key${hint}; expected one of ${Object.keys(FRONT_MATTER_KEYS).join(', ')}`,
          i + 1,
          key,
        );
      }
      if (seen.has(field)) {
        throw new ImportInputError(file, `${field} is already set by "${seen.get(field)}:" above`, i + 1, key);
      }
      seen.set(field, key);
      if (copydeskExport && rawValue.trim() === 'null') continue;
      const value = copydeskExport ? jsonScalar(rawValue.trim()) : unquote(rawValue.trim());
      if (!value) throw new ImportInputError(file, 'has no value', i + 1, key);
      setFrontMatterField(article, field, value, file, i + 1, key);
    }
    i = end + 1;
  }

  while (i < lines.length && lines[i].trim() === '') i++;
  if (i >= lines.length) throw new ImportInputError(file, 'has no "# Title" heading');
  const titleLine = i + 1;
  const heading = /^#[ \t]+(.*?)(?:[ \t]+#+)?$/.exec(lines[i].trim());
  const normaliser = new TextNormaliser();
  const readText = (raw: string): string => (copydeskExport ? unescapeMarkdown(raw) : raw);
  const title = heading ? normaliser.normalise(readText(heading[1]), 'title') : '';
  if (!title) {
    throw new ImportInputError(
      file,
      `expected a "# Title" heading (a "#", a space, then the title) as the first non-empty line, found "${lines[i].trim()}"`,
      titleLine,
    );
  }

  const paragraphs: string[] = [];
  let current: string[] = [];
  const flush = (): void => {
    if (current.length > 0) paragraphs.push(normaliser.normalise(readText(current.join('\n')), 'paragraph'));
    current = [];
  };
  for (i += 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') flush();
    else current.push(line);
  }
  flush();
  if (paragraphs.length === 0) throw new ImportInputError(file, 'has a title but no paragraphs', titleLine);

  return {
    ...article,
    title,
    paragraphs,
    metadata: {},
    location: { file, line: titleLine, index: 0 },
    notes: normaliser.notes(),
  };
}

function setFrontMatterField(
  article: Partial<Pick<ParsedArticle, FrontMatterField>>,
  field: FrontMatterField,
  value: string,
  file: string,
  line: number,
  key: string,
): void {
  if (field === 'externalId') {
    article.externalId = value;
  } else if (field === 'publishedAt') {
    const date = parseDate(value, 'iso');
    if (!date) {
      throw new ImportInputError(
        file,
        `expected an ISO date such as 2023-04-02 or a date-time with a time zone such as 2023-04-02T08:00:00Z, found "${value}"`,
        line,
        key,
      );
    }
    article.publishedAt = date;
  } else {
    const tag = normaliseLanguageTag(value);
    if (!tag) throw new ImportInputError(file, `${LANGUAGE_TAG_HINT}, found "${value}"`, line, key);
    article[field] = tag;
  }
}

/** A front-matter value of a Copydesk export: a JSON string (any escapes) or a bare scalar. */
function jsonScalar(value: string): string {
  if (!value.startsWith('"')) return value;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'string' ? parsed.trim() : value;
  } catch {
    return unquote(value);
  }
}

function unquote(value: string): string {
  const quoted = /^(["'])(.*)\1$/.exec(value);
  return (quoted ? quoted[2] : value).trim();
}
