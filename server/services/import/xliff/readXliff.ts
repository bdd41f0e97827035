import { SaxesParser, type SaxesTagNS } from 'saxes';
import type { InlineCode, ParagraphNote } from '../../../../shared/inlineCodes';
import { ImportInputError } from '../types';
import { CodeTable, type SideText } from './CodeTable';
import { InlineReader } from './InlineReader';

/** One XLIFF segment as read: a future paragraph. */
export interface ReadSegment {
  unitId?: string;
  segmentId?: string;
  /** 1.x resname / 2.x name of its unit. */
  resname?: string;
  /** Source and target text with code characters; target null when the file has none. */
  source: string;
  /** The file says the unit had no source text (Copydesk's MT-as-source note): `source` is the MT standing in. */
  noSource?: boolean;
  target: string | null;
  codes: InlineCode[];
  state?: string;
  locked: boolean;
  notes: ParagraphNote[];
  line: number;
}

export interface ReadFile {
  id?: string;
  original?: string;
  /** A Copydesk export: the externalId of the article it was exported from. */
  copydeskExternalId?: string;
  sourceLang?: string;
  targetLang?: string;
  line: number;
  segments: ReadSegment[];
}

export interface ReadDocument {
  version: string;
  family: '1' | '2';
  /** The tool that wrote the file, when it shows: 'Trados Studio (sdlxliff)', 'memoQ (mqxliff)', 'Xcode', 'Angular'. */
  flavour?: string;
  files: ReadFile[];
  /** Things read but not kept, worth telling the user. */
  notes: string[];
}

const SDL_NS = 'http://sdl.com/FileTypes/SdlXliff/1.0';
const MQ_NS = 'MQXliff';
/** Copydesk's own exports (see renderXliff.ts): attributes on <file>, the MT-as-source note. */
const COPYDESK_NS = 'urn:copydesk:xliff';
const MT_SOURCE_CATEGORY = 'copydesk:mt-as-source';
const MT_SOURCE_NOTE = 'No source text was imported for this unit; <source> holds the machine translation.';
const VERSIONS = ['1.0', '1.1', '1.2', '2.0', '2.1', '2.2'];
/** XLIFF 1.x elements whose content is not text to review. */
const SKIPPED_1 = new Set(['skl', 'alt-trans', 'bin-unit', 'context-group', 'count-group', 'prop-group', 'phase-group', 'tool', 'glossary', 'reference']);
/** XLIFF 2.x elements whose content is not text to review. */
const SKIPPED_2 = new Set(['skeleton', 'ignorable']);

interface UnitState {
  id?: string;
  resname?: string;
  line: number;
  locked: boolean;
  approved: boolean;
  status?: string;
  notes: ParagraphNote[];
  /** 2.x: originalData by id, for code labels. */
  data: Map<string, string>;
  /** 2.x segments, or the 1.x unit as one segment. */
  segments: Array<{ id?: string; state?: string; table: CodeTable; source?: SideText; target?: SideText; line: number }>;
  /** 1.x seg-source / target <mrk mtype="seg"> by mid. */
  marks: Map<string, { table: CodeTable; source?: SideText; target?: SideText; line: number }>;
  sdl: Map<string, { conf?: string; locked: boolean }>;
  sawTargetMarks: boolean;
}

/**
 * Reads an XLIFF 1.0–2.2 document (any vendor flavour) with a namespace-aware streaming XML
 * parser, into its files and segments with inline codes as code characters. Elements are
 * recognised by local name in the document's XLIFF namespace, whatever their prefix; other
 * namespaces are read only for the vendor metadata they carry (sdl:seg, mq:status).
 *
 * @throws ImportInputError naming the line for malformed XML or a document that is not XLIFF
 */
