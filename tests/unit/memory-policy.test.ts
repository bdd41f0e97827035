import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileGlossaryTerms, findGlossaryHits, longestFirst, type GlossaryTerms } from '../../shared/glossaryHits';
import { runQaChecks } from '../../server/policy/qa';
import { applyQaFix, spansOverlap, type AppliedFix, type FixableFinding } from '../../shared/qaFixes';
import { matchPercent, rankTmCandidates } from '../../server/policy/tmMatch';

describe('matchPercent', () => {
  test('known pairs: identical, one and two words of nine changed, nothing in common', () => {
    const q = 'The council approved the new budget on Tuesday.';
    assert.equal(matchPercent(q, q), 100);
    assert.equal(matchPercent(q, 'The council  approved the new budget on Tuesday.'), 100, 'spacing does not count');
    assert.equal(matchPercent(q, 'The council approved the new budget on Monday.'), 88);
    assert.equal(matchPercent(q, 'The assembly approved the new budget on Friday.'), 77);
    assert.equal(matchPercent(q, 'the council approved the new budget on Tuesday.'), 88, 'case counts');
    assert.equal(matchPercent(q, 'Heavy rain flooded the districts.'), 22, '"the" and "." are shared: 7 edits over 9 tokens');
    assert.equal(matchPercent('', ''), 100);
    assert.equal(matchPercent('One.', ''), 0);
  });

  test('a longer candidate is measured against its own length: inserted words lower the match', () => {
    assert.equal(matchPercent('A b c d.', 'A b c d e f g h.'), 55);
    assert.equal(matchPercent('A b c d e f g h.', 'A b c d.'), 55, 'symmetric');
  });

  test('rankTmCandidates keeps ≥ 50 %, best first, ties newest article first, at most five', () => {
    const q = 'The council approved the new budget on Tuesday.';
    const c = (articleId: number, position: number, mt: string) => ({ articleId, position, mt });
    const ranked = rankTmCandidates(q, [
      c(1, 0, 'The council approved the new budget on Monday.'),
      c(2, 3, 'The council approved the new budget on Monday.'),
      c(3, 0, q),
      c(4, 0, 'Heavy rain flooded the districts.'),
      c(5, 0, 'The assembly approved the new budget on Friday.'),
      c(6, 0, 'The assembly approved the old budget on Friday.'),
      c(7, 0, 'The assembly approved an old budget on Friday.'),
      c(8, 0, 'The assembly approved an old plan on Friday.'),
    ]);
    assert.deepEqual(ranked.map((r) => [r.articleId, r.percent]), [[3, 100], [2, 88], [1, 88], [5, 77], [6, 66]]);
  });
});

describe('findGlossaryHits', () => {
  const glossary: GlossaryTerms[] = [
    { term: 'strike hard', preferred: 'crack down', forbidden: ['strike hard', 'strike'], sourceTerm: '严厉打击' },
    { term: 'Belt and Road', preferred: 'Belt and Road Initiative', forbidden: ['One Belt One Road'], sourceTerm: '一带一路' },
    { term: 'Zhejiang', preferred: 'Zhejiang', forbidden: [], sourceTerm: '浙江' },
  ];
  const compiled = compileGlossaryTerms(glossary);

  test('finds terms case-insensitively on word boundaries, overlapping variants resolved to the longest', () => {
    const hits = findGlossaryHits('We will Strike Hard at strikers, strike back and join the Belt and Road Initiative.', compiled, ['term', 'preferred', 'forbidden']);
    assert.deepEqual(
      hits.map((h) => [h.text, h.kind, h.entry]),
      [
        ['Strike Hard', 'forbidden', 0],
        ['strike', 'forbidden', 0],
        ['Belt and Road Initiative', 'preferred', 1],
      ],
    );
  });

  test('source terms in CJK match inside words; the longer of two overlapping source terms wins', () => {
    const both = compileGlossaryTerms([...glossary, { term: 'Zhejiang province', preferred: 'Zhejiang Province', forbidden: [], sourceTerm: '浙江省' }]);
    const hits = findGlossaryHits('浙江省严厉打击非法捕捞，推进一带一路建设。', both, ['source']);
    assert.deepEqual(hits.map((h) => [h.text, h.entry, h.start, h.end]), [['浙江省', 3, 0, 3], ['严厉打击', 0, 3, 7], ['一带一路', 1, 14, 18]]);
  });

  test('longestFirst keeps the longest, then the earliest, and returns text order', () => {
    assert.deepEqual(longestFirst([{ start: 0, end: 3 }, { start: 2, end: 8 }, { start: 7, end: 10 }, { start: 9, end: 12 }]), [{ start: 2, end: 8 }, { start: 9, end: 12 }]);
  });

  test('the QA check reports one finding for overlapping forbidden variants, the longest', () => {
    const findings = runQaChecks({ paragraphs: [{ text: 'We will strike hard against illegal fishing.' }], glossary }).filter((f) => f.check === 'glossaryForbidden');
    assert.deepEqual(findings.map((f) => [f.start, f.end, f.suggestion]), [[8, 19, 'crack down']]);
    const across = runQaChecks({
      paragraphs: [{ text: 'Officials promoted One Belt One Road.' }],
      glossary: [...glossary, { term: 'One Belt', preferred: 'the Belt', forbidden: ['One Belt'] }],
    }).filter((f) => f.check === 'glossaryForbidden');
    assert.deepEqual(across.map((f) => [f.start, f.end, f.suggestion]), [[19, 36, 'Belt and Road Initiative']]);
  });
});

