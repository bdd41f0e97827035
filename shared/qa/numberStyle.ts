import { ORDINAL_WORDS, parseRoman, toRomanNumeral } from '../numbers';
import { quoteText, type Emit } from './types';

type Numbering = 'digits' | 'roman' | 'words';

interface Mention {
  paragraph: number;
  start: number;
  end: number;
  raw: string;
}

const ORDINAL_NAMES = new Map(Object.entries(ORDINAL_WORDS).map(([w, v]) => [v, w]));

function ordinalSuffix(n: number): string {
  const t = n % 100;
  if (t >= 11 && t <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
}

function write(n: number, style: Numbering): string {
  if (style === 'roman') return toRomanNumeral(n);
  if (style === 'digits') return `${n}${ordinalSuffix(n)}`;
  const w = ORDINAL_NAMES.get(n) ?? `${n}${ordinalSuffix(n)}`;
  return w[0].toUpperCase() + w.slice(1);
}

/** The ordinal numbers that name something ("XIX Central Committee", "19th Congress", "Fifth Plenary Session"), by value and style. */
function numberings(texts: readonly string[]): Map<number, Map<Numbering, Mention[]>> {
  const out = new Map<number, Map<Numbering, Mention[]>>();
  const add = (value: number, style: Numbering, m: Mention) => {
    const byStyle = out.get(value) ?? new Map<Numbering, Mention[]>();
    byStyle.set(style, [...(byStyle.get(style) ?? []), m]);
    out.set(value, byStyle);
  };
  texts.forEach((text, paragraph) => {
    // Only before a capitalised word: "World War II" ends a name and "the first time" is no numbering.
    for (const m of text.matchAll(/(?<![\p{L}\p{N}])([IVXL]{2,7})(?=\s+\p{Lu})/gu)) {
      const v = parseRoman(m[1]);
      if (v !== undefined) add(v, 'roman', { paragraph: paragraph, start: m.index, end: m.index + m[1].length, raw: m[1] });
    }
    for (const m of text.matchAll(/(?<![\p{L}\p{N}.,])(\d{1,3})(st|nd|rd|th)(?=\s+\p{Lu})/gu)) {
      add(Number(m[1]), 'digits', { paragraph, start: m.index, end: m.index + m[0].length, raw: m[0] });
    }
    for (const m of text.matchAll(/(?<![\p{L}\p{N}])(\p{Lu}\p{Ll}+)(?=\s+\p{Lu})/gu)) {
      const v = ORDINAL_WORDS[m[1].toLowerCase()];
      if (v !== undefined) add(v, 'words', { paragraph, start: m.index, end: m.index + m[1].length, raw: m[1] });
    }
  });
  return out;
}

/** Thousands written with and without a separator: "6,000" and "6000" (years such as 2025 are left out). */
function separators(texts: readonly string[]): Map<'comma' | 'plain', Mention[]> {
  const out = new Map<'comma' | 'plain', Mention[]>([['comma', []], ['plain', []]]);
  texts.forEach((text, paragraph) => {
    for (const m of text.matchAll(/(?<![\p{L}\p{N}.,#/\-–])(\d{1,3}(?:,\d{3})+|\d{4,7})(?![\p{L}\p{N}]|[.,/:\-–][\p{L}\p{N}])/gu)) {
      const raw = m[1];
      const plain = !raw.includes(',');
      if (plain && raw.length === 4 && Number(raw) < 2100) continue;
      out.get(plain ? 'plain' : 'comma')?.push({ paragraph, start: m.index, end: m.index + raw.length, raw });
    }
  });
  return out;
}

const NUMBERING_PREFERENCE: Numbering[] = ['digits', 'words', 'roman'];

/**
 * `numberStyle`: one finding per inconsistency within the article, on the
 * first mention written the minority way, with the majority form as the fix.
 * `texts` are the title and the paragraphs; `emitFor` maps their index back.
 */
export function checkNumberStyle(texts: readonly string[], emitFor: (index: number) => Emit): void {
  for (const [value, byStyle] of numberings(texts)) {
    if (byStyle.size < 2) continue;
    const ranked = [...byStyle.entries()].sort((a, b) => b[1].length - a[1].length || NUMBERING_PREFERENCE.indexOf(a[0]) - NUMBERING_PREFERENCE.indexOf(b[0]));
    const [major, majorMentions] = ranked[0];
    const minority = ranked.slice(1).flatMap(([, ms]) => ms).sort((a, b) => a.paragraph - b.paragraph || a.start - b.start)[0];
    const fix = write(value, major);
    emitFor(minority.paragraph)('numberStyle', minority.start, minority.end, `${quoteText(minority.raw)} and ${quoteText(majorMentions[0].raw)} number the same thing two ways in this article; use one form (${quoteText(fix)} is the more common here).`, fix);
  }
  const seps = separators(texts);
  const comma = seps.get('comma') ?? [];
  const plain = seps.get('plain') ?? [];
  if (comma.length > 0 && plain.length > 0) {
    const withComma = comma.length >= plain.length;
    const first = (withComma ? plain : comma)[0];
    const digits = first.raw.replace(/,/g, '');
    const fix = withComma ? Number(digits).toLocaleString('en-US') : digits;
    const example = (withComma ? comma : plain)[0].raw;
    emitFor(first.paragraph)('numberStyle', first.start, first.end, `${quoteText(first.raw)} is written ${withComma ? 'without' : 'with'} a thousands separator, unlike ${quoteText(example)} in this article; write numbers one way.`, fix);
  }
}
