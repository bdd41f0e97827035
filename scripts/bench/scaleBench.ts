import pg from 'pg';
import { migrateDeploy } from '../../server/db/migrate';
import { login, startInProcessServer } from './benchServer';
import { editWords, prng } from './corpus';
import { round, summarize } from './measure';
import { connect, ensureUser, seedArticles } from './seed';
import { growScaleCorpus, SCALE_PARAGRAPHS } from './scaleSeed';
import { sizesOf } from './sizes';
import type { Bench, BenchContext } from './types';

/** The list requests of each size: the admin's default view, and the three filters editors use most. */
const LIST_VARIANTS = [
  { id: 'status', filter: { status: 'in_edit' }, sort: ['updatedAt', 'DESC'] },
  { id: 'status_editrate', filter: { status: 'approved' }, sort: ['editRate', 'DESC'] },
  { id: 'assignee', filter: { assigneeId: 'me', status: ['in_edit', 'in_review'] }, sort: ['updatedAt', 'DESC'] },
  { id: 'search', filter: { q: '' }, sort: ['updatedAt', 'DESC'] },
] as const;

type Op = 'list_status' | 'list_status_editrate' | 'list_assignee' | 'list_search' | 'save' | 'tm';
const OPS: Op[] = ['list_status', 'list_status_editrate', 'list_assignee', 'list_search', 'save', 'tm'];

/** A size's figures: milliseconds per operation, one request at a time. */
interface Step {
  articles: number;
  segments: number;
  seedSeconds: number;
  ops: Record<Op, { median: number; p99: number }>;
}

