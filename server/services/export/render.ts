import { plainText, type InlineCode, type ParagraphMeta } from '../../../shared/inlineCodes';
import { escapeMarkdown } from './markdownEscape';
import { renderXliff12, renderXliff2 } from './renderXliff';
import { slugify } from './slugify';

export { escapeMarkdown, unescapeMarkdown } from './markdownEscape';
export { XLIFF_MT_SOURCE_NOTE, XLIFF_TITLE_UNIT, xliffParagraphUnit } from './renderXliff';

/**
 * The export formats, in the order the CLI and the API list them. `xliff` is
 * XLIFF 2.0 (the name predates the 1.2 export, and is kept for existing
 * scripts); `xliff12` is XLIFF 1.2.
 */
export const EXPORT_FORMATS = ['text', 'markdown', 'json', 'xliff', 'xliff12'] as const;

export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** File extension of each format (without the dot). */
export const EXPORT_EXTENSIONS: Readonly<Record<ExportFormat, string>> = Object.freeze({
  text: 'txt',
  markdown: 'md',
  json: 'json',
  xliff: 'xlf',
  // A different extension, so that an XLIFF 1.2 and an XLIFF 2.0 export of the
  // same article can share a folder; the importer reads both.
  xliff12: 'xliff',
});

/** HTTP content type of each format. */
export const EXPORT_CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = Object.freeze({
  text: 'text/plain; charset=utf-8',
  markdown: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
  xliff: 'application/xliff+xml; charset=utf-8',
  xliff12: 'application/xliff+xml; charset=utf-8',
});

/** Narrows an untrusted string (a flag, a query parameter) to an `ExportFormat`. */
export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value);
}

/** A JSON value as stored in `articles.metadata`. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Everything an export file says about one article. The title and paragraphs
 * are those of the approved revision (never the current text); the MT and the
 * source come from the article's paragraphs, which never change after import.
 */
export interface ExportDocument {
  id: number;
  externalId: string | null;
  title: string;
  paragraphs: string[];
  mtTitle: string;
  mtParagraphs: string[];
  sourceTitle: string | null;
  /** Per paragraph; null where the feed had no source text. */
  sourceParagraphs: (string | null)[];
  revision: { id: number; number: number };
  /** Username of the approver; null when that user no longer exists. */
  approvedBy: string | null;
  approvedAt: Date | null;
  sourceLang: string | null;
  targetLang: string | null;
  publishedAt: Date | null;
  metadata: JsonValue;
  /** Per paragraph: its inline-code table (see shared/inlineCodes.ts), null when it has none. Absent: none at all. */
  paragraphCodes?: (InlineCode[] | null)[];
  /** Per paragraph: what an XLIFF import kept of its structure, null when nothing. */
  paragraphMeta?: (ParagraphMeta | null)[];
}

/** `<id>-<slug>.<ext>`, the slug taken from the approved title. */
export function exportFileName(doc: Pick<ExportDocument, 'id' | 'title'>, format: ExportFormat): string {
  return `${doc.id}-${slugify(doc.title)}.${EXPORT_EXTENSIONS[format]}`;
}

/**
 * Renders the approved revision of an article in `format`. Pure: the same
 * document always gives the same text, so re-exports hash identically.
 */
export function renderExport(doc: ExportDocument, format: ExportFormat): string {
  switch (format) {
    case 'text':
      return renderText(doc);
    case 'markdown':
      return renderMarkdown(doc);
    case 'json':
      return renderJson(doc);
    case 'xliff':
      return renderXliff2(doc);
    case 'xliff12':
      return renderXliff12(doc);
  }
}

/** The approved paragraphs with each inline code as its bracketed label (plainText of the shared contract). */
export function readableParagraphs(doc: Pick<ExportDocument, 'paragraphs' | 'paragraphCodes'>): string[] {
  return doc.paragraphs.map((p, i) => plainText(p, doc.paragraphCodes?.[i] ?? null));
}

/** Title, a blank line, then the paragraphs separated by blank lines; inline codes as their bracketed labels. */
export function renderText(doc: ExportDocument): string {
  return [doc.title, ...readableParagraphs(doc)].join('\n\n') + '\n';
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

// Front-matter scalars are written as JSON, which YAML reads as double-quoted
// strings, numbers or null, so no value can break out of its line.
const yamlScalar = (v: string | number | null): string => JSON.stringify(v);

/**
 * YAML front matter (id, externalId, revision number and id, approver,
 * approvedAt, sourceLang, targetLang, publishedAt), then `# Title` and the paragraphs,
 * with Markdown syntax in the text escaped so that it renders as written.
 */
export function renderMarkdown(doc: ExportDocument): string {
  const front = [
    '---',
    `id: ${doc.id}`,
    `externalId: ${yamlScalar(doc.externalId)}`,
    'revision:',
    `  number: ${doc.revision.number}`,
    `  id: ${doc.revision.id}`,
    `approver: ${yamlScalar(doc.approvedBy)}`,
    `approvedAt: ${yamlScalar(iso(doc.approvedAt))}`,
    `sourceLang: ${yamlScalar(doc.sourceLang)}`,
    `targetLang: ${yamlScalar(doc.targetLang)}`,
    `publishedAt: ${yamlScalar(iso(doc.publishedAt))}`,
    '---',
  ];
  const title = `# ${escapeMarkdown(doc.title.replace(/[ \t]*[\r\n]+[ \t]*/g, ' '))}`;
  return [front.join('\n'), title, ...readableParagraphs(doc).map(escapeMarkdown)].join('\n\n') + '\n';
}

/** The JSON export: the approved text with its provenance. */
export function renderJson(doc: ExportDocument): string {
  const hasSource = doc.sourceTitle !== null || doc.sourceParagraphs.some((p) => p !== null);
  const body = {
    id: doc.id,
    externalId: doc.externalId,
    title: doc.title,
    paragraphs: doc.paragraphs,
    // The inline-code table of each paragraph, so that a re-import keeps the codes.
    ...(doc.paragraphCodes?.some((c) => c !== null) ? { codes: doc.paragraphCodes } : {}),
    ...(hasSource
      ? { source: { ...(doc.sourceTitle !== null ? { title: doc.sourceTitle } : {}), paragraphs: doc.sourceParagraphs } }
      : {}),
    revision: { id: doc.revision.id, number: doc.revision.number },
    approvedBy: doc.approvedBy,
    approvedAt: iso(doc.approvedAt),
    sourceLang: doc.sourceLang,
    targetLang: doc.targetLang,
    publishedAt: iso(doc.publishedAt),
    metadata: doc.metadata,
  };
  return JSON.stringify(body, null, 2) + '\n';
}
