import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeSoak, linearSlope, type SoakFigures } from '../../scripts/soak';

test('linearSlope fits a least-squares line', () => {
  assert.equal(linearSlope([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }]), 2);
  assert.equal(linearSlope([{ x: 0, y: 7 }, { x: 10, y: 7 }, { x: 20, y: 7 }]), 0);
  assert.equal(linearSlope([{ x: 0, y: 1 }, { x: 1, y: 2 }]), null, 'two points are not a trend');
});

const clean: SoakFigures = { durationS: 600, status5xx: 0, conflicts: 0, connectionErrors: 0, slopeMbPerMin: 0.5, maxSlopeMbPerMin: 2, serverExitCode: null };

test('a clean run passes, and each kind of trouble fails it with its reason', () => {
  assert.deepEqual(judgeSoak(clean), { judged: true, failures: [] });
  const cases: Array<[Partial<SoakFigures>, RegExp]> = [
    [{ status5xx: 3 }, /^3 answers were 5xx$/],
    [{ conflicts: 1 }, /version conflict/],
    [{ connectionErrors: 2 }, /2 connection errors/],
    [{ slopeMbPerMin: 5 }, /RSS grows 5 MB\/min after warm-up \(limit 2\)/],
    [{ serverExitCode: 1 }, /the server exited \(code 1\)/],
  ];
  for (const [bad, reason] of cases) {
    const { failures } = judgeSoak({ ...clean, ...bad });
    assert.equal(failures.length, 1, JSON.stringify(bad));
    assert.match(failures[0], reason);
  }
});

test('a rising memory trend is judged only on runs of a minute or more', () => {
  assert.deepEqual(judgeSoak({ ...clean, durationS: 5, slopeMbPerMin: 50 }), { judged: false, failures: [] });
  assert.equal(judgeSoak({ ...clean, durationS: 60, slopeMbPerMin: 50 }).failures.length, 1);
  assert.deepEqual(judgeSoak({ ...clean, slopeMbPerMin: null }), { judged: false, failures: [] });
});