async function time(fn: () => Promise<void>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** A database of its own on the bench's server: the other benches' rows would blur the sizes. */
async function scaleDatabase(ctx: BenchContext): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `copydesk_scale_${Date.now()}`;
  const admin = await connect(ctx.databaseUrl);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(ctx.databaseUrl);
  u.pathname = `/${name}`;
  await migrateDeploy(u.toString());
  return {
    url: u.toString(),
    async drop() {
      const a = await connect(ctx.databaseUrl);
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}m` : n >= 1000 ? `${n / 1000}k` : String(n));

type Captured = { text: string; values: unknown[] };

/**
 * The statements `fn` sends through any pg pool in this process (the
 * in-process server's included), for EXPLAIN: the SQL the service really
 * builds for a filter, not a copy of it.
 */
async function captureStatements(fn: () => Promise<void>): Promise<Captured[]> {
  const proto = pg.Pool.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const seen: Captured[] = [];
  proto.query = function (this: unknown, ...args: unknown[]) {
    const [a, b] = args;
    if (typeof a === 'string') seen.push({ text: a, values: (Array.isArray(b) ? b : []) as unknown[] });
    else if (a && typeof a === 'object' && 'text' in a) seen.push({ text: String((a as Captured).text), values: ((a as Captured).values ?? []) as unknown[] });
    return original.apply(this, args);
  };
  try {
    await fn();
  } finally {
    proto.query = original;
  }
  return seen;
}

/** A plan as one line: its nodes depth-first, with the index or table each scans. */
async function planLine(c: pg.Client, s: Captured): Promise<string> {
  const { rows } = await c.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (FORMAT JSON) ${s.text}`, s.values);
  const out: string[] = [];
  const walk = (n: PlanNode) => {
    out.push(`${n['Node Type']}${n['Index Name'] ? ` ${n['Index Name']}` : n['Relation Name'] ? ` ${n['Relation Name']}` : ''}`);
    for (const child of n.Plans ?? []) walk(child);
  };
  walk(rows[0]['QUERY PLAN'][0].Plan);
  return out.join(' > ');
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

/** Measures list, save and TM lookup on the corpus as it stands. */
async function measureStep(ctx: BenchContext, url: string, c: pg.Client, articles: number, requests: number, seed: number): Promise<Omit<Step, 'seedSeconds'>> {
  const r = prng(seed);
  const [{ segments }] = (await c.query<{ segments: number }>('SELECT count(*)::int AS segments FROM tm_segments')).rows;
  // Lookups: half close edits of a paragraph in the memory (one word in ten changed), half the MT of articles not approved.
  const memory = (await c.query<{ mt: string }>(`SELECT mt FROM tm_segments ORDER BY hashint4("articleId" * 8 + position + $2) LIMIT $1`, [Math.ceil(requests / 2), seed])).rows;
  const editable = (
    await c.query<{ id: number }>(
      `SELECT id FROM articles WHERE status = 'in_edit' AND "externalId" LIKE 'scale-%' ORDER BY hashint4(id + $2) LIMIT $1`,
      [requests + Math.ceil(requests / 2), seed],
    )
  ).rows.map((x) => x.id);
  const [queryId] = await seedArticles(c, [{ externalId: `lookups-${articles}`, title: 'Scale lookups', paragraphs: memory.map((m) => editWords(m.mt, 0.1, r)), feed: '' }], {
    status: 'mt_draft',
    tag: `scale-${articles}`,
  });
  const words = (await c.query<{ w: string }>(`SELECT split_part(mt, ' ', 2) AS w FROM paragraphs WHERE "articleId" = ANY($1::int[]) AND position = 0`, [editable.slice(0, 10)])).rows.map((x) => x.w);

  const server = await startInProcessServer(url, ctx.config);
  try {
    const cookie = await login(server.url, 'bench-editor');
    const headers = { cookie, 'content-type': 'application/json' };
    const getJson = async <T>(path: string): Promise<T> => {
      const res = await fetch(`${server.url}${path}`, { headers });
      if (res.status !== 200) throw new Error(`scale bench: GET ${path} answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as T;
    };
    const samples = Object.fromEntries(OPS.map((op) => [op, [] as number[]])) as Record<Op, number[]>;
    const list = (v: (typeof LIST_VARIANTS)[number], i: number) => {
      const filter = v.id === 'search' ? { q: words[i % words.length] } : v.filter;
      const qs = new URLSearchParams({ filter: JSON.stringify(filter), sort: JSON.stringify(v.sort), range: '[0,24]' });
      return getJson<unknown[]>(`/api/articles?${qs}`).then(() => undefined);
    };
    const save = async (id: number) => {
      const a = await getJson<{ version: number; title: string; paragraphs: Array<{ index: number; text: string }> }>(`/api/articles/${id}`);
      const p = a.paragraphs[0];
      const body = JSON.stringify({ title: a.title, version: a.version, paragraphs: [{ index: p.index, text: editWords(p.text, 0.1, r) }] });
      samples.save.push(
        await time(async () => {
          const res = await fetch(`${server.url}/api/articles/${id}`, { method: 'PUT', headers, body });
          if (res.status !== 200) throw new Error(`scale bench: PUT /api/articles/${id} answered ${res.status}: ${await res.text()}`);
          await res.arrayBuffer();
        }),
      );
    };
    const tm = (i: number) => {
      const [articleId, index] = i % 2 === 0 && i / 2 < memory.length ? [queryId, i / 2] : [editable[i % editable.length], i % SCALE_PARAGRAPHS];
      return getJson<unknown>(`/api/articles/${articleId}/paragraphs/${index}/tm`).then(() => undefined);
    };
    // The plans of the statements behind each list filter and the TM lookup, at this size.
    for (const v of LIST_VARIANTS) {
      const sent = await captureStatements(() => list(v, 0));
      for (const st of sent.filter((x) => /FROM articles a/.test(x.text))) ctx.log(`scale ${label(articles)} plan, list ${v.id}: ${await planLine(c, st)}`);
    }
    for (const st of (await captureStatements(() => tm(0))).filter((x) => /tm_segments/.test(x.text))) ctx.log(`scale ${label(articles)} plan, tm: ${await planLine(c, st)}`);
    // Warm-up: the plans, the server's code and the hot pages.
    for (let i = 0; i < 5; i++) {
      for (const v of LIST_VARIANTS) await list(v, i);
      await tm(i);
    }
    await save(editable[requests]);
    samples.save.length = 0;
    // Interleaved, so a burst of load from elsewhere hits every operation alike.
    for (let i = 0; i < requests; i++) {
      for (const v of LIST_VARIANTS) samples[`list_${v.id}` as Op].push(await time(() => list(v, i)));
      await save(editable[i]);
      samples.tm.push(await time(() => tm(i)));
    }
    const ops = Object.fromEntries(
      OPS.map((op) => {
        const s = summarize(samples[op]);
        return [op, { median: round(s.median, 2), p99: round(s.p99, 2) }];
      }),
    ) as Step['ops'];
    return { articles, segments, ops };
  } finally {
    await server.close();
  }
}


/**
 * How list (with filters), save and TM lookup latency grow with the number
 * of articles: one corpus, grown set-based from one size to the next (10k,
 * 100k; 1M with `--scale`), measured one request at a time after each step.
 * The ratio is the worst growth of an operation's p99 from the first size to
 * the last.
 */
export const scaleBench: Bench = {
  id: 'scale',
  needsDb: true,
  async run(ctx) {
    const sizes = sizesOf(ctx);
    const db = await scaleDatabase(ctx);
    const c = await connect(db.url);
    try {
      const editor = await ensureUser(c, 'bench-editor', 'editor');
      const reviewer = await ensureUser(c, 'bench-reviewer', 'reviewer');
      const steps: Step[] = [];
      let have = 0;
      for (const [k, n] of sizes.scaleSteps.entries()) {
        const t0 = performance.now();
        ctx.log(`scale: growing the corpus to ${n.toLocaleString('en-US')} articles`);
        await growScaleCorpus(c, { from: have, to: n, assignees: [editor, reviewer], approverId: reviewer, log: ctx.log });
        have = n;
        const seedSeconds = round((performance.now() - t0) / 1000, 1);
        const step = { ...(await measureStep(ctx, db.url, c, n, sizes.scaleRequests, ctx.seed + k)), seedSeconds };
        ctx.log(`scale ${label(n)}: seeded in ${seedSeconds} s; p50/p99 ms ${OPS.map((op) => `${op} ${step.ops[op].median}/${step.ops[op].p99}`).join(', ')}`);
        steps.push(step);
      }
      const figures: Record<string, number> = {};
      for (const s of steps) {
        figures[`articles_${label(s.articles)}`] = s.articles;
        figures[`segments_${label(s.articles)}`] = s.segments;
        figures[`seed_s_${label(s.articles)}`] = s.seedSeconds;
        for (const op of OPS) figures[`${op}_p99_ms_${label(s.articles)}`] = s.ops[op].p99;
        for (const op of OPS) figures[`${op}_p50_ms_${label(s.articles)}`] = s.ops[op].median;
      }
      const [first, last] = [steps[0], steps.at(-1)!];
      const growth = Object.fromEntries(OPS.map((op) => [op, last.ops[op].median / first.ops[op].median]));
      for (const op of OPS) figures[`${op}_p50_growth`] = round(growth[op], 2);
      const worst = Math.max(...Object.values(growth));
      return {
        id: 'scale',
        measure: `list (4 filters), save and TM lookup, one request at a time, ${sizes.scaleRequests} each, at ${steps.map((s) => label(s.articles)).join(' → ')} articles (${SCALE_PARAGRAPHS} paragraphs each, 2 in 7 approved into the memory)`,
        baseline: `the same operations at ${label(first.articles)} articles, same run`,
        figures,
        ratio: round(worst, 2),
        target: `every operation's median at ${label(last.articles)} ≤ 2× its median at ${label(first.articles)}`,
        pass: worst <= 2,
      };
    } finally {
      await c.end();
      await db.drop();
    }
  },
};
