import { diffArrays, type ArrayChange } from 'diff';

/** One run of a word diff, compact enough to store as JSON in `Revision.diffs`. */
export interface DiffPart {
  op: 'eq' | 'ins' | 'del';
  text: string;
}

/**
 * A paragraph diff. Joining the `eq` and `del` parts gives the old text exactly, and
 * joining the `eq` and `ins` parts gives the new text exactly, whitespace included.
 */
export interface ParagraphDiff {
  parts: DiffPart[];
  /** The diff bound was hit, so the paragraph is recorded as a whole replacement (del old, ins new). */
  truncated: boolean;
}

/** Edit statistics of a text against its machine translation; see `paragraphStats` for the formula. */
export interface EditStats {
  mtWords: number;
  words: number;
  inserted: number;
  deleted: number;
  substituted: number;
  editDistance: number;
  editRate: number;
}

/** Bounds for one diff. Any bound left out takes its `DIFF_LIMITS` default. */
export interface DiffOptions {
  /** Most single-token insertions plus deletions to search; a substitution costs 2. */
  maxEditLength?: number;
  /** Wall-clock budget per diff, in milliseconds. */
  timeoutMs?: number;
  /** Longest token list (per side) that is diffed at all. */
  maxTokens?: number;
}

/**
 * Default bounds, applied to every diff so one pathological paragraph cannot stall a
 * save. Measured on a development machine, a 200-token paragraph rewritten whole
 * diffs in about 10 ms, a 500-token one in about 45 ms, and a 1,000-token one with a
 * third of its words changed in about 45 ms; cost grows with length × edits. So
 * typical news paragraphs are never cut short, and on long heavily edited ones the
 * timeout usually binds before `maxEditLength`. Because the timeout is wall-clock, such
 * a diff may come back truncated on a loaded machine and exact on an idle one.
 * 20,000 tokens is roughly 100 KB of prose.
 */
export const DIFF_LIMITS: Readonly<{ maxEditLength: number; timeoutMs: number; maxTokens: number }> = Object.freeze({
  maxEditLength: 2000,
  timeoutMs: 50,
  maxTokens: 20_000,
});

/*
 * Tokens. jsdiff's own word tokenizers are not used: its word class covers Latin
 * script only, so Cyrillic, Greek, Arabic, Devanagari or Hangul words are split into
 * single letters; `diffWords` also cannot always give back the old text's whitespace,
 * and `diffWordsWithSpace` aligns on whitespace tokens, yielding perverse diffs.
 * Instead we tokenize here and diff the token arrays with `diffArrays`; whitespace
 * lives in the gaps between tokens and is reinstated when building parts.
 */

// Scripts written without spaces between words: each character is its own token, the
// usual convention for CJK edit rates. Script_Extensions also catches marks such as ー and 々.
const IDEOGRAPHIC = '\\p{scx=Han}\\p{scx=Hiragana}\\p{scx=Katakana}\\p{scx=Bopomofo}';
// Soft hyphen and ZWNJ/ZWJ occur inside words (Persian, Indic scripts, hyphenation hints).
const WORD_CHAR = `(?:(?![${IDEOGRAPHIC}])[\\p{L}\\p{M}\\p{N}_\\u00AD\\u200C\\u200D])`;
// Keeps "state-owned", "don't", "1,000.5" and "10:30" as one token each.
const JOINER = `(?:['\\u2019\\u2010\\u2011-]|(?<=\\p{N})[.,:/](?=\\p{N}))`;
// Invisible separators are not tokens; like whitespace they stay in the gaps.
const TOKEN = new RegExp(
  [
    `(?=[${IDEOGRAPHIC}])[\\p{L}\\p{N}]\\p{M}*`,
    `${WORD_CHAR}+(?:${JOINER}${WORD_CHAR}+)*`,
    `(?![\\u200B\\u2060\\uFEFF])\\S\\p{M}*`,
  ].join('|'),
  'gu',
);

interface Span {
  text: string;
  start: number;
  end: number;
}

/*
 * The same tokenizer for "plain" text: ASCII plus non-ASCII characters that are
 * neither letters, marks, digits, word joiners, invisible separators nor
 * surrogates (typographic quotes, dashes, no-break spaces…). On such text the
 * Unicode alternatives above reduce to these ASCII classes (no ideographs, no
 * marks, only ASCII digits and letters), and a non-u regex is several times
 * faster than the property escapes. Equivalence is checked by a property
 * test against TOKEN (tests/unit/diff-tokenize.test.ts).
 */
