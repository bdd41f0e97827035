/**
 * Inline codes of translation files (XLIFF <x/>, <ph>, <bpt>/<ept>, <g>, <pc>,
 * <sc>/<ec> …) kept inside a paragraph's text. Each occurrence is one
 * private-use character, U+E100 + k, standing for entry k of the paragraph's
 * code table; the text between an opening and a closing code stays ordinary
 * text. One character per code keeps a code atomic in the editor, in diffs
 * (a code is its own one-character token) and in every string operation.
 *
 * Pure: imports nothing from Node or the database, the admin runs it too.
 */

export type InlineCodeKind = 'open' | 'close' | 'standalone';

export interface InlineCode {
  /** The code's id in the file (XLIFF 2 id / XLIFF 1.2 id / rid), or a generated one. */
  id: string;
  kind: InlineCodeKind;
  /** Element name as read, without prefix: g, x, bx, ex, ph, bpt, ept, it, mrk, pc, sc, ec, sm, em, cp … */
  element: string;
  /** XLIFF version family of the file it came from: '1' or '2'. */
  family: '1' | '2';
  /**
   * The element exactly as it appeared in the source file (for an open/close
   * pair of a container element such as <g>/<pc>/<mrk>: only its start tag /
   * end tag), so the export of the same family writes it back byte-for-byte.
   */
  xml: string;
  /** Human label shown as a chip in the editor: equiv-text/disp/the native code text, or the element name. */
  label: string;
  /** For open/close: the index in `codes` of its partner, when paired in this paragraph. */
  pair?: number;
}

export interface ParagraphNote {
  text: string;
  from?: string;
  priority?: number;
  category?: string;
}

export interface ParagraphMeta {
  /** The <file> the paragraph came from. */
  fileId?: string;
  original?: string;
  /** XLIFF 2 unit/segment, XLIFF 1.2 trans-unit id. */
  unitId?: string;
  segmentId?: string;
  /** 1.2 resname / 2.x name. */
  resname?: string;
  /** Target state as read (needs-review-translation, translated, final …); approved="yes" reads as 'approved'. */
  state?: string;
  notes?: ParagraphNote[];
  /** translate="no": the paragraph cannot be edited. */
  locked?: boolean;
  /** The file had no or an empty target: the MT is empty, still to be translated. */
  emptyTarget?: boolean;
}

/** The character of code 0. */
export const CODE_BASE = 0xe100;
/** Number of code characters available: U+E100..U+F7FF. */
export const CODE_LIMIT = 0x1700;

/** The character standing for `codes[index]`. */
export function codeChar(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= CODE_LIMIT) throw new RangeError(`inline code index ${index} is outside 0..${CODE_LIMIT - 1}`);
  return String.fromCharCode(CODE_BASE + index);
}

/** The code index a character stands for, or undefined when it is not a code character. */
export function codeIndexOf(char: string): number | undefined {
  if (char.length !== 1) return undefined;
  const k = char.charCodeAt(0) - CODE_BASE;
  return k >= 0 && k < CODE_LIMIT ? k : undefined;
}

/** True when the text holds at least one code character. */
export function hasCodes(text: string): boolean {
  return CODE_CHARS.test(text);
}

const CODE_CHARS = /[\ue100-\uf7ff]/;
const CODE_CHARS_G = /[\ue100-\uf7ff]/g;

/** The code indices of a text, in order of appearance (repeats included). */
export function codeIndices(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(CODE_CHARS_G)) out.push(m[0].charCodeAt(0) - CODE_BASE);
  return out;
}

export interface CodeComparison {
  /** Codes of the reference that the text lacks. */
  missing: number[];
  /** Codes in the text that the reference does not have. */
  extra: number[];
  /** Codes the text holds more often than the reference does. */
  duplicated: number[];
  /** The codes both texts share do not appear in the same order (a closing code before its opening one included). */
  reordered: boolean;
}

/**
 * Compares the codes of `text` with those of `reference` (the MT, or the
 * source when the MT is empty), for the QA check. Each list is sorted and
 * holds each index once.
 */
export function compareCodes(reference: string, text: string): CodeComparison {
  const ref = codeIndices(reference);
  const got = codeIndices(text);
  const refCount = countOf(ref);
  const gotCount = countOf(got);
  const missing = [...refCount.keys()].filter((k) => !gotCount.has(k));
  const extra = [...gotCount.keys()].filter((k) => !refCount.has(k));
  const duplicated = [...gotCount].filter(([k, n]) => refCount.has(k) && n > (refCount.get(k) ?? 0)).map(([k]) => k);
  // Order of first appearance of the shared codes: a moved code (or a
  // swapped open/close pair) changes it, a deleted or added one does not.
  const firstOrder = (list: number[], keep: Map<number, number>) => [...new Set(list.filter((k) => keep.has(k)))];
  const a = firstOrder(ref, gotCount);
  const b = firstOrder(got, refCount);
  const reordered = a.length !== b.length || a.some((k, i) => k !== b[i]);
  const byNumber = (x: number, y: number) => x - y;
  return { missing: missing.sort(byNumber), extra: extra.sort(byNumber), duplicated: duplicated.sort(byNumber), reordered };
}

function countOf(list: number[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const k of list) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

/**
 * Text for plain-text exports and displays: each code is replaced by its
 * label in square brackets ("Click [img] to go on", "[<b>]bold[</b>]"), so a
 * reader sees that something stood there and the words around it stay
 * apart. A code character with no entry in the table reads "[?]".
 */
export function plainText(text: string, codes: readonly InlineCode[] | null): string {
  if (!hasCodes(text)) return text;
  return text.replace(CODE_CHARS_G, (c) => {
    const code = codes?.[c.charCodeAt(0) - CODE_BASE];
    return code ? `[${code.label}]` : '[?]';
  });
}

/**
 * The editable form of a text: each code character becomes a visible,
 * bracketed number "⟦k⟧" (k = 1-based index), which `fromEditable` maps back.
 * Plain textareas cannot show a private-use character, and a user can see,
 * move and delete the bracketed form; a mangled one stays literal text and
 * the QA code check reports the code as missing.
 */
export function toEditable(text: string): string {
  if (!hasCodes(text)) return text;
  return text.replace(CODE_CHARS_G, (c) => `⟦${c.charCodeAt(0) - CODE_BASE + 1}⟧`);
}

/** Maps "⟦k⟧" back to code characters, for the indices the table holds; anything else stays as typed. */
export function fromEditable(text: string, codeCount: number): string {
  if (!text.includes('⟦')) return text;
  return text.replace(/⟦(\d{1,4})⟧/g, (whole, n: string) => {
    const k = Number(n) - 1;
    return k >= 0 && k < codeCount && k < CODE_LIMIT ? codeChar(k) : whole;
  });
}
