import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { RegexPool, RegexPoolBusy, RegexTimeout } from '../../server/services/regexPool';

const pools: RegexPool[] = [];
const pool = (o: { workers: number; maxQueued: number; timeoutMs: number }) => {
  const p = new RegexPool(o);
  pools.push(p);
  return p;
};
after(async () => {
  for (const p of pools) await p.close();
});

const CATASTROPHIC = { source: '(a+)+$', flags: 'gu', replacement: 'b', texts: [`${'a'.repeat(40)}!`] };

describe('RegexPool', () => {
  test('gives what String.prototype.replace gives, with counts, and reports empty matches', async () => {
    const p = pool({ workers: 1, maxQueued: 0, timeoutMs: 5_000 });
    const texts = ['It cost 5 ten thousand yuan and 12 ten thousand yuan.', 'nothing here', 'Ünïcode 7 ten thousand'];
    const r = await p.run({ source: String.raw`(?<n>\d+) ten thousand`, flags: 'gui', replacement: '$<n>万', texts });
    assert.deepEqual(r, {
      empty: false,
      out: [{ count: 2, after: 'It cost 5万 yuan and 12万 yuan.' }, null, { count: 1, after: 'Ünïcode 7万' }],
    });
    assert.deepEqual(await p.run({ source: 'x*', flags: 'gu', replacement: 'y', texts: ['abc'] }), { empty: true });
    await assert.rejects(p.run({ source: '(', flags: 'gu', replacement: '', texts: ['a'] }), SyntaxError);
  });

  test('a job over the limit is stopped, its worker replaced, and the next job runs on a fresh one', async () => {
    const p = pool({ workers: 1, maxQueued: 4, timeoutMs: 200 });
    const slow = p.run(CATASTROPHIC);
    const queued = p.run({ source: 'a', flags: 'gu', replacement: 'b', texts: ['aa'] });
    await assert.rejects(slow, (err: unknown) => err instanceof RegexTimeout && err.timeoutMs === 200);
    assert.deepEqual(await queued, { empty: false, out: [{ count: 2, after: 'bb' }] });
    assert.equal(p.killed, 1);
    assert.deepEqual(p.stats(), { running: 0, queued: 0, workers: 1 });
    // Repeated kills never leak workers.
    for (let i = 0; i < 3; i++) await assert.rejects(p.run(CATASTROPHIC), RegexTimeout);
    assert.equal(p.killed, 4);
    assert.equal(p.stats().workers, 1);
    assert.deepEqual(await p.run({ source: 'b', flags: 'gu', replacement: 'c', texts: ['b'] }), { empty: false, out: [{ count: 1, after: 'c' }] });
  });

  test('beyond workers + maxQueued jobs, a new job is refused at once', async () => {
    const p = pool({ workers: 2, maxQueued: 3, timeoutMs: 300 });
    const jobs = Array.from({ length: 8 }, () => p.run(CATASTROPHIC).then(() => 'ok', (e: Error) => e.name));
    assert.deepEqual(p.stats(), { running: 2, queued: 3, workers: 2 });
    const outcomes = await Promise.all(jobs);
    assert.deepEqual(outcomes, [...Array(5).fill('RegexTimeout'), ...Array(3).fill('RegexPoolBusy')]);
    const busy = await p.run(CATASTROPHIC).catch((e: unknown) => e);
    assert.ok(busy instanceof RegexTimeout, 'the pool takes jobs again once the queue drains');
    assert.ok(new RegexPoolBusy(5).message.includes('5'));
  });
});
