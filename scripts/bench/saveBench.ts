import autocannon from 'autocannon';
import pg from 'pg';
import type { UserActor } from '../../server/auth/context';
import { saveStatement, type LoadedArticle } from '../../server/services/saveRevision';
import { buildRevisionData, type RevisionData, type Snapshot } from '../../server/services/revisionData';
import { startChildServer, login, type ServerMemory } from './benchServer';
import type { ServerStats } from './serverStats';
import { corpus, editWords, prng, type CorpusArticle } from './corpus';
import { round, summarize } from './measure';
import { connect, ensureUser, seedArticles } from './seed';
import { sizesOf } from './sizes';
import type { Bench, BenchContext, BenchResult } from './types';

interface SaveRound {
  /** Successful saves per second. */
  throughput: number;
  p50: number;
  p99: number;
  ok: number;
  failed: number;
}

interface SaveOutcome {
  api: SaveRound[];
  /** The server's own figures during each timed API round. */
  serverStats: ServerStats[];
  raw: SaveRound[];
  connections: number;
  articles: number;
  seconds: number;
  server: ServerMemory;
}

interface Editable {
  id: number;
  version: number;
  title: string;
  mt: readonly string[];
  text: string[];
  saves: number;
}

/** The next save of an article: one paragraph re-edited (10 % of its MT words changed), as an editor does between saves. */
function nextEdit(a: Editable, r: () => number): { index: number; text: string } {
  const index = a.saves % a.mt.length;
  let text = editWords(a.mt[index], 0.1, r);
  if (text === a.text[index]) text += ' (revised)';
  return { index, text };
}

/** What autocannon's per-request context carries from setupRequest to onResponse. */
interface RequestState {
  article?: Editable;
  edit?: { index: number; text: string };
}

/**
 * The API side: PUT /api/articles/:id with autocannon. An article is checked
 * out of a queue shared by the connections for each request and put back
 * with its new version when the answer arrives, so no two requests in flight
 * touch the same article and every request sends the right version (a 409
 * would be a bench bug, and is counted as a failure). The queue persists
 * across rounds: an article whose answer was cut off when a round ended
 * stays out, since its version is unknown.
 */
async function apiRound(url: string, cookie: string, queue: Editable[], connections: number, seconds: number, seed: number): Promise<SaveRound> {
  const r = prng(seed);
  let ok = 0;
  let failed = 0;
  const failures = new Map<number, number>();
  const errors = new Map<string, number>();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({
    url,
    connections,
    duration: seconds,
    pipelining: 1,
    headers: { cookie, 'content-type': 'application/json' },
    requests: [
      {
        method: 'PUT',
        setupRequest(req, raw) {
          const context = raw as RequestState;
          const a = queue.shift();
          if (!a) throw new Error('save bench: no article left to save; raise saveArticlesPerConnection');
          const edit = nextEdit(a, r);
          const paragraphs = a.text.map((text, index) => ({ index, text: index === edit.index ? edit.text : text }));
          context.article = a;
          context.edit = edit;
          return { ...req, path: `/api/articles/${a.id}`, body: JSON.stringify({ id: a.id, title: a.title, version: a.version, paragraphs }) };
        },
        onResponse(status, body, raw) {
          const { article: a, edit } = raw as Required<RequestState>;
          if (status === 200) {
            ok++;
            a.version++;
            a.saves++;
            a.text[edit.index] = edit.text;
          } else {
            failed++;
            failures.set(status, (failures.get(status) ?? 0) + 1);
            if (status === 409) a.version = (JSON.parse(body) as { error: { details: { currentVersion: number } } }).error.details.currentVersion;
          }
          queue.push(a);
        },
      },
    ],
  }, (err, res) => (err ? reject(err) : resolve(res)));
    instance.on('reqError', (e: Error) => errors.set(e.message, (errors.get(e.message) ?? 0) + 1));
  });
  if (failed || result.errors) console.error(`[bench] save: answers other than 200: ${JSON.stringify(Object.fromEntries(failures))}, request errors ${JSON.stringify(Object.fromEntries(errors))}`);
  return { throughput: ok / result.duration, p50: result.latency.p50, p99: result.latency.p99, ok, failed: failed + result.errors };
}

/** A raw-side article: what saveStatement needs of it, and two alternating edits with their revision data computed once. */
interface RawArticle {
  article: LoadedArticle;
  saves: number;
  prepared: [{ next: Snapshot; data: RevisionData }, { next: Snapshot; data: RevisionData }];
}

/** Two alternating saves per article, their diffs computed once beforehand: the baseline does no diff work. */
function prepare(a: CorpusArticle, id: number, r: () => number): RawArticle {
  const original: Snapshot = { title: a.title, paragraphs: a.paragraphs };
  const variant = () => {
    const index = Math.floor(r() * a.paragraphs.length);
    const next = { title: a.title, paragraphs: a.paragraphs.map((p, i) => (i === index ? editWords(p, 0.1, r) : p)) };
    return { next, data: buildRevisionData(original, next, original) };
  };
  const article: LoadedArticle = {
    id,
    version: 1,
    status: 'in_edit',
    title: a.title,
    mtTitle: a.title,
    revisionCount: 1,
    assigneeId: null,
    paragraphs: a.paragraphs.map((text, position) => ({ position, mt: text, text })),
  };
  return { article, saves: 0, prepared: [variant(), variant()] };
}

