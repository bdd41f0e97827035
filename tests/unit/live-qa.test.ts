import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { codeChar } from '../../shared/inlineCodes';
import { runQaChecksWith } from '../../shared/qa/runChecks';
import { resolveQaConfig, TITLE_INDEX, type Finding } from '../../shared/qa/types';
import { runQaChecks } from '../../server/policy/qa';
import { editableOffset, groupByParagraph, liveQaInput, markSpans, mergeFindings, reuseUnchanged, savedTexts, type CheckedArticle, type ShownFinding } from '../../admin/src/qa/liveFindings';
import { DEFAULT_VIEW, gridColumns, parseView } from '../../admin/src/articles/editorView';

function makeArticle(over: Partial<CheckedArticle> = {}): CheckedArticle {
  return {
    title: 'Council meets meets',
    mtTitle: 'Council meets meets',
    sourceTitle: null,
    targetLang: 'en',
    paragraphs: [
      { index: 0, mt: 'The council met at the fifth session. plenary session of the committee on Monday.', text: 'The council met at the fifth session. plenary session of the committee on Monday.', source: null, codes: null, meta: null },
      { index: 1, mt: 'The budget is 12,000 yuan.', text: 'The budget is 12,000 yuan.', source: null, codes: null, meta: null },
    ],
    ...over,
  };
}

const finding = (paragraphIndex: number, check: Finding['check'], start: number, end: number, message = check): Finding => ({ check, severity: 'warning', paragraphIndex, start, end, message });
const keys = (fs: readonly ShownFinding[]) => fs.map((f) => `${f.paragraphIndex}:${f.check}:${f.start}-${f.end}:${f.origin}`);

describe('the QA input the browser checks', () => {
  test('is the input the server checks: without the tagger the same module finds the same untagged findings', () => {
    const article = makeArticle();
    const glossary = [{ term: 'crack down', preferred: 'crack down on', forbidden: ['strike hard'], sourceTerm: null }];
    const typed = { title: 'Council meets meets', paragraphs: ['We will strike hard, said the the mayor.', 'The budget is 12,00 yuan.'] };
    const input = liveQaInput(article, typed, glossary);
    const browser = runQaChecksWith(input, resolveQaConfig({}), null);
    const server = runQaChecks(input);
    const untagged = (fs: Finding[]) => fs.filter((f) => !['capitals', 'fragments', 'strayStop', 'sentenceCase'].includes(f.check));
    assert.deepEqual(untagged(browser), untagged(server));
    assert.deepEqual(
      browser.map((f) => [f.paragraphIndex, f.check]),
      [
        [TITLE_INDEX, 'repeats'],
        [0, 'glossaryForbidden'],
        [0, 'repeats'],
        [1, 'numbers'],
        [1, 'numbers'],
      ],
    );
    // Each text against its own MT: the broken number is new, the MT's 12,000 is missing.
    assert.deepEqual(input.paragraphs[1], { text: 'The budget is 12,00 yuan.', mt: 'The budget is 12,000 yuan.', source: null, codes: null, emptyTarget: false });
    assert.deepEqual(input.title, { text: 'Council meets meets', mt: 'Council meets meets', source: null });
  });
});

