import { ImportInputError, type ParsedArticle } from './types';

/** The workflow statuses an article can have (mirrors the ArticleStatus enum of the schema). */
export type KnownStatus = 'mt_draft' | 'in_edit' | 'in_review' | 'changes_requested' | 'approved' | 'exported' | 'archived';

/** What the importer knows about an article that already exists (or, in a dry run, would exist). */
export interface KnownArticle {
  /** Null for an article a dry run would have created earlier in the same run. */
  id: number | null;
  externalId: string | null;
  contentHash: string;
  status: KnownStatus;
  /** True when any revision other than the system's import / mt_update revisions exists. */
  edited: boolean;
  revisionCount: number;
  /** Where a would-be article of a dry run came from, e.g. `feed.ndjson:3`. */
  origin?: string;
}

/** What to do with one incoming article. */
export type Decision =
  | { action: 'import' }
  | { action: 'skip'; articleId: number | null; reason: string }
  | { action: 'update'; articleId: number | null }
  | { action: 'conflict'; articleId: number | null; reason: string };

/** The outcome names used in reports and progress. */
export type Outcome = 'imported' | 'updated' | 'skipped' | 'conflict';

export const OUTCOME_OF: Readonly<Record<Decision['action'], Outcome>> = Object.freeze({
  import: 'imported',
  update: 'updated',
  skip: 'skipped',
  conflict: 'conflict',
});

function describe(a: KnownArticle): string {
  const name = a.id === null ? `the article from ${a.origin ?? 'earlier in this run'}` : `article #${a.id}`;
  return a.externalId ? `${name} (externalId "${a.externalId}")` : name;
}

/**
 * An article whose text only the system has written: still an MT draft and no editor revision.
 * Only such an article may have its MT text replaced by a new import.
 */
export function isUntouched(a: KnownArticle): boolean {
  return a.status === 'mt_draft' && !a.edited;
}

/** Why a new MT text cannot replace an article's text; undefined when it can. */
export function conflictReason(a: KnownArticle): string | undefined {
  if (isUntouched(a)) return undefined;
  const why = [a.status !== 'mt_draft' ? `its status is ${a.status}` : undefined, a.edited ? 'editors have saved revisions of it' : undefined].filter(Boolean);
  return `${describe(a)} has new MT text in this file, but ${why.join(' and ')}; it was left unchanged`;
}

/**
 * Decides what to do with an incoming article, given the existing article with the same
 * externalId (when the incoming article has one) and the existing article with the same
 * content hash. An article is identified by its externalId when it has one, else by its hash:
 *
 * - same externalId, same text → skip; same externalId, new text → update when untouched,
 *   conflict when edited (or when the new text already belongs to another article, since
 *   content hashes are unique);
 * - no article with the externalId (or no externalId) but the same text exists → skip;
 * - nothing matches → import.
 */
export function classifyArticle(
  incoming: { externalId?: string; contentHash: string },
  byExternalId: KnownArticle | undefined,
  byHash: KnownArticle | undefined,
): Decision {
  if (incoming.externalId !== undefined && byExternalId) {
    const target = byExternalId;
    if (target.contentHash === incoming.contentHash) {
      return { action: 'skip', articleId: target.id, reason: `already imported as ${describe(target)} with the same text` };
    }
    const refused = conflictReason(target);
    if (refused) return { action: 'conflict', articleId: target.id, reason: refused };
    if (byHash && (byHash.id !== target.id || byHash.origin !== target.origin)) {
      return {
        action: 'conflict',
        articleId: target.id,
        reason: `the new MT text for ${describe(target)} is identical to ${describe(byHash)}; it was left unchanged`,
      };
    }
    return { action: 'update', articleId: target.id };
  }
  if (byHash) {
    return {
      action: 'skip',
      articleId: byHash.id,
      reason: `same MT text as ${describe(byHash)}`,
    };
  }
  return { action: 'import' };
}

