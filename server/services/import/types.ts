import type { InlineCode, ParagraphMeta } from '../../../shared/inlineCodes';

/** The input formats the importer understands. */
export type ImportFormat = 'feed' | 'markdown' | 'json' | 'ndjson' | 'xliff';

/** Every format, in the order they are listed in messages. */
export const IMPORT_FORMATS: readonly ImportFormat[] = ['feed', 'markdown', 'json', 'ndjson', 'xliff'];

/** One article read from an input file, validated and normalised, ready to be stored. */
export interface ParsedArticle {
  /** Trimmed, non-empty when present. */
  externalId?: string;
  /** MT title: NFC, trimmed, non-empty. */
  title: string;
  /**
   * MT paragraphs: NFC, trimmed, at least one. Non-empty, except for a translation file's
   * segment that had no target yet (its `details` entry says `emptyTarget`).
   */
  paragraphs: string[];
  /**
   * Per paragraph (aligned with `paragraphs`), for formats that carry them (XLIFF): the
   * inline-code table of its code characters and its metadata. Absent for plain formats.
   */
  details?: ParagraphDetail[];
  /**
   * Source-language text when known; `paragraphs`, when present, is aligned one to one with the MT
   * paragraphs, null where one paragraph has no source text (as a Copydesk JSON export writes it).
   */
  source?: { title?: string; paragraphs?: (string | null)[] };
  /** Canonical BCP-47 tags such as 'zh' or 'en-GB'. */
  sourceLang?: string;
  targetLang?: string;
  publishedAt?: Date;
  /** Extra facts from the input, e.g. `{ releaseTime: 'April 2, 2023', breadcrumb: 'Home News' }`. */
  metadata: Record<string, unknown>;
  /**
   * Where the article came from. `line` is 1-based (the article's first line when known);
   * `index` is the 0-based position of the article among the articles of the file.
   */
  location: { file: string; line?: number; index?: number };
  /** Normalisations worth telling the user about, e.g. 'collapsed repeated spaces in 3 paragraphs'. */
  notes: string[];
}

/** Options for {@link parseFile}. */
export interface ParseFileOptions {
  /** 'auto' (the default) detects the format from the extension and the content. */
  format?: ImportFormat | 'auto';
  /** Files larger than this are refused before parsing. Default 1,000,000. */
  maxBytes?: number;
  /** Used when an article does not name its own source language. */
  sourceLang?: string;
  /** Used when an article does not name its own target language. */
  targetLang?: string;
}

/**
 * A problem with an input file. The message always starts with the file and, where it applies,
 * the line, so it can be shown to the user as is: `feed.ndjson:7: title: expected a non-empty string`.
 */
export class ImportInputError extends Error {
  constructor(
    public readonly file: string,
    public readonly reason: string,
    public readonly line?: number,
    public readonly field?: string,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${field ? `${field}: ` : ''}${reason}`);
    this.name = 'ImportInputError';
  }
}

/** What a translation file says about one paragraph besides its text. */
export interface ParagraphDetail {
  codes: InlineCode[] | null;
  meta: ParagraphMeta | null;
}
