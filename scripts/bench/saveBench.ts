import autocannon from 'autocannon';
import pg from 'pg';
import { eventHash, GENESIS_HASH } from '../../server/services/audit';
import { buildRevisionData, searchTextOf } from '../../server/services/revisionData';
import { startChildServer, login } from './benchServer';
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
  raw: SaveRound[];
  connections: number;
  articles: number;
  seconds: number;
  serverRss: number;
  serverMaxRss: number;
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

interface Prepared {
  title: string;
  searchText: string;
  positions: number[];
  texts: string[];
  paragraphs: string;
  diffs: string;
  stats: string;
  editRate: number;
  words: number;
  inserted: number;
  deleted: number;
  substituted: number;
  paragraphsChanged: number;
}

/** Two alternating saves per article, their diffs computed once beforehand: the baseline does no diff work. */
function prepare(a: CorpusArticle, r: () => number): [Prepared, Prepared] {
  const variant = (): Prepared => {
    const index = Math.floor(r() * a.paragraphs.length);
    const next = { title: a.title, paragraphs: a.paragraphs.map((p, i) => (i === index ? editWords(p, 0.1, r) : p)) };
    const data = buildRevisionData({ title: a.title, paragraphs: a.paragraphs }, next, a);
    return {
      title: a.title,
      searchText: searchTextOf(next),
      positions: [index],
      texts: [next.paragraphs[index]],
      paragraphs: JSON.stringify(data.paragraphs),
      diffs: JSON.stringify(data.diffs),
      stats: JSON.stringify(data.stats),
      editRate: data.editRate,
      words: data.stats.mt.words,
      inserted: data.wordsInserted,
      deleted: data.wordsDeleted,
      substituted: data.wordsSubstituted,
      paragraphsChanged: 1,
    };
  };
  return [variant(), variant()];
}

const AUDIT_CHAIN_LOCK = 0x636f7079;

/**
 * The raw side: the same transaction as saveRevision + recordAudit, in plain
 * SQL on one `pg` connection per worker: the version-checked UPDATE of the
 * article, the paragraphs' UPDATE, the revision INSERT (with precomputed
 * JSON), the audit chain's advisory lock, head read and INSERT (hash chained
 * as the app does), COMMIT.
 */
