/**
 * Finds the numbers a text states, in digits, English number words, Chinese
 * numerals and the mixed forms machine translation produces from 万 and 亿
 * ("1.3 ten thousand" for 1.3万), so the QA checks can compare the numbers of
 * a translation with those of its source and MT by value.
 */

/** One number found in a text. */
export interface NumberMention {
  /** UTF-16 offsets of the span in the text. */
  start: number;
  end: number;
  raw: string;
  value: number;
  /**
   * Explicit mentions (digits, number words of ten or more, Chinese numerals)
   * must be matched by the other text. Implicit ones (month names, ordinal
   * words, "one" to "nine", "a dozen") may match a number of the other text
   * but are never reported as missing: they are too often not numbers at all
   * ("one of the", "may") or a rephrasing of one ("October" for 10月).
   */
  explicit: boolean;
  /**
   * A digit number followed by a ten/hundred scale or stacked scales, such as
   * "1.3 ten thousand" or "12.6 hundred million": how MT renders 万 and 亿,
   * never how English writes numbers.
   */
  garbled: boolean;
  percent: boolean;
}

const SMALL: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const SCALES: Record<string, number> = { thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };
const ORDINALS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
  eleventh: 11, twelfth: 12, thirteenth: 13, fourteenth: 14, fifteenth: 15, sixteenth: 16, seventeenth: 17, eighteenth: 18,
  nineteenth: 19, twentieth: 20, thirtieth: 30, fortieth: 40, fiftieth: 50, sixtieth: 60, seventieth: 70, eightieth: 80,
  ninetieth: 90, hundredth: 100,
};

/** Ordinal words and their values ("fifth" = 5, "twentieth" = 20). */
export const ORDINAL_WORDS: Readonly<Record<string, number>> = Object.freeze({ ...ORDINALS });

const ROMAN_VALUES: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100 };

/**
 * The value of an upper-case Roman numeral of two or more letters up to 399
 * ("XIX" = 19, "XX" = 20), or undefined when the letters are not one written
 * the standard way ("IIX", "VV").
 */
export function parseRoman(raw: string): number | undefined {
  if (!/^[IVXLC]{2,9}$/.test(raw)) return undefined;
  let total = 0;
  for (let i = 0; i < raw.length; i++) {
    const v = ROMAN_VALUES[raw[i]];
    const next = ROMAN_VALUES[raw[i + 1]] ?? 0;
    total += v < next ? -v : v;
  }
  return toRomanNumeral(total) === raw ? total : undefined;
}

