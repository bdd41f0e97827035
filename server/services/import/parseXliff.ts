import xliff12ToJs from 'xliff/xliff12ToJs';
import xliff2js from 'xliff/xliff2js';
import { LANGUAGE_TAG_HINT, normaliseLanguageTag } from './normaliseLanguageTag';
import { scanXliff, type XliffFileOutline, type XliffOutline, type XliffUnitOutline } from './scanXliff';
import { TextNormaliser } from './TextNormaliser';
import { ImportInputError, type ParsedArticle } from './types';

const SUPPORTED_VERSIONS = ['1.0', '1.1', '1.2', '2.0', '2.1', '2.2'];

// Stands in for whitespace between two inline tags, which the XML layer under the library drops
// ("<g>Mayor</g> <g>Li</g>" would read "MayorLi"). A private-use character cannot occur in real
// article text, and it is turned back into a space when the text is flattened.
const SPACE_KEEPER = '\uE000';

interface LibraryUnit {
  source?: unknown;
  target?: unknown;
}

/**
 * Parses an XLIFF 1.2 or 2.0 document with the xliff package. Each `<file>` becomes one article:
 * its `original` (1.x) or `id` (2.x) is the externalId, the languages come from
 * `source-language`/`target-language` (1.x) or `srcLang`/`trgLang` (2.x), and each unit is one
 * paragraph (target = MT, source = source text). The unit whose id, resname (1.x) or name (2.x) is
 * `title` is the title; without one, the first unit is. Inline markup is flattened to plain text:
 * the text of `<g>`, `<mrk>` and `<pc>` is kept, native codes (`<ph>`, `<bpt>`, `<x/>`…) are dropped.
 *
 * @param text the file's content, already decoded and without a BOM
 * @param file the name used in locations and error messages
 * @throws ImportInputError for malformed XML (with the parser's reason and line), an unsupported
 *   version, a unit without target or source text, duplicate unit ids, or a file without paragraphs
 */
export async function parseXliff(text: string, file: string): Promise<ParsedArticle[]> {
  const outline = scanXliff(text);
  const root = outline.root;
  if (!root) throw new ImportInputError(file, 'contains no XML elements; expected an <xliff> document');
  if (root.name !== 'xliff') {
    throw new ImportInputError(file, `the root element is <${root.name}>; expected <xliff>`, root.line);
  }
  const version = root.attributes.version ?? /xliff:document:(\d\.\d)/.exec(root.attributes.xmlns ?? '')?.[1];
  if (!version || !SUPPORTED_VERSIONS.includes(version)) {
    throw new ImportInputError(
      file,
      version ? `XLIFF version "${version}" is not supported; expected 1.2 or 2.0` : 'the <xliff> element has no version attribute',
      root.line,
    );
  }
  const v1 = version.startsWith('1.');

  let document: unknown;
  try {
    document = v1 ? await xliff12ToJs(prepareInlineMarkup(text, v1)) : await xliff2js(prepareInlineMarkup(text, v1));
  } catch (error) {
    throw libraryError(file, error, outline, v1);
  }
  const resources = isRecord(document) && isRecord(document.resources) ? document.resources : {};
  if (outline.files.length === 0) throw new ImportInputError(file, 'has no <file> element', root.line);

  const articles: ParsedArticle[] = [];
  const namespaces = new Map<string, number>();
  outline.files.forEach((fileOutline, index) => {
    // The library keys each file by this value, so two files sharing it would be merged.
    const namespace = v1 ? String(fileOutline.attributes.original) : (fileOutline.attributes.id || 'default');
    const earlier = namespaces.get(namespace);
    if (earlier !== undefined) {
      throw new ImportInputError(
        file,
        `this <file> has the same ${v1 ? 'original' : 'id'} as the <file> at line ${earlier}; each file needs its own`,
        fileOutline.line,
      );
    }
    namespaces.set(namespace, fileOutline.line);
    const units = collectUnits(resources[namespace]);
    articles.push(articleFromFile(fileOutline, index, units, root.attributes, file, v1, version));
  });
  return articles;
}

