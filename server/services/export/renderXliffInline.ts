import { CODE_BASE, CODE_LIMIT, type InlineCode } from '../../../shared/inlineCodes';
import { attrs, escapeText, hex4, splitXmlInvalid, toNmtoken } from './xml';

/** The XLIFF version family an export writes: '1' is XLIFF 1.2, '2' is XLIFF 2.0. */
export type XliffFamily = '1' | '2';

const CODE_END = CODE_BASE + CODE_LIMIT;

// Elements that wrap the text between their start and end tag. Written as such
// only when the pair nests properly in the text; otherwise as start/end markers.
const CONTAINERS = new Set(['g', 'pc', 'mrk']);

/** The ctype of the `<ph>` that stands for a character XML 1.0 cannot carry, in XLIFF 1.2. */
export const XLIFF12_CP_CTYPE = 'x-copydesk-cp';

/**
 * One character XML cannot carry: `<cp hex="…"/>` in XLIFF 2 (the standard's
 * own element); in XLIFF 1.2, which has none, a `<ph>` with ctype
 * {@link XLIFF12_CP_CTYPE} whose native code is the XML character reference
 * (`&#x0007;`, escaped), so the character is kept and a reader can restore it.
 */
export function renderInvalidChar(code: number, family: XliffFamily, n: number): string {
  return family === '2' ? `<cp hex="${hex4(code)}"/>` : `<ph id="copydesk-cp${n}" ctype="${XLIFF12_CP_CTYPE}">${escapeText(`&#x${hex4(code)};`)}</ph>`;
}

/** Text without codes: escaped, with each character XML cannot carry written by {@link renderInvalidChar}. */
export function renderXliffText(text: string, family: XliffFamily, counter: { n: number } = { n: 0 }): string {
  return splitXmlInvalid(text)
    .map((p) => ('text' in p ? escapeText(p.text) : renderInvalidChar(p.invalid, family, ++counter.n)))
    .join('');
}

interface Occurrence {
  /** Offset in the text. */
  at: number;
  index: number;
}

/**
 * Which occurrences of container codes (g, pc, mrk) can be written as a start
 * and an end tag: those whose partner follows in the same text and which nest
 * properly with the others. An editor may move or delete one half of a pair;
 * the other pairs stay containers, the broken ones become markers.
 */
function nestedContainers(occurrences: readonly Occurrence[], codes: readonly InlineCode[]): Set<number> {
  const ok = new Set<number>();
  const stack: Occurrence[] = [];
  for (const occ of occurrences) {
    const code = codes[occ.index];
    if (!CONTAINERS.has(code.element)) continue;
    if (code.kind === 'open') stack.push(occ);
    else if (code.kind === 'close') {
      const at = stack.findLastIndex((o) => o.index === code.pair);
      if (at === stack.length - 1 && at >= 0) {
        ok.add(stack[at].at);
        ok.add(occ.at);
        stack.pop();
      } else if (at >= 0) stack.splice(at, 1);
    }
  }
  return ok;
}

/**
 * What one `<source>`, `<seg-source>` or `<target>` element has used so far:
 * XLIFF 1.2 requires the `rid` of each `<bpt>` and `<bx>` to be unique in it,
 * and a unit of several segments writes several paragraphs into one element.
 */
export interface InlineScope {
  /** Numbers the placeholders of XML-invalid characters. */
  n: number;
  rids: Set<string>;
}

export const newInlineScope = (): InlineScope => ({ n: 0, rids: new Set() });

/**
 * Pairs the start and end markers that are not written as containers: each
 * close with the latest unmatched earlier open of its partner code. An
 * occurrence is matched at most once, so a duplicated code character
 * (copied by an editor) is written as an isolated tag, never a second time
 * with the same id.
 */
function matchMarkers(occurrences: readonly Occurrence[], codes: readonly InlineCode[], nested: ReadonlySet<number>): Map<number, number> {
  const partnerOf = new Map<number, number>();
  const pending: Occurrence[] = [];
  for (const occ of occurrences) {
    if (nested.has(occ.at)) continue;
    const code = codes[occ.index];
    if (code.kind === 'open') pending.push(occ);
    else if (code.kind === 'close') {
      const at = pending.findLastIndex((o) => o.index === code.pair);
      if (at >= 0) {
        partnerOf.set(occ.at, pending[at].at);
        partnerOf.set(pending[at].at, occ.at);
        pending.splice(at, 1);
      }
    }
  }
  return partnerOf;
}

const ridOf = (xml: string): string | undefined => /\brid\s*=\s*["']([^"']*)["']/.exec(xml)?.[1];

/**
 * The text of a paragraph as XLIFF inline content of `family`. Each code
 * character (contract: U+E100 + k refers to `codes[k]`) is written back: a code
 * of the same family from its original `xml`; a code of the other family
 * converted, keeping its id (g↔pc, bx/bpt↔sc, ex/ept↔ec, x/ph↔ph/x, mrk↔mrk).
 * A container pair that no longer nests properly is written as start/end
 * markers (XLIFF 2 sc/ec or sm/em, XLIFF 1.2 bx/ex), and a marker whose
 * partner is not in this text (or a second copy of one) as an isolated tag. A
 * code character without an entry in `codes` is kept as the character.
 * Characters XML cannot carry go through {@link renderInvalidChar}. `scope`
 * is shared by the paragraphs written into one element.
 */