/** A positive integer below 400 as a Roman numeral (19 → XIX). */
export function toRomanNumeral(n: number): string {
  const parts: Array<[number, string]> = [[100, 'C'], [90, 'XC'], [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
  let out = '';
  for (const [v, s] of parts) {
    while (n >= v) {
      out += s;
      n -= v;
    }
  }
  return out;
}
const MONTHS: Record<string, number> = {
  january: 1, february: 2, march: 3, april: 4, may: 5, june: 6, july: 7, august: 8, september: 9, october: 10, november: 11, december: 12,
  jan: 1, feb: 2, mar: 3, apr: 4, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};

const CJK_DIGITS: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const CJK_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000, 万: 1e4, 亿: 1e8 };
/** Words whose numeral characters do not state a number. */
const CJK_IDIOMS = ['十分', '十足', '十全十美', '四处', '四面八方', '七嘴八舌', '五颜六色', '乱七八糟', '三心二意', '一心一意', '万一', '一一', '千方百计', '三番五次', '九州', '五湖四海', '万众一心', '一五一十'];

// Full-width digits and signs map one to one onto ASCII, so offsets are kept.
function halfWidth(text: string): string {
  return text.replace(/[\uFF10-\uFF19\uFF05\uFF0E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** Rounds away binary noise so 12.6 × 10⁸ equals 1.26 × 10⁹. */
function clean(n: number): number {
  return Number(n.toPrecision(12));
}

/** Whether two values are the same number (relative tolerance for decimal products). */
export function sameNumber(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1);
}

/**
 * How English news writes a value: "13,000", "1.26 billion", "35 billion".
 * Used to suggest a replacement for a garbled MT number.
 */
export function formatNumber(value: number, percent = false): string {
  const suffix = percent ? '%' : '';
  for (const [name, scale] of [['trillion', 1e12], ['billion', 1e9], ['million', 1e6]] as const) {
    if (Math.abs(value) >= scale) {
      const n = clean(value / scale);
      if (Number.isInteger(n * 1000) || Math.abs(n * 1000 - Math.round(n * 1000)) < 1e-6) return `${n} ${name}${suffix}`;
    }
  }
  return `${value.toLocaleString('en-US', { maximumFractionDigits: 3 })}${suffix}`;
}

/** Parses a run of Chinese numerals ("四十七", "三亿五千万", "二〇二四"); undefined when it is not a number. */
export function parseChineseNumeral(run: string): number | undefined {
  const chars = [...run];
  if (chars.length === 0) return undefined;
  if (chars.every((c) => c in CJK_DIGITS) && chars.length > 1) {
    // Digit by digit, as years are written: 二〇二四 = 2024.
    return Number(chars.map((c) => CJK_DIGITS[c]).join(''));
  }
  let total = 0;
  let section = 0;
  let digit = 0;
  let any = false;
  for (const c of chars) {
    if (c in CJK_DIGITS) {
      digit = CJK_DIGITS[c];
      any = true;
    } else if (c === '十' || c === '百' || c === '千') {
      section += (digit === 0 && c === '十' ? 1 : digit) * CJK_UNITS[c];
      digit = 0;
      any = true;
    } else if (c === '万') {
      total += (section + digit) * 1e4;
      section = 0;
      digit = 0;
    } else if (c === '亿') {
      total = (total + section + digit) * 1e8;
      section = 0;
      digit = 0;
    } else {
      return undefined;
    }
  }
  return any ? total + section + digit : undefined;
}

interface WordToken {
  word: string;
  start: number;
  end: number;
}

/** Value of a run of English number words; `scaled` when it holds hundred/thousand/million…. */
function parseNumberWords(words: string[]): { value: number; scaled: boolean } {
  let total = 0;
  let current = 0;
  let prevScale = false;
  let scaled = false;
  for (const raw of words) {
    const w = raw.toLowerCase();
    if (w === 'a') {
      current = 1;
      prevScale = false;
    } else if (w in SMALL || w in TENS) {
      if (prevScale) {
        total += current;
        current = 0;
      }
      current += SMALL[w] ?? TENS[w];
      prevScale = false;
    } else if (w === 'hundred') {
      current = (current || 1) * 100;
      scaled = true;
      prevScale = false;
    } else if (w in SCALES) {
      // "ten thousand million" stacks (MT for 亿); "two million three thousand" adds.
      current = (current || 1) * SCALES[w];
      prevScale = true;
      scaled = true;
    }
  }
  return { value: clean(total + current), scaled };
}

const NUMBER_WORD = (w: string): boolean => {
  const l = w.toLowerCase();
  return l in SMALL || l in TENS || l === 'hundred' || l in SCALES;
};

// A digit number, optionally followed by a percent sign, a Chinese unit, an English scale or an ordinal suffix.
const DIGITS = new RegExp(
  String.raw`(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)` +
    String.raw`(?:(\s?%|\s?per\s?cent\b|\s?percent\b)|([十百千万亿]+)|((?:\s+(?:ten|hundred|thousand|million|billion|trillion)\b)+)|(bn|tn)\b|(st|nd|rd|th)\b)?`,
  'giu',
);
const CJK_RUN = /(百分之)?([〇零一二两三四五六七八九十][〇零一二两三四五六七八九十百千万亿]*)/gu;

/**
 * Every number stated in `text`, in order of position. Handles digits with
 * thousands separators and decimals, percentages ("12.5%", "30 per cent",
 * 百分之三十), Chinese units after digits (1.2万 = 12,000, 3亿 = 300,000,000),
 * Chinese numerals, English number words ("ten thousand", "twenty-five",
 * "a million"), MT's stacked scales ("3.5 ten thousand million" =
 * 35,000,000,000), ordinals and month names (implicit), and times (the
 * minutes of "6:00" are not a number). Full-width digits count as digits.
 */
export function findNumbers(input: string): NumberMention[] {
  const text = halfWidth(input);
  const found: NumberMention[] = [];
  const taken: Array<[number, number]> = [];
  // Spans found so far, sorted by start; overlap queries binary-search them (texts may hold thousands of numbers).
  const isTaken = (s: number, e: number): boolean => {
    let lo = 0;
    let hi = taken.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (taken[mid][0] < e) lo = mid + 1;
      else hi = mid;
    }
    // taken[0..lo) start before e; spans never overlap each other, so only the last of them can reach past s.
    return lo > 0 && taken[lo - 1][1] > s;
  };
  const take = (s: number, e: number): void => {
    let at = taken.length;
    while (at > 0 && taken[at - 1][0] > s) at--;
    taken.splice(at, 0, [s, e]);
  };

  for (const m of text.matchAll(DIGITS)) {
    const [whole, digits, pct, cjkUnits, scaleWords, abbrev] = m;
    const start = m.index;
    let end = start + whole.length;
    let value = Number(digits.replace(/,/g, ''));
    let garbled = false;
    // Minutes of a time: "6:00" states 6 o'clock, not a zero.
    if (start > 0 && text[start - 1] === ':' && /\d/.test(text[start - 2] ?? '') && value === 0) continue;
    if (cjkUnits) {
      for (const c of cjkUnits) value *= CJK_UNITS[c];
    } else if (scaleWords) {
      const words = scaleWords.trim().split(/\s+/).map((w) => w.toLowerCase());
      // Only a pure scale phrase multiplies: "ten thousand", "hundred million", "million".
      const phrase = scalePhrase(words);
      if (phrase.length === 0) {
        end = start + digits.length;
      } else {
        for (const w of phrase) value *= w === 'ten' ? 10 : w === 'hundred' ? 100 : SCALES[w];
        garbled = phrase[0] === 'ten' || phrase[0] === 'hundred' || phrase.length > 1;
        const used = scaleWords.match(new RegExp(String.raw`^(?:\s+\S+){${phrase.length}}`, 'u'))?.[0] ?? '';
        end = start + digits.length + used.length;
      }
    } else if (abbrev) {
      value *= abbrev.toLowerCase() === 'bn' ? 1e9 : 1e12;
    }
    take(start, end);
    found.push({ start, end, raw: input.slice(start, end), value: clean(value), explicit: true, garbled, percent: Boolean(pct) });
  }

  const idiomRanges: Array<[number, number]> = [];
  for (const idiom of CJK_IDIOMS) {
    for (let at = text.indexOf(idiom); at >= 0; at = text.indexOf(idiom, at + 1)) idiomRanges.push([at, at + idiom.length]);
  }
  for (const m of text.matchAll(CJK_RUN)) {
    const [whole, pct, run] = m;
    const start = m.index;
    const end = start + whole.length;
    if (isTaken(start, end)) continue;
    const before = text.slice(Math.max(0, start - 2), start);
    // 周五 / 星期五 / 礼拜五 are weekdays; a lone 一 is mostly "a" or part of a word (一些, 统一, 之一).
    if (/(?:周|星期|礼拜)$/.test(before)) continue;
    if (run === '一' && !before.endsWith('第') && !pct) continue;
    if (idiomRanges.some(([a, b]) => start < b && end > a)) continue;
    const value = parseChineseNumeral(run);
    if (value === undefined) continue;
    take(start, end);
    found.push({ start, end, raw: input.slice(start, end), value, explicit: true, garbled: false, percent: Boolean(pct) });
  }

  const tokens: WordToken[] = [];
  for (const m of text.matchAll(/\p{L}+/gu)) tokens.push({ word: m[0], start: m.index, end: m.index + m[0].length });
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (isTaken(t.start, t.end)) continue;
    const lower = t.word.toLowerCase();
    // Roman numerals number congresses, plenums and plans ("XIX Central Committee"): the same number as "19th".
    const roman = parseRoman(t.word);
    if (roman !== undefined) {
      found.push({ start: t.start, end: t.end, raw: t.word, value: roman, explicit: false, garbled: false, percent: false });
      continue;
    }
    const implicitValue = ORDINALS[lower] ?? MONTHS[lower];
    if (implicitValue !== undefined && /^\p{Lu}?\p{Ll}+$/u.test(t.word)) {
      found.push({ start: t.start, end: t.end, raw: t.word, value: implicitValue, explicit: false, garbled: false, percent: false });
      continue;
    }
    const startsRun = NUMBER_WORD(t.word) || (lower === 'a' && tokens[i + 1] !== undefined && (tokens[i + 1].word.toLowerCase() in SCALES || ['hundred', 'dozen'].includes(tokens[i + 1].word.toLowerCase())) && joined(text, t, tokens[i + 1]));
    if (!startsRun) continue;
    const run: WordToken[] = [t];
    let j = i + 1;
    while (j < tokens.length && !isTaken(tokens[j].start, tokens[j].end)) {
      const prev = run[run.length - 1];
      const next = tokens[j];
      const prevLower = prev.word.toLowerCase();
      if (NUMBER_WORD(next.word) && joined(text, prev, next)) {
        run.push(next);
        j++;
      } else if (
        next.word.toLowerCase() === 'and' &&
        (prevLower === 'hundred' || prevLower in SCALES) &&
        tokens[j + 1] !== undefined &&
        NUMBER_WORD(tokens[j + 1].word) &&
        joined(text, prev, next) &&
        joined(text, next, tokens[j + 1])
      ) {
        run.push(next, tokens[j + 1]);
        j += 2;
      } else if (next.word.toLowerCase() === 'dozen' && prevLower === 'a' && joined(text, prev, next)) {
        run.push(next);
        j++;
        break;
      } else {
        break;
      }
    }
    const words = run.map((r) => r.word).filter((w) => w.toLowerCase() !== 'and');
    if (words.length === 1 && words[0].toLowerCase() === 'a') continue;
    const start = run[0].start;
    const end = run[run.length - 1].end;
    let value: number;
    let scaled: boolean;
    if (words[words.length - 1].toLowerCase() === 'dozen') {
      value = 12;
      scaled = false;
    } else {
      ({ value, scaled } = parseNumberWords(words));
    }
    // "twenty-first" is the ordinal 21, named like "21st": implicit, as ordinal words are.
    const ordinalTail = TENS[words[words.length - 1].toLowerCase()] !== undefined && words.length === 1 ? /^[-\u2010\u2011](\p{L}+)/u.exec(text.slice(end)) : null;
    const unit = ordinalTail ? ORDINALS[ordinalTail[1].toLowerCase()] : undefined;
    if (ordinalTail && unit !== undefined && unit < 10) {
      const tailEnd = end + ordinalTail[0].length;
      take(start, tailEnd);
      found.push({ start, end: tailEnd, raw: input.slice(start, tailEnd), value: TENS[words[0].toLowerCase()] + unit, explicit: false, garbled: false, percent: false });
      i = j;
      while (i + 1 < tokens.length && tokens[i + 1].start < tailEnd) i++;
      continue;
    }
    const after = text.slice(end).match(/^\s?(?:per\s?cent\b|percent\b|%)/iu);
    const realEnd = after ? end + after[0].length : end;
    const explicit = (value >= 10 || scaled) && words[words.length - 1].toLowerCase() !== 'dozen';
    take(start, realEnd);
    found.push({ start, end: realEnd, raw: input.slice(start, realEnd), value, explicit, garbled: false, percent: Boolean(after) });
    i = j - 1;
  }
  return found.sort((a, b) => a.start - b.start);
}

/** The leading words of `words` that form a scale phrase ("ten thousand", "hundred million", "million"). */
function scalePhrase(words: string[]): string[] {
  const out: string[] = [];
  for (const w of words) {
    if (w in SCALES) out.push(w);
    else if ((w === 'ten' || w === 'hundred') && out.length === 0) out.push(w);
    else if (w === 'hundred' && out.length === 1 && out[0] === 'ten') return [];
    else break;
  }
  // "5 ten" alone is not a scale; "5 hundred" is (garbled) and "5 million" is plain English.
  if (out.length === 1 && out[0] === 'ten') return [];
  return out;
}

/** Two word tokens separated only by spaces or a hyphen. */
function joined(text: string, a: WordToken, b: WordToken): boolean {
  return /^(?:[ \u00A0]+|[-\u2010\u2011])$/.test(text.slice(a.end, b.start));
}
