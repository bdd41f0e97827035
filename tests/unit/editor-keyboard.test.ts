import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countProgress, nextIndex, progressText, rowState, rowsOf, rowVisible, unconfirmedIndexes, type RowFilter } from '../../admin/src/articles/confirm/progress';
import { findingsInOrder, findingToFix, nextFinding } from '../../admin/src/articles/keyboard/findingNav';
import { displayKeys, matchShortcut, SHORTCUTS, type KeyLike } from '../../admin/src/articles/keyboard/shortcuts';

const record = {
  title: 'Budget passes',
  mtTitle: 'Budget is passed',
  paragraphs: [
    { index: 0, text: 'First, edited.', mt: 'First.' },
    { index: 1, text: 'Second.', mt: 'Second.' },
    { index: 2, text: 'Third.', mt: 'Third.' },
  ],
};

const key = (over: Partial<KeyLike>): KeyLike => ({ key: '', code: '', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...over });

describe('segment status: rows, progress, staleness', () => {
  test('rowsOf takes the on-screen text from the form and falls back to the saved text', () => {
    const rows = rowsOf(record, { title: 'Budget passes', paragraphs: [{ text: 'First, edited again.' }, undefined, {}] });
    assert.deepEqual(
      rows.map((r) => [r.index, r.saved, r.current]),
      [
        [-1, 'Budget passes', 'Budget passes'],
        [0, 'First, edited.', 'First, edited again.'],
        [1, 'Second.', 'Second.'],
        [2, 'Third.', 'Third.'],
      ],
    );
  });

  test('a confirmation whose row was edited since is stale and does not count', () => {
    const rows = rowsOf(record, { paragraphs: [{ text: 'First, edited again.' }] });
    const confirmed = new Set([-1, 0, 1]);
    assert.deepEqual(rows.map((r) => rowState(r, confirmed)), ['confirmed', 'stale', 'confirmed', 'unconfirmed']);
    assert.deepEqual(countProgress(rows, confirmed), { confirmed: 2, total: 4 });
    assert.equal(progressText(countProgress(rows, confirmed)), '2 of 4 confirmed');
    assert.deepEqual(unconfirmedIndexes(rows, confirmed), [0, 2]);
    // Typing the confirmed text back restores the confirmation (confirmationHolds compares texts).
    const back = rowsOf(record, { paragraphs: [{ text: 'First, edited.' }] });
    assert.equal(rowState(back[1], confirmed), 'confirmed');
  });

  test('filters combine, and "changed" compares the on-screen text with the MT', () => {
    const rows = rowsOf(record, { paragraphs: [undefined, { text: 'Second, now changed.' }] });
    const confirmed = new Set([0]);
    const findings = new Map([[0, 1], [2, 3]]);
    const shown = (f: RowFilter[]) => rows.filter((r) => r.index >= 0 && rowVisible(r, new Set(f), confirmed, (i) => findings.get(i) ?? 0)).map((r) => r.index);
    assert.deepEqual(shown([]), [0, 1, 2]);
    assert.deepEqual(shown(['unconfirmed']), [1, 2]);
    assert.deepEqual(shown(['findings']), [0, 2]);
    assert.deepEqual(shown(['changed']), [0, 1]);
    assert.deepEqual(shown(['unconfirmed', 'findings']), [2]);
    assert.deepEqual(shown(['unconfirmed', 'findings', 'changed']), []);
  });
});

describe('next unconfirmed row', () => {
  const order = [-1, 0, 1, 2, 3];
  test('goes forward from the current row and wraps around to the title', () => {
    const open = new Set([-1, 1, 3]);
    assert.equal(nextIndex(order, 0, (i) => open.has(i)), 1);
    assert.equal(nextIndex(order, 1, (i) => open.has(i)), 3);
    assert.equal(nextIndex(order, 3, (i) => open.has(i)), -1);
    assert.equal(nextIndex(order, null, (i) => open.has(i)), -1);
  });
  test('the current row comes last, and nothing qualifying answers null', () => {
    assert.equal(nextIndex(order, 2, (i) => i === 2), 2);
    assert.equal(nextIndex(order, 2, () => false), null);
    assert.equal(nextIndex([], null, () => true), null);
    assert.equal(nextIndex(order, 99, (i) => i === 0), 0, 'an unknown start begins at the top');
  });
});

