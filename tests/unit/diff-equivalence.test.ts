import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { diffArrays, type ArrayChange } from 'diff';
import {
  compareWhole,
  compareWithMt,
  diffParagraph,
  paragraphStats,
  tokenizeWords,
  type DiffOptions,
  type DiffPart,
  type EditStats,
  type ParagraphDiff,
} from '../../shared/textDiff';
import { editWords, makeArticle, prng } from '../../scripts/bench/corpus';

/*
 * The faster textDiff (a hand-written plain-text scanner, offsets instead of span
 * objects, the common prefix matched before jsdiff, tokens without an equal on the
 * other side left out of jsdiff's search, parts built from ranges) must give exactly
 * what the implementation it replaced gave: same parts, same truncation, same
 * statistics. That implementation (shared/textDiff.ts at commit 77eb259) is
 * copied verbatim below as the oracle; only its exports were renamed, and its options
 * type is its own (it took a wall-clock `timeoutMs` where the code now takes a work
 * bound). The oracle runs with a time bound that never binds here (60 s), the code
 * under test with its default work bound, which none of these inputs reaches: so
 * wherever the old code was not cut short by its clock, the results must be identical.
 */
interface ReferenceOptions {
  maxEditLength?: number;
  timeoutMs?: number;
  maxTokens?: number;
}

const referenceTextDiff = (() => {
  const DIFF_LIMITS = Object.freeze({ maxEditLength: 2000, timeoutMs: 50, maxTokens: 20_000 });

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
  const NOT_PLAIN = /[\p{L}\p{M}\p{N}\u00AD\u200B\u200C\u2019\u2010\u2011\u2060\uFEFF\uD800-\uDFFF\u200D]/u;

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

  function referenceTokenizeWords(text: string): string[] {
    return scanSpans(text).map((s) => s.text);
  }

  interface Limits {
    maxEditLength: number;
    timeoutMs: number;
    maxTokens: number;
  }

  function resolveLimits(opts: ReferenceOptions | undefined): Limits {
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

  function referenceDiffParagraph(before: string, after: string, opts?: ReferenceOptions): ParagraphDiff {
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

  function referenceParagraphStats(mt: string, text: string, opts?: ReferenceOptions): EditStats {
    return compareWithMt(mt, text, opts).stats;
  }

  function referenceCompareWithMt(mt: string, text: string, opts?: ReferenceOptions): { diff: ParagraphDiff; stats: EditStats } {
    const limits = resolveLimits(opts);
    if (mt === text) {
      const n = tokenSpans(mt).length;
      return { diff: unchanged(mt), stats: stats(n, n, { inserted: 0, deleted: 0, substituted: 0 }) };
    }
    const alignment = align(mt, text, limits);
    return { diff: partsOf(mt, text, alignment), stats: statsOf(alignment) };
  }

  function referenceCompareWhole(mt: string, text: string): { diff: ParagraphDiff; stats: EditStats } {
    const mtWords = tokenSpans(mt).length;
    if (mt === text) return { diff: unchanged(mt), stats: stats(mtWords, mtWords, { inserted: 0, deleted: 0, substituted: 0 }) };
    const words = tokenSpans(text).length;
    return { diff: wholeReplacement(mt, text), stats: stats(mtWords, words, wholeReplacementCounts(mtWords, words)) };
  }

  return {
    diffParagraph: referenceDiffParagraph,
    compareWithMt: referenceCompareWithMt,
    paragraphStats: referenceParagraphStats,
    compareWhole: referenceCompareWhole,
    tokenizeWords: referenceTokenizeWords,
  };
})();

/** The oracle's wall-clock bound, never reached by these small inputs. */
const NO_CLOCK: ReferenceOptions = { timeoutMs: 60_000 };

/**
 * Every public result for one pair, new implementation and reference side by side.
 * `bounds` (edit length, tokens) apply to both; the code under test keeps its default
 * work bound.
 */
function assertSameAsReference(before: string, after: string, bounds: Pick<DiffOptions, 'maxEditLength' | 'maxTokens'> = {}): void {
  const label = `${JSON.stringify(before)} → ${JSON.stringify(after)} ${JSON.stringify(bounds)}`;
  const reference = { ...NO_CLOCK, ...bounds };
  const expected = referenceTextDiff.compareWithMt(before, after, reference);
  assert.deepEqual(compareWithMt(before, after, bounds), expected, label);
  assert.deepEqual(diffParagraph(before, after, bounds), referenceTextDiff.diffParagraph(before, after, reference), label);
  assert.deepEqual(paragraphStats(before, after, bounds), expected.stats, label);
  assert.deepEqual(compareWhole(before, after), referenceTextDiff.compareWhole(before, after), label);
  assert.deepEqual(tokenizeWords(before), referenceTextDiff.tokenizeWords(before), label);
  assert.deepEqual(tokenizeWords(after), referenceTextDiff.tokenizeWords(after), label);
}

// Pieces covering every tokenizer branch and every gap shape: ASCII words with joiners
// and digit separators, punctuation, typographic (still "plain") punctuation, letters
// with precomposed and combining accents, Cyrillic, CJK and kana (a token per
// character), emoji (surrogate pairs), lone surrogates, invisible separators.
const WORDS = [
  'the', 'The', 'THE', 'city', 'will', 'crack', 'down', 'on', 'fishing', 'state-owned', "don't", "players'",
  '3.5', '1,000', '10:30', '1/2', 'a.b', 'well--known', '_id', 'x2',
  ',', '.', '!', '?', ';', ':', '-', "'", '"', '(', ')', '%', '$', '/',
  '\u201Cquoted\u201D', '\u2014', '\u00AB', '\u00BB', '\u20AC5', '20\u00B0',
  'caf\u00E9', 'e\u0301te\u0301', 'na\u0308ive', '\u0301', 'Привет', 'мир', 'don\u2019t', 'co\u2011op', 'soft\u00ADhyphen', 'zw\u200Cnj',
  '我们', '城市', '。', '、', 'コーヒー', '東京2025年', '\u{1F600}', 'a\u{1F600}b', '\uD800', '\uDC00x',
  '\u0661\u0662', 'x\u00B2',
];
const SPACES = [' ', ' ', ' ', ' ', '  ', '\n', '\n\n', ' \t ', '\t', '\u00A0', '\u3000', '\u2003', '\u200B', '\uFEFF', '\u2060', ''];
const CHARS = ['a', 'Z', '0', ' ', '.', ',', '-', "'", '\n', '市', 'й', '\u0301', '\u{1F600}', '\u00A0', '\u201D'];

const wordArb = fc.constantFrom(...WORDS);
const spaceArb = fc.constantFrom(...SPACES);
const textArb = fc
  .tuple(spaceArb, fc.array(fc.tuple(wordArb, spaceArb), { maxLength: 40, size: 'max' }))
  .map(([lead, pairs]) => lead + pairs.map(([w, s]) => w + s).join(''));

type Edit =
  | { kind: 'word'; at: number; word: string }
  | { kind: 'insert'; at: number; word: string }
  | { kind: 'delete'; at: number }
  | { kind: 'space'; at: number; space: string }
  | { kind: 'case'; at: number }
  | { kind: 'punctuation'; at: number; mark: string }
  | { kind: 'char'; at: number; cut: number; char: string }
  | { kind: 'move'; from: number; to: number };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('word' as const), at: fc.nat(), word: wordArb }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), word: wordArb }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('space' as const), at: fc.nat(), space: spaceArb }),
  fc.record({ kind: fc.constant('case' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('punctuation' as const), at: fc.nat(), mark: fc.constantFrom(',', '.', ';', '!', '\u2014', '"', '') }),
  fc.record({ kind: fc.constant('char' as const), at: fc.nat(), cut: fc.nat(3), char: fc.constantFrom(...CHARS) }),
  fc.record({ kind: fc.constant('move' as const), from: fc.nat(), to: fc.nat() }),
);