const PLAIN_TOKEN = /[A-Za-z0-9_]+(?:(?:['-]|(?<=[0-9])[.,:/](?=[0-9]))[A-Za-z0-9_]+)*|\S/g;
const NON_ASCII = /[^\x00-\x7f]/g;
const NOT_PLAIN = /[\p{L}\p{M}\p{N}\u00AD\u200B\u200C\u200D\u2019\u2010\u2011\u2060\uFEFF\uD800-\uDFFF]/u;

function isPlain(text: string): boolean {
  NON_ASCII.lastIndex = 0;
  for (let m = NON_ASCII.exec(text); m !== null; m = NON_ASCII.exec(text)) {
    const code = m[0].charCodeAt(0);
    if ((code >= 0xd800 && code <= 0xdfff) || NOT_PLAIN.test(m[0])) return false;
  }
  return true;
}

function scanSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(isPlain(text) ? PLAIN_TOKEN : TOKEN)) {
    const start = match.index;
    spans.push({ text: match[0], start, end: start + match[0].length });
  }
  return spans;
}

// A save compares each paragraph's new text with its MT and with its previous
// text, and the two often coincide: the last few tokenizations are reused.
// Spans are never mutated after they are made.
const SPAN_CACHE_SIZE = 4;
const spanCache: Array<{ text: string; spans: Span[] }> = [];

function tokenSpans(text: string): Span[] {
  for (const entry of spanCache) if (entry.text === text) return entry.spans;
  const spans = scanSpans(text);
  if (spanCache.length >= SPAN_CACHE_SIZE) spanCache.shift();
  spanCache.push({ text, spans });
  return spans;
}

/**
 * Splits text into the tokens that edit statistics count: words (letters, marks,
 * digits, with internal apostrophes/hyphens and digit separators), each punctuation
 * mark or symbol, and each Han/Kana/Bopomofo character. Whitespace is never a token.
 * Scripts without spaces other than CJK (Thai, Lao, Khmer…) come out one token per
 * space-separated run.
 */
export function tokenizeWords(text: string): string[] {
  return scanSpans(text).map((s) => s.text);
}

interface Limits {
  maxEditLength: number;
  timeoutMs: number;
  maxTokens: number;
}

function resolveLimits(opts: DiffOptions | undefined): Limits {
  const pick = (name: keyof Limits): number => {
    const value = opts?.[name] ?? DIFF_LIMITS[name];
    // Infinity is allowed (an explicit "unbounded" for offline recomputation); 0, negatives and NaN are bugs.
    if (!(value > 0)) throw new RangeError(`${name} must be a positive number, got ${String(value)}`);
    return value;
  };
  return { maxEditLength: pick('maxEditLength'), timeoutMs: pick('timeoutMs'), maxTokens: pick('maxTokens') };
}

/** A token-level diff within the limits, or undefined when a bound was hit. */
function boundedDiff(oldTokens: string[], newTokens: string[], limits: Limits): ArrayChange<string>[] | undefined {
  if (oldTokens.length > limits.maxTokens || newTokens.length > limits.maxTokens) return undefined;
  return diffArrays(oldTokens, newTokens, { maxEditLength: limits.maxEditLength, timeout: limits.timeoutMs });
}

class PartList {
  readonly parts: DiffPart[] = [];

  push(op: DiffPart['op'], text: string): void {
    if (text === '') return;
    const last = this.parts[this.parts.length - 1];
    if (last !== undefined && last.op === op) last.text += text;
    else this.parts.push({ op, text });
  }

  /**
   * The text between two matched tokens (or a text edge). Whitespace the two sides
   * share at either end stays unchanged, so "a b c" → "a c" shows "b " deleted rather
   * than " b " deleted and " " inserted; the rest is deleted/inserted whole, never
   * split inside a word.
   */
  pushGap(oldGap: string, newGap: string): void {
    if (oldGap === newGap) {
      this.push('eq', oldGap);
      return;
    }
    const head = commonPrefix(leadingSpace(oldGap), leadingSpace(newGap));
    const oldRest = oldGap.slice(head.length);
    const newRest = newGap.slice(head.length);
    const tail = commonSuffix(trailingSpace(oldRest), trailingSpace(newRest));
    this.push('eq', head);
    this.push('del', oldRest.slice(0, oldRest.length - tail.length));
    this.push('ins', newRest.slice(0, newRest.length - tail.length));
    this.push('eq', tail);
  }
}

function leadingSpace(s: string): string {
  return /^\s*/u.exec(s)?.[0] ?? '';
}

function trailingSpace(s: string): string {
  return /\s*$/u.exec(s)?.[0] ?? '';
}

function commonPrefix(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(0, i);
}

function commonSuffix(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[a.length - 1 - i] === b[b.length - 1 - i]) i++;
  return a.slice(a.length - i);
}

