import type { InlineCode, ParagraphMeta } from '../../../shared/inlineCodes';
import type { ExportDocument } from './render';
import { newInlineScope, renderXliffInline, type XliffFamily } from './renderXliffInline';
import { attrs, escapeText, toNmtoken } from './xml';

/** Unit id of the title in the XLIFF exports (the importer reads the unit named "title" as the title). */
export const XLIFF_TITLE_UNIT = 'title';

/** Unit id of paragraph `index` (0-based) in the XLIFF exports, for paragraphs that carry no unit id of their own. */
export const xliffParagraphUnit = (index: number): string => `p${index + 1}`;

/** The note on a unit whose source is the MT because the feed had no source text. */
export const XLIFF_MT_SOURCE_NOTE = 'No source text was imported for this unit; <source> holds the machine translation.';
/** XLIFF 2 `category` of that note. */
export const XLIFF_MT_SOURCE_CATEGORY = 'copydesk:mt-as-source';
/** XLIFF 1.2 `from` of that note. */
export const XLIFF_COPYDESK_FROM = 'copydesk';

/**
 * The same note, machine-readable: XLIFF 2 `category`, XLIFF 1.2 `from`, so a
 * reader can tell that the <source> is no source text.
 */
const MT_SOURCE_NOTE: Note = { text: XLIFF_MT_SOURCE_NOTE, category: XLIFF_MT_SOURCE_CATEGORY, from: XLIFF_COPYDESK_FROM };

/**
 * The namespace of Copydesk's own attributes in its XLIFF exports. Both schemas allow attributes
 * of another namespace on `<file>` (2.0 lax, 1.2 transitional skip), so the export stays valid,
 * and `copydesk:externalId` tells the reader that the file is Copydesk's and which article it is.
 */
export const XLIFF_COPYDESK_NS = 'urn:copydesk:xliff';

type Note = NonNullable<ParagraphMeta['notes']>[number];

interface Segment {
  id?: string;
  source: string;
  target: string;
  codes: readonly InlineCode[] | null;
  locked: boolean;
  /** The state the file had, for locked segments, which Copydesk did not review. */
  importedState?: string;
}

interface Unit {
  id: string;
  name?: string;
  notes: Note[];
  segments: Segment[];
}

// XLIFF 1.2 target states read from files, and their XLIFF 2.0 counterparts.
const STATE_1_TO_2: Record<string, string> = {
  new: 'initial',
  'needs-translation': 'initial',
  'needs-adaptation': 'translated',
  'needs-l10n': 'translated',
  'needs-review-translation': 'translated',
  'needs-review-adaptation': 'translated',
  'needs-review-l10n': 'translated',
  translated: 'translated',
  'signed-off': 'reviewed',
  final: 'final',
  approved: 'final',
};
const STATE_2_TO_1: Record<string, string> = { initial: 'new', translated: 'translated', reviewed: 'signed-off', final: 'final', approved: 'final' };
const STATES_2 = new Set(['initial', 'translated', 'reviewed', 'final']);

/**
 * The target state written for a segment, in the vocabulary of `family`. An
 * exported target is the approved text, so it is `final`; a locked segment,
 * which no editor could change, keeps the state its file gave it (mapped to
 * this version's words; an unknown state is left out).
 */
function stateOf(seg: Segment, family: XliffFamily): string | undefined {
  if (!seg.locked) return 'final';
  const s = seg.importedState;
  if (s === undefined) return undefined;
  if (family === '2') return STATES_2.has(s) ? s : STATE_1_TO_2[s];
  if (STATE_1_TO_2[s] !== undefined && s !== 'approved') return s;
  return STATE_2_TO_1[s] ?? (/^x-\S+$/.test(s) ? s : undefined);
}

/**
 * Groups the article into units: the title first, then one unit per
 * paragraph, except that consecutive paragraphs read from the same XLIFF unit
 * (same `meta.unitId`) form one unit with one segment each, in order, as in
 * the file they came from. Unit ids are unique in the file.
 */