describe('applyQaFix', () => {
  const fix = (saved: string, findings: FixableFinding[], current = saved) => {
    let text = current;
    const applied: AppliedFix[] = [];
    const outcomes: string[] = [];
    for (const f of findings) {
      const o = applyQaFix(text, saved, f, applied);
      outcomes.push(o.ok ? 'ok' : o.reason);
      if (o.ok) {
        text = o.text;
        applied.push(o.applied);
      }
    }
    return { text, outcomes };
  };

  test('an overlapping finding is refused after the first fix, so the text is never spliced wrongly', () => {
    const saved = 'one two one two one';
    // A takes "one two" at 0–7 and B "two one" at 4–11 shares its "two": B's text is gone after A, and
    // looking for "two one" again would rewrite the later, unrelated occurrence ("1 one 2").
    const r = fix(saved, [
      { start: 0, end: 7, suggestion: '1' },
      { start: 4, end: 11, suggestion: '2' },
    ]);
    assert.deepEqual(r, { text: '1 one two one', outcomes: ['ok', 'overlaps'] });
  });

  test('a later fix lands where earlier fixes moved its span, not on an equal text nearer its old offset', () => {
    const saved = 'one two one two one';
    const r = fix(saved, [
      { start: 0, end: 3, suggestion: 'a much longer replacement' },
      { start: 16, end: 19, suggestion: 'ONE' },
    ]);
    assert.equal(r.text, 'a much longer replacement two one two ONE');
  });

  test('fixes from the real checks, applied in any order, give the same clean text or a refusal', () => {
    const glossary = [{ term: 'strike hard', preferred: 'crack down', forbidden: ['strike hard'] }];
    const saved = 'The city will strike hard, strike hard against fishing  now.';
    const findings = runQaChecks({ paragraphs: [{ text: saved }], glossary }).filter((f) => f.suggestion !== undefined && f.start !== f.end);
    assert.ok(findings.some((a) => findings.some((b) => a !== b && spansOverlap(a, b))), 'the checks produce overlapping findings here');
    const forward = fix(saved, findings);
    const backward = fix(saved, [...findings].reverse());
    for (const r of [forward, backward]) assert.ok(r.outcomes.includes('overlaps'));
    // Either order leaves well-formed text; what is left over, a save re-checks.
    assert.equal(forward.text, 'The city will strike hard against fishing now.');
    assert.equal(backward.text, 'The city will crack down, crack down against fishing now.');
  });

  test('a span the editor has since deleted is reported gone; a finding without a suggestion is refused', () => {
    assert.equal(applyQaFix('Fresh text.', 'Old  text.', { start: 3, end: 5, suggestion: ' ' }, []).ok, false);
    const o = applyQaFix('x', 'x', { start: 0, end: 1 }, []);
    assert.deepEqual(o.ok ? null : o.reason, 'no_suggestion');
  });
});