export function readXliff(text: string, file: string): ReadDocument {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const doc: ReadDocument = { version: '', family: '1', files: [], notes: [] };
  let ns: string | undefined;
  let rootSeen = false;
  let srcLang: string | undefined;
  let trgLang: string | undefined;
  let skip = 0;
  let currentFile: ReadFile | undefined;
  const translateStack: boolean[] = [];
  let unit: UnitState | undefined;
  let inline: InlineReader | undefined;
  let capture: { kind: 'note' | 'data'; text: string; attrs: Record<string, string> } | undefined;
  /** 1.x: inside <seg-source> or <target>, outside any <mrk mtype="seg">. */
  let segContainer: 'source' | 'target' | undefined;
  let dropped = 0;

  const fail = (reason: string, line = parser.line): never => {
    throw new ImportInputError(file, reason, line);
  };
  const attrs = (tag: SaxesTagNS): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) if (a.uri === '' || a.uri === ns) out[a.local] = a.value;
    return out;
  };
  const tagXml = (): string => text.slice(text.lastIndexOf('<', parser.position - 1), parser.position);
  const locked = (): boolean => translateStack.includes(true);
  const no = (v: string | undefined) => v !== undefined && /^(no|false)$/i.test(v.trim());

  // Segment marks of 1.x (<mrk mtype="seg">) in <seg-source> / a segmented <target>.
  const segmentMark = (mid: string): SideText | undefined => {
    if (!unit || !segContainer) return undefined;
    if (segContainer === 'source') {
      const table = new CodeTable('1');
      const source = table.side();
      unit.marks.set(mid, { table, source, line: parser.line });
      return source;
    }
    const entry = unit.marks.get(mid);
    if (!entry) return undefined;
    unit.sawTargetMarks = true;
    entry.target = entry.table.side();
    return entry.target;
  };
  const startInline = (side: SideText, onEnd?: () => void): void => {
    inline = new InlineReader({
      side,
      family: doc.family,
      text,
      position: () => parser.position,
      data: unit?.data ?? new Map(),
      check: (t) => checkPrivateUse(t),
      ...(onEnd ? { onEnd } : {}),
      ...(segContainer ? { segmentMark } : {}),
    });
  };
  const checkPrivateUse = (t: string): void => {
    const m = /[\ue100-\uf7ff]/.exec(t);
    if (m) fail(`contains the private-use character U+${m[0].charCodeAt(0).toString(16).toUpperCase()}, which Copydesk reserves for inline codes; remove it from the file`);
  };

  parser.on('opentag', (tag) => {
    if (skip > 0) return void skip++;
    if (!rootSeen) {
      rootSeen = true;
      if (tag.local !== 'xliff') fail(`the root element is <${tag.name}>; expected <xliff>, so this is not an XLIFF document`);
      ns = tag.uri;
      const a = attrs(tag);
      const version = a.version ?? /xliff:document:(\d\.\d)/.exec(ns)?.[1] ?? (ns === '' ? '1.2' : undefined);
      if (!version || !VERSIONS.includes(version)) fail(`XLIFF version "${version ?? '(none)'}" is not one Copydesk reads; expected one of ${VERSIONS.join(', ')}`);
      doc.version = version as string;
      doc.family = version!.startsWith('2') ? '2' : '1';
      const nsUris = Object.values(tag.ns ?? {});
      if (nsUris.includes(SDL_NS)) doc.flavour = 'Trados Studio (sdlxliff)';
      else if (nsUris.includes(MQ_NS)) doc.flavour = 'memoQ (mqxliff)';
      if (doc.family === '2') {
        srcLang = a.srcLang;
        trgLang = a.trgLang;
      }
      return;
    }
    if (inline) return inline.open(tag, tag.uri === ns);
    const xliffElement = tag.uri === ns;
    const a = attrs(tag);
    if (!xliffElement) {
      if (unit && tag.uri === SDL_NS && tag.local === 'seg') {
        const conf = tag.attributes.conf?.value;
        unit.sdl.set(tag.attributes.id?.value ?? '', { ...(conf ? { conf } : {}), locked: tag.attributes.locked?.value === 'true' });
      }
      if (tag.uri === SDL_NS && (tag.local === 'seg-defs' || tag.local === 'seg')) return;
      return void skip++;
    }
    if (capture) return void skip++;
    const name = tag.local;
    if ((doc.family === '1' ? SKIPPED_1 : SKIPPED_2).has(name)) {
      if (name === 'tool' && /xcode/i.test(a['tool-id'] ?? '')) doc.flavour ??= 'Xcode';
      return void skip++;
    }
    switch (name) {
      case 'file': {
        const sourceLang = doc.family === '1' ? a['source-language'] : srcLang;
        const targetLang = doc.family === '1' ? a['target-language'] : trgLang;
        const copydeskExternalId = Object.values(tag.attributes).find((x) => x.uri === COPYDESK_NS && x.local === 'externalId')?.value;
        currentFile = { ...(a.id ? { id: a.id } : {}), ...(a.original ? { original: a.original } : {}), ...(copydeskExternalId ? { copydeskExternalId } : {}), ...(sourceLang ? { sourceLang } : {}), ...(targetLang ? { targetLang } : {}), line: parser.line, segments: [] };
        if (/^ng2?\.template$/.test(a.original ?? '')) doc.flavour ??= 'Angular';
        doc.files.push(currentFile);
        translateStack.push(no(a.translate));
        return;
      }
      case 'group':
        translateStack.push(no(a.translate));
        return;
      case 'trans-unit':
      case 'unit': {
        if (!currentFile) fail(`<${tag.name}> outside any <file>`);
        const status = tag.attributes['mq:status']?.value ?? Object.values(tag.attributes).find((x) => x.uri === MQ_NS && x.local === 'status')?.value;
        unit = {
          ...(a.id !== undefined ? { id: a.id } : {}),
          ...((a.resname ?? a.name) ? { resname: a.resname ?? a.name } : {}),
          line: parser.line,
          locked: locked() || no(a.translate),
          approved: a.approved === 'yes',
          ...(status ? { status } : {}),
          notes: [],
          data: new Map(),
          segments: [],
          marks: new Map(),
          sdl: new Map(),
          sawTargetMarks: false,
        };
        return;
      }
      case 'segment':
        if (unit) unit.segments.push({ ...(a.id ? { id: a.id } : {}), ...(a.state ? { state: a.state } : {}), table: new CodeTable('2'), line: parser.line });
        return;
      case 'note':
        capture = { kind: 'note', text: '', attrs: a };
        return;
      case 'data':
        capture = { kind: 'data', text: '', attrs: a };
        return;
      case 'source':
      case 'target': {
        if (!unit) return void skip++;
        if (doc.family === '2') {
          const seg = unit.segments.at(-1);
          if (!seg) return void skip++;
          const side = seg.table.side();
          if (name === 'source') seg.source = side;
          else seg.target = side;
          return startInline(side);
        }
        if (name === 'target' && unit.marks.size > 0) {
          // A segmented unit: the target's <mrk mtype="seg"> are read one by one.
          segContainer = 'target';
          if (!unit.segments[0]) unit.segments.push({ table: new CodeTable('1'), line: parser.line });
          const seg = unit.segments[0];
          seg.target = seg.table.side();
          if (a.state) seg.state = a.state;
          return startInline(seg.target, () => (segContainer = undefined));
        }
        if (!unit.segments[0]) unit.segments.push({ table: new CodeTable('1'), line: parser.line });
        const seg = unit.segments[0];
        const side = seg.table.side();
        if (name === 'source') seg.source = side;
        else {
          seg.target = side;
          if (a.state) seg.state = a.state;
        }
        return startInline(side);
      }
      case 'seg-source': {
        if (!unit) return void skip++;
        segContainer = 'source';
        const scratch = new CodeTable('1').side();
        return startInline(scratch, () => (segContainer = undefined));
      }
      default:
        return; // xliff, body, notes, originalData, … : structure only
    }
  });

  parser.on('closetag', (tag) => {
    if (skip > 0) return void skip--;
    if (inline) {
      if (inline.close(tag, tag.uri === ns, tagXml())) inline = undefined;
      return;
    }
    if (tag.uri !== ns) return;
    if (capture && (tag.local === 'note' || tag.local === 'data')) {
      const c = capture;
      capture = undefined;
      if (!unit) return;
      if (c.kind === 'data') {
        if (c.attrs.id) unit.data.set(c.attrs.id, c.text);
        return;
      }
      const note: ParagraphNote = { text: c.text.replace(/\s+/g, ' ').trim() };
      if (!note.text) return;
      if (c.attrs.from) note.from = c.attrs.from;
      const priority = Number(c.attrs.priority);
      if (c.attrs.priority && Number.isInteger(priority)) note.priority = priority;
      if (c.attrs.category) note.category = c.attrs.category;
      unit.notes.push(note);
      return;
    }
    switch (tag.local) {
      case 'file':
        currentFile = undefined;
        translateStack.pop();
        return;
      case 'group':
        translateStack.pop();
        return;
      case 'trans-unit':
      case 'unit':
        if (unit && currentFile) {
          const before = currentFile.segments.length;
          finishUnit(unit, currentFile, doc.family, file);
          if (currentFile.segments.length === before) dropped++;
        }
        unit = undefined;
        return;
    }
  });

  parser.on('text', (t) => {
    if (skip > 0) return;
    if (capture) capture.text += t;
    else if (inline) inline.text(t);
  });
  parser.on('cdata', (t) => {
    if (skip > 0) return;
    if (capture) capture.text += t;
    else if (inline) inline.text(t);
  });

  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof ImportInputError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const m = /^(?:[^:]*:)?(\d+):(\d+): (.*)$/s.exec(message);
    if (m) throw new ImportInputError(file, `malformed XML: ${m[3]} (column ${m[2]}); fix the file or export it again from its tool`, Number(m[1]));
    throw new ImportInputError(file, `malformed XML: ${message}`);
  }
  if (!rootSeen) throw new ImportInputError(file, 'contains no XML elements; expected an <xliff> document');
  if (doc.files.length === 0) throw new ImportInputError(file, 'has no <file> element, so there is nothing to import');
  if (dropped > 0) doc.notes.push(`left out ${dropped} unit${dropped === 1 ? '' : 's'} with no source text`);
  return doc;
}

