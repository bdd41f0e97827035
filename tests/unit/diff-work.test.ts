// Diffs are bounded by a work count (tokens searched × edit length searched),
// never by a clock: the same two texts give the same diff and statistics on any
// machine under any load, and the worst cases stay within the count.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { compareCounted, compareWithMt, DIFF_LIMITS, diffParagraph } from '../../shared/textDiff';
import { buildRevisionData, FIRST_PASS_WORK, REVISION_DIFF_WORK } from '../../server/services/revisionData';
import { editWords, makeArticle, prng } from '../../scripts/bench/corpus';

const words = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(' ');
const periodic = (n: number, period: number) => Array.from({ length: n }, (_, i) => (i % period ? 'a' : 'b')).join(' ');
/** A paragraph of about `tokens` tokens of news prose (small vocabulary: most words recur). */
function paragraph(seed: number, tokens: number): string {
  const a = makeArticle(prng(seed), seed, { minBytes: tokens * 6, maxBytes: tokens * 6 + 1, minParagraphs: 1, maxParagraphs: 1 });
  return a.paragraphs.join(' ');
}
function fixes(text: string, count: number): string {
  const w = text.split(' ');
  for (let i = 1; i <= count; i++) w[Math.floor((i * w.length) / (count + 1))] = `fix${i}`;
  return w.join(' ');
}

describe('the work bound', () => {
  test('work is the tokens searched times the edit length found; the cap is exact', () => {
    // Prefix "a" matched first; searched: "b c d" against "b x d"? x and c have no equal, so they are left out.
    const c = compareCounted('a b c d e', 'a b x d e');
    assert.equal(c.diff.truncated, false);
    assert.equal(c.work, 0, 'after the prefix and the unmatchable tokens, nothing is left to search');
    const p = 'the cat sat on the mat and the dog sat on the rug';
    const q = 'the dog sat on the mat and the cat sat on the rug';
    const exact = compareCounted(p, q);
    assert.equal(exact.diff.truncated, false);
    assert.ok(exact.work > 0);
    // Exactly the work it needs: same result. One unit less: truncated, and charged the cap it searched to.
    assert.deepEqual(compareCounted(p, q, { maxWork: exact.work }), exact);
    const short = compareCounted(p, q, { maxWork: exact.work - 1 });
    assert.equal(short.diff.truncated, true);
    assert.ok(short.work < exact.work);
  });

  test('a clock that jumps by an hour on every reading changes nothing', () => {
    const mt = { title: 'T', paragraphs: [paragraph(1, 900), paragraph(2, 900), paragraph(3, 400)] };
    const next = { title: 'T2', paragraphs: [editWords(mt.paragraphs[0], 0.5, prng(9)), fixes(mt.paragraphs[1], 3), fixes(mt.paragraphs[2], 2)] };
    const calm = buildRevisionData(null, next, mt);
    const realDateNow = Date.now;
    const realPerfNow = performance.now.bind(performance);
    let hours = 0;
    Date.now = () => realDateNow() + ++hours * 3_600_000;
    performance.now = () => realPerfNow() + ++hours * 3_600_000;
    try {
      assert.deepEqual(buildRevisionData(null, next, mt), calm);
    } finally {
      Date.now = realDateNow;
      performance.now = realPerfNow;
    }
    assert.equal(calm.diffs.paragraphs.some((p) => p.mt.truncated), false);
  });

  test('typical news edits are never cut short', () => {
    for (const tokens of [300, 600, 1000]) {
      const p = paragraph(tokens, tokens);
      for (const edited of [fixes(p, 3), editWords(p, 0.1, prng(tokens)), editWords(p, 0.33, prng(tokens + 1)), editWords(p, 0.5, prng(tokens + 2))]) {
        const c = compareCounted(p, edited);
        assert.equal(c.diff.truncated, false, `${tokens} tokens`);
        assert.ok(c.work <= DIFF_LIMITS.maxWork);
      }
    }
    // A few fixes in the longest paragraph that is diffed at all.
    const long = words('w', 19_000);
    const c = compareCounted(long, fixes(long, 6));
    assert.equal(c.diff.truncated, false);
    assert.equal(c.stats.substituted, 6);
  });

  describe('worst cases stay within the count', () => {
    const cases: Array<[string, string, string]> = [
      ['20,000-token paragraphs with nothing in common', words('a', 20_000), words('b', 20_000)],
      ['20,000 tokens of two words in different periods', periodic(20_000, 2), periodic(20_000, 3)],
      ['2,000 tokens of two words in different periods (long snakes on every diagonal)', periodic(2_000, 2), periodic(2_000, 3)],
      ['700-token paragraphs with nothing in common (the edit-length² regime)', words('a', 700), words('b', 700)],
      ['two unrelated 1,000-token news paragraphs', paragraph(11, 1000), paragraph(12, 1000)],
    ];
    for (const [label, a, b] of cases) {
      test(label, () => {
        const c = compareCounted(a, b);
        assert.ok(c.work <= DIFF_LIMITS.maxWork, `work ${c.work}`);
        assert.equal(c.diff.truncated, true);
        // Whole-replacement statistics, and the same answer every time.
        assert.equal(c.stats.editDistance, Math.max(c.stats.mtWords, c.stats.words));
        assert.deepEqual(compareCounted(a, b), c);
      });
    }
  });

  test('bounds are validated', () => {
    assert.throws(() => diffParagraph('a', 'b', { maxWork: Number.NaN }), RangeError);
    assert.doesNotThrow(() => compareWithMt('a b', 'b a', { maxWork: Infinity }));
    assert.throws(() => buildRevisionData(null, { title: '', paragraphs: [] }, { title: '', paragraphs: [] }, -1), RangeError);
  });
});

