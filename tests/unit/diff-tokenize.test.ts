import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compareWhole, compareWithMt, tokenizeWords } from '../../shared/textDiff';
import { buildRevisionData } from '../../server/services/revisionData';

// The tokenizer as it was before the plain-text fast path: the reference the fast path must equal.
const IDEOGRAPHIC = '\\p{scx=Han}\\p{scx=Hiragana}\\p{scx=Katakana}\\p{scx=Bopomofo}';
const WORD_CHAR = `(?:(?![${IDEOGRAPHIC}])[\\p{L}\\p{M}\\p{N}_\\u00AD\\u200C\\u200D])`;
const JOINER = `(?:['\\u2019\\u2010\\u2011-]|(?<=\\p{N})[.,:/](?=\\p{N}))`;
const REFERENCE = new RegExp(
  [`(?=[${IDEOGRAPHIC}])[\\p{L}\\p{N}]\\p{M}*`, `${WORD_CHAR}+(?:${JOINER}${WORD_CHAR}+)*`, `(?![\\u200B\\u2060\\uFEFF])\\S\\p{M}*`].join('|'),
  'gu',
);
const reference = (text: string) => Array.from(text.matchAll(REFERENCE), (m) => m[0]);

// Characters that exercise every branch: ASCII words, digits and joiners, typographic
// punctuation (plain), and letters, marks, digits, joiners, invisibles and surrogates (not plain).
const ALPHABET = [
  ...'abcXYZ019_ -\'.,:/;!?"()\t\n',
  '\u00A0', '\u2003', '\u3000', '\u201C', '\u201D', '\u2014', '\u00AB', '\u20AC', '\u00B0',
  '\u00E9', 'e\u0301', '\u0661', '\u00B2', '\u2019', '\u2010', '\u2011', '\u00AD', '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF',
  '\u4E2D', '\u3042', '\u30FC', 'ж', '\u{1F600}', '\uD800', '\uDC00', '\u0308',
];

describe('tokenizer fast path', () => {
  test('equals the Unicode tokenizer on plain and mixed text', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ALPHABET), { maxLength: 60 }), (chars) => {
        const text = chars.join('');
        assert.deepEqual(tokenizeWords(text), reference(text));
      }),
      { numRuns: 3000, seed: 20261121 },
    );
  });

  test('examples on both sides of the fast path', () => {
    const cases = [
      'The state-owned firm paid 1,000.5 yuan at 10:30, and said: \u201Dwe must hold the bottom line\u201C.',
      'Prices rose 5\u00A0% \u2014 "sharply" \u2014 don\'t panic.',
      'caf\u00E9 au lait, na\u00EFve co\u00F6peration',
      'e\u0301cole and \u0661,\u0662 and 2\u00B2',
      '\u4E2D\u6587\u6D4B\u8BD5 mixed with English.',
      'smile \u{1F600} and a lone \uD800 surrogate',
      'soft\u00ADhyphen and zero\u200Bwidth',
    ];
    for (const text of cases) assert.deepEqual(tokenizeWords(text), reference(text), text);
    assert.deepEqual(tokenizeWords('state-owned 1,000.5 10:30 a,b'), ['state-owned', '1,000.5', '10:30', 'a', ',', 'b']);
  });

  test('repeated and alternating texts tokenize the same (the span cache)', () => {
    const texts = ['one two', 'three four five', 'one two', 'six', 'seven', 'eight', 'nine', 'one two'];
    for (const t of texts) assert.deepEqual(tokenizeWords(t), reference(t));
    for (const [a, b] of [['one two', 'one three'], ['three four five', 'one two'], ['one two', 'one two']]) {
      const c = compareWithMt(a, b);
      assert.equal(c.stats.mtWords, reference(a).length);
      assert.equal(c.stats.words, reference(b).length);
    }
  });
});

describe('revision diff budget', () => {
  test('compareWhole records a whole replacement with whole-replacement counts', () => {
    assert.deepEqual(compareWhole('a b c.', 'x y'), {
      diff: { parts: [{ op: 'del', text: 'a b c.' }, { op: 'ins', text: 'x y' }], truncated: true },
      stats: { mtWords: 4, words: 2, inserted: 0, deleted: 2, substituted: 2, editDistance: 4, editRate: 1 },
    });
    assert.deepEqual(compareWhole('Same.', 'Same.').diff, { parts: [{ op: 'eq', text: 'Same.' }], truncated: false });
  });

  test('once the budget is spent, the remaining paragraphs are whole replacements (unchanged ones stay unchanged)', () => {
    const mt = { title: 'Title', paragraphs: ['a b c', 'd e f', 'g h i'] };
    const next = { title: 'Title', paragraphs: ['a x c', 'd e f', 'g y i'] };
    const exact = buildRevisionData(null, next, mt);
    assert.deepEqual(exact.diffs.paragraphs[0].mt, { parts: [{ op: 'eq', text: 'a ' }, { op: 'del', text: 'b' }, { op: 'ins', text: 'x' }, { op: 'eq', text: ' c' }], truncated: false });
    assert.equal(exact.stats.mt.substituted, 2);
    // A budget that is already spent: no alignment at all.
    const spent = buildRevisionData(null, next, mt, 0);
    assert.deepEqual(spent.diffs.paragraphs[0].mt, { parts: [{ op: 'del', text: 'a b c' }, { op: 'ins', text: 'a x c' }], truncated: true });
    assert.deepEqual(spent.diffs.paragraphs[1].mt, { parts: [{ op: 'eq', text: 'd e f' }], truncated: false });
    assert.equal(spent.stats.mt.substituted, 6);
    assert.equal(spent.stats.mt.paragraphsChanged, 2);
  });
});
