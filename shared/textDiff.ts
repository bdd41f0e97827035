import { diffArrays } from 'diff';

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
  /**
   * Most search work for one diff, in token-edits: the tokens searched (both sides,
   * after the reductions described at `boundedDiff`) times the edit length searched.
   * A count, not a time, so the same two texts give the same result on any machine
   * under any load.
   */
  maxWork?: number;
  /** Longest token list (per side) that is diffed at all. */
  maxTokens?: number;
}

/**
 * Default bounds, applied to every diff so one pathological paragraph cannot stall a
 * save. Every bound is a count derived from the two texts alone: the diff and the
 * statistics of two texts never depend on the machine, its load or the time of day.
 *
 * jsdiff's search (Myers, node_modules/diff/libesm/diff/base.js) runs edit length
 * D = 1, 2, … and at each D extends at most D + 1 diagonals, allocating a path per
 * diagonal; a diagonal's furthest point only moves forward, so its matching runs
 * ("snakes") cost at most min(N, M) comparisons over the whole search. Its cost is
 * therefore O(D² + D·min(N, M)) ≤ O((N + M)·D), and capping D at
 * floor(maxWork / (N + M)) caps the work at maxWork. Measured on a 2-core machine
 * (docs/benchmarks.md, "diff-worst"), the costliest inputs run at up to about 20 ns
 * per unit idle and 35 ns loaded: texts that share most tokens yet need an edit
 * length close to their length (two unrelated paragraphs over a small vocabulary,
 * where the D² allocations dominate) and periodic texts such as "a b a b …" against
 * "b a a b a a …" (every diagonal has long snakes). A 1,000-token paragraph with half
 * its words edited needs about 0.65 million units, a few fixes in a 20,000-token
 * paragraph under 0.5 million, so typical news edits are never cut short; long
 * unrelated texts are. 20,000 tokens is roughly 100 KB of prose.
 */