async function rawRound(clients: pg.Client[], work: Array<Array<{ id: number; version: number; revisionCount: number; saves: number; prepared: [Prepared, Prepared] }>>, authorId: number, seconds: number): Promise<SaveRound> {
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
        const t0 = performance.now();
        await c.query('BEGIN');
        const up = await c.query<{ version: number; revisionCount: number }>(
          `UPDATE articles SET version = version + 1, "revisionCount" = "revisionCount" + 1, title = $3, status = 'in_edit', "searchText" = $4,
                  "editRate" = $5, "wordCount" = $6, "updatedAt" = now()
            WHERE id = $1 AND version = $2 AND status = 'in_edit' RETURNING version, "revisionCount"`,
          [a.id, a.version, p.title, p.searchText, p.editRate, p.words],
        );
        if (up.rowCount !== 1) {
          await c.query('ROLLBACK');
          failed++;
          continue;
        }
        await c.query(
          `UPDATE paragraphs p SET text = v.text FROM unnest($2::int[], $3::text[]) AS v(position, text) WHERE p."articleId" = $1 AND p.position = v.position`,
          [a.id, p.positions, p.texts],
        );
        const rev = await c.query<{ id: number; number: number }>(
          `INSERT INTO revisions ("articleId", number, "articleVersion", kind, "authorId", title, paragraphs, diffs, stats, "editRate", "wordsInserted", "wordsDeleted", "wordsSubstituted")
           VALUES ($1, $2, $3, 'edit', $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id, number`,
          [a.id, up.rows[0].revisionCount, up.rows[0].version, authorId, p.title, p.paragraphs, p.diffs, p.stats, p.editRate, p.inserted, p.deleted, p.substituted],
        );
        await c.query(`select current_setting('transaction_isolation') as iso from (select pg_advisory_xact_lock($1)) as locked`, [AUDIT_CHAIN_LOCK]);
        const head = await c.query<{ prev: string | null; id: string; at: Date }>(
          `select (select hash from audit_events order by id desc limit 1) as prev, nextval(pg_get_serial_sequence('audit_events', 'id')) as id, clock_timestamp()::timestamptz(3) as at`,
        );
        const data = { revisionId: rev.rows[0].id, number: rev.rows[0].number, editRate: p.editRate, inserted: p.inserted, deleted: p.deleted, substituted: p.substituted, paragraphsChanged: p.paragraphsChanged, titleChanged: false };
        const fields = { id: BigInt(head.rows[0].id), at: head.rows[0].at, actorId: authorId, actorName: 'bench-editor', action: 'article.save', entity: 'article', entityId: String(a.id), ip: '127.0.0.1', data };
        const prevHash = head.rows[0].prev ?? GENESIS_HASH;
        await c.query(
          `insert into audit_events (id, at, "actorId", "actorName", action, entity, "entityId", ip, data, "prevHash", hash) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [fields.id.toString(), fields.at.toISOString(), authorId, fields.actorName, fields.action, fields.entity, fields.entityId, fields.ip, JSON.stringify(data), prevHash, eventHash(prevHash, fields)],
        );
        await c.query('COMMIT');
        latencies.push(performance.now() - t0);
        a.version = up.rows[0].version;
        a.revisionCount = up.rows[0].revisionCount;
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
  const rawArticles = source.slice(perSide).map((a, i) => ({ id: ids[perSide + i], version: 1, revisionCount: 1, saves: 0, prepared: prepare(a, r) }));
  const work = Array.from({ length: connections }, (_, w) => rawArticles.filter((_a, i) => i % connections === w));

  const server = await startChildServer(ctx.databaseUrl, ctx.cpuProfDir);
  const clients = await Promise.all(Array.from({ length: connections }, () => connect(ctx.databaseUrl)));
  try {
    const cookie = await login(server.url, 'bench-editor');
    const warm = Math.max(1, Math.min(3, sizes.saveSeconds));
    await apiRound(server.url, cookie, apiQueue, connections, warm, ctx.seed);
    await rawRound(clients, work, editorId, warm);
    const api: SaveRound[] = [];
    const raw: SaveRound[] = [];
    for (let round = 1; round <= sizes.saveRounds; round++) {
      ctx.log(`save round ${round}/${sizes.saveRounds}: ${sizes.saveSeconds} s API, ${sizes.saveSeconds} s raw SQL, ${connections} connections`);
      api.push(await apiRound(server.url, cookie, apiQueue, connections, sizes.saveSeconds, ctx.seed + round));
      raw.push(await rawRound(clients, work, editorId, sizes.saveSeconds));
    }
    const mem = await server.memory();
    return { api, raw, connections, articles: perSide, seconds: sizes.saveSeconds, serverRss: mem.rss, serverMaxRss: mem.maxRss };
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
    const failed = o.api.reduce((s, x) => s + x.failed, 0) + o.raw.reduce((s, x) => s + x.failed, 0);
    const ratio = apiTput / rawTput;
    return {
      id: 'save',
      measure: `PUT /api/articles/:id (revision + diffs + audit) at ${o.connections} connections, logged in, ${o.articles} distinct articles, ${o.api.length} × ${o.seconds} s`,
      baseline: `the same transaction in raw SQL on ${o.connections} pg connections (version-checked UPDATE, paragraphs, revision with precomputed diffs, audit chain lock + insert); no HTTP, ORM or diff`,
      figures: {
        saves_per_s: round(apiTput, 1),
        p50_ms: round(medianOf(o.api.map((x) => x.p50)), 1),
        p99_ms: round(p99, 1),
        baseline_saves_per_s: round(rawTput, 1),
        baseline_p50_ms: round(medianOf(o.raw.map((x) => x.p50)), 1),
        baseline_p99_ms: round(medianOf(o.raw.map((x) => x.p99)), 1),
        saves: o.api.reduce((s, x) => s + x.ok, 0),
        failed,
      },
      ratio: round(ratio, 2),
      target: '≥ 0.5× the baseline throughput; p99 ≤ 50 ms',
      pass: ratio >= 0.5 && p99 <= 50 && failed === 0,
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
    const mb = o.serverRss / 2 ** 20;
    return {
      id: 'memory',
      measure: 'RSS of the server process (its own child process) at the end of the save benchmark',
      baseline: '–',
      figures: { rss_mb: round(mb, 1), peak_rss_mb: round(o.serverMaxRss / 2 ** 20, 1) },
      target: '≤ 250 MB',
      pass: mb <= 250,
    };
  },
};
