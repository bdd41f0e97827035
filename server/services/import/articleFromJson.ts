import { z } from 'zod';
import { LANGUAGE_TAG_HINT, normaliseLanguageTag } from './normaliseLanguageTag';
import { parseDate } from './parseDate';
import { suggestKey } from './suggestKey';
import { splitParagraphs, TextNormaliser } from './TextNormaliser';
import { ImportInputError, type ParsedArticle } from './types';

const DATE_HINT = 'expected an ISO date such as 2023-04-02 or a date-time with a time zone such as 2023-04-02T08:00:00Z';

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function typeError(expected: string): (issue: { input?: unknown }) => string {
  return (issue) =>
    issue.input === undefined ? `is required; expected ${expected}` : `expected ${expected}, got ${describe(issue.input)}`;
}

const nonEmptyString = z
  .string({ error: typeError('a non-empty string') })
  .refine((s) => s.trim().length > 0, { error: 'expected a non-empty string' });

const paragraphList = z
  .array(nonEmptyString, { error: typeError('an array of strings') })
  .min(1, { error: 'expected at least one paragraph' });

const languageTag = nonEmptyString.refine((s) => normaliseLanguageTag(s) !== undefined, { error: LANGUAGE_TAG_HINT });

const SourceSchema = z.strictObject(
  {
    title: nonEmptyString.optional(),
    paragraphs: paragraphList.optional(),
    body: nonEmptyString.optional(),
  },
  { error: typeError('an object with title, paragraphs or body') },
);

const ArticleSchema = z.strictObject(
  {
    externalId: nonEmptyString.optional(),
    title: nonEmptyString,
    paragraphs: paragraphList.optional(),
    body: nonEmptyString.optional(),
    source: SourceSchema.optional(),
    sourceLang: languageTag.optional(),
    targetLang: languageTag.optional(),
    publishedAt: nonEmptyString.refine((s) => parseDate(s, 'iso') !== undefined, { error: DATE_HINT }).optional(),
    metadata: z.record(z.string(), z.unknown(), { error: typeError('an object') }).optional(),
  },
  { error: typeError('an article object') },
);

/** The article shape accepted in JSON and NDJSON files, before normalisation. */
export type JsonArticle = z.infer<typeof ArticleSchema>;

/** Where a JSON value sits in its file, for locations and error messages. */
export interface JsonPosition {
  file: string;
  /** 1-based line where the article starts, when known. */
  line?: number;
  /** 0-based position of the article in the file. */
  index: number;
  /** Prefix for field paths, e.g. '[3]' for the fourth item of a top-level array. */
  fieldPrefix?: string;
}

/**
 * Validates one decoded JSON value against the article shape (`{ externalId?, title, paragraphs? |
 * body?, source?: { title?, paragraphs? | body? }, sourceLang?, targetLang?, publishedAt?, metadata? }`,
 * unknown keys refused) and turns it into a normalised {@link ParsedArticle}. `body` is split into
 * paragraphs on blank lines; source paragraphs must align one to one with the MT paragraphs.
 *
 * @throws ImportInputError naming the line and the field path (e.g. `[3].paragraphs.2`)
 */
export function articleFromJson(value: unknown, at: JsonPosition): ParsedArticle {
  const fail = (reason: string, field?: string): never => {
    const path = [at.fieldPrefix, field].filter(Boolean).join('.');
    throw new ImportInputError(at.file, reason, at.line, path || undefined);
  };

  const result = ArticleSchema.safeParse(value);
  if (!result.success) {
    // An unknown key is usually a typo that also makes a required key "missing"; report the typo.
    const issues = [...result.error.issues].sort(
      (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
    );
    const [first] = issues;
    const more = issues.length > 1 ? ` (${issues.length - 1} more problem${issues.length === 2 ? '' : 's'} in this article)` : '';
    const path = first.path.map(String);
    if (first.code === 'unrecognized_keys') {
      const allowed = Object.keys(path.length === 0 ? ArticleSchema.shape : SourceSchema.shape);
      const [key, ...others] = first.keys;
      const also = others.length > 0 ? ` (also unknown: ${others.map((k) => `"${k}"`).join(', ')})` : '';
      fail(`unknown key${suggestKey(key, allowed)}; allowed keys are ${allowed.join(', ')}${also}${more}`, [...path, key].join('.'));
    }
    fail(`${first.message}${more}`, path.join('.') || undefined);
  }
  const data = result.data as JsonArticle;

  const normaliser = new TextNormaliser();
  const title = normaliser.normalise(data.title, 'title');
  if (!title) fail('expected a non-empty string', 'title');
  const paragraphs = readParagraphs(data, normaliser, 'paragraph', '', fail);
  if (!paragraphs) {
    return fail('is required; give "paragraphs" (an array of strings) or "body" (text with blank lines between paragraphs)', 'paragraphs');
  }

  let source: ParsedArticle['source'];
  if (data.source) {
    const sourceTitle = data.source.title === undefined ? undefined : normaliser.normalise(data.source.title, 'source title');
    if (sourceTitle === '') fail('expected a non-empty string', 'source.title');
    const sourceParagraphs = readParagraphs(data.source, normaliser, 'source paragraph', 'source.', fail);
    if (sourceTitle === undefined && sourceParagraphs === undefined) fail('expected title, paragraphs or body', 'source');
    if (sourceParagraphs && sourceParagraphs.length !== paragraphs.length) {
      fail(
        `has ${sourceParagraphs.length} paragraph${sourceParagraphs.length === 1 ? '' : 's'} but the MT text has ${paragraphs.length}; source and MT paragraphs must align one to one`,
        data.source.paragraphs ? 'source.paragraphs' : 'source.body',
      );
    }
    source = {
      ...(sourceTitle !== undefined ? { title: sourceTitle } : {}),
      ...(sourceParagraphs ? { paragraphs: sourceParagraphs } : {}),
    };
  }

  const externalId = data.externalId?.trim();
  return {
    ...(externalId ? { externalId } : {}),
    title,
    paragraphs,
    ...(source ? { source } : {}),
    ...(data.sourceLang ? { sourceLang: normaliseLanguageTag(data.sourceLang) } : {}),
    ...(data.targetLang ? { targetLang: normaliseLanguageTag(data.targetLang) } : {}),
    ...(data.publishedAt ? { publishedAt: parseDate(data.publishedAt, 'iso') } : {}),
    metadata: data.metadata ?? {},
    location: { file: at.file, ...(at.line !== undefined ? { line: at.line } : {}), index: at.index },
    notes: normaliser.notes(),
  };
}

/** Paragraphs from `paragraphs` or `body` (exactly one may be given); undefined when neither is. */
function readParagraphs(
  holder: { paragraphs?: string[]; body?: string },
  normaliser: TextNormaliser,
  kind: 'paragraph' | 'source paragraph',
  fieldPrefix: string,
  fail: (reason: string, field?: string) => never,
): string[] | undefined {
  if (holder.paragraphs !== undefined && holder.body !== undefined) {
    fail('give either "paragraphs" or "body", not both', `${fieldPrefix}body`);
  }
  if (holder.paragraphs !== undefined) {
    return holder.paragraphs.map((raw, n) => {
      const text = normaliser.normalise(raw, kind);
      if (!text) fail('expected a non-empty string', `${fieldPrefix}paragraphs.${n}`);
      return text;
    });
  }
  if (holder.body !== undefined) {
    const blocks = splitParagraphs(holder.body).map((block) => normaliser.normalise(block, kind)).filter(Boolean);
    if (blocks.length === 0) fail('expected text with at least one paragraph', `${fieldPrefix}body`);
    return blocks;
  }
  return undefined;
}
