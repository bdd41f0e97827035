import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CODE_BASE, codeChar, codeIndexOf, codeIndices, compareCodes, fromEditable, plainText, toEditable, type InlineCode } from '../../shared/inlineCodes';

const c = codeChar;
const makeCode = (over: Partial<InlineCode> = {}): InlineCode => ({ id: '1', kind: 'standalone', element: 'x', family: '1', xml: '<x id="1"/>', label: 'x', ...over });

describe('code characters', () => {
  test('codeChar and codeIndexOf are inverse over the whole range', () => {
    assert.equal(c(0), '\ue100');
    assert.equal(c(0x16ff), '\uf7ff');
    for (const k of [0, 1, 255, 0x16ff]) assert.equal(codeIndexOf(c(k)), k);
    assert.throws(() => c(0x1700), /outside/);
    assert.throws(() => c(-1), /outside/);
  });

  test('codeIndexOf is undefined for ordinary and neighbouring characters', () => {
    assert.equal(codeIndexOf('a'), undefined);
    assert.equal(codeIndexOf(String.fromCharCode(CODE_BASE - 1)), undefined);
    assert.equal(codeIndexOf('\uf800'), undefined);
    assert.equal(codeIndexOf('ab'), undefined);
  });

  test('codeIndices lists the codes in order with repeats', () => {
    assert.deepEqual(codeIndices(`Click ${c(2)}here${c(3)} or ${c(0)} and ${c(2)}`), [2, 3, 0, 2]);
    assert.deepEqual(codeIndices('no codes'), []);
  });
});

describe('compareCodes', () => {
  const ref = `${c(0)}Bold${c(1)} and ${c(2)} end`;

  test('identical codes: no finding', () => {
    assert.deepEqual(compareCodes(ref, `${c(0)}Gras${c(1)} et ${c(2)} fin`), { missing: [], extra: [], duplicated: [], reordered: false });
  });

  test('a deleted code is missing, a foreign one is extra, a repeated one duplicated', () => {
    const r = compareCodes(ref, `${c(0)}Gras${c(1)} et ${c(5)} ${c(0)}`);
    assert.deepEqual(r.missing, [2]);
    assert.deepEqual(r.extra, [5]);
    assert.deepEqual(r.duplicated, [0]);
    assert.equal(r.reordered, false);
  });

  test('a moved code or a swapped pair is reordered', () => {
    assert.equal(compareCodes(ref, `${c(2)} ${c(0)}Gras${c(1)}`).reordered, true);
    assert.equal(compareCodes(ref, `${c(1)}Gras${c(0)} ${c(2)}`).reordered, true);
  });

  test('no codes in the reference and none in the text: nothing to report', () => {
    assert.deepEqual(compareCodes('plain', 'plain too'), { missing: [], extra: [], duplicated: [], reordered: false });
  });
});

describe('plainText and the editable form', () => {
  const codes = [makeCode({ kind: 'open', element: 'g', label: '<b>', pair: 1 }), makeCode({ kind: 'close', element: 'g', label: '</b>', pair: 0 }), makeCode({ label: 'img' })];

  test('plainText writes each code as its bracketed label, unknown ones as [?]', () => {
    assert.equal(plainText(`${c(0)}Bold${c(1)} ${c(2)} ${c(7)}`, codes), '[<b>]Bold[</b>] [img] [?]');
    assert.equal(plainText('no codes', null), 'no codes');
    assert.equal(plainText(`x${c(0)}`, null), 'x[?]');
  });

  test('toEditable and fromEditable round-trip; a mangled or unknown label stays literal', () => {
    const text = `${c(0)}Bold${c(1)} ${c(2)}`;
    assert.equal(toEditable(text), '⟦1⟧Bold⟦2⟧ ⟦3⟧');
    assert.equal(fromEditable(toEditable(text), codes.length), text);
    assert.equal(fromEditable('⟦1 ⟧ ⟦9⟧ ⟦0⟧ ⟦3⟧', codes.length), `⟦1 ⟧ ⟦9⟧ ⟦0⟧ ${c(2)}`);
  });
});