describe('the revision budget', () => {
  const mtOf = (paragraphs: string[]) => ({ title: 'T', paragraphs });

  test('a heavy rewrite early in the article does not spend what the small fixes after it need', () => {
    const heavy = [paragraph(21, 1000), paragraph(22, 1000)];
    const other = [paragraph(23, 1000), paragraph(24, 1000)];
    const small = [paragraph(25, 500), paragraph(26, 500), paragraph(27, 500)];
    // Two unrelated rewrites first (each more than the whole budget), then small fixes.
    const mt = mtOf([...heavy, ...small]);
    const next = mtOf([...other, ...small.map((p) => fixes(p, 2))]);
    const data = buildRevisionData(null, next, mt);
    assert.deepEqual(
      data.diffs.paragraphs.map((p) => p.mt.truncated),
      [true, true, false, false, false],
    );
    assert.equal(data.stats.mt.paragraphsChanged, 5);
  });

  test('total work never exceeds the budget, and the rest are whole replacements', () => {
    // Many paragraphs each needing about FIRST_PASS_WORK / 2: the budget runs out part way.
    const mt = mtOf(Array.from({ length: 60 }, (_, i) => paragraph(100 + i, 150)));
    const next = mtOf(Array.from({ length: 60 }, (_, i) => paragraph(200 + i, 150)));
    let spent = 0;
    const exact = next.paragraphs.map((p, i) => compareCounted(mt.paragraphs[i], p, { maxWork: FIRST_PASS_WORK }));
    for (const c of exact) spent += c.work;
    assert.ok(spent > REVISION_DIFF_WORK, 'the article needs more than the budget');
    const data = buildRevisionData(null, next, mt);
    const truncated = data.diffs.paragraphs.filter((p) => p.mt.truncated).length;
    assert.ok(truncated > 0 && truncated < 60, `${truncated} truncated`);
    // The paragraphs diffed exactly are those the budget covered, in order, and the same every time.
    assert.deepEqual(buildRevisionData(null, next, mt), data);
    // Only the budget cut them short: unbounded, every one is diffed exactly.
    assert.equal(exact.some((c) => c.diff.truncated), false);
    assert.equal(buildRevisionData(null, next, mt, Infinity).diffs.paragraphs.some((p) => p.mt.truncated), false);
  });
});
