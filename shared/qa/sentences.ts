/** Sentence splitting shared by the sentence-level checks. */

const ABBREVIATIONS = new Set(
  (
    'mr mrs ms dr prof gen col lt sgt capt cmdr adm gov sen rep st jr sr inc corp co ltd llc plc no nos vs etc approx ' +
    'jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun dept est fig mt ft rev hon pres ' +
    'univ ave blvd rd hwy vol pp cf al min max gov’t govt'
  ).split(' '),
);

/** A token before a full stop that is an abbreviation, not a sentence end: "Mr", "U.S", "a.m", "J". */
export function isAbbreviation(token: string): boolean {
  // "Taiwan–U.S." ends in an abbreviation too.
  const t = token.replace(/^[("“‘'[]+/u, '').split(/[–—\-/]/u).pop() ?? '';
  if (/^\p{L}$/u.test(t)) return true;
  if (/^(?:\p{L}{1,3}\.)+\p{L}{1,3}\.?$/u.test(t)) return true;
  return ABBREVIATIONS.has(t.toLowerCase().replace(/\.$/, ''));
}

export interface Sentence {
  start: number;
  end: number;
  text: string;
  /** What ended the previous sentence: '.', '!' or '?', and whether a closing quote or bracket followed it. */
  after: { mark: string; closed: boolean } | null;
}

/**
 * Splits a paragraph into sentences at ".", "!" and "?" followed by
 * whitespace, except after abbreviations ("Mr.", "U.S.", "a.m.", initials)
 * and ellipses, which may continue a sentence.
 */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let start = 0;
  let after: Sentence['after'] = null;
  for (const m of text.matchAll(/([.!?]+)([”’"')\]]*)(?=\s)/gu)) {
    const marks = m[1];
    if (marks.length > 1 && /^\.+$/.test(marks)) continue; // "..." continues
    const end = m.index + m[0].length;
    if (marks === '.') {
      const before = /(\S+)$/u.exec(text.slice(start, m.index))?.[1] ?? '';
      if (before === '' || isAbbreviation(before)) continue;
      if (/\d$/.test(before) && /^\s*\d/.test(text.slice(end))) continue;
    }
    pushSentence(out, text, start, end, after);
    after = { mark: marks[marks.length - 1], closed: m[2] !== '' };
    start = end;
  }
  if (start < text.length) pushSentence(out, text, start, text.length, after);
  return out;
}

function pushSentence(out: Sentence[], text: string, start: number, end: number, after: Sentence['after']): void {
  const raw = text.slice(start, end);
  const lead = raw.length - raw.trimStart().length;
  const trimmed = raw.trim();
  if (trimmed === '') return;
  out.push({ start: start + lead, end: start + lead + trimmed.length, text: trimmed, after });
}

/** The words of a sentence (letters and digits, with inner apostrophes, dots and hyphens). */
export function sentenceWords(text: string): string[] {
  return [...text.matchAll(/[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*/gu)].map((m) => m[0]);
}

/** How many curly or straight double quotations are open at each of the ascending offsets, in one pass. */
export function quoteDepths(text: string, offsets: readonly number[]): number[] {
  const out: number[] = [];
  let depth = 0;
  let straight = 0;
  let i = 0;
  for (const at of offsets) {
    for (; i < at; i++) {
      const c = text[i];
      if (c === '“') depth++;
      else if (c === '”') depth = Math.max(0, depth - 1);
      else if (c === '"') straight ^= 1;
    }
    out.push(depth + straight);
  }
  return out;
}