/** Turns a finished unit into its segments. */
function finishUnit(unit: UnitState, file: ReadFile, family: '1' | '2', path: string): void {
  // Copydesk wrote the MT as <source> where the article had none, and said so in a note: the
  // note is no reviewer's note, and the unit has no source text again.
  const isMtSourceNote = (n: ParagraphNote) => (family === '2' ? n.category === MT_SOURCE_CATEGORY : n.from === 'copydesk' && n.text === MT_SOURCE_NOTE);
  const noSource = unit.notes.some(isMtSourceNote);
  const notes = noSource ? unit.notes.filter((n) => !isMtSourceNote(n)) : unit.notes;
  const base = (line: number) => ({
    ...(unit.id !== undefined ? { unitId: unit.id } : {}),
    ...(unit.resname ? { resname: unit.resname } : {}),
    ...(noSource ? { noSource: true } : {}),
    notes,
    line,
  });
  const stateOf = (own: string | undefined, sdl?: { conf?: string }) => (unit.approved ? 'approved' : (own ?? sdl?.conf ?? unit.status));
  const overflow = (s?: SideText) => s?.overflow === true;
  if (family === '1' && unit.marks.size > 1 && (unit.sawTargetMarks || !unit.segments[0]?.target?.text.trim())) {
    for (const [mid, m] of unit.marks) {
      if (overflow(m.source) || overflow(m.target)) throw new ImportInputError(path, `unit "${unit.id ?? ''}" has more inline codes in one segment than Copydesk can hold (5,888)`, m.line);
      const sdl = unit.sdl.get(mid);
      const state = stateOf(unit.segments[0]?.state, sdl);
      file.segments.push({ ...base(m.line), segmentId: mid, source: m.source?.text ?? '', target: m.target ? m.target.text : null, codes: m.table.codes, ...(state ? { state } : {}), locked: unit.locked || sdl?.locked === true });
    }
    return;
  }
  for (const seg of unit.segments) {
    if (!seg.source) continue;
    if (overflow(seg.source) || overflow(seg.target)) throw new ImportInputError(path, `unit "${unit.id ?? ''}" has more inline codes in one segment than Copydesk can hold (5,888)`, seg.line);
    const sdl = unit.sdl.size === 1 ? [...unit.sdl.values()][0] : undefined;
    const state = stateOf(seg.state, sdl);
    // A 1.x unit with a single segment mark is read whole, so codes around the mark stay.
    const segmentId = seg.id ?? (unit.marks.size === 1 ? [...unit.marks.keys()][0] : undefined);
    file.segments.push({ ...base(seg.line), ...(segmentId !== undefined ? { segmentId } : {}), source: seg.source.text, target: seg.target ? seg.target.text : null, codes: seg.table.codes, ...(state ? { state } : {}), locked: unit.locked || sdl?.locked === true });
  }
}
