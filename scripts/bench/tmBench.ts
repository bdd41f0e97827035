import pg from 'pg';
import { syncTmSegments } from '../../server/services/tm';
import { login, startInProcessServer } from './benchServer';
import { prng } from './corpus';
import { round, summarize } from './measure';
import { connect, ensureUser, seedArticles } from './seed';
import { sizesOf } from './sizes';
import type { Bench } from './types';

const PARAGRAPHS_PER_ARTICLE = 10;
const FUNCTION_WORDS = ['the', 'of', 'and', 'to', 'in', 'a', 'on', 'for', 'with', 'that', 'was', 'said', 'by', 'at', 'from'];
const ONSETS = ['b', 'br', 'c', 'ch', 'cl', 'd', 'dr', 'f', 'fl', 'g', 'gr', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'pl', 'pr', 'qu', 'r', 's', 'sh', 'st', 't', 'th', 'tr', 'v', 'w', 'y', 'z'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'io', 'ou'];
const CODAS = ['', 'n', 'r', 's', 't', 'l', 'm', 'nd', 'st', 'ng'];

/**
 * A vocabulary of `n` distinct pseudo-words ("strainda", "plouth"…) built from
 * about 2,900 syllables, deterministic: as many distinct letter trigrams as
 * English prose has, which is what the trigram index's selectivity depends on.
 */
function vocabulary(n: number): string[] {
  const words = new Set<string>();
  const r = prng(91);
  const pick = <T,>(a: readonly T[]) => a[Math.floor(r() * a.length)];
  while (words.size < n) {
    const len = 1 + Math.floor(r() * 3);
    words.add(Array.from({ length: len }, () => pick(ONSETS) + pick(VOWELS) + pick(CODAS)).join(''));
  }
  return [...words];
}

/**
 * Paragraphs of 20–45 words: content words drawn from a 20,000-word
 * vocabulary with a skew towards the frequent ones (as in news text), a
 * function word every few words. Far less repetitive than the templated MT
 * corpus, whose sentences all share most of their words.
 */
function paragraphMaker(seed: number) {
  const vocab = vocabulary(20_000);
  const r = prng(seed);
  return (): string => {
    const n = 20 + Math.floor(r() * 26);
    const words: string[] = [];
    for (let i = 0; i < n; i++) words.push(r() < 0.3 ? FUNCTION_WORDS[Math.floor(r() * FUNCTION_WORDS.length)] : vocab[Math.floor(vocab.length * r() ** 2.5)]);
    words[0] = words[0][0].toUpperCase() + words[0].slice(1);
    return `${words.join(' ')}.`;
  };
}

/** `text` with about one word in ten replaced: a close match (about 85–90 %) of the original. */
function edited(text: string, r: () => number): string {
  return text
    .split(' ')
    .map((w, i) => (i > 0 && r() < 0.1 ? `chg${Math.floor(r() * 1000)}` : w))
    .join(' ');
}

/**
 * `GET /api/articles/:id/paragraphs/:index/tm` over HTTP with a session, one
 * request at a time, against a memory of N approved paragraphs filled by the
 * approval path's own set-based statement. Half the looked-up paragraphs are
 * close edits of a paragraph in the memory (each must find it), half are new
 * text. The baseline is the candidate query alone on a raw `pg` pool.
 */
