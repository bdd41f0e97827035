// A fixed single-threaded workload timed at the start and at the end of a
// bench run, so that two runs' absolute figures can be compared: the
// machine's two cores are shared, and the same code measured on the same
// idle machine has differed by half from one hour to the next.
import { createHash } from 'node:crypto';

/** Milliseconds of one round: a sieve of Eratosthenes (JIT-compiled JavaScript), JSON and sha256 (native). */
function round(): number {
  const t0 = performance.now();
  const n = 2_000_000;
  const composite = new Uint8Array(n + 1);
  let primes = 0;
  for (let i = 2; i <= n; i++) {
    if (composite[i]) continue;
    primes++;
    for (let j = i * i; j <= n; j += i) composite[j] = 1;
  }
  const doc = { primes, items: Array.from({ length: 20_000 }, (_, i) => ({ id: i, text: `paragraph ${i} of the check`, n: i * 0.5 })) };
  const json = JSON.stringify(doc);
  const back = JSON.parse(json) as typeof doc;
  const h = createHash('sha256');
  const block = Buffer.alloc(1 << 16, back.items.length & 0xff);
  for (let i = 0; i < 256; i++) h.update(block);
  h.digest();
  return performance.now() - t0;
}

/** The median of seven rounds, in ms (lower is faster). */
export function cpuCheck(): number {
  const times = Array.from({ length: 7 }, round).sort((a, b) => a - b);
  return Math.round(times[3] * 10) / 10;
}