/** Revision ids for the raw side, taken before a round as the API takes its id in the read that precedes a save. */
async function reserveIds(c: pg.Client, n: number): Promise<number[]> {
  const { rows } = await c.query<{ id: number }>(`SELECT nextval(pg_get_serial_sequence('revisions', 'id'))::int AS id FROM generate_series(1, $1)`, [n]);
  return rows.map((row) => row.id);
}

/**
 * The raw side: exactly the statement the API's save sends (`saveStatement`
 * from server/services/saveRevision.ts: the version-checked article update,
 * the paragraphs, the revision, the audit event through audit_append, as one
 * statement) on one `pg` connection per worker, with the revision data
 * computed beforehand. The text between saves is not tracked (each save's
 * "previous" text is the original), which changes nothing in the SQL's work.
 */
async function rawRound(clients: pg.Client[], work: RawArticle[][], actor: UserActor, seconds: number): Promise<SaveRound> {
  // More ids than a worker can use in a round; a worker that runs out takes more (timed, rare).
  const ids = await Promise.all(clients.map((c) => reserveIds(c, 3000)));
  const deadline = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  const start = performance.now();
  await Promise.all(
    clients.map(async (c, w) => {
      for (let k = 0; performance.now() < deadline; k++) {
        const a = work[w][k % work[w].length];
        const p = a.prepared[a.saves % 2];
        if (ids[w].length === 0) ids[w] = await reserveIds(c, 1000);
        const t0 = performance.now();
        const revisionId = ids[w].pop() as number;
        const { statement, saved } = saveStatement({ article: a.article, next: p.next, data: p.data, kind: 'edit', note: null, revisionId, updatedAt: new Date() }, actor);
        const res = await c.query(statement.text, statement.values);
        if (res.rowCount !== 1) {
          failed++;
          continue;
        }
        latencies.push(performance.now() - t0);
        a.article.version = saved.version;
        a.article.revisionCount = saved.revisionCount;
        a.saves++;
        ok++;
      }
    }),
  );
  const s = summarize(latencies);
  return { throughput: ok / ((performance.now() - start) / 1000), p50: s.median, p99: s.p99, ok, failed };
}

const outcomes = new WeakMap<BenchContext, Promise<SaveOutcome>>();

/** Runs the save measurement once per context; the save and memory benches both read it. */
export function saveOutcome(ctx: BenchContext): Promise<SaveOutcome> {
  let o = outcomes.get(ctx);
  if (!o) {
    o = measureSaves(ctx);
    outcomes.set(ctx, o);
  }
  return o;
}

async function measureSaves(ctx: BenchContext): Promise<SaveOutcome> {
  const sizes = sizesOf(ctx);
  const connections = sizes.saveConnections;
  const perSide = connections * sizes.saveArticlesPerConnection;
  const c = await connect(ctx.databaseUrl);
  const editorId = await ensureUser(c, 'bench-editor', 'editor');
  const tag = `save-${Date.now()}`;
  const source = [...corpus(ctx.seed + 3000, perSide * 2)];
  ctx.log(`save: seeding ${perSide} articles per side`);
  const ids = await seedArticles(c, source, { status: 'in_edit', tag });
  await c.query('analyze');
  await c.end();

  const apiQueue: Editable[] = source.slice(0, perSide).map((a, i) => ({ id: ids[i], version: 1, title: a.title, mt: a.paragraphs, text: [...a.paragraphs], saves: 0 }));
  const r = prng(ctx.seed + 4000);
  const rawArticles = source.slice(perSide).map((a, i) => prepare(a, ids[perSide + i], r));
  const work = Array.from({ length: connections }, (_, w) => rawArticles.filter((_a, i) => i % connections === w));

  const rawActor: UserActor = { id: editorId, username: 'bench-editor', displayName: 'bench-editor', role: 'editor', ip: '127.0.0.1' };
  const server = await startChildServer(ctx.databaseUrl, ctx.cpuProfDir);
  const clients = await Promise.all(Array.from({ length: connections }, () => connect(ctx.databaseUrl)));
  try {
    const cookie = await login(server.url, 'bench-editor');
    const warm = Math.max(1, Math.min(3, sizes.saveSeconds));
    await apiRound(server.url, cookie, apiQueue, connections, warm, ctx.seed);
    await rawRound(clients, work, rawActor, warm);
    const api: SaveRound[] = [];
    const raw: SaveRound[] = [];
    const serverStats: ServerStats[] = [];
    for (let round = 1; round <= sizes.saveRounds; round++) {
      ctx.log(`save round ${round}/${sizes.saveRounds}: ${sizes.saveSeconds} s API, ${sizes.saveSeconds} s raw SQL, ${connections} connections`);
      await server.stats();
      api.push(await apiRound(server.url, cookie, apiQueue, connections, sizes.saveSeconds, ctx.seed + round));
      serverStats.push(await server.stats());
      raw.push(await rawRound(clients, work, rawActor, sizes.saveSeconds));
      const [a, b, st] = [api.at(-1)!, raw.at(-1)!, serverStats.at(-1)!];
      ctx.log(
        `save round ${round}: API ${a.throughput.toFixed(1)}/s p50 ${a.p50} p99 ${a.p99} ms; raw ${b.throughput.toFixed(1)}/s p50 ${b.p50.toFixed(1)} p99 ${b.p99.toFixed(1)} ms; ` +
          `server event-loop delay p99 ${st.loopDelayP99} ms (max ${st.loopDelayMax}), pool waits p99 ${st.poolWaitP99} ms (${(st.poolWaitedShare * 100).toFixed(1)} % over 1 ms)`,
      );
    }
    const mem = await server.memory();
    return { api, serverStats, raw, connections, articles: perSide, seconds: sizes.saveSeconds, server: mem };
  } finally {
    await Promise.all(clients.map((cl) => cl.end()));
    await server.close();
  }
}