export const tmBench: Bench = {
  id: 'tm',
  needsDb: true,
  async run(ctx) {
    const sizes = sizesOf(ctx);
    const articles = Math.max(1, Math.ceil(sizes.tmParagraphs / PARAGRAPHS_PER_ARTICLE));
    const next = paragraphMaker(ctx.seed + 5000);
    const corpus = Array.from({ length: articles }, (_, n) => {
      const paragraphs = Array.from({ length: PARAGRAPHS_PER_ARTICLE }, next);
      return { externalId: `tm-${n}`, title: `Memory article ${n}`, paragraphs, feed: '' };
    });
    const r = prng(ctx.seed + 6000);
    const queries = Array.from({ length: sizes.tmRequests }, (_, i) => {
      if (i % 2 === 1) return { text: next(), expect: null };
      const a = Math.floor(r() * articles);
      const p = Math.floor(r() * PARAGRAPHS_PER_ARTICLE);
      return { text: edited(corpus[a].paragraphs[p], r), expect: { article: a, index: p } };
    });

    const c = await connect(ctx.databaseUrl);
    let ids: number[];
    let queryId: number;
    try {
      const reviewer = await ensureUser(c, 'bench-reviewer', 'reviewer');
      const tag = `tm-${Date.now()}`;
      ctx.log(`tm: seeding ${articles * PARAGRAPHS_PER_ARTICLE} approved paragraphs`);
      ids = await seedArticles(c, corpus, { status: 'approved', approvedById: reviewer, tag });
      for (let i = 0; i < ids.length; i += 2000) await syncTmSegments(ctx.db, ids.slice(i, i + 2000));
      [queryId] = await seedArticles(c, [{ externalId: 'tm-query', title: 'Memory query article', paragraphs: queries.map((q) => q.text), feed: '' }], { status: 'mt_draft', tag });
      await c.query('vacuum analyze tm_segments');
      await c.query('analyze');
    } finally {
      await c.end();
    }
    const [{ segments }] = await ctx.db.$queryRaw<Array<{ segments: number }>>`select count(*)::int as segments from tm_segments`;

    const server = await startInProcessServer(ctx.databaseUrl, ctx.config);
    const pool = new pg.Pool({ connectionString: ctx.databaseUrl, max: ctx.config.dbPoolSize });
    try {
      const cookie = await login(server.url, 'bench-reviewer');
      let found = 0;
      const api = async (i: number) => {
        const res = await fetch(`${server.url}/api/articles/${queryId}/paragraphs/${i}/tm`, { headers: { cookie } });
        const body = (await res.json()) as { matches: Array<{ articleId: number; index: number; percent: number }> };
        if (res.status !== 200) throw new Error(`tm bench: the lookup answered ${res.status}`);
        const want = queries[i].expect;
        if (want && body.matches.some((m) => m.articleId === ids[want.article] && m.index === want.index)) found++;
      };
      const raw = async (i: number) => {
        await pool.query(
          `with q as materialized (select tm_anchors($1) as anchors)
           select s."articleId", s.position, s.mt, s.source, s.approved, a.title
             from q, tm_segments s join articles a on a.id = s."articleId"
            where s.anchors && q.anchors and s."articleId" <> $2
              and s."sourceLang" is not distinct from null and s."targetLang" is not distinct from null
              and a.status in ('approved', 'exported') and a."approvedRevisionId" = s."revisionId"
            order by (select count(*) from unnest(s.anchors) as x where x = any (q.anchors)) desc, s."articleId" desc, s.position limit 40`,
          [queries[i].text, queryId],
        );
      };
      const time = async (fn: () => Promise<void>) => {
        const t0 = process.hrtime.bigint();
        await fn();
        return Number(process.hrtime.bigint() - t0) / 1e6;
      };
      for (let i = 0; i < Math.min(20, queries.length); i++) {
        await api(i);
        await raw(i);
      }
      found = 0;
      const ours: number[] = [];
      const theirs: number[] = [];
      // Alternating blocks, so a burst of load from elsewhere on the machine hits both sides.
      for (let i = 0; i < queries.length; i += 10) {
        for (let j = i; j < Math.min(i + 10, queries.length); j++) ours.push(await time(() => api(j)));
        for (let j = i; j < Math.min(i + 10, queries.length); j++) theirs.push(await time(() => raw(j)));
      }
      const close = queries.filter((q) => q.expect).length;
      const o = summarize(ours);
      const t = summarize(theirs);
      return {
        id: 'tm',
        measure: `GET /api/articles/:id/paragraphs/:index/tm, ${segments.toLocaleString('en-US')} approved paragraphs in the memory, half the lookups close edits of one of them, one request at a time`,
        baseline: 'the candidate query alone on a pg pool (no HTTP, no session, no word-level ranking)',
        figures: {
          segments,
          requests: ours.length,
          close_edits_found: found,
          close_edits: close,
          median_ms: round(o.median),
          p99_ms: round(o.p99),
          baseline_median_ms: round(t.median),
          baseline_p99_ms: round(t.p99),
        },
        ratio: round(o.p99 / t.p99, 2),
        target: 'p99 ≤ 50 ms, and every close edit finds its original',
        pass: o.p99 <= 50 && found === close,
      };
    } finally {
      await pool.end();
      await server.close();
    }
  },
};
