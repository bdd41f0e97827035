import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prng } from '../../scripts/lib/prng';
import { applyDecisions, changeHash, splitChanges, trackChanges, type TrackedText } from '../../shared/reviewChanges';

/** Every subset of the changes, as sets of rejected ids (the texts here have few changes). */
function subsets(t: TrackedText): Array<Set<string>> {
  const ids = t.changes.map((c) => c.id);
  return Array.from({ length: 2 ** ids.length }, (_, mask) => new Set(ids.filter((_, i) => mask & (1 << i))));
}

test('accepting every change gives the current text, rejecting every change the baseline', () => {
  const before = 'The minister said on Monday that the bridge would open.';
  const after = 'The minister said on Tuesday that the new bridge will open.';
  const t = trackChanges(before, after, 'p0');
  assert.equal(t.changes.length, 3);
  assert.equal(applyDecisions(t, new Set()), after);
  assert.equal(applyDecisions(t, new Set(t.changes.map((c) => c.id))), before);
});

test('rejecting one change reverts only that change', () => {
  const t = trackChanges('The mayor opened the bridge on Monday.', 'The governor opened the new bridge on Monday.', 'p3');
  const [mayor, bridge] = t.changes;
  assert.deepEqual([mayor!.del, mayor!.ins], ['mayor', 'governor']);
  assert.deepEqual([bridge!.del, bridge!.ins], ['', 'new ']);
  assert.equal(applyDecisions(t, new Set([mayor!.id])), 'The mayor opened the new bridge on Monday.');
  assert.equal(applyDecisions(t, new Set([bridge!.id])), 'The governor opened the bridge on Monday.');
});

test('changes separated only by whitespace form one change; other gaps keep them apart', () => {
  const t = trackChanges('a b c d', 'a x y c e', 'p0');
  assert.deepEqual(
    t.changes.map((c) => [c.del, c.ins]),
    [
      ['b', 'x y'],
      ['d', 'e'],
    ],
  );
  const u = trackChanges('one two three four', 'one TWO THREE four', 'p1');
  assert.equal(u.changes.length, 1);
  assert.equal(u.changes[0]!.del, 'two three');
  assert.equal(u.changes[0]!.ins, 'TWO THREE');
  assert.equal(applyDecisions(u, new Set([u.changes[0]!.id])), 'one two three four');
});

test('whitespace-only edits are changes, and reverting them restores the exact spacing', () => {
  const before = 'The cat  sat.';
  const after = 'The dog sat .';
  const t = trackChanges(before, after, 'p0');
  for (const rejected of subsets(t)) {
    const text = applyDecisions(t, rejected);
    // Each change is independent: the result is the baseline with only the accepted changes applied.
    const again = trackChanges(before, text, 'p0');
    assert.equal(again.changes.length, t.changes.length - rejected.size, `rejecting ${[...rejected].join(',')} gave ${JSON.stringify(text)}`);
  }
  assert.equal(applyDecisions(t, new Set(t.changes.map((c) => c.id))), before);
});

test('every combination of decisions on adjacent and separated changes reproduces text consistently', () => {
  const cases: Array<[string, string]> = [
    ['Alpha beta gamma delta epsilon.', 'Alpha BETA gamma DELTA epsilon!'],
    ['x', 'y'],
    ['', 'A new paragraph.'],
    ['An old paragraph.', ''],
    ['Zürich, 3 März: Die Regierung tagt.', 'Zürich, 4 März: Die neue Regierung tagte.'],
    ['東京で会議が開かれた。', '大阪で会議が開かれる。'],
  ];
  for (const [before, after] of cases) {
    const t = trackChanges(before, after, 'p0');
    assert.equal(applyDecisions(t, new Set()), after);
    assert.equal(applyDecisions(t, new Set(t.changes.map((c) => c.id))), before);
    for (const rejected of subsets(t)) {
      // Rejecting a set and then rejecting the rest reaches the baseline: changes do not overlap.
      const mid = applyDecisions(t, rejected);
      const rest = trackChanges(before, mid, 'p0');
      assert.equal(applyDecisions(rest, new Set(rest.changes.map((c) => c.id))), before);
    }
  }
});

test('random edits: all-accept, all-reject and the parts are consistent', () => {
  const rand = prng(42);
  const words = ['the', 'a', 'bridge', 'mayor', 'opened', 'on', 'Monday', ',', '.', 'new'];
  const sentence = (n: number) => Array.from({ length: n }, () => words[Math.floor(rand() * words.length)]).join(rand() < 0.2 ? '  ' : ' ');
  for (let i = 0; i < 300; i++) {
    const before = sentence(1 + Math.floor(rand() * 12));
    const after = sentence(1 + Math.floor(rand() * 12));
    const t = trackChanges(before, after, 'p0');
    assert.equal(applyDecisions(t, new Set()), after, JSON.stringify({ before, after }));
    assert.equal(applyDecisions(t, new Set(t.changes.map((c) => c.id))), before, JSON.stringify({ before, after }));
    for (let k = 1; k < t.parts.length; k++) {
      assert.ok(!(t.parts[k]!.op === 'change' && t.parts[k - 1]!.op === 'change'), 'two changes never touch');
    }
  }
});

test('ids are stable for the same texts, numbered per text, and name the change', () => {
  const a = trackChanges('one two three', 'one 2 three 4', 't');
  const b = trackChanges('one two three', 'one 2 three 4', 't');
  assert.deepEqual(
    a.changes.map((c) => c.id),
    b.changes.map((c) => c.id),
  );
  assert.match(a.changes[0]!.id, /^t\.1-[0-9a-f]{8}$/);
  assert.match(a.changes[1]!.id, /^t\.2-[0-9a-f]{8}$/);
  assert.equal(a.changes[0]!.id.slice(-8), changeHash('two', '2'));
  assert.notEqual(changeHash('two', '2'), changeHash('two', '3'));
  // The same position with a different edit is a different id.
  const c = trackChanges('one two three', 'one 3 three 4', 't');
  assert.notEqual(c.changes[0]!.id, a.changes[0]!.id);
});

test('unchanged text has no changes, and a truncated diff is one whole change', () => {
  const same = trackChanges('Nothing changed here.', 'Nothing changed here.', 'p0');
  assert.deepEqual(same.changes, []);
  assert.equal(applyDecisions(same, new Set()), 'Nothing changed here.');
  const t = splitChanges({ parts: [{ op: 'del', text: 'old text' }, { op: 'ins', text: 'new text' }], truncated: true }, 'p2');
  assert.equal(t.changes.length, 1);
  assert.equal(t.truncated, true);
  assert.equal(applyDecisions(t, new Set([t.changes[0]!.id])), 'old text');
});
