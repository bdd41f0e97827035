import { parseDate } from './parseDate';
import { TextNormaliser } from './TextNormaliser';
import { ImportInputError, type ParsedArticle } from './types';

// " date 2023-04-02 Home News <title>": the page breadcrumb that MT feeds put above the title.
const BREADCRUMB = /^date\s+(\d{4}-\d{2}-\d{2})(?:\s+(.*))?$/i;

// The "Key: value" lines a feed may put right under the title. Only these keys are recognised so
// that an ordinary first paragraph containing a colon is never mistaken for metadata.
const METADATA_KEYS: Record<string, string> = {
  'release time': 'releaseTime',
  source: 'source',
  author: 'author',
  editor: 'editor',
  'publication date': 'publicationDate',
};
const DATE_KEYS = new Set(['releaseTime', 'publicationDate']);
// Full-width colons are common because the feeds are machine-translated from Chinese pages.
const METADATA_KEY_NAMES = '(release time|source|author|editor|publication date)\\s*[:：]';

/**
 * Parses a news-feed plain-text article: an optional `date YYYY-MM-DD Section Path [Title]`
 * breadcrumb line, the title line, optional `Key: value` metadata lines (release time, source,
 * author, editor, publication date; several may share one line), then paragraphs separated by
 * blank lines. Lines are trimmed; the lines of one paragraph are joined with a space.
 *
 * @param text the file's content, already decoded and without a BOM
 * @param file the name used in locations and error messages
 * @throws ImportInputError when there is no title, no paragraph, or a breadcrumb with an impossible date
 */
export function parseFeed(text: string, file: string): ParsedArticle {
  const lines = text.split(/\r\n|\r|\n/).map((line) => line.trim());
  const normaliser = new TextNormaliser();
  const metadata: Record<string, unknown> = {};
  const notes: string[] = [];
  let publishedAt: Date | undefined;
  let i = skipBlank(lines, 0);
  if (i >= lines.length) throw new ImportInputError(file, 'contains no text');

  let breadcrumbRest: string | undefined;
  const breadcrumb = BREADCRUMB.exec(lines[i]);
  if (breadcrumb) {
    const breadcrumbLine = i + 1;
    publishedAt = parseDate(breadcrumb[1], 'iso');
    if (!publishedAt) {
      throw new ImportInputError(file, `the breadcrumb date "${breadcrumb[1]}" is not a real date`, breadcrumbLine);
    }
    breadcrumbRest = (breadcrumb[2] ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();
    i = skipBlank(lines, i + 1);
    if (i >= lines.length) throw new ImportInputError(file, 'has a breadcrumb line but no title', breadcrumbLine);
  }

  const titleLine = i + 1;
  const title = normaliser.normalise(lines[i], 'title');
  // A line of only control or zero-width characters is not blank to skipBlank but normalises to nothing.
  if (!title) throw new ImportInputError(file, 'the title line has no visible text', titleLine);
  if (breadcrumbRest !== undefined) {
    const crumbs = stripRepeatedTitle(breadcrumbRest, title);
    if (crumbs) metadata.breadcrumb = crumbs;
  }

  // Metadata lines directly under the title (blank lines between them are allowed).
  i = skipBlank(lines, i + 1);
  while (i < lines.length && startsWithMetadataKey(lines[i])) {
    for (const [key, value] of splitMetadata(lines[i])) {
      if (!value) {
        notes.push(`ignored an empty "${labelOf(key)}:" line`);
        continue;
      }
      if (key in metadata) {
        notes.push(`kept the first ${labelOf(key)} and ignored a second one ("${value}")`);
        continue;
      }
      metadata[key] = value;
      if (!DATE_KEYS.has(key)) continue;
      const date = parseDate(value, 'loose');
      if (!date) notes.push(`could not read ${labelOf(key)} "${value}" as a date`);
      else if (!publishedAt) publishedAt = date;
      else if (date.getTime() !== publishedAt.getTime()) {
        notes.push(`${labelOf(key)} "${value}" differs from the date already read (${isoDay(publishedAt)}); kept ${isoDay(publishedAt)}`);
      }
    }
    i = skipBlank(lines, i + 1);
  }

  const paragraphs: string[] = [];
  let current: string[] = [];
  const flush = (): void => {
    if (current.length === 0) return;
    const paragraph = normaliser.normalise(current.join('\n'), 'paragraph');
    if (paragraph) paragraphs.push(paragraph);
    current = [];
  };
  for (; i < lines.length; i++) {
    if (lines[i] === '') flush();
    else current.push(lines[i]);
  }
  flush();
  if (paragraphs.length === 0) throw new ImportInputError(file, 'has a title but no paragraphs', titleLine);

  return {
    title,
    paragraphs,
    ...(publishedAt ? { publishedAt } : {}),
    metadata,
    location: { file, line: titleLine, index: 0 },
    notes: [...normaliser.notes(), ...notes],
  };
}

function skipBlank(lines: string[], from: number): number {
  let i = from;
  while (i < lines.length && lines[i] === '') i++;
  return i;
}

function startsWithMetadataKey(line: string): boolean {
  return new RegExp(`^${METADATA_KEY_NAMES}`, 'i').test(line);
}

/** "Release time: 2023-04-02 Source: Xinhua" → [['releaseTime', '2023-04-02'], ['source', 'Xinhua']]. */
function splitMetadata(line: string): Array<[string, string]> {
  const found = [...line.matchAll(new RegExp(`(?<![A-Za-z])${METADATA_KEY_NAMES}`, 'gi'))];
  return found.map((match, n) => {
    const end = n + 1 < found.length ? found[n + 1].index : line.length;
    const key = METADATA_KEYS[match[1].toLowerCase()];
    const value = line.slice(match.index + match[0].length, end).normalize('NFC').replace(/\s+/g, ' ').trim();
    return [key, value];
  });
}

function labelOf(key: string): string {
  return Object.entries(METADATA_KEYS).find(([, camel]) => camel === key)?.[0] ?? key;
}

/** Breadcrumbs often end with the title repeated; what is left is the section path ("Home News"). */
function stripRepeatedTitle(crumbs: string, title: string): string {
  if (crumbs === title) return '';
  if (!crumbs.endsWith(title)) return crumbs;
  return crumbs.slice(0, -title.length).replace(/[\s>»›/|-]+$/u, '').trim();
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