/** Applies edits to the whitespace-separated pieces of `text` (whitespace kept as pieces). */
function applyEdits(text: string, edits: readonly Edit[]): string {
  let pieces = text.split(/(\s+)/u);
  for (const e of edits) {
    const n = pieces.length;
    if (e.kind === 'char') {
      const flat = pieces.join('');
      const at = e.at % (flat.length + 1);
      pieces = [flat.slice(0, at) + e.char + flat.slice(at + e.cut)];
      continue;
    }
    if (e.kind === 'insert') {
      pieces.splice(e.at % (n + 1), 0, e.word, ' ');
      continue;
    }
    if (n === 0) continue;
    const at = (e as { at?: number }).at === undefined ? 0 : (e as { at: number }).at % n;
    if (e.kind === 'word') pieces[at] = e.word;
    else if (e.kind === 'delete') pieces.splice(at, 1);
    else if (e.kind === 'space') pieces[at] = /^\s*$/u.test(pieces[at]!) ? e.space : pieces[at]! + e.space;
    else if (e.kind === 'case') pieces[at] = pieces[at]!.toUpperCase();
    else if (e.kind === 'punctuation') pieces[at] = pieces[at]!.replace(/[,.;!"\u2014]$/u, '') + e.mark;
    else {
      const [moved] = pieces.splice(e.from % n, 1);
      pieces.splice(e.to % pieces.length || 0, 0, moved!);
    }
  }
  return pieces.join('');
}

describe('textDiff equals the reference implementation', () => {
  test('hand-picked edge cases', () => {
    const cases: Array<[string, string]> = [
      ['', ''],
      ['', 'New text.'],
      ['Old text.', ''],
      ['   ', '\n'],
      ['a  b', 'a b'],
      ['a b', 'a b '],
      [' a b', 'a b'],
      ['a b c', 'a b c d e'],
      ['x a b c', 'a b c'],
      ['a b c', 'a b c'],
      ['the the cat', 'the cat'],
      ['p q c', 'c r s'],
      ['a b c d', 'c d a b'],
      ['Yes, we can.', 'Yes; we can.'],
      ['However the plan failed.', 'However, the plan failed.'],
      ['The talks went smoothly. smoothly.', 'The talks went smoothly.'],
      ['我们的城市将严厉打击非法捕鱼。', '本市将严厉打击非法捕捞。'],
      ['e\u0301te\u0301 cafe', 'e\u0301te\u0301 caf\u00E9'],
      ['a\u0301 b', 'a b'],
      ['state-owned 1,000.5 10:30 a,b', 'state owned 1.000,5 10 : 30 a, b'],
      ['price \u20AC5 \u2014 \u201Cfine\u201D', 'price \u20AC6 \u2014 \u201Cfine\u201D'],
      ['zero\u200Bwidth and\uFEFFbom', 'zero width and bom'],
      ['lone \uD800 surrogate', 'lone \uDC00 surrogate'],
      ['emoji \u{1F600} here', 'emoji \u{1F601} here'],
      ['\u00A0a\u00A0', ' a '],
      ['a \n b', 'a \t b'],
      ['a  \n  b', 'a \n b'],
      ['  lead', '\tlead'],
      ['a. b', 'a . b'],
      ['Our city will strike hard', 'Our town shall crack down'],
      ['a bar  c', 'a qux  c'],
      ['a \n\t bar \n\t c', 'a \n\t c'],
      ['a  \u200B  b', 'a    b'],
    ];
    for (const [a, b] of cases) {
      assertSameAsReference(a, b);
      assertSameAsReference(b, a);
    }
  });

  test('random unrelated texts (whole rewrites, empty strings, mixed scripts)', () => {
    fc.assert(
      fc.property(textArb, textArb, (a, b) => {
        assertSameAsReference(a, b);
      }),
      { numRuns: 1500, seed: 20261121 },
    );
  });

  test('random edits of a text (near-identical, punctuation-only, whitespace-only, moves)', () => {
    fc.assert(
      fc.property(textArb, fc.array(editArb, { minLength: 1, maxLength: 6, size: 'max' }), (a, edits) => {
        const b = applyEdits(a, edits);
        assertSameAsReference(a, b);
        assertSameAsReference(b, a);
      }),
      { numRuns: 2500, seed: 1121 },
    );
  });

  test('under small bounds: the same pairs truncate and count alike', () => {
    fc.assert(
      fc.property(
        textArb,
        fc.array(editArb, { maxLength: 6, size: 'max' }),
        fc.constantFrom(1, 2, 3, 4, 6, 10),
        fc.constantFrom(3, 8, 20, Infinity),
        (a, edits, maxEditLength, maxTokens) => {
          assertSameAsReference(a, applyEdits(a, edits), { maxEditLength, maxTokens });
        },
      ),
      { numRuns: 1500, seed: 7 },
    );
  });

  test('few distinct words, many ties (which of several equal words gets paired)', () => {
    // Words shared by both sides plus words only one side has: the cases where
    // jsdiff chooses between equally short scripts, and where words without an
    // equal on the other side are left out of its search.
    const side = (only: string) => fc.array(fc.constantFrom('a', 'b', 'c', '.', only), { maxLength: 30, size: 'max' }).map((w) => w.join(' '));
    fc.assert(
      fc.property(side('x'), side('y'), fc.constantFrom(Infinity, Infinity, 2, 5, 9), (a, b, maxEditLength) => {
        assertSameAsReference(a, b, { maxEditLength });
      }),
      { numRuns: 3000, seed: 3 },
    );
  });

  test('news paragraphs like the benchmark corpus, from lightly to fully edited', () => {
    const r = prng(42);
    let pairs = 0;
    for (let n = 0; n < 8; n++) {
      const article = makeArticle(r, n, { minBytes: 2048, maxBytes: 12288, minParagraphs: 5, maxParagraphs: 20 });
      for (const fraction of [0, 0.02, 0.1, 0.3, 1]) {
        for (const p of article.paragraphs) {
          const edited = editWords(p, fraction, r);
          assertSameAsReference(p, edited);
          assertSameAsReference(edited, p);
          pairs += 2;
        }
      }
    }
    assert.ok(pairs > 800, `only ${pairs} pairs`);
  });

  test('tokenizer: any mix of ASCII and the non-ASCII classes', () => {
    const ascii = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
    const other = ['\t', '\n', '\u00A0', '\u2009', '\u3000', '\u2028', '\u201C', '\u2014', '\u00E9', '\u0301', '\u2019', '\u2010', '\u00AD', '\u200B', '\u200D', '\uFEFF', '\u4E2D', '\u30FC', '\uD83D', '\uDE00'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ascii, ...ascii, ...other), { maxLength: 80, size: 'max' }), (chars) => {
        const text = chars.join('');
        assert.deepEqual(tokenizeWords(text), referenceTextDiff.tokenizeWords(text), JSON.stringify(text));
      }),
      { numRuns: 3000, seed: 99 },
    );
  });
});
