import DiffMatchPatch from 'diff-match-patch';
import { diffParagraph } from '../../server/policy/textDiff';
import { buildRevisionData } from '../../server/services/revisionData';
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

/** A 50 KB article fully rewritten: the whole save-path diff (against the MT and the previous revision) must stay bounded. */
export const diffWorstBench: Bench = {
  id: 'diff-worst',
  needsDb: false,
  async run(ctx) {
    const r = prng(ctx.seed + 1);
    const shape = { minBytes: 51200, maxBytes: 51201, minParagraphs: 10, maxParagraphs: 10 };
    const a = makeArticle(r, 2, shape);
    const b = makeArticle(r, 3, shape);
    const c = makeArticle(r, 4, shape);
    const mt = { title: a.title, paragraphs: a.paragraphs };
    // A second rewrite: the previous text differs from the MT too, so both sides need their own alignment.
    const prev = { title: c.title, paragraphs: c.paragraphs.slice(0, a.paragraphs.length) };
    const next = { title: b.title, paragraphs: b.paragraphs.slice(0, a.paragraphs.length) };
    let truncated = 0;
    const times = await timeRuns(() => {
      const data = buildRevisionData(prev, next, mt);
      truncated = data.diffs.paragraphs.filter((p) => p.mt.truncated).length;
    }, ctx.quick ? 5 : 20);
    const s = summarize(times);
    return {
      id: 'diff-worst',
      measure: 'revision diffs (vs MT and vs a different previous text) of a 50 KB article in 10 paragraphs, every word rewritten',
      baseline: '–',
      figures: { median_ms: round(s.median), p99_ms: round(s.p99), max_ms: round(s.max), paragraphs_truncated: truncated },
      target: '≤ 50 ms, bounded, with the whole-replacement fallback',
      pass: s.max <= 50,
    };
  },
};