function unitsOf(doc: ExportDocument): { units: Unit[]; usedMt: boolean; usedSource: boolean } {
  let usedMt = false;
  let usedSource = false;
  const segment = (source: string | null, mt: string, target: string, codes: readonly InlineCode[] | null, meta: ParagraphMeta | null): Segment => {
    if (source === null) usedMt = true;
    else usedSource = true;
    return { id: meta?.segmentId, source: source ?? mt, target, codes, locked: meta?.locked === true, importedState: meta?.state };
  };
  const titleUnit: Unit = { id: XLIFF_TITLE_UNIT, name: XLIFF_TITLE_UNIT, notes: [], segments: [segment(doc.sourceTitle, doc.mtTitle, doc.title, null, null)] };
  if (doc.sourceTitle === null) titleUnit.notes.push(MT_SOURCE_NOTE);
  const units: Unit[] = [titleUnit];
  const taken = new Set<string>([XLIFF_TITLE_UNIT]);
  let current: { unitId: string; unit: Unit } | undefined;
  doc.paragraphs.forEach((text, i) => {
    const meta = doc.paragraphMeta?.[i] ?? null;
    const source = doc.sourceParagraphs[i] ?? null;
    const seg = segment(source, doc.mtParagraphs[i] ?? '', text, doc.paragraphCodes?.[i] ?? null, meta);
    let unit: Unit;
    if (meta?.unitId !== undefined && current?.unitId === meta.unitId) {
      unit = current.unit;
      unit.segments.push(seg);
    } else {
      let id = meta?.unitId !== undefined ? meta.unitId : xliffParagraphUnit(i);
      for (let n = 2; taken.has(id); n++) id = `${meta?.unitId ?? xliffParagraphUnit(i)}-${n}`;
      taken.add(id);
      unit = { id, name: meta?.resname, notes: [], segments: [seg] };
      units.push(unit);
      current = meta?.unitId !== undefined ? { unitId: meta.unitId, unit } : undefined;
    }
    if (source === null && !unit.notes.some((n) => n.text === XLIFF_MT_SOURCE_NOTE)) unit.notes.push(MT_SOURCE_NOTE);
    for (const note of meta?.notes ?? []) {
      if (!unit.notes.some((n) => JSON.stringify(n) === JSON.stringify(note))) unit.notes.push(note);
    }
  });
  return { units, usedMt, usedSource };
}

function languages(doc: ExportDocument, usedMt: boolean, usedSource: boolean): { sourceLang: string; targetLang: string } {
  const targetLang = doc.targetLang ?? 'und';
  // Where every source is the MT, the source language is that of the MT.
  return { sourceLang: usedSource || !usedMt ? (doc.sourceLang ?? 'und') : targetLang, targetLang };
}

const priorityOf = (n: Note): number | undefined => (Number.isInteger(n.priority) && n.priority! >= 1 && n.priority! <= 10 ? n.priority : undefined);

/** The marker of a Copydesk export on `<file>`: the namespace and the externalId, when the article has one. */
function copydeskAttrs(doc: ExportDocument): string {
  return ` xmlns:copydesk="${XLIFF_COPYDESK_NS}"${attrs([['copydesk:externalId', doc.externalId]])}`;
}

/** The file id of an article: its externalId as an NMTOKEN (see toNmtoken), or `article-<id>`. */
export function xliffFileId(doc: Pick<ExportDocument, 'id' | 'externalId'>): string {
  return doc.externalId === null ? `article-${doc.id}` : toNmtoken(doc.externalId);
}

/**
 * XLIFF 2.0 (valid against the OASIS core schema): one `<file>` whose id is
 * {@link xliffFileId} and whose `original` is the externalId unchanged; the
 * `title` unit, then the paragraphs' units, each segment with the source text
 * as `<source>` (the MT where the feed had none, which a note says) and the
 * approved text as `<target state="final">`. Locked segments keep
 * `translate="no"`; notes read at import are written back on their unit.
 */