/** Longest externalId the articles table stores (VARCHAR(256)). */
export const MAX_EXTERNAL_ID = 256;
/** Longest language tag the articles table stores (VARCHAR(16)). */
export const MAX_LANGUAGE_TAG = 16;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// NUL and unpaired surrogates cannot be stored by PostgreSQL (text and JSONB refuse them).
function unstorable(s: string): string | undefined {
  if (s.includes('\u0000')) return 'contains a NUL character';
  if (LONE_SURROGATE.test(s)) return 'contains an unpaired UTF-16 surrogate (broken Unicode escape)';
  return undefined;
}

function checkJson(value: unknown, field: string, fail: (reason: string, field: string) => never): void {
  if (typeof value === 'string') {
    const why = unstorable(value);
    if (why) fail(why, field);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkJson(v, `${field}.${i}`, fail));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const why = unstorable(k);
      if (why) fail(`a key ${why}`, field);
      checkJson(v, `${field}.${k}`, fail);
    }
  }
}

/**
 * Refuses, with an {@link ImportInputError} naming the file, line and field, an article the
 * database could not store as it is: an externalId or language tag longer than its column, or
 * text with NUL characters or unpaired surrogates (possible through JSON `\u` escapes).
 */
export function checkStorable(a: ParsedArticle): void {
  const fail = (reason: string, field: string): never => {
    throw new ImportInputError(a.location.file, reason, a.location.line, field);
  };
  if (a.externalId !== undefined) {
    if ([...a.externalId].length > MAX_EXTERNAL_ID) fail(`is longer than ${MAX_EXTERNAL_ID} characters`, 'externalId');
    const why = unstorable(a.externalId);
    if (why) fail(why, 'externalId');
  }
  for (const field of ['sourceLang', 'targetLang'] as const) {
    const tag = a[field];
    if (tag !== undefined && tag.length > MAX_LANGUAGE_TAG) fail(`"${tag}" is longer than ${MAX_LANGUAGE_TAG} characters`, field);
  }
  checkCodeChars(a, fail);
  checkJson(a.title, 'title', fail);
  checkJson(a.paragraphs, 'paragraphs', fail);
  if (a.source) checkJson(a.source, 'source', fail);
  checkJson(a.metadata, 'metadata', fail);
}

const CODE_CHAR = /[\ue100-\uf7ff]/g;

/**
 * Text may hold the characters U+E100..U+F7FF only as inline codes of its paragraph's code
 * table (shared/inlineCodes.ts); anywhere else such a character would be taken for a code.
 */
function checkCodeChars(a: ParsedArticle, fail: (reason: string, field: string) => never): void {
  const reserved = (c: string) => `contains the private-use character U+${c.charCodeAt(0).toString(16).toUpperCase()}, which Copydesk reserves for inline codes; remove it`;
  const title = a.title.match(CODE_CHAR);
  if (title) fail(reserved(title[0]), 'title');
  const check = (texts: readonly (string | null)[] | undefined, field: string) =>
    texts?.forEach((text, i) => {
      const size = a.details?.[i]?.codes?.length ?? 0;
      for (const c of text?.match(CODE_CHAR) ?? []) if (c.charCodeAt(0) - 0xe100 >= size) fail(reserved(c), `${field}.${i}`);
    });
  check(a.paragraphs, 'paragraphs');
  check(a.source?.paragraphs, 'source.paragraphs');
}

/**
 * Collects the parser's normalisation notes of one file with bounded memory: the first
 * `limit` notes are kept with their line, the rest only counted.
 */
export class NoteCollector {
  private readonly kept: string[] = [];
  private dropped = 0;
  constructor(private readonly limit = 20) {}

  add(a: Pick<ParsedArticle, 'notes' | 'location'>): void {
    for (const note of a.notes) {
      if (this.kept.length < this.limit) {
        const where = a.location.line !== undefined ? `line ${a.location.line}: ` : a.location.index !== undefined && a.location.index > 0 ? `article ${a.location.index + 1}: ` : '';
        this.kept.push(`${where}${note}`);
      } else {
        this.dropped++;
      }
    }
  }

  list(): string[] {
    return this.dropped > 0 ? [...this.kept, `… and ${this.dropped} more note${this.dropped === 1 ? '' : 's'}`] : [...this.kept];
  }
}