export const DIFF_LIMITS: Readonly<{ maxEditLength: number; maxWork: number; maxTokens: number }> = Object.freeze({
  maxEditLength: 2000,
  maxWork: 1_000_000,
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

/**
 * A tokenized text: token `i` is `texts[i]`, found at offset `starts[i]` of the text.
 * Parallel arrays rather than one object per token: the diff needs only the strings,
 * and the offsets are read once when building parts.
 */
interface Tokens {
  texts: string[];
  starts: number[];
}

/*
 * The same tokenizer for "plain" text: ASCII plus non-ASCII characters that are
 * neither letters, marks, digits, word joiners, invisible separators nor
 * surrogates (typographic quotes, dashes, no-break spaces…). On such text the
 * Unicode alternatives above reduce to ASCII classes (no ideographs, no marks,
 * only ASCII digits and letters), i.e. to the regex
 *
 *     [A-Za-z0-9_]+(?:(?:['-]|(?<=[0-9])[.,:/](?=[0-9]))[A-Za-z0-9_]+)*|\S
 *
 * which `scanPlain` implements as a character loop: a regex match allocates an
 * array per token, and this runs on every paragraph of every save. Equivalence with
 * TOKEN is checked by property tests (tests/unit/diff-tokenize.test.ts and
 * tests/unit/diff-equivalence.test.ts).
 */
// ZWJ (U+200D) comes last: between two other members the class would read as a joined sequence.
const NOT_PLAIN = /[\p{L}\p{M}\p{N}\u00AD\u200B\u200C\u2019\u2010\u2011\u2060\uFEFF\u200D]/u;
const SPACE = /\s/u;

const enum Kind {
  Unknown = 0,
  Word = 1,
  Space = 2,
  /** A plain character that is a token by itself (punctuation, symbol). */
  Mark = 3,
  /** Rules the plain scanner out: the text goes to TOKEN. */
  NotPlain = 4,
}

// Per UTF-16 code unit, filled on first sight (64 KB); ASCII up front, as the hot
// loops read it without a call. Only ASCII is ever Word.
const KIND = new Uint8Array(0x10000);

function classify(code: number): Kind {
  const ch = String.fromCharCode(code);
  if (code >= 0xd800 && code <= 0xdfff) return Kind.NotPlain;
  if (code < 0x80) return /[A-Za-z0-9_]/.test(ch) ? Kind.Word : SPACE.test(ch) ? Kind.Space : Kind.Mark;
  if (NOT_PLAIN.test(ch)) return Kind.NotPlain;
  return SPACE.test(ch) ? Kind.Space : Kind.Mark;
}

function kindOf(code: number): Kind {
  const kind = KIND[code]!;
  return kind !== Kind.Unknown ? kind : (KIND[code] = classify(code));
}

for (let code = 0; code < 0x80; code++) KIND[code] = classify(code);

function isWordChar(code: number): boolean {
  return code < 0x80 && KIND[code] === Kind.Word;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Tokens of plain text, or undefined when the text is not plain. */
function scanPlain(text: string): Tokens | undefined {
  const texts: string[] = [];
  const starts: number[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const code = text.charCodeAt(i);
    const kind = code < 0x80 ? KIND[code]! : kindOf(code);
    if (kind === Kind.Space) {
      i++;
      continue;
    }
    if (kind === Kind.NotPlain) return undefined;
    const start = i++;
    if (kind === Kind.Word) {
      // The word and any joiner + word that follows: ' or - before a word
      // character, . , : or / between two digits.
      for (;;) {
        while (i < n && isWordChar(text.charCodeAt(i))) i++;
        if (i + 1 >= n) break;
        const joiner = text.charCodeAt(i);
        const next = text.charCodeAt(i + 1);
        const joins =
          joiner === 0x27 || joiner === 0x2d // ' -
            ? isWordChar(next)
            : (joiner === 0x2e || joiner === 0x2c || joiner === 0x3a || joiner === 0x2f) && isDigit(text.charCodeAt(i - 1)) && isDigit(next); // . , : /
        if (!joins) break;
        i += 2;
      }
    }
    texts.push(text.slice(start, i));
    starts.push(start);
  }
  return { texts, starts };
}

function scanUnicode(text: string): Tokens {
  const texts: string[] = [];
  const starts: number[] = [];
  for (const match of text.matchAll(TOKEN)) {
    texts.push(match[0]);
    starts.push(match.index);
  }
  return { texts, starts };
}

function scan(text: string): Tokens {
  return scanPlain(text) ?? scanUnicode(text);
}

// A save compares each paragraph's new text with its MT and with its previous
// text, and the two often coincide: the last few tokenizations are reused.
// Tokens are never mutated after they are made.
const TOKEN_CACHE_SIZE = 4;
const tokenCache: Array<{ text: string; tokens: Tokens }> = [];

function tokensOf(text: string): Tokens {
  for (const entry of tokenCache) if (entry.text === text) return entry.tokens;
  const tokens = scan(text);
  if (tokenCache.length >= TOKEN_CACHE_SIZE) tokenCache.shift();
  tokenCache.push({ text, tokens });
  return tokens;
}

/**
 * Splits text into the tokens that edit statistics count: words (letters, marks,
 * digits, with internal apostrophes/hyphens and digit separators), each punctuation
 * mark or symbol, and each Han/Kana/Bopomofo character. Whitespace is never a token.
 * Scripts without spaces other than CJK (Thai, Lao, Khmer…) come out one token per
 * space-separated run.
 */
export function tokenizeWords(text: string): string[] {
  return scan(text).texts;
}

interface Limits {
  maxEditLength: number;
  maxWork: number;
  maxTokens: number;
}

function resolveLimits(opts: DiffOptions | undefined): Limits {
  const pick = (name: keyof Limits): number => {
    const value = opts?.[name] ?? DIFF_LIMITS[name];
    // Infinity is allowed (an explicit "unbounded" for offline recomputation); 0, negatives and NaN are bugs.
    if (!(value > 0)) throw new RangeError(`${name} must be a positive number, got ${String(value)}`);
    return value;
  };
  return { maxEditLength: pick('maxEditLength'), maxWork: pick('maxWork'), maxTokens: pick('maxTokens') };
}

/** One run of the token alignment, as jsdiff reports it: `count` tokens kept, added or removed. */
interface Change {
  count: number;
  added: boolean;
  removed: boolean;
}

/** Builds the alignment of the whole token lists from its matched pairs, in order. */
class ChangeList {
  readonly changes: Change[] = [];
  private oldNext = 0;
  private newNext = 0;

  /** Old token `i` matches new token `j`; the tokens skipped since the last match are removed/added. */
  match(i: number, j: number, count = 1): void {
    const last = this.changes[this.changes.length - 1];
    if (i === this.oldNext && j === this.newNext && last !== undefined && !last.added && !last.removed) last.count += count;
    else {
      this.skip(i, j);
      this.changes.push({ count, added: false, removed: false });
    }
    this.oldNext = i + count;
    this.newNext = j + count;
  }

  /** Removes/adds every token up to old `i` and new `j` (exclusive). */
  skip(i: number, j: number): void {
    if (i > this.oldNext) this.changes.push({ count: i - this.oldNext, added: false, removed: true });
    if (j > this.newNext) this.changes.push({ count: j - this.newNext, added: true, removed: false });
    this.oldNext = i;
    this.newNext = j;
  }
}

/**
 * A token-level alignment within the limits, or undefined when a bound was hit.
 * The result is exactly that of `diffArrays(oldTokens, newTokens)` under the limits,
 * at a fraction of the cost; jsdiff's search takes time in proportion to
 * (tokens × edits), so two reductions are made before calling it:
 *
 * - The common prefix is matched here. jsdiff's search starts by following
 *   diagonal 0 through exactly this prefix, and everything after depends only on
 *   positions beyond it, shifted by its length on both sides (diagonals, bounds and
 *   edit length reached are the same).
 * - Tokens that occur nowhere in the other list (in an edited paragraph: most
 *   inserted and replaced words) are left out of the search. They can never be
 *   matched, each costs exactly one edit in any script, and jsdiff pairs the
 *   remaining tokens the same way with or without them. That last point was
 *   checked, not proven: identical pairings on every pair of lists of up to 5
 *   tokens from {a, b, c, x} × {a, b, c, y} and up to 7 from {a, b, x} × {a, b, y}
 *   (12.6 million pairs, where jsdiff breaks many ties), on two million random
 *   pairs of up to 40 tokens, and against the previous implementation by
 *   tests/unit/diff-equivalence.test.ts. maxEditLength still bounds the whole
 *   script: the left-out tokens count against it.
 *
 * The common suffix is deliberately NOT trimmed: jsdiff prefers the leftmost match
 * among equally short scripts, and a pre-matched suffix changes which tokens are
 * paired, hence parts and counts.
 *
 * The search is then bounded by `maxWork` (see `DIFF_LIMITS`): with n tokens left to
 * search on both sides, jsdiff may go up to edit length floor(maxWork / n). The result
 * is the same as without that bound whenever the script fits, since jsdiff stops at
 * the first (shortest) edit length that reaches the end; `work` is n × the edit length
 * searched (0 when no search ran), so a caller can charge it to a larger budget.
 */
function boundedDiff(oldTokens: string[], newTokens: string[], limits: Limits): { changes: Change[] | undefined; work: number } {
  const oldLength = oldTokens.length;
  const newLength = newTokens.length;
  if (oldLength > limits.maxTokens || newLength > limits.maxTokens) return { changes: undefined, work: 0 };
  const list = new ChangeList();
  const shorter = Math.min(oldLength, newLength);
  let prefix = 0;
  while (prefix < shorter && oldTokens[prefix] === newTokens[prefix]) prefix++;
  if (prefix > 0) list.match(0, 0, prefix);

  const oldSeen = new Set<string>();
  const newSeen = new Set<string>();
  for (let i = prefix; i < oldLength; i++) oldSeen.add(oldTokens[i]!);
  for (let j = prefix; j < newLength; j++) newSeen.add(newTokens[j]!);
  let oldKept: number[] = [];
  let newKept: number[] = [];
  for (let i = prefix; i < oldLength; i++) if (newSeen.has(oldTokens[i]!)) oldKept.push(i);
  for (let j = prefix; j < newLength; j++) if (oldSeen.has(newTokens[j]!)) newKept.push(j);
  let unmatchable = oldLength - prefix - oldKept.length + (newLength - prefix - newKept.length);
  if (oldKept.length === 0) {
    // Nothing in common (a kept token has an equal on the other side, so both lists
    // are empty): there is nothing to pair, but jsdiff still searches the whole script
    // within the bounds, and whether such a rewrite comes back truncated is decided by
    // the same rule as for any other pair of lists.
    oldKept = range(prefix, oldLength);
    newKept = range(prefix, newLength);
    unmatchable = 0;
  }
  if (unmatchable > limits.maxEditLength) return { changes: undefined, work: 0 };
  const searched = oldKept.length + newKept.length;
  // jsdiff never searches past searched edits (deleting and inserting everything), so
  // that is also the most work a search can be charged.
  const maxEditLength = Math.min(limits.maxEditLength - unmatchable, searched, searched === 0 ? Infinity : Math.floor(limits.maxWork / searched));
  const kept = diffArrays(
    oldKept.map((i) => oldTokens[i]!),
    newKept.map((j) => newTokens[j]!),
    { maxEditLength },
  );
  if (kept === undefined) return { changes: undefined, work: searched * maxEditLength };
  let i = 0; // kept old tokens consumed
  let j = 0;
  let edits = 0;
  for (const change of kept) {
    if (change.added) {
      j += change.count;
      edits += change.count;
    } else if (change.removed) {
      i += change.count;
      edits += change.count;
    } else for (let k = 0; k < change.count; k++) list.match(oldKept[i++]!, newKept[j++]!);
  }
  list.skip(oldLength, newLength);
  return { changes: list.changes, work: searched * edits };
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;
}

/**
 * Builds the parts. Joining the `eq` and `del` parts rebuilds the old text and `eq`
 * and `ins` the new one, so a part is always one contiguous range of its side and
 * two pushes that merge are adjacent ranges: the last part is kept as a range and
 * sliced once, instead of concatenating gap by gap and token by token.
 */
class PartList {
  readonly parts: DiffPart[] = [];
  private op: DiffPart['op'] | undefined;
  private source = '';
  private start = 0;
  private end = 0;

  /** Appends `source[start..end)` as `op`; empty ranges are dropped, same-op neighbours merged. */
  push(op: DiffPart['op'], source: string, start: number, end: number): void {
    if (start === end) return;
    if (op === this.op) {
      this.end = end;
      return;
    }
    this.flush();
    this.op = op;
    this.source = source;
    this.start = start;
    this.end = end;
  }

  finish(): DiffPart[] {
    this.flush();
    return this.parts;
  }

  private flush(): void {
    if (this.op !== undefined) this.parts.push({ op: this.op, text: this.source.slice(this.start, this.end) });
    this.op = undefined;
  }
}

// JavaScript's \s, by UTF-16 code unit (none of it is outside the BMP). U+FEFF is
// whitespace too but NOT_PLAIN claims it first.
function isSpace(code: number): boolean {
  return kindOf(code) === Kind.Space || code === 0xfeff;
}

/**
 * The text between two matched tokens (or a text edge): `before[os..oe)` and
 * `after[ns..ne)`. Whitespace the two sides share at either end stays unchanged, so
 * "a b c" → "a c" shows "b " deleted rather than " b " deleted and " " inserted; the
 * rest is deleted/inserted whole, never split inside a word.
 */
function pushGap(list: PartList, before: string, os: number, oe: number, after: string, ns: number, ne: number): void {
  const length = oe - os;
  if (length === ne - ns) {
    let k = 0;
    while (k < length && before.charCodeAt(os + k) === after.charCodeAt(ns + k)) k++;
    if (k === length) {
      list.push('eq', before, os, oe);
      return;
    }
  }
  // Longest common prefix of the two gaps' leading whitespace.
  let head = 0;
  while (os + head < oe && ns + head < ne) {
    const c = before.charCodeAt(os + head);
    if (c !== after.charCodeAt(ns + head) || !isSpace(c)) break;
    head++;
  }
  // Longest common suffix of the rests' trailing whitespace.
  let tail = 0;
  while (oe - tail > os + head && ne - tail > ns + head) {
    const c = before.charCodeAt(oe - 1 - tail);
    if (c !== after.charCodeAt(ne - 1 - tail) || !isSpace(c)) break;
    tail++;
  }
  list.push('eq', before, os, os + head);
  list.push('del', before, os + head, oe - tail);
  list.push('ins', after, ns + head, ne - tail);
  list.push('eq', before, oe - tail, oe);
}

function wholeReplacement(before: string, after: string): ParagraphDiff {
  const list = new PartList();
  list.push('del', before, 0, before.length);
  list.push('ins', after, 0, after.length);
  return { parts: list.finish(), truncated: true };
}

interface Alignment {
  oldTokens: Tokens;
  newTokens: Tokens;
  /** undefined when a bound was hit. */
  changes: Change[] | undefined;
  /** Search work spent, in the units of `DiffOptions.maxWork`. */
  work: number;
}

function align(before: string, after: string, limits: Limits): Alignment {
  const oldTokens = tokensOf(before);
  const newTokens = tokensOf(after);
  return { oldTokens, newTokens, ...boundedDiff(oldTokens.texts, newTokens.texts, limits) };
}

function partsOf(before: string, after: string, { oldTokens, newTokens, changes }: Alignment): ParagraphDiff {
  if (changes === undefined) return wholeReplacement(before, after);
  const { texts: oldTexts, starts: oldStarts } = oldTokens;
  const { texts: newTexts, starts: newStarts } = newTokens;
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
        const oldStart = oldStarts[i]!;
        pushGap(list, before, oldEnd, oldStart, after, newEnd, newStarts[j]!);
        oldEnd = oldStart + oldTexts[i]!.length;
        newEnd = newStarts[j]! + newTexts[j]!.length;
        list.push('eq', before, oldStart, oldEnd);
      }
    }
  }
  pushGap(list, before, oldEnd, before.length, after, newEnd, after.length);
  return { parts: list.finish(), truncated: false };
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
 * When a bound is hit (too many tokens, edit length or work exceeded) the result is
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

function countEdits(changes: readonly Change[]): EditCounts {
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

function statsOf({ oldTokens, newTokens, changes }: Alignment): EditStats {
  const mtWords = oldTokens.texts.length;
  const words = newTokens.texts.length;
  const whole = wholeReplacementCounts(mtWords, words);
  if (changes === undefined) return stats(mtWords, words, whole);
  const aligned = countEdits(changes);
  // An LCS alignment can cost more than a rewrite ("p q c" → "c r s" keeps "c" at 4 edits
  // against 3); an edit distance is the cheapest known script, so take the rewrite then.
  return stats(mtWords, words, total(aligned) <= total(whole) ? aligned : whole);
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
  const { diff, stats } = compareCounted(mt, text, opts);
  return { diff, stats };
}

/**
 * `compareWithMt` plus the search work it took (0 for equal texts or when a token
 * bound ruled the search out), in the units of `DiffOptions.maxWork`: for a caller
 * that shares one work budget between several diffs (see REVISION_DIFF_WORK in
 * server/services/revisionData.ts).
 */
export function compareCounted(mt: string, text: string, opts?: DiffOptions): { diff: ParagraphDiff; stats: EditStats; work: number } {
  const limits = resolveLimits(opts);
  if (mt === text) {
    const n = tokensOf(mt).texts.length;
    return { diff: unchanged(mt), stats: stats(n, n, { inserted: 0, deleted: 0, substituted: 0 }), work: 0 };
  }
  const alignment = align(mt, text, limits);
  return { diff: partsOf(mt, text, alignment), stats: statsOf(alignment), work: alignment.work };
}

/**
 * `compareWithMt` without an alignment: the text recorded as a whole
 * replacement of the MT (truncated), with whole-replacement statistics, or
 * as unchanged when the two are equal. For a caller whose work budget is
 * spent (see REVISION_DIFF_WORK in server/services/revisionData.ts).
 */
export function compareWhole(mt: string, text: string): { diff: ParagraphDiff; stats: EditStats } {
  const mtWords = tokensOf(mt).texts.length;
  if (mt === text) return { diff: unchanged(mt), stats: stats(mtWords, mtWords, { inserted: 0, deleted: 0, substituted: 0 }) };
  const words = tokensOf(text).texts.length;
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