export function renderXliff2(doc: ExportDocument): string {
  const { units, usedMt, usedSource } = unitsOf(doc);
  const { sourceLang, targetLang } = languages(doc, usedMt, usedSource);
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0"${attrs([['srcLang', sourceLang], ['trgLang', targetLang]])}>`,
    `  <file${attrs([['id', xliffFileId(doc)], ['original', doc.externalId]])}${copydeskAttrs(doc)} xml:space="preserve">`,
  ];
  for (const unit of units) {
    const allLocked = unit.segments.every((s) => s.locked);
    out.push(`    <unit${attrs([['id', toNmtoken(unit.id)], ['name', unit.name], ['translate', allLocked ? 'no' : undefined]])}>`);
    if (unit.notes.length > 0) {
      out.push('      <notes>');
      for (const n of unit.notes) out.push(`        <note${attrs([['category', n.category], ['priority', priorityOf(n)]])}>${escapeText(n.text)}</note>`);
      out.push('      </notes>');
    }
    unit.segments.forEach((seg, k) => {
      // A locked segment in a unit that is not locked as a whole is marked by a translate="no" annotation.
      const wrap = seg.locked && !allLocked ? (s: string) => `<mrk id="copydesk-locked${k + 1}" translate="no">${s}</mrk>` : (s: string) => s;
      out.push(
        `      <segment${attrs([['id', seg.id === undefined ? undefined : toNmtoken(seg.id)], ['state', stateOf(seg, '2')]])}>` +
          `<source>${wrap(renderXliffInline(seg.source, seg.codes, '2'))}</source>` +
          `<target>${wrap(renderXliffInline(seg.target, seg.codes, '2'))}</target></segment>`,
      );
    });
    out.push('    </unit>');
  }
  out.push('  </file>', '</xliff>');
  return out.join('\n') + '\n';
}

/**
 * XLIFF 1.2 (valid against the OASIS 1.2 transitional schema): one `<file>`
 * whose `original` is the externalId (or `article-<id>`), `datatype="plaintext"`;
 * one `<trans-unit>` per unit, approved targets `state="final"` with
 * `approved="yes"`. A unit of several segments carries them as
 * `<mrk mtype="seg">` in `<seg-source>` and `<target>`, its `<source>` the
 * segments joined.
 */
export function renderXliff12(doc: ExportDocument): string {
  const { units, usedMt, usedSource } = unitsOf(doc);
  const { sourceLang, targetLang } = languages(doc, usedMt, usedSource);
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">',
    `  <file${attrs([['original', doc.externalId ?? `article-${doc.id}`], ['source-language', sourceLang], ['target-language', targetLang], ['datatype', 'plaintext']])}${copydeskAttrs(doc)}>`,
    '    <body>',
  ];
  for (const unit of units) {
    const allLocked = unit.segments.every((s) => s.locked);
    const approved = unit.segments.every((s) => !s.locked);
    const one = unit.segments.length === 1 ? unit.segments[0] : undefined;
    out.push(`      <trans-unit${attrs([['id', unit.id], ['resname', unit.name], ['translate', allLocked ? 'no' : undefined], ['approved', approved ? 'yes' : undefined]])} xml:space="preserve">`);
    if (one) {
      out.push(`        <source>${renderXliffInline(one.source, one.codes, '1')}</source>`);
      out.push(`        <target${attrs([['state', stateOf(one, '1')]])}>${renderXliffInline(one.target, one.codes, '1')}</target>`);
    } else {
      const mid = (seg: Segment, k: number) => seg.id ?? String(k + 1);
      // One scope per element: the segments share it, and with it the 1.2 rule that rids are unique.
      const inSource = newInlineScope();
      const inSegSource = newInlineScope();
      const inTarget = newInlineScope();
      out.push(`        <source>${unit.segments.map((s) => renderXliffInline(s.source, s.codes, '1', inSource)).join('')}</source>`);
      out.push(`        <seg-source>${unit.segments.map((s, k) => `<mrk mtype="seg"${attrs([['mid', mid(s, k)]])}>${renderXliffInline(s.source, s.codes, '1', inSegSource)}</mrk>`).join('')}</seg-source>`);
      const state = unit.segments.every((s) => stateOf(s, '1') === 'final') ? 'final' : undefined;
      out.push(`        <target${attrs([['state', state]])}>${unit.segments.map((s, k) => `<mrk mtype="seg"${attrs([['mid', mid(s, k)]])}>${renderXliffInline(s.target, s.codes, '1', inTarget)}</mrk>`).join('')}</target>`);
    }
    for (const n of unit.notes) out.push(`        <note${attrs([['from', n.from], ['priority', priorityOf(n)]])}>${escapeText(n.text)}</note>`);
    out.push('      </trans-unit>');
  }
  out.push('    </body>', '  </file>', '</xliff>');
  return out.join('\n') + '\n';
}
