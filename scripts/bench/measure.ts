import type { BenchResult } from './types';

/** Summary statistics of a sample, in the sample's unit. */
export interface Summary {
  n: number;
  median: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
}

export function summarize(xs: number[]): Summary {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
  return { n: s.length, median: q(0.5), p99: q(0.99), min: s[0], max: s[s.length - 1], mean: s.reduce((a, b) => a + b, 0) / s.length };
}

/** Times `fn` `runs` times after `warmup` untimed runs; milliseconds. */
export async function timeRuns(fn: () => unknown | Promise<unknown>, runs: number, warmup = Math.max(1, Math.floor(runs / 5))): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return out;
}

export const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * The result of a bench that times a whole command against a COPY of the same
 * rows (import, export): medians and p99s of both sides, throughput, and the
 * ratio of the medians against the ≤ 3× target.
 */
export function commandVsCopy(r: { id: string; measure: string; baseline: string; articles: number; ours: number[]; theirs: number[] }): BenchResult {
  const o = summarize(r.ours);
  const t = summarize(r.theirs);
  const ratio = o.median / t.median;
  return {
    id: r.id,
    measure: r.measure,
    baseline: r.baseline,
    figures: {
      articles: r.articles,
      runs: r.ours.length,
      median_ms: round(o.median, 1),
      p99_ms: round(o.p99, 1),
      articles_per_s: round((r.articles / o.median) * 1000, 0),
      baseline_median_ms: round(t.median, 1),
      baseline_p99_ms: round(t.p99, 1),
    },
    ratio: round(ratio, 2),
    target: '≤ 3.0× the COPY time',
    pass: ratio <= 3,
  };
}