function articleFromFile(
  fileOutline: XliffFileOutline,
  index: number,
  units: Map<string, LibraryUnit>,
  rootAttributes: Record<string, string>,
  file: string,
  v1: boolean,
  version: string,
): ParsedArticle {
  const unitWord = v1 ? '<trans-unit>' : '<unit>';
  const seen = new Map<string, number>();
  for (const unit of fileOutline.units) {
    if (unit.id === undefined) throw new ImportInputError(file, `a ${unitWord} has no id attribute`, unit.line);
    const earlier = seen.get(unit.id);
    if (earlier !== undefined) {
      throw new ImportInputError(file, `duplicate unit id "${unit.id}" (also used at line ${earlier})`, unit.line);
    }
    seen.set(unit.id, unit.line);
    if (unit.inGroupWithoutId) {
      throw new ImportInputError(
        file,
        `unit "${unit.id}" is inside a <group> without an id, which the XLIFF reader skips; give the group an id`,
        unit.line,
      );
    }
    if (unit.segments > 1) {
      throw new ImportInputError(
        file,
        `unit "${unit.id}" has ${unit.segments} segments; one segment per unit (one paragraph) is supported, so merge them`,
        unit.line,
      );
    }
  }

  const titleUnits = fileOutline.units.filter((unit) => unit.id === 'title' || unit.name === 'title');
  if (titleUnits.length > 1) {
    throw new ImportInputError(file, `more than one title unit (also at line ${titleUnits[0].line})`, titleUnits[1].line);
  }
  const titleUnit = titleUnits[0] ?? fileOutline.units[0];
  if (!titleUnit) throw new ImportInputError(file, `this <file> has no ${unitWord} elements`, fileOutline.line);

  const normaliser = new TextNormaliser();
  const flattened = new Set<string>();
  const read = (unit: XliffUnitOutline, part: 'source' | 'target', kind: 'title' | 'paragraph'): string => {
    const id = unit.id ?? '';
    const value = units.get(id)?.[part];
    let hadMarkup = false;
    const raw = plainText(value, v1, () => (hadMarkup = true));
    if (hadMarkup) flattened.add(id);
    const normalised = normaliser.normalise(raw, part === 'target' ? kind : (`source ${kind}` as const));
    if (!normalised) {
      throw new ImportInputError(
        file,
        part === 'target' ? `unit "${id}" has no target (MT) text` : `unit "${id}" has no source text`,
        unit.line,
      );
    }
    return normalised;
  };

  const title = read(titleUnit, 'target', 'title');
  const sourceTitle = read(titleUnit, 'source', 'title');
  const bodyUnits = fileOutline.units.filter((unit) => unit !== titleUnit);
  if (bodyUnits.length === 0) throw new ImportInputError(file, 'has a title but no paragraphs', fileOutline.line);
  const paragraphs = bodyUnits.map((unit) => read(unit, 'target', 'paragraph'));
  const sourceParagraphs = bodyUnits.map((unit) => read(unit, 'source', 'paragraph'));

  const attributes = fileOutline.attributes;
  const languageAttributes: Array<[string, string | undefined, 'sourceLang' | 'targetLang']> = v1
    ? [['source-language', attributes['source-language'], 'sourceLang'], ['target-language', attributes['target-language'], 'targetLang']]
    : [['srcLang', rootAttributes.srcLang, 'sourceLang'], ['trgLang', rootAttributes.trgLang, 'targetLang']];
  const languages: { sourceLang?: string; targetLang?: string } = {};
  for (const [attribute, value, field] of languageAttributes) {
    if (value === undefined || value.trim() === '') continue;
    const tag = normaliseLanguageTag(value);
    if (!tag) throw new ImportInputError(file, `${LANGUAGE_TAG_HINT}, found "${value}"`, fileOutline.line, attribute);
    languages[field] = tag;
  }

  const externalId = (v1 ? attributes.original : attributes.id)?.trim();
  const notes = normaliser.notes();
  if (flattened.size > 0) {
    notes.push(`flattened inline markup to plain text in ${flattened.size} unit${flattened.size === 1 ? '' : 's'}`);
  }
  return {
    ...(externalId ? { externalId } : {}),
    title,
    paragraphs,
    source: { title: sourceTitle, paragraphs: sourceParagraphs },
    ...languages,
    metadata: { xliffVersion: version },
    location: { file, line: fileOutline.line, index },
    notes,
  };
}