describe('merging the live findings with the server’s', () => {
  const article = makeArticle();
  const saved = savedTexts(article);
  const config = resolveQaConfig({});
  const onSaved = runQaChecksWith(liveQaInput(article, saved, []), config, null);
  const server = runQaChecks(liveQaInput(article, saved, []));

  test('on unchanged text the server’s tagged verdict wins: a stray stop, not a lower-case sentence start', () => {
    assert.deepEqual(onSaved.filter((f) => f.paragraphIndex === 0).map((f) => f.check), ['sentenceCase']);
    const merged = mergeFindings(onSaved, onSaved, server, saved, saved);
    assert.deepEqual(keys(merged), ['-1:repeats:8-19:live', '0:strayStop:36-38:save']);
  });

  test('on changed text the new live findings stand, the overruled one stays dropped, and the server’s tagged one is kept as from the last save', () => {
    const typed = { title: 'Council meets', paragraphs: [`${saved.paragraphs[0]} It was was late.`, saved.paragraphs[1]] };
    const live = runQaChecksWith(liveQaInput(article, typed, []), config, null);
    const merged = mergeFindings(live, onSaved, server, typed, saved);
    assert.deepEqual(keys(merged), ['0:strayStop:36-38:save', '0:repeats:85-92:live']);
  });

  test('a live finding over words the editor changed is not overruled by the server’s verdict on the old words', () => {
    const typed = { title: saved.title, paragraphs: [saved.paragraphs[0].replace('session. plenary', 'session. delegates'), saved.paragraphs[1]] };
    const live = runQaChecksWith(liveQaInput(article, typed, []), config, null);
    assert.deepEqual(keys(mergeFindings(live, onSaved, server, typed, saved)), ['-1:repeats:8-19:live', '0:strayStop:36-38:save', '0:sentenceCase:38-47:live']);
  });

  test('while the server’s findings are unknown, the live ones are shown as they are', () => {
    assert.deepEqual(keys(mergeFindings(onSaved, onSaved, null, saved, saved)), ['-1:repeats:8-19:live', '0:sentenceCase:38-45:live']);
  });

  test('a finding both find is shown once, as live', () => {
    const f = finding(1, 'numbers', 14, 19);
    assert.deepEqual(keys(mergeFindings([f], [f], [f], saved, saved)), ['1:numbers:14-19:live']);
  });

  test('grouping keeps the previous list of a paragraph whose findings did not change', () => {
    const a: ShownFinding = { ...finding(0, 'repeats', 1, 3), origin: 'live' };
    const b: ShownFinding = { ...finding(1, 'numbers', 4, 6), origin: 'live' };
    const first = reuseUnchanged(new Map(), groupByParagraph([a, b]));
    const second = reuseUnchanged(first, groupByParagraph([{ ...a }, { ...b, start: 5 }]));
    assert.equal(second.get(0), first.get(0));
    assert.notEqual(second.get(1), first.get(1));
    const third = reuseUnchanged(second, groupByParagraph([{ ...a, origin: 'save' }]));
    assert.notEqual(third.get(0), second.get(0));
    assert.equal(third.has(1), false);
  });
});

describe('marking findings over the textarea', () => {
  test('offsets move past inline codes, which the textarea shows as ⟦k⟧', () => {
    const text = `Press ${codeChar(0)}here${codeChar(1)} now now.`;
    assert.equal(editableOffset(text, 0), 0);
    assert.equal(editableOffset(text, 6), 6);
    assert.equal(editableOffset(text, 7), 9);
    assert.equal(editableOffset(text, text.length), text.length + 4);
    assert.equal(editableOffset(text, 999), text.length + 4);
    const live: ShownFinding = { ...finding(0, 'repeats', 13, 20), origin: 'live' };
    assert.deepEqual(markSpans(text, [live], text, text).map((s) => [s.start, s.end]), [[17, 24]]);
  });

  test('overlapping findings are cut at every boundary; stale offsets and whole-paragraph findings mark nothing', () => {
    const text = 'the the the end';
    const a: ShownFinding = { ...finding(0, 'repeats', 0, 7), origin: 'live' };
    const b: ShownFinding = { ...finding(0, 'spacing', 4, 11), origin: 'live' };
    const whole: ShownFinding = { ...finding(0, 'untranslated', 0, 0), origin: 'live' };
    const old: ShownFinding = { ...finding(0, 'capitals', 12, 15), origin: 'save' };
    assert.deepEqual(
      markSpans(text, [a, b, whole, old], text, 'saved text').map((s) => [s.start, s.end, s.findings.map((f) => f.check).join('+')]),
      [
        [0, 4, 'repeats'],
        [4, 7, 'repeats+spacing'],
        [7, 11, 'spacing'],
      ],
    );
    // Mid-typing, the live findings describe another text: nothing is marked rather than the wrong words.
    assert.deepEqual(markSpans(`${text}!`, [a, b], text, text), []);
    // A saved-text finding marks while the text is still the saved text.
    assert.deepEqual(markSpans(text, [old], 'anything', text).map((s) => [s.start, s.end]), [[12, 15]]);
  });
});

describe('the editor view settings', () => {
  test('a stored view is read field by field; anything unknown or corrupt takes the default', () => {
    assert.deepEqual(parseView(null), DEFAULT_VIEW);
    assert.deepEqual(parseView('not json'), DEFAULT_VIEW);
    assert.deepEqual(parseView('[1,2]'), DEFAULT_VIEW);
    assert.deepEqual(parseView(JSON.stringify({ density: 'compact', showMt: false, diff: 'saved', showQa: 'yes', extra: 1 })), { ...DEFAULT_VIEW, density: 'compact', showMt: false, diff: 'saved' });
    assert.deepEqual(parseView(JSON.stringify({ density: 'tiny', diff: 'all' })), DEFAULT_VIEW);
  });

  test('the grid has a column per shown text between the gutter and the actions', () => {
    assert.equal(gridColumns(DEFAULT_VIEW, true).split(' ').length, 5);
    assert.equal(gridColumns(DEFAULT_VIEW, false).split(' ').length, 4);
    assert.equal(gridColumns({ showSource: false, showMt: false }, true), '2.5rem minmax(0,1fr) auto');
  });
});
