import { createjs, js2xliff } from 'xliff';
import { slugify } from './slugify';

/** The export formats, in the order the CLI and the API list them. */
export const EXPORT_FORMATS = ['text', 'markdown', 'json', 'xliff'] as const;

export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** File extension of each format (without the dot). */
export const EXPORT_EXTENSIONS: Readonly<Record<ExportFormat, string>> = Object.freeze({
  text: 'txt',
  markdown: 'md',
  json: 'json',
  xliff: 'xlf',
});

/** HTTP content type of each format. */
export const EXPORT_CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = Object.freeze({
  text: 'text/plain; charset=utf-8',
  markdown: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
  xliff: 'application/xliff+xml; charset=utf-8',
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
}

/** `<id>-<slug>.<ext>`, the slug taken from the approved title. */
export function exportFileName(doc: Pick<ExportDocument, 'id' | 'title'>, format: ExportFormat): string {
  return `${doc.id}-${slugify(doc.title)}.${EXPORT_EXTENSIONS[format]}`;
}

/**
 * Renders the approved revision of an article in `format`. Pure: the same
 * document always gives the same text, so re-exports hash identically.
 */
export async function renderExport(doc: ExportDocument, format: ExportFormat): Promise<string> {
  switch (format) {
    case 'text':
      return renderText(doc);
    case 'markdown':
      return renderMarkdown(doc);
    case 'json':
      return renderJson(doc);
    case 'xliff':
      return renderXliff(doc);
  }
}

/** Title, a blank line, then the paragraphs separated by blank lines. */
export function renderText(doc: ExportDocument): string {
  return [doc.title, ...doc.paragraphs].join('\n\n') + '\n';
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

// Front-matter scalars are written as JSON, which YAML reads as double-quoted
// strings, numbers or null, so no value can break out of its line.
const yamlScalar = (v: string | number | null): string => JSON.stringify(v);

/**
 * YAML front matter (id, externalId, revision number and id, approver,
 * approvedAt, sourceLang, targetLang), then `# Title` and the paragraphs,
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
    '---',
  ];
  const title = `# ${escapeMarkdown(doc.title.replace(/\s*\n\s*/g, ' '))}`;
  return [front.join('\n'), title, ...doc.paragraphs.map(escapeMarkdown)].join('\n\n') + '\n';
}

/**
 * Backslash-escapes what Markdown would otherwise interpret: inline markup
 * characters anywhere, and block markers (headings, quotes, lists, rules,
 * indented code) at the start of a line. CommonMark renders `\x` as `x` for
 * any ASCII punctuation, so the rendered text equals the approved text.
 */
export function escapeMarkdown(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line
        .replace(/[\\`*_[\]<>|~]/g, '\\$&')
        .replace(/^(\s*)([#+=-])/, '$1\\$2')
        .replace(/^(\s*\d+)([.)])/, '$1\\$2')
        // Four leading spaces or a tab would make an indented code block.
        .replace(/^[ \t]+/, ''),
    )
    .join('\n');
}

/** The JSON export: the approved text with its provenance. */
export function renderJson(doc: ExportDocument): string {
  const hasSource = doc.sourceTitle !== null || doc.sourceParagraphs.some((p) => p !== null);
  const body = {
    id: doc.id,
    externalId: doc.externalId,
    title: doc.title,
    paragraphs: doc.paragraphs,
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

/** Unit id of the title in the XLIFF export (the importer reads the unit named "title" as the title). */
export const XLIFF_TITLE_UNIT = 'title';

/** Unit id of paragraph `index` (0-based) in the XLIFF export. */
export const xliffParagraphUnit = (index: number): string => `p${index + 1}`;

/** The note on a unit whose source is the MT because the feed had no source text. */
export const XLIFF_MT_SOURCE_NOTE = 'No source text was imported for this unit; <source> holds the machine translation.';

// XML 1.0 cannot carry these characters at all, not even escaped.
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const xmlText = (s: string): string => s.replace(XML_INVALID, '');

/**
 * XLIFF 2.0 through the xliff library: one `<file>` (id = externalId, or
 * `article-<id>`), a `title` unit then `p1…pn`, each with the source text as
 * `<source>` and the approved text as `<target>`. XLIFF requires a source, so
 * where the feed had none the MT stands in and a `<note>` says so; `srcLang`
 * is then the target language, since that is the language of the MT.
 */
export async function renderXliff(doc: ExportDocument): Promise<string> {
  const sources: Record<string, string> = {};
  const targets: Record<string, string> = {};
  const notes: Record<string, string> = {};
  let usedMt = false;
  let usedSource = false;
  const add = (unit: string, source: string | null, mt: string, target: string) => {
    if (source === null) {
      notes[unit] = XLIFF_MT_SOURCE_NOTE;
      usedMt = true;
    } else {
      usedSource = true;
    }
    sources[unit] = xmlText(source ?? mt);
    targets[unit] = xmlText(target);
  };
  add(XLIFF_TITLE_UNIT, doc.sourceTitle, doc.mtTitle, doc.title);
  doc.paragraphs.forEach((text, i) => add(xliffParagraphUnit(i), doc.sourceParagraphs[i] ?? null, doc.mtParagraphs[i] ?? '', text));
  const targetLang = doc.targetLang ?? 'und';
  const sourceLang = usedSource || !usedMt ? (doc.sourceLang ?? 'und') : targetLang;
  const js = await createjs(sourceLang, targetLang, sources, targets, doc.externalId ?? `article-${doc.id}`, undefined, notes);
  return (await js2xliff(js, { indent: '  ' })) + '\n';
}