/**
 * Works around two gaps in the library before it sees the text: whitespace between inline tags is
 * protected with {@link SPACE_KEEPER}, and in 2.x `<mrk>` (whose text the library drops) is renamed
 * to `<pc>` (whose text it keeps; both are spans of translatable text). Newlines are kept so that
 * the XML parser's line numbers still match the file.
 */
function prepareInlineMarkup(text: string, v1: boolean): string {
  return text.replace(/<(source|target)(\s[^>]*)?(?<!\/)>([\s\S]*?)<\/\1\s*>/g, (_whole, name: string, attributes: string | undefined, inner: string) => {
    let body = inner.replace(/>(\s+)</g, (_gap, space: string) => `>${SPACE_KEEPER}${space.replace(/[^\n]/g, '')}<`);
    if (!v1) body = body.replace(/<(\/?)mrk(?=[\s>/])/g, '<$1pc');
    return `<${name}${attributes ?? ''}>${body}</${name}>`;
  });
}

/** Units of one library file entry by id, descending into groups. */
function collectUnits(entries: unknown, into = new Map<string, LibraryUnit>()): Map<string, LibraryUnit> {
  if (!isRecord(entries)) return into;
  for (const [id, entry] of Object.entries(entries)) {
    if (!isRecord(entry)) continue;
    if (isRecord(entry.groupUnits)) collectUnits(entry.groupUnits, into);
    else into.set(id, { source: entry.source, target: entry.target });
  }
  return into;
}

/**
 * Plain text of a library value: a string, an inline element object (`{ GenericSpan: { contents } }`)
 * or an array of both. Only spans of translatable text keep their contents; in 1.x `<ph>` ("Span")
 * and `<bpt>`/`<ept>` hold native codes such as "<b>", which must not reach the article text.
 */
function plainText(value: unknown, v1: boolean, sawMarkup: () => void): string {
  if (typeof value === 'string') return value.replaceAll(SPACE_KEEPER, ' ');
  if (Array.isArray(value)) return value.map((part) => plainText(part, v1, sawMarkup)).join('');
  if (!isRecord(value)) return '';
  sawMarkup();
  const [type, element] = Object.entries(value)[0] ?? [];
  const keepsText = type === 'GenericSpan' || type === 'Marker' || (type === 'Span' && !v1);
  return keepsText && isRecord(element) ? plainText(element.contents, v1, sawMarkup) : '';
}

function libraryError(file: string, error: unknown, outline: XliffOutline, v1: boolean): ImportInputError {
  const message = error instanceof Error ? error.message : String(error);
  // The XML parser (sax) reports "reason\nLine: 4\nColumn: 12\nChar: >" with a 0-based line.
  const sax = /^([^\n]*)\nLine: (\d+)\nColumn: (\d+)/.exec(message);
  if (sax) return new ImportInputError(file, `malformed XML: ${sax[1]} (column ${sax[3]})`, Number(sax[2]) + 1);
  // Anything else is the library tripping over a structure it does not expect; say which.
  if (outline.files.length === 0) return new ImportInputError(file, 'has no <file> element', outline.root?.line);
  const noBody = outline.files.find((fileOutline) => !fileOutline.hasBody);
  if (v1 && noBody) return new ImportInputError(file, 'this <file> has no <body> element', noBody.line);
  return new ImportInputError(file, `could not be read as XLIFF ${v1 ? '1.2' : '2.0'}: ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