function wholeReplacement(before: string, after: string): ParagraphDiff {
  const list = new PartList();
  list.push('del', before);
  list.push('ins', after);
  return { parts: list.parts, truncated: true };
}

interface Alignment {
  oldSpans: Span[];
  newSpans: Span[];
  /** undefined when a bound was hit. */
  changes: ArrayChange<string>[] | undefined;
}

function align(before: string, after: string, limits: Limits): Alignment {
  const oldSpans = tokenSpans(before);
  const newSpans = tokenSpans(after);
  const changes = boundedDiff(
    oldSpans.map((s) => s.text),
    newSpans.map((s) => s.text),
    limits,
  );
  return { oldSpans, newSpans, changes };
}

function partsOf(before: string, after: string, { oldSpans, newSpans, changes }: Alignment): ParagraphDiff {
  if (changes === undefined) return wholeReplacement(before, after);
  const list = new PartList();
  let i = 0; // tokens of `before` consumed
  let j = 0; // tokens of `after` consumed
  let oldEnd = 0; // end offset of the last matched token in `before`
  let newEnd = 0;
  for (const change of changes) {
    if (change.added) {
      j += change.count;
    } else if (change.removed) {
      i += change.count;
    } else {
      for (let k = 0; k < change.count; k++, i++, j++) {
        const oldToken = oldSpans[i]!;
        const newToken = newSpans[j]!;
        list.pushGap(before.slice(oldEnd, oldToken.start), after.slice(newEnd, newToken.start));
        list.push('eq', oldToken.text);
        oldEnd = oldToken.end;
        newEnd = newToken.end;
      }
    }
  }
  list.pushGap(before.slice(oldEnd), after.slice(newEnd));
  return { parts: list.parts, truncated: false };
}

function unchanged(text: string): ParagraphDiff {
  return { parts: text === '' ? [] : [{ op: 'eq', text }], truncated: false };
}

/**
 * Word-level diff of two versions of a paragraph, for display and storage.
 *
 * Tokens (see `tokenizeWords`) are aligned with jsdiff's `diffArrays` under the
 * `DIFF_LIMITS` bounds; whitespace between tokens is then put back, so joining the
 * `eq`+`del` parts yields `before` and joining `eq`+`ins` yields `after`, byte for
 * byte. Adjacent parts with the same op are merged and empty parts are omitted.
 *
 * When a bound is hit (too many tokens, edit length or time exceeded) the result is
 * `{ parts: [del before, ins after], truncated: true }`.
 */
export function diffParagraph(before: string, after: string, opts?: DiffOptions): ParagraphDiff {
  const limits = resolveLimits(opts);
  if (before === after) return unchanged(before);
  return partsOf(before, after, align(before, after, limits));
}

interface EditCounts {
  inserted: number;
  deleted: number;
  substituted: number;
}

function countEdits(changes: readonly ArrayChange<string>[]): EditCounts {
  const counts: EditCounts = { inserted: 0, deleted: 0, substituted: 0 };
  let removed = 0;
  let added = 0;
  const flush = (): void => {
    counts.substituted += Math.min(removed, added);
    counts.inserted += Math.max(0, added - removed);
    counts.deleted += Math.max(0, removed - added);
    removed = 0;
    added = 0;
  };
  for (const change of changes) {
    if (change.added) added += change.count;
    else if (change.removed) removed += change.count;
    else flush();
  }
  flush();
  return counts;
}

function wholeReplacementCounts(mtWords: number, words: number): EditCounts {
  return {
    substituted: Math.min(mtWords, words),
    inserted: Math.max(0, words - mtWords),
    deleted: Math.max(0, mtWords - words),
  };
}

function total(counts: EditCounts): number {
  return counts.inserted + counts.deleted + counts.substituted;
}

function rate(editDistance: number, mtWords: number, words: number): number {
  if (mtWords === 0) return words === 0 ? 0 : 1;
  return Math.round((editDistance / mtWords) * 10_000) / 10_000;
}

function stats(mtWords: number, words: number, counts: EditCounts): EditStats {
  const editDistance = total(counts);
  return { mtWords, words, ...counts, editDistance, editRate: rate(editDistance, mtWords, words) };
}

function statsOf({ oldSpans, newSpans, changes }: Alignment): EditStats {
  const whole = wholeReplacementCounts(oldSpans.length, newSpans.length);
  if (changes === undefined) return stats(oldSpans.length, newSpans.length, whole);
  const aligned = countEdits(changes);
  // An LCS alignment can cost more than a rewrite ("p q c" → "c r s" keeps "c" at 4 edits
  // against 3); an edit distance is the cheapest known script, so take the rewrite then.
  return stats(oldSpans.length, newSpans.length, total(aligned) <= total(whole) ? aligned : whole);
}

