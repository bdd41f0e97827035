import { CODE_BASE, type InlineCode } from '../../policy/inlineCodes';
import { attrs, escapeText, hex4, splitXmlInvalid, toNmtoken } from './xml';

/** The XLIFF version family an export writes: '1' is XLIFF 1.2, '2' is XLIFF 2.0. */
export type XliffFamily = '1' | '2';

const CODE_END = CODE_BASE + 0x1700;

// Elements that wrap the text between their start and end tag. Written as such
// only when the pair nests properly in the text; otherwise as start/end markers.
const CONTAINERS = new Set(['g', 'pc', 'mrk']);

/** The ctype of the `<ph>` that stands for a character XML 1.0 cannot carry, in XLIFF 1.2. */
export const XLIFF12_CP_CTYPE = 'x-copydesk-cp';

/**
 * One character XML cannot carry: `<cp hex="…"/>` in XLIFF 2 (the standard's
 * own element); in XLIFF 1.2, which has none, a `<ph>` with ctype
 * {@link XLIFF12_CP_CTYPE} whose native code is the XML character reference
 * (`&#x1;`, escaped), so the character is kept and a reader can restore it.
 */
export function renderInvalidChar(code: number, family: XliffFamily, n: number): string {
  return family === '2' ? `<cp hex="${hex4(code)}"/>` : `<ph id="copydesk-cp${n}" ctype="${XLIFF12_CP_CTYPE}">${escapeText(`&#x${hex4(code)};`)}</ph>`;
}

/** Text without codes: escaped, with each character XML cannot carry written by {@link renderInvalidChar}. */
export function renderXliffText(text: string, family: XliffFamily, counter = { n: 0 }): string {
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
 * The text of a paragraph as XLIFF inline content of `family`. Each code
 * character (contract: U+E100 + k refers to `codes[k]`) is written back: a code
 * of the same family from its original `xml`; a code of the other family
 * converted, keeping its id (g↔pc, bx/bpt↔sc, ex/ept↔ec, x/ph↔ph/x, mrk↔mrk).
 * A container pair that no longer nests properly is written as start/end
 * markers (XLIFF 2 sc/ec or sm/em, XLIFF 1.2 bx/ex), isolated when its partner
 * is not in this text. A code character without an entry in `codes` is kept
 * as the character. Characters XML cannot carry go through {@link renderInvalidChar}.
 */
export function renderXliffInline(text: string, codes: readonly InlineCode[] | null | undefined, family: XliffFamily): string {
  const counter = { n: 0 };
  if (!codes || codes.length === 0) return renderXliffText(text, family, counter);
  const occurrences: Occurrence[] = [];
  for (let at = 0; at < text.length; at++) {
    const c = text.charCodeAt(at);
    if (c >= CODE_BASE && c < CODE_END && codes[c - CODE_BASE]) occurrences.push({ at, index: c - CODE_BASE });
  }
  if (occurrences.length === 0) return renderXliffText(text, family, counter);
  const nested = nestedContainers(occurrences, codes);
  const positionOf = new Map<number, number>();
  for (const o of occurrences) if (!positionOf.has(o.index)) positionOf.set(o.index, o.at);

  let out = '';
  let last = 0;
  for (const occ of occurrences) {
    out += renderXliffText(text.slice(last, occ.at), family, counter);
    last = occ.at + 1;
    const code = codes[occ.index];
    const partnerAt = code.pair === undefined ? undefined : positionOf.get(code.pair);
    // Paired in this text, in the right order: the open comes before its close.
    const paired = partnerAt !== undefined && (code.kind === 'open' ? partnerAt > occ.at : partnerAt < occ.at);
    const partner = code.pair === undefined ? undefined : codes[code.pair];
    out += renderCode(code, family, { container: nested.has(occ.at), paired, partnerId: partner?.id });
  }
  return out + renderXliffText(text.slice(last), family, counter);
}

interface Placement {
  /** Written as a start or end tag of a container. */
  container: boolean;
  /** Its partner is in the same text, in order. */
  paired: boolean;
  partnerId: string | undefined;
}

function renderCode(code: InlineCode, family: XliffFamily, p: Placement): string {
  if (code.element === 'cp') {
    const hex = /hex\s*=\s*["']([0-9A-Fa-f]+)["']/.exec(code.xml)?.[1];
    if (hex) return renderXliffText(String.fromCodePoint(parseInt(hex, 16)), family);
  }
  const isContainer = CONTAINERS.has(code.element);
  // Written back as read only where the result stays valid: an open or close
  // whose partner is gone from this text would break the schema's id references.
  const intact = code.kind === 'standalone' || (isContainer ? p.container : p.paired);
  if (code.family === family && intact) return code.xml;
  return family === '2' ? toXliff2(code, p, isContainer) : toXliff12(code, p, isContainer);
}

function toXliff2(code: InlineCode, p: Placement, isContainer: boolean): string {
  const id = toNmtoken(code.id);
  const startId = toNmtoken(p.partnerId ?? code.id);
  const annotation = code.element === 'mrk' || code.element === 'sm' || code.element === 'em';
  if (code.kind === 'standalone') return `<ph${attrs([['id', id], ['disp', code.label || undefined]])}/>`;
  if (isContainer && p.container) {
    if (code.kind === 'close') return code.element === 'mrk' ? '</mrk>' : '</pc>';
    return code.element === 'mrk' ? `<mrk${attrs([['id', id]])}>` : `<pc${attrs([['id', id], ['dispStart', code.label || undefined]])}>`;
  }
  if (annotation) {
    // An annotation marker without its partner has no meaning; the text is kept.
    if (!p.paired) return '';
    return code.kind === 'open' ? `<sm${attrs([['id', id]])}/>` : `<em${attrs([['startRef', startId]])}/>`;
  }
  if (code.kind === 'open') return `<sc${attrs([['id', id], ['isolated', p.paired ? undefined : 'yes'], ['disp', code.label || undefined]])}/>`;
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
  const rid = code.kind === 'open' ? code.id : (p.partnerId ?? code.id);
  return `<${code.kind === 'open' ? 'bx' : 'ex'}${attrs([['id', rid], ['rid', rid], ['equiv-text', equiv]])}/>`;
}
