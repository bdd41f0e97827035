import DiffMatchPatch from 'diff-match-patch';
import { diffParagraph } from '../../shared/textDiff';
import { buildRevisionData, REVISION_DIFF_WORK } from '../../server/services/revisionData';
import { editWords, makeArticle, prng } from './corpus';
import { round, summarize, timeRuns } from './measure';
import type { Bench } from './types';

/** Per-paragraph word diff of a 10 KB article with 10 % of words edited, against diff-match-patch with semantic cleanup. */
export const diffBench: Bench = {
  id: 'diff',
  needsDb: false,
  async run(ctx) {
    const r = prng(ctx.seed);
    const a = makeArticle(r, 1, { minBytes: 10240, maxBytes: 10241, minParagraphs: 20, maxParagraphs: 20 });
    const edited = a.paragraphs.map((p) => editWords(p, 0.1, r));
    const runs = ctx.quick ? 50 : 300;
    const ours = await timeRuns(() => {
      for (let i = 0; i < a.paragraphs.length; i++) diffParagraph(a.paragraphs[i], edited[i]);
    }, runs);
    const dmp = new DiffMatchPatch();
    dmp.Diff_Timeout = 0.05;
    const theirs = await timeRuns(() => {
      for (let i = 0; i < a.paragraphs.length; i++) {
        const d = dmp.diff_main(a.paragraphs[i], edited[i]);
        dmp.diff_cleanupSemantic(d);
      }
    }, runs);
    const o = summarize(ours);
    const t = summarize(theirs);
    const ratio = o.median / t.median;
    return {
      id: 'diff',
      measure: 'word diff of a 10 KB article (20 paragraphs, 10 % of words edited), whole article',
      baseline: 'diff-match-patch diff_main + diff_cleanupSemantic on the same paragraphs',
      figures: { median_ms: round(o.median), p99_ms: round(o.p99), baseline_median_ms: round(t.median), baseline_p99_ms: round(t.p99), runs },
      ratio: round(ratio),
      target: 'median ≤ 1 ms and not slower than diff-match-patch',
      pass: o.median <= 1 && ratio <= 1,
    };
  },
};

/**
 * A 50 KB article fully rewritten: the whole save-path diff (against the MT and the
 * previous revision) must stay bounded. Two shapes: 10 long paragraphs (each diff
 * stops at its own work bound) and 60 short ones (the revision's work budget binds,
 * the costliest shape per unit of work: many searches that each need an edit length
 * close to their length). The bound is a count (REVISION_DIFF_WORK), so the same
 * paragraphs come back truncated on every run; only the time varies.
 */
export const diffWorstBench: Bench = {
  id: 'diff-worst',
  needsDb: false,
  async run(ctx) {
    const r = prng(ctx.seed + 1);
    const rewrite = (paragraphs: number) => {
      const shape = { minBytes: 51200, maxBytes: 51201, minParagraphs: paragraphs, maxParagraphs: paragraphs };
      const [a, b, c] = [makeArticle(r, 2, shape), makeArticle(r, 3, shape), makeArticle(r, 4, shape)];
      const n = Math.min(a.paragraphs.length, b.paragraphs.length, c.paragraphs.length);
      return {
        mt: { title: a.title, paragraphs: a.paragraphs.slice(0, n) },
        // A second rewrite: the previous text differs from the MT too, so both sides need their own alignment.
        prev: { title: c.title, paragraphs: c.paragraphs.slice(0, n) },
        next: { title: b.title, paragraphs: b.paragraphs.slice(0, n) },
      };
    };
    const shapes = [rewrite(10), rewrite(60)];
    const truncated = shapes.map(() => 0);
    const times = shapes.map(() => [] as number[]);
    const runs = ctx.quick ? 5 : 20;
    // Alternate the shapes so a burst of load from elsewhere hits both.
    for (let round = 0; round < runs; round++) {
      for (const [k, s] of shapes.entries()) {
        const [t] = await timeRuns(() => {
          const data = buildRevisionData(s.prev, s.next, s.mt);
          truncated[k] = data.diffs.paragraphs.filter((p) => p.mt.truncated).length;
        }, 1, round === 0 ? 2 : 0);
        times[k].push(t);
      }
    }
    const [long, short] = times.map(summarize);
    const max = Math.max(long.max, short.max);
    return {
      id: 'diff-worst',
      measure: `revision diffs (vs MT and vs a different previous text) of a 50 KB article, every word rewritten: 10 paragraphs, and ${shapes[1].next.paragraphs.length} paragraphs`,
      baseline: '–',
      figures: {
        median_ms: round(long.median),
        max_ms: round(long.max),
        paragraphs_truncated: truncated[0],
        short_median_ms: round(short.median),
        short_max_ms: round(short.max),
        short_paragraphs_truncated: truncated[1],
        work_budget: REVISION_DIFF_WORK,
      },
      target: '≤ 50 ms, bounded by a work count, with the whole-replacement fallback',
      pass: max <= 50,
    };
  },
};