const medianOf = (xs: number[]) => summarize(xs).median;

/** PUT /api/articles/:id at N concurrent connections against the same transaction in raw SQL. */
export const saveBench: Bench = {
  id: 'save',
  needsDb: true,
  async run(ctx): Promise<BenchResult> {
    const o = await saveOutcome(ctx);
    const apiTput = medianOf(o.api.map((x) => x.throughput));
    const rawTput = medianOf(o.raw.map((x) => x.throughput));
    const p99 = medianOf(o.api.map((x) => x.p99));
    const rawP99 = medianOf(o.raw.map((x) => x.p99));
    const failed = o.api.reduce((s, x) => s + x.failed, 0) + o.raw.reduce((s, x) => s + x.failed, 0);
    // Each round pairs an API run with the raw run right after it: on a shared machine the load moves
    // between rounds, so the ratios are taken per round and their median is the figure.
    const tputRatios = o.api.map((a, i) => a.throughput / o.raw[i].throughput);
    const p99Ratios = o.api.map((a, i) => a.p99 / o.raw[i].p99);
    const ratio = medianOf(tputRatios);
    const p99Ratio = medianOf(p99Ratios);
    return {
      id: 'save',
      measure: `PUT /api/articles/:id (revision + diffs + audit) at ${o.connections} connections, logged in, ${o.articles} distinct articles, ${o.api.length} × ${o.seconds} s`,
      baseline: `the API's save statement (version-checked UPDATE, paragraphs, revision with precomputed diffs, audit_append) in raw SQL on ${o.connections} pg connections; no HTTP, ORM or diff`,
      figures: {
        saves_per_s: round(apiTput, 1),
        p50_ms: round(medianOf(o.api.map((x) => x.p50)), 1),
        p99_ms: round(p99, 1),
        baseline_saves_per_s: round(rawTput, 1),
        baseline_p50_ms: round(medianOf(o.raw.map((x) => x.p50)), 1),
        baseline_p99_ms: round(rawP99, 1),
        p99_ratio: round(p99Ratio, 2),
        p99_ratio_min: round(Math.min(...p99Ratios), 2),
        p99_ratio_max: round(Math.max(...p99Ratios), 2),
        throughput_ratio_min: round(Math.min(...tputRatios), 2),
        throughput_ratio_max: round(Math.max(...tputRatios), 2),
        saves: o.api.reduce((s, x) => s + x.ok, 0),
        failed,
        server_loop_delay_p99_ms: round(medianOf(o.serverStats.map((x) => x.loopDelayP99)), 2),
        server_pool_wait_p99_ms: round(medianOf(o.serverStats.map((x) => x.poolWaitP99)), 2),
      },
      ratio: round(ratio, 2),
      target: '≥ 0.6× the baseline throughput; p99 ≤ 1.5× the baseline p99 (medians of the rounds\' ratios)',
      pass: ratio >= 0.6 && p99Ratio <= 1.5 && failed === 0,
      ...(failed ? { notes: `${failed} request(s) failed` } : {}),
    };
  },
};

/** The server's resident memory after the save load (the server runs in its own process). */
export const memoryBench: Bench = {
  id: 'memory',
  needsDb: true,
  async run(ctx): Promise<BenchResult> {
    const o = await saveOutcome(ctx);
    const mb = o.server.rss / 2 ** 20;
    const inMb = (bytes: number) => round(bytes / 2 ** 20, 1);
    return {
      id: 'memory',
      measure: 'RSS of the server process (its own child process) at the end of the save benchmark',
      baseline: '–',
      figures: { rss_mb: round(mb, 1), peak_rss_mb: inMb(o.server.maxRss), heap_used_mb: inMb(o.server.heapUsed), heap_total_mb: inMb(o.server.heapTotal), external_mb: inMb(o.server.external), ...(o.server.heapLive === undefined ? {} : { heap_live_after_gc_mb: inMb(o.server.heapLive) }) },
      target: '≤ 250 MB',
      pass: mb <= 250,
    };
  },
};
