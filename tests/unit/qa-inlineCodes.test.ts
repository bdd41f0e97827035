import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { codeChar as c, type InlineCode } from '../../shared/inlineCodes';
import { runQaChecks } from '../../server/policy/qa';

const codes: InlineCode[] = [
  { id: '1', kind: 'open', element: 'g', family: '1', xml: '<g id="1">', label: 'b', pair: 1 },
  { id: '1', kind: 'close', element: 'g', family: '1', xml: '</g>', label: '/b', pair: 0 },
  { id: '2', kind: 'standalone', element: 'x', family: '1', xml: '<x id="2"/>', label: '{name}' },
];
const mt = `Hello ${c(0)}dear${c(1)} ${c(2)}.`;
const findings = (text: string, extra: { mt?: string; source?: string; emptyTarget?: boolean } = {}) =>
  runQaChecks({ paragraphs: [{ text, mt, codes, ...extra }] }).filter((f) => f.check === 'inlineCodes' || f.check === 'untranslated');

describe('inline code QA', () => {
  test('the same codes in the same order: nothing to report', () => {
    assert.deepEqual(findings(`Hallo ${c(0)}liebe${c(1)} ${c(2)}.`), []);
  });

  test('a deleted code is missing, naming its label', () => {
    const [f, ...rest] = findings(`Hallo ${c(0)}liebe${c(1)}.`);
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'error');
    assert.match(f.message, /^code 3 \(\{name\}\) of the MT is missing/);
  });

  test('an extra or repeated code points at it, a swapped pair is reordered', () => {
    const text = `Hallo ${c(0)}liebe${c(1)} ${c(2)} ${c(2)} ${c(5)}.`;
    const got = findings(text);
    assert.deepEqual(got.map((f) => [f.start, f.message.split(' ').slice(0, 3).join(' ')]).sort(), [[text.lastIndexOf(c(2)), 'code 3 ({name})'], [text.indexOf(c(5)), 'code 6 is']].sort());
    assert.match(findings(`Hallo ${c(1)}liebe${c(0)} ${c(2)}.`)[0].message, /not in the order of the MT/);
  });

  test('a mangled editor label is reported as typed text, and the code as missing', () => {
    const got = findings(`Hallo ⟦1⟧liebe${c(1)} ${c(2)}.`);
    assert.equal(got.length, 2);
    assert.ok(got.some((f) => /"⟦1⟧" is typed text/.test(f.message) && f.start === 6));
    assert.ok(got.some((f) => /code 1 \(b\) of the MT is missing/.test(f.message)));
  });

  test('with an empty MT the source is the reference; an empty target still untranslated is reported', () => {
    const src = `Click ${c(2)}`;
    assert.deepEqual(findings(`Klicken ${c(2)}`, { mt: '', source: src, emptyTarget: true }), []);
    const got = findings('', { mt: '', source: src, emptyTarget: true });
    assert.deepEqual(got.map((f) => f.check).sort(), ['inlineCodes', 'untranslated']);
  });

  test('a paragraph without codes is never reported', () => {
    assert.deepEqual(runQaChecks({ paragraphs: [{ text: 'Plain words.', mt: 'Plain words.' }] }).filter((f) => f.check === 'inlineCodes'), []);
  });
});
