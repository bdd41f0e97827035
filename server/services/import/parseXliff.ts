import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { ParagraphMeta } from '../../../shared/inlineCodes';
import { MAX_EXTERNAL_ID } from './classifyArticle';
import { normaliseLanguageTag } from './normaliseLanguageTag';
import { TextNormaliser } from './TextNormaliser';
import { ImportInputError, type ParagraphDetail, type ParsedArticle } from './types';
import { readXliff, type ReadDocument, type ReadFile, type ReadSegment } from './xliff/readXliff';

const CODE_CHARS = /[\ue100-\uf7ff]/g;

/**
 * Parses an XLIFF 1.0–2.2 document, whatever tool wrote it (sdlxliff, mqxliff, Xcode, Angular,
 * Okapi …). Each `<file>` with text becomes one article and each segment one paragraph (a 1.x
 * trans-unit is one segment, or one per `<mrk mtype="seg">` of its seg-source): target = MT,
 * source = source text, inline codes as code characters with their table, and the unit/segment
 * ids, state, notes and translate="no" in the paragraph's meta. A segment without target is a
 * paragraph still to be translated (empty MT). The unit whose id, resname or name is `title` is
 * the title; otherwise the title is the file's name and every unit is a paragraph.
 *
 * The externalId joins what makes the document unique: the import file's name, the <file>'s
 * original and id, and the language pair; tools reuse ids such as "f1" or "ng2.template", so
 * neither alone identifies a document.
 *
 * @param text the file's content, already decoded and without a BOM
 * @param file the path used in locations and error messages
 * @throws ImportInputError for malformed XML, a document that is not XLIFF, or one without text
 */
export async function parseXliff(text: string, file: string): Promise<ParsedArticle[]> {
  const doc = readXliff(text, file);
  const name = basename(file);
  const articles: ParsedArticle[] = [];
  doc.files.forEach((read, index) => {
    const article = articleOf(doc, read, index, file, name);
    if (article) articles.push(article);
  });
  if (articles.length === 0) {
    throw new ImportInputError(file, 'has no segment with source or target text, so there is nothing to review; check that the file is not empty', doc.files[0]?.line);
  }
  return articles;
}

function articleOf(doc: ReadDocument, read: ReadFile, index: number, file: string, name: string): ParsedArticle | undefined {
  const normaliser = new TextNormaliser();
  const notes: string[] = [];
  const segments = read.segments
    .map((segment) => ({
      segment,
      mt: segment.target === null ? '' : normaliser.normalise(segment.target, 'paragraph'),
      source: segment.noSource ? '' : normaliser.normalise(segment.source, 'source paragraph'),
    }))
    .filter((s) => s.mt !== '' || s.source !== '');
  if (segments.length === 0) return undefined;

  const fileLabel = read.original ?? read.id ?? String(index + 1);
  let title = doc.files.length > 1 ? `${name} › ${fileLabel}` : name;
  let sourceTitle: string | undefined;
  const titleAt = segments.findIndex((s) => s.segment.unitId === 'title' || s.segment.resname === 'title');
  if (titleAt !== -1 && segments.length > 1) {
    const [t] = segments.splice(titleAt, 1);
    const mtTitle = stripCodes(t.mt);
    if (mtTitle) title = mtTitle;
    sourceTitle = stripCodes(t.source) || undefined;
  }

  const details: ParagraphDetail[] = segments.map(({ segment, mt }) => ({
    codes: segment.codes.length > 0 ? segment.codes : null,
    meta: metaOf(segment, read, mt === ''),
  }));
  const empty = details.filter((d) => d.meta?.emptyTarget).length;
  const locked = details.filter((d) => d.meta?.locked).length;
  notes.push(`read as XLIFF ${doc.version}${doc.flavour ? `, written by ${doc.flavour}` : ''}`);
  if (empty > 0) notes.push(`${empty} paragraph${empty === 1 ? ' has' : 's have'} no target yet (to be translated)`);
  if (locked > 0) notes.push(`${locked} paragraph${locked === 1 ? ' is' : 's are'} locked (translate="no")`);

  const languages: { sourceLang?: string; targetLang?: string } = {};
  for (const [field, value] of [['sourceLang', read.sourceLang], ['targetLang', read.targetLang]] as const) {
    if (!value?.trim()) continue;
    const tag = normaliseLanguageTag(value);
    if (tag) languages[field] = tag;
    else notes.push(`ignored the language "${value}", which is not a language tag`);
  }

  return {
    // A Copydesk export names the article it came from, so its re-import meets that article again.
    externalId: read.copydeskExternalId ?? identityOf(name, read, languages),
    title,
    paragraphs: segments.map((s) => s.mt),
    details,
    source: { ...(sourceTitle ? { title: sourceTitle } : {}), paragraphs: segments.map((s) => (s.segment.noSource ? null : s.source)) },
    ...languages,
    metadata: {
      xliffVersion: doc.version,
      ...(doc.flavour ? { xliffFlavour: doc.flavour } : {}),
      xliffFile: { ...(read.id ? { id: read.id } : {}), ...(read.original ? { original: read.original } : {}) },
      importedFrom: name,
    },
    location: { file, line: read.line, index },
    notes: [...notes, ...doc.notes, ...normaliser.notes()],
  };
}

function metaOf(segment: ReadSegment, read: ReadFile, emptyTarget: boolean): ParagraphMeta {
  return {
    ...(read.id ? { fileId: read.id } : {}),
    ...(read.original ? { original: read.original } : {}),
    ...(segment.unitId !== undefined ? { unitId: segment.unitId } : {}),
    ...(segment.segmentId !== undefined ? { segmentId: segment.segmentId } : {}),
    ...(segment.resname ? { resname: segment.resname } : {}),
    ...(segment.state ? { state: segment.state } : {}),
    ...(segment.notes.length > 0 ? { notes: segment.notes } : {}),
    ...(segment.locked ? { locked: true } : {}),
    ...(emptyTarget ? { emptyTarget: true } : {}),
  };
}

/** A title holds no codes: their characters are dropped and the spaces around them closed up. */
function stripCodes(text: string): string {
  return text.replace(CODE_CHARS, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * The article identity of one <file>: never the file id or original alone. Long identities keep
 * their start and end with a hash of the whole between, within the column's 256 characters.
 */
export function identityOf(name: string, read: Pick<ReadFile, 'id' | 'original'>, languages: { sourceLang?: string; targetLang?: string }): string {
  const id = `xliff:${name}|${read.original ?? ''}|${read.id ?? ''}|${languages.sourceLang ?? ''}>${languages.targetLang ?? ''}`;
  if ([...id].length <= MAX_EXTERNAL_ID) return id;
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 24);
  const chars = [...id];
  return `${chars.slice(0, 150).join('')}…${hash}…${chars.slice(-60).join('')}`;
}
