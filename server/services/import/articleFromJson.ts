import { z } from 'zod';
import { CODE_BASE, CODE_LIMIT, type InlineCode } from '../../../shared/inlineCodes';
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

// A source may lack some paragraphs: null keeps the others aligned.
const sourceParagraphList = z
  .array(nonEmptyString.nullable(), { error: typeError('an array of strings (null where a paragraph has no source)') })
  .min(1, { error: 'expected at least one paragraph' });

const languageTag = nonEmptyString.refine((s) => normaliseLanguageTag(s) !== undefined, { error: LANGUAGE_TAG_HINT });

const SourceSchema = z.strictObject(
  {
    title: nonEmptyString.optional(),
    paragraphs: sourceParagraphList.optional(),
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

const CodeSchema = z.strictObject({
  id: z.string(),
  kind: z.enum(['open', 'close', 'standalone']),
  element: z.string().min(1),
  family: z.enum(['1', '2']),
  xml: z.string().min(1),
  label: z.string(),
  pair: z.number().int().nonnegative().optional(),
});

/**
 * What only Copydesk's own JSON export writes besides the article: the provenance of the
 * approved revision (ignored on re-import) and the inline-code table of each paragraph.
 */
const ExportExtrasSchema = z.object({
  id: z.number().int().positive(),
  revision: z.object({ id: z.number().int().positive(), number: z.number().int().positive() }),
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  codes: z.array(z.array(CodeSchema).nullable()).optional(),
});
const EXPORT_ONLY_KEYS = Object.keys(ExportExtrasSchema.shape);
// Fields the export writes as null when the article has none.
const NULLABLE_IN_EXPORT = ['externalId', 'publishedAt', 'sourceLang', 'targetLang'];

/** A Copydesk JSON export is recognised by its `revision` and `approvedBy` keys. */
function isCopydeskExport(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'revision' in value && 'approvedBy' in value;
}

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

  // A Copydesk export: its extras are checked here, then the article is read like any other.
  let codes: (InlineCode[] | null)[] | undefined;
  if (isCopydeskExport(value)) {
    const extras = ExportExtrasSchema.safeParse(value);
    if (!extras.success) {
      const issue = extras.error.issues[0];
      fail(`${issue.message} (in a Copydesk export)`, issue.path.map(String).join('.'));
    }
    codes = extras.data?.codes;
    const rest: Record<string, unknown> = { ...value };
    for (const key of EXPORT_ONLY_KEYS) delete rest[key];
    for (const key of NULLABLE_IN_EXPORT) if (rest[key] === null) delete rest[key];
    value = rest;
  }

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
  // The MT schema allows no null; the check only narrows the type.
  const paragraphs = readParagraphs(data, normaliser, 'paragraph', '', fail)?.map((p, n) => p ?? fail('expected a non-empty string', `paragraphs.${n}`));
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

  if (codes) checkCodes(codes, paragraphs, source?.paragraphs, fail);
  const externalId = data.externalId?.trim();
  return {
    ...(externalId ? { externalId } : {}),
    title,
    paragraphs,
    ...(source ? { source } : {}),
    ...(codes && codes.some((c) => c !== null) ? { details: codes.map((c) => ({ codes: c, meta: null })) } : {}),
    ...(data.sourceLang ? { sourceLang: normaliseLanguageTag(data.sourceLang) } : {}),
    ...(data.targetLang ? { targetLang: normaliseLanguageTag(data.targetLang) } : {}),
    ...(data.publishedAt ? { publishedAt: parseDate(data.publishedAt, 'iso') } : {}),
    metadata: data.metadata ?? {},
    location: { file: at.file, ...(at.line !== undefined ? { line: at.line } : {}), index: at.index },
    notes: normaliser.notes(),
  };
}

/**
 * The code tables of a Copydesk export must match its text: one entry per paragraph, and every
 * code character (U+E100 + k) of a paragraph and its source pointing into that paragraph's table.
 */
function checkCodes(
  codes: readonly (InlineCode[] | null)[],
  paragraphs: readonly string[],
  sources: readonly (string | null)[] | undefined,
  fail: (reason: string, field?: string) => never,
): void {
  if (codes.length !== paragraphs.length) fail(`has ${codes.length} entries but there are ${paragraphs.length} paragraphs`, 'codes');
  paragraphs.forEach((text, n) => {
    const size = codes[n]?.length ?? 0;
    for (const t of [text, sources?.[n] ?? '']) {
      for (const ch of t) {
        const k = ch.charCodeAt(0) - CODE_BASE;
        if (k >= 0 && k < CODE_LIMIT && k >= size) fail(`contains the code character U+${ch.charCodeAt(0).toString(16).toUpperCase()}, which codes.${n} does not define`, `paragraphs.${n}`);
      }
    }
  });
}

/** Paragraphs from `paragraphs` or `body` (exactly one may be given); undefined when neither is. */
function readParagraphs(
  holder: { paragraphs?: (string | null)[]; body?: string },
  normaliser: TextNormaliser,
  kind: 'paragraph' | 'source paragraph',
  fieldPrefix: string,
  fail: (reason: string, field?: string) => never,
): (string | null)[] | undefined {
  if (holder.paragraphs !== undefined && holder.body !== undefined) {
    fail('give either "paragraphs" or "body", not both', `${fieldPrefix}body`);
  }
  if (holder.paragraphs !== undefined) {
    return holder.paragraphs.map((raw, n) => {
      if (raw === null) return null;
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
