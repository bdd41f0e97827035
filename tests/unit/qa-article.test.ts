import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findNumbers, parseRoman } from '../../shared/numbers';
import { runQaChecks, runQaChecksWith, TITLE_INDEX, type Finding, type QaInput } from '../../server/policy/qa';

const texts = (input: QaInput, findings: Finding[], check: string): Array<[number, string, string | undefined]> =>
  findings
    .filter((f) => f.check === check)
    .map((f) => [f.paragraphIndex, (f.paragraphIndex === TITLE_INDEX ? (input.title?.text ?? '') : input.paragraphs[f.paragraphIndex].text).slice(f.start, f.end), f.suggestion]);

const check = (check: string, input: QaInput) => texts(input, runQaChecks(input), check);
const article = (...paragraphs: string[]): QaInput => ({ paragraphs: paragraphs.map((text) => ({ text })) });

describe('Roman numerals and ordinals are numbers', () => {
  test('XIX, 19th and nineteenth have one value; the Roman and word forms never count as missing', () => {
    assert.equal(parseRoman('XIX'), 19);
    assert.equal(parseRoman('XX'), 20);
    assert.equal(parseRoman('IIX'), undefined);
    assert.equal(parseRoman('I'), undefined);
    assert.deepEqual(findNumbers('The XIX Congress, the 19th Congress, the twentieth plenum and the twenty-first century.').map((n) => [n.raw, n.value, n.explicit]), [
      ['XIX', 19, false],
      ['19th', 19, true],
      ['twentieth', 20, false],
      ['twenty-first', 21, false],
    ]);
  });

  test('an editor who writes 19th and 20th for the MT’s XIX and XX gets no number warning', () => {
    assert.deepEqual(check('numbers', { paragraphs: [{ text: 'The 19th Central Committee and the 20th Congress met.', mt: 'The XIX Central Committee and the XX Congress met.' }] }), []);
    assert.deepEqual(check('numbers', { paragraphs: [{ text: 'The XX Congress met.', mt: 'The 20th Congress met.' }] }), []);
  });
});

describe('checks that need the tagger', () => {
  test('a real sentence boundary keeps the capitalisation fix; a split sentence gets the join', () => {
    const input = article('The line opens in June. the trip takes 41 minutes.', 'Delegates attended the fifth. plenary session of the Committee.');
    assert.deepEqual(check('sentenceCase', input), [[0, 'the', 'The']]);
    assert.deepEqual(check('strayStop', input), [[1, '. ', ' ']]);
  });

  test('names, title-case runs and words the article capitalises stay quiet', () => {
    const input = article(
      'The Party called on members of the Fifth Plenary Session of the Central Committee to study the plan.',
      'The Party committee of the county and the Committee for Discipline Inspection met, the Party said.',
      'Russian-backed forces entered Sagaing, Myanmar, on Monday, and Turkish police arrested 43 people.',
    );
    assert.deepEqual(check('capitals', input), []);
  });

  test('a headline is not a fragment, and a verbless paragraph of one sentence is a caption', () => {
    const input: QaInput = { title: { text: 'Across the whole province' }, paragraphs: [{ text: 'Flood workers on the river bank in May.' }] };
    assert.deepEqual(runQaChecks(input), []);
  });

  test('without a tagger the cheap checks still run and the tagged ones are left out', () => {
    const input = article('The county launched a campaign. Across the whole province. It raised awareness, Strengthen the grassroots.  Officials agreed.');
    const cheap = runQaChecksWith(input, {}, null).map((f) => f.check);
    assert.deepEqual(cheap, ['spacing']);
    assert.deepEqual(runQaChecks(input).map((f) => f.check), ['fragments', 'capitals', 'spacing']);
  });
});

describe('number style within an article', () => {
  test('one finding per inconsistency, on the minority form, with the majority form as the fix', () => {
    const input = article('The XIX Central Committee met.', 'The 19th Central Committee agreed.', 'The 19th Central Committee closed.', 'It has 6000 members and held 6,000 lectures and 2,500 meetings.');
    assert.deepEqual(check('numberStyle', input), [
      [0, 'XIX', '19th'],
      [3, '6000', '6,000'],
    ]);
  });

  test('years, codes and consistent articles are left alone', () => {
    assert.deepEqual(check('numberStyle', article('In 2025 the city had 12,000 firms and 3,400 shops.', 'Call 1-877-696-6775 or see room 4012-B.')), []);
    assert.deepEqual(check('numberStyle', article('The 19th Congress met.', 'The 19th Congress closed.')), []);
  });
});

describe('the title', () => {
  test('gets the same checks as a paragraph except the sentence checks; findings have paragraphIndex -1', () => {
    const input: QaInput = { title: { text: 'County Holds Flood Drill ,, Officials Say' }, paragraphs: [{ text: 'The county held a flood drill.' }] };
    const findings = runQaChecks(input);
    assert.ok(findings.length > 0);
    assert.ok(findings.every((f) => f.paragraphIndex === TITLE_INDEX));
    assert.deepEqual([...new Set(findings.map((f) => f.check))].sort(), ['punctuation', 'spacing']);
  });

  test('numbers in the title are compared with the MT title', () => {
    const input: QaInput = { title: { text: 'Police seize 48 boats', mt: 'Police seize 47 boats' }, paragraphs: [{ text: 'Police seized 47 boats.' }] };
    assert.deepEqual(texts(input, runQaChecks(input), 'numbers'), [
      [-1, '', undefined],
      [-1, '48', undefined],
    ]);
  });
});

describe('the long-sentence message', () => {
  test('names the word count and the start of the sentence, not the whole sentence', () => {
    const sentence = `The committee ${'discussed the plan and '.repeat(16)}agreed.`;
    const [f] = runQaChecks({ paragraphs: [{ text: sentence }] }).filter((x) => x.check === 'length');
    assert.match(f.message, /^This sentence has 67 words \(limit 60\): “The committee discussed the plan and …”; consider splitting it\.$/);
  });
});

describe('the QA checks stay pure', () => {
  test('the shared checks never load the tagger; only the server entry point does', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const shared = new URL('../../shared/qa/', import.meta.url);
    const sharedFiles = readdirSync(shared).filter((f) => f.endsWith('.ts'));
    assert.ok(sharedFiles.length > 10);
    for (const f of sharedFiles) assert.doesNotMatch(readFileSync(new URL(f, shared), 'utf8'), /from '[^']*compromise/, f);
    const entry = readFileSync(new URL('../../server/policy/qa/index.ts', import.meta.url), 'utf8');
    assert.match(entry, /from '\.\/compromiseTagger'/);
  });
});