describe('next finding and the finding to fix', () => {
  const order = [-1, 0, 1, 2];
  const counts = new Map([[-1, 1], [1, 2], [2, 1]]);
  const all = findingsInOrder(order, (i) => counts.get(i) ?? 0);
  test('findings in reading order, title first', () => {
    assert.deepEqual(all, [
      { paragraphIndex: -1, n: 0 },
      { paragraphIndex: 1, n: 0 },
      { paragraphIndex: 1, n: 1 },
      { paragraphIndex: 2, n: 0 },
    ]);
  });
  test('after the current finding, else from the focused row, wrapping; hidden rows are skipped', () => {
    assert.deepEqual(nextFinding(all, order, { paragraphIndex: 1, n: 0 }, null), { paragraphIndex: 1, n: 1 });
    assert.deepEqual(nextFinding(all, order, { paragraphIndex: 2, n: 0 }, null), { paragraphIndex: -1, n: 0 });
    assert.deepEqual(nextFinding(all, order, null, 0), { paragraphIndex: 1, n: 0 });
    assert.deepEqual(nextFinding(all, order, null, 1), { paragraphIndex: 1, n: 0 }, 'the focused row’s own first finding');
    assert.deepEqual(nextFinding(all, order, null, null), { paragraphIndex: -1, n: 0 });
    assert.deepEqual(nextFinding(all, order, { paragraphIndex: -1, n: 0 }, null, (i) => i !== 1), { paragraphIndex: 2, n: 0 });
    assert.equal(nextFinding([], order, null, null), null);
    assert.equal(nextFinding(all, order, null, null, () => false), null);
  });
  test('fix: the current finding when it is in the focused row and fixable, else the first fixable there', () => {
    assert.equal(findingToFix(1, { paragraphIndex: 1, n: 1 }, 2, () => true), 1);
    assert.equal(findingToFix(1, { paragraphIndex: 2, n: 0 }, 2, () => true), 0);
    assert.equal(findingToFix(1, { paragraphIndex: 1, n: 1 }, 2, (n) => n === 0), 0, 'a current finding without a fix falls back');
    assert.equal(findingToFix(1, null, 2, () => false), null);
    assert.equal(findingToFix(1, { paragraphIndex: 1, n: 5 }, 2, () => true), 0, 'a stale position is ignored');
  });
});

describe('shortcut matching', () => {
  test('the editing shortcuts carry modifiers and work in text fields', () => {
    assert.equal(matchShortcut(key({ key: 'Enter', ctrlKey: true }), true), 'confirmNext');
    assert.equal(matchShortcut(key({ key: 'Enter', metaKey: true }), true), 'confirmNext', '⌘+Enter on a Mac');
    assert.equal(matchShortcut(key({ key: 'Enter', ctrlKey: true, shiftKey: true }), true), 'submit');
    assert.equal(matchShortcut(key({ key: 'Ï', code: 'KeyF', altKey: true, shiftKey: true }), true), 'nextFinding', 'matched by physical key, whatever Option+Shift types');
    assert.equal(matchShortcut(key({ key: 'U', code: 'KeyU', altKey: true, shiftKey: true }), true), 'nextUnconfirmed');
    assert.equal(matchShortcut(key({ key: 'M', code: 'KeyM', altKey: true, shiftKey: true }), true), 'copyMt');
    assert.equal(matchShortcut(key({ key: 'X', code: 'KeyX', altKey: true, shiftKey: true }), true), 'applyFix');
    assert.equal(matchShortcut(key({ key: 'C', code: 'KeyC', altKey: true, shiftKey: true }), true), 'comments');
  });
  test('plain typing, Enter, Shift+Enter and other chords are never taken', () => {
    for (const k of [key({ key: 'f', code: 'KeyF' }), key({ key: 'F', code: 'KeyF', shiftKey: true }), key({ key: 'Enter', code: 'Enter' }), key({ key: 'Enter', shiftKey: true }), key({ key: 'f', code: 'KeyF', ctrlKey: true, altKey: true, shiftKey: true }), key({ key: 'Enter', ctrlKey: true, altKey: true })]) {
      assert.equal(matchShortcut(k, true), null, JSON.stringify(k));
    }
  });
  test('? opens the sheet only outside text fields; shortcuts handled elsewhere are listed but not matched here', () => {
    assert.equal(matchShortcut(key({ key: '?', shiftKey: true }), false), 'help');
    assert.equal(matchShortcut(key({ key: '?', shiftKey: true }), true), null);
    assert.equal(matchShortcut(key({ key: 's', ctrlKey: true }), true), null, 'Ctrl+S belongs to the save bar');
    assert.equal(matchShortcut(key({ key: 'ArrowDown', altKey: true }), true), null, 'Alt+↓ belongs to the row');
    const ids = new Set(SHORTCUTS.map((s) => s.id));
    for (const id of ['confirmNext', 'nextUnconfirmed', 'nextFinding', 'copyMt', 'applyFix', 'save', 'submit', 'help']) assert.ok(ids.has(id as never), id);
  });
  test('no two shortcuts match the same keys', () => {
    const probes = [key({ key: 'Enter', ctrlKey: true }), key({ key: 'Enter', ctrlKey: true, shiftKey: true }), ...['KeyU', 'KeyF', 'KeyX', 'KeyM', 'KeyC'].map((code) => key({ key: code.slice(3), code, altKey: true, shiftKey: true })), key({ key: 's', ctrlKey: true }), key({ key: '!', code: 'Digit1', ctrlKey: true, shiftKey: true })];
    for (const p of probes) assert.equal(SHORTCUTS.filter((s) => s.match(p)).length, 1, JSON.stringify(p));
  });
  test('keys are written for the platform', () => {
    assert.equal(displayKeys('Mod+Shift+Enter', false), 'Ctrl+Shift+Enter');
    assert.equal(displayKeys('Mod+Enter', true), '⌘+Enter');
    assert.equal(displayKeys('Alt+Shift+F', true), '⌥+Shift+F');
    assert.equal(displayKeys('?', true), '?');
  });
});
