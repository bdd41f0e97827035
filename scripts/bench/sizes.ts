import type { BenchContext, BenchSizes } from './types';

const FULL: BenchSizes = {
  importArticles: 10_000,
  importRuns: 3,
  exportArticles: 10_000,
  exportRuns: 3,
  listArticles: 100_000,
  listRequests: 600,
  saveConnections: 16,
  saveArticlesPerConnection: 20,
  saveSeconds: 10,
  saveRounds: 3,
  tmParagraphs: 100_000,
  tmRequests: 400,
  scaleSteps: [10_000, 100_000],
  scaleRequests: 60,
};

/** `--scale`: the scale bench up to a million articles (tens of minutes). */
export const SCALE_STEPS = [10_000, 100_000, 1_000_000];

const QUICK: BenchSizes = {
  importArticles: 300,
  importRuns: 2,
  exportArticles: 300,
  exportRuns: 2,
  listArticles: 5_000,
  listRequests: 150,
  saveConnections: 16,
  saveArticlesPerConnection: 8,
  saveSeconds: 5,
  saveRounds: 1,
  tmParagraphs: 10_000,
  tmRequests: 100,
  scaleSteps: [2_000, 10_000],
  scaleRequests: 20,
};

/** The sizes of this run: full or quick, with the context's overrides. */
export function sizesOf(ctx: Pick<BenchContext, 'quick' | 'sizes'>): BenchSizes {
  return { ...(ctx.quick ? QUICK : FULL), ...ctx.sizes };
}