/**
 * Edit statistics of `text` against its machine translation `mt` (HTER-like).
 *
 * Both texts are split by `tokenizeWords` (words and punctuation marks count, whitespace
 * does not; each CJK character is a token). `mtWords` and `words` are the token counts.
 * The token sequences are aligned by a bounded longest-common-subsequence diff
 * (jsdiff `diffArrays`). Between two consecutive matched tokens, a run of k deleted MT
 * tokens and m inserted tokens counts as
 *
 *     substituted += min(k, m);  inserted += max(0, m − k);  deleted += max(0, k − m)
 *
 * and then
 *
 *     editDistance = inserted + deleted + substituted
 *     editRate     = editDistance / mtWords, rounded to 4 decimals
 *
 * with editRate = 0 when both texts are empty and 1 when the MT is empty but the text
 * is not. Counting the paragraph as rewritten whole gives
 *
 *     substituted = min(mtWords, words);  inserted = max(0, words − mtWords);  deleted = max(0, mtWords − words)
 *
 * and that count is used instead when the alignment would cost more (reordered words
 * can make it so) or when a `DIFF_LIMITS` bound is hit. Hence
 * editDistance ≤ max(mtWords, words), and editRate exceeds 1 only when the text is longer
 * than the MT. Comparison is exact (case- and punctuation-sensitive); unlike TER, moved
 * phrases count as deletions plus insertions, not as shifts.
 */
export function paragraphStats(mt: string, text: string, opts?: DiffOptions): EditStats {
  return compareWithMt(mt, text, opts).stats;
}

/**
 * `diffParagraph(mt, text)` and `paragraphStats(mt, text)` from a single alignment.
 * A save needs both for every paragraph and the alignment is the costly part, so
 * services should call this rather than the two separately.
 */
export function compareWithMt(mt: string, text: string, opts?: DiffOptions): { diff: ParagraphDiff; stats: EditStats } {
  const limits = resolveLimits(opts);
  if (mt === text) {
    const n = tokenSpans(mt).length;
    return { diff: unchanged(mt), stats: stats(n, n, { inserted: 0, deleted: 0, substituted: 0 }) };
  }
  const alignment = align(mt, text, limits);
  return { diff: partsOf(mt, text, alignment), stats: statsOf(alignment) };
}

/**
 * `compareWithMt` without an alignment: the text recorded as a whole
 * replacement of the MT (truncated), with whole-replacement statistics, or
 * as unchanged when the two are equal. For a caller whose time budget is
 * spent (see REVISION_DIFF_BUDGET_MS in server/services/revisionData.ts).
 */
export function compareWhole(mt: string, text: string): { diff: ParagraphDiff; stats: EditStats } {
  const mtWords = tokenSpans(mt).length;
  if (mt === text) return { diff: unchanged(mt), stats: stats(mtWords, mtWords, { inserted: 0, deleted: 0, substituted: 0 }) };
  const words = tokenSpans(text).length;
  return { diff: wholeReplacement(mt, text), stats: stats(mtWords, words, wholeReplacementCounts(mtWords, words)) };
}

/**
 * Article totals of `paragraphStats` over (MT, text) pairs: every count is summed and
 * editRate = Σ editDistance / Σ mtWords (same rounding and empty-MT rules), so long
 * paragraphs weigh more than short ones. `paragraphsChanged` counts paragraphs with
 * editDistance > 0: a whitespace-only change does not count.
 */
export function articleStats(
  pairs: ReadonlyArray<{ mt: string; text: string }>,
  opts?: DiffOptions,
): EditStats & { paragraphsChanged: number } {
  return sumStats(pairs.map((pair) => paragraphStats(pair.mt, pair.text, opts)));
}

/**
 * Article totals of per-paragraph statistics, by the same rules as `articleStats`
 * (for callers that already have each paragraph's stats from `compareWithMt` and
 * should not align the paragraphs a second time).
 */
export function sumStats(perParagraph: ReadonlyArray<EditStats>): EditStats & { paragraphsChanged: number } {
  const total = { mtWords: 0, words: 0, inserted: 0, deleted: 0, substituted: 0 };
  let paragraphsChanged = 0;
  for (const p of perParagraph) {
    total.mtWords += p.mtWords;
    total.words += p.words;
    total.inserted += p.inserted;
    total.deleted += p.deleted;
    total.substituted += p.substituted;
    if (p.editDistance > 0) paragraphsChanged++;
  }
  const { mtWords, words, ...counts } = total;
  return { ...stats(mtWords, words, counts), paragraphsChanged };
}
