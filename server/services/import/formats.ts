/**
 * Every import format in one place: the extensions that name it and how its articles are read.
 * A new format is a new entry here (and its name in IMPORT_FORMATS); parseFile does the rest:
 * size, binary and UTF-8 checks, detection, defaults and the report of notes.
 */
import { parseFeed } from './parseFeed';
import { parseJson } from './parseJson';
import { parseMarkdown } from './parseMarkdown';
import { parseNdjson } from './parseNdjson';
import { parseXliff } from './parseXliff';
import { readLines } from './readLines';
import { IMPORT_FORMATS, type ImportFormat, type ParsedArticle } from './types';

export type FormatReader =
  /** Read whole (at most maxBytes), decoded, BOM removed, not blank. */
  | { kind: 'text'; parse: (text: string, path: string) => ParsedArticle[] | Promise<ParsedArticle[]> }
  /** Streamed from the file, so memory stays bounded whatever its size. */
  | { kind: 'stream'; parse: (path: string, maxBytes: number) => AsyncIterable<ParsedArticle> };

export interface FormatDefinition {
  extensions: readonly string[];
  reader: FormatReader;
}

export const FORMATS: Readonly<Record<ImportFormat, FormatDefinition>> = Object.freeze({
  feed: { extensions: ['.txt'], reader: { kind: 'text', parse: (text, path) => [parseFeed(text, path)] } },
  markdown: { extensions: ['.md', '.markdown'], reader: { kind: 'text', parse: (text, path) => [parseMarkdown(text, path)] } },
  json: { extensions: ['.json'], reader: { kind: 'text', parse: parseJson } },
  ndjson: { extensions: ['.ndjson', '.jsonl'], reader: { kind: 'stream', parse: (path, maxBytes) => parseNdjson(readLines(path, maxBytes), path) } },
  // Other names (.txlf, .xml, none) are told by content, see detectFormat.
  xliff: { extensions: ['.xlf', '.xliff', '.sdlxliff', '.mqxliff'], reader: { kind: 'text', parse: parseXliff } },
});

/** Extension (lower case, with the dot) → format, in the order of IMPORT_FORMATS. */
export const EXTENSIONS: Readonly<Record<string, ImportFormat>> = Object.freeze(
  Object.fromEntries(IMPORT_FORMATS.flatMap((format) => FORMATS[format].extensions.map((extension) => [extension, format] as const))),
);