export function renderXliffInline(text: string, codes: readonly InlineCode[] | null | undefined, family: XliffFamily, scope: InlineScope = newInlineScope()): string {
  if (!codes || codes.length === 0) return renderXliffText(text, family, scope);
  const occurrences: Occurrence[] = [];
  for (let at = 0; at < text.length; at++) {
    const c = text.charCodeAt(at);
    if (c >= CODE_BASE && c < CODE_END && codes[c - CODE_BASE]) occurrences.push({ at, index: c - CODE_BASE });
  }
  if (occurrences.length === 0) return renderXliffText(text, family, scope);
  const nested = nestedContainers(occurrences, codes);
  const partnerOf = matchMarkers(occurrences, codes, nested);
  // Per matched open: written as read, or the rid its converted start tag got.
  const written = new Map<number, { verbatim: true } | { rid: string }>();

  let out = '';
  let last = 0;
  for (const occ of occurrences) {
    out += renderXliffText(text.slice(last, occ.at), family, scope);
    last = occ.at + 1;
    const code = codes[occ.index];
    const partnerAt = partnerOf.get(occ.at);
    const placement: Placement = { container: nested.has(occ.at), paired: partnerAt !== undefined, rid: code.id };
    if (code.element === 'cp') {
      const hex = /hex\s*=\s*["']([0-9A-Fa-f]+)["']/.exec(code.xml)?.[1];
      if (hex) {
        out += renderXliffText(String.fromCodePoint(parseInt(hex, 16)), family, scope);
        continue;
      }
    }
    const isContainer = CONTAINERS.has(code.element);
    const sameFamily = code.family === family;
    if (code.kind === 'standalone' || isContainer && placement.container) {
      out += sameFamily ? code.xml : family === '2' ? toXliff2(code, placement, isContainer) : toXliff12(code, placement, isContainer);
      continue;
    }
    if (code.kind === 'open' && partnerAt !== undefined) {
      // Written as read unless its rid is taken in this element (XLIFF 1.2 wants it unique).
      const rid = ridOf(code.xml);
      if (sameFamily && !isContainer && (family === '2' || rid === undefined || !scope.rids.has(rid))) {
        if (rid !== undefined) scope.rids.add(rid);
        written.set(occ.at, { verbatim: true });
        out += code.xml;
        continue;
      }
      let fresh = code.id;
      for (let n = 2; family === '1' && scope.rids.has(fresh); n++) fresh = `${code.id}-${n}`;
      scope.rids.add(fresh);
      written.set(occ.at, { rid: fresh });
      placement.rid = fresh;
    } else if (code.kind === 'close' && partnerAt !== undefined) {
      const open = written.get(partnerAt);
      if (open && 'verbatim' in open && sameFamily && !isContainer) {
        out += code.xml;
        continue;
      }
      placement.rid = open && 'rid' in open ? open.rid : code.id;
    }
    out += family === '2' ? toXliff2(code, placement, isContainer) : toXliff12(code, placement, isContainer);
  }
  return out + renderXliffText(text.slice(last), family, scope);
}

interface Placement {
  /** Written as a start or end tag of a container. */
  container: boolean;
  /** Its partner marker is in the same text, in order, and matched to it. */
  paired: boolean;
  /** The id that links a start and an end marker (sc id / ec startRef, bx and ex rid). */
  rid: string;
}

function toXliff2(code: InlineCode, p: Placement, isContainer: boolean): string {
  const id = toNmtoken(code.id);
  const startId = toNmtoken(p.rid);
  const annotation = code.element === 'mrk' || code.element === 'sm' || code.element === 'em';
  if (code.kind === 'standalone') return `<ph${attrs([['id', id], ['disp', code.label || undefined]])}/>`;
  if (isContainer && p.container) {
    if (code.kind === 'close') return code.element === 'mrk' ? '</mrk>' : '</pc>';
    return code.element === 'mrk' ? `<mrk${attrs([['id', id]])}>` : `<pc${attrs([['id', id], ['dispStart', code.label || undefined]])}>`;
  }
  if (annotation) {
    // An annotation marker without its partner has no meaning; the text is kept.
    if (!p.paired) return '';
    return code.kind === 'open' ? `<sm${attrs([['id', startId]])}/>` : `<em${attrs([['startRef', startId]])}/>`;
  }
  if (code.kind === 'open') return `<sc${attrs([['id', p.paired ? startId : id], ['isolated', p.paired ? undefined : 'yes'], ['disp', code.label || undefined]])}/>`;
  return p.paired ? `<ec${attrs([['startRef', startId]])}/>` : `<ec${attrs([['id', id], ['isolated', 'yes']])}/>`;
}

function toXliff12(code: InlineCode, p: Placement, isContainer: boolean): string {
  const equiv = code.label || undefined;
  if (code.kind === 'standalone') return `<x${attrs([['id', code.id], ['equiv-text', equiv]])}/>`;
  if (code.element === 'mrk' || code.element === 'sm' || code.element === 'em') {
    if (!(isContainer && p.container)) return '';
    return code.kind === 'open' ? '<mrk mtype="x-copydesk-mrk">' : '</mrk>';
  }
  if (isContainer && p.container) return code.kind === 'open' ? `<g${attrs([['id', code.id]])}>` : '</g>';
  // Without its partner in this text: an isolated tag, its native code the label.
  if (!p.paired) return `<it${attrs([['id', code.id], ['pos', code.kind === 'open' ? 'open' : 'close']])}>${escapeText(code.label)}</it>`;
  return `<${code.kind === 'open' ? 'bx' : 'ex'}${attrs([['id', p.rid], ['rid', p.rid], ['equiv-text', equiv]])}/>`;
}
