// npm run soak: a bounded soak test of the real server under steady load.
//
// Creates a fresh database (a new database on DATABASE_URL's server, or an
// embedded PostgreSQL in a temporary folder), seeds users and articles, starts
// the server as a child process on loopback, and drives it with autocannon at
// 16 connections: a mix of list, get and save (each save with the version just
// read, on an article no other connection is touching, then a re-read). It
// samples the server's RSS every 10 s and fits a line through the lowest
// sample of each of five windows after warm-up (the post-GC floor). Exit 1 if any answer was a 5xx, a save hit a conflict, or
// RSS grows faster than the threshold.
//
//   npm run soak                               5 minutes (the release check)
//   npm run soak -- --duration 120             2 minutes
//   npm run soak -- --duration 60 --json       machine-readable report
//   options: --connections 16  --articles 200  --sample-every 10  --max-slope 10 (MB/min)
//            --database-url <url>  use this migrated, empty database as is (default: create one)
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { freePort } from './lib/freePort';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PASSWORD = 'soak test password 1';

/** Options of one soak run. */
export interface SoakOptions {
  durationS: number;
  connections: number;
  articles: number;
  sampleEveryS: number;
  /** RSS growth (MB per minute, fitted after warm-up) above which the run fails. */
  maxSlopeMbPerMin: number;
  /** An existing, migrated, empty database to use as is (tests pass a clone of their template); default: a fresh one. */
  databaseUrl?: string;
  log?: (line: string) => void;
}

/** What a soak run measured. */
export interface SoakReport {
  durationS: number;
  connections: number;
  articles: number;
  requests: { total: number; perSecond: number; list: number; get: number; save: number };
  errors: number;
  timeouts: number;
  status5xx: number;
  conflicts: number;
  statusCounts: Record<string, number>;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  rss: { samples: Array<{ t: number; mb: number }>; warmupS: number; /** Trend of the per-window RSS floor after warm-up: the figure that is judged. */ slopeMbPerMin: number | null; /** Least-squares slope of all samples after warm-up, for reference. */ rawSlopeMbPerMin: number | null; /** False for runs under 60 s. */ judged: boolean; maxSlopeMbPerMin: number; startMb: number; endMb: number };
  ok: boolean;
  failures: string[];
}


/** Least-squares slope of y over x; null with fewer than 3 points. */
/** The figures a soak run is judged on. */
export interface SoakFigures {
  durationS: number;
  status5xx: number;
  conflicts: number;
  connectionErrors: number;
  /** Trend of the RSS floor after warm-up, MB/min; null when there are too few points. */
  slopeMbPerMin: number | null;
  maxSlopeMbPerMin: number;
  serverExitCode: number | null;
}

/**
 * Whether a soak run passed: no 5xx, no version conflicts (nobody else holds
 * the articles), no connection errors, the server still running, and, for runs
 * of a minute or more, an RSS trend within the limit. Under a minute warm-up
 * dominates and a trend means nothing: it is reported, not judged.
 */
export function judgeSoak(f: SoakFigures): { judged: boolean; failures: string[] } {
  const failures: string[] = [];
  if (f.status5xx > 0) failures.push(`${f.status5xx} answers were 5xx`);
  if (f.conflicts > 0) failures.push(`${f.conflicts} saves hit a version conflict although no one else held the article`);
  if (f.connectionErrors > 0) failures.push(`${f.connectionErrors} connection errors`);
  const judged = f.durationS >= 60 && f.slopeMbPerMin !== null;
  if (judged && f.slopeMbPerMin !== null && f.slopeMbPerMin > f.maxSlopeMbPerMin) failures.push(`RSS grows ${f.slopeMbPerMin} MB/min after warm-up (limit ${f.maxSlopeMbPerMin})`);
  if (f.serverExitCode !== null) failures.push(`the server exited (code ${f.serverExitCode})`);
  return { judged, failures };
}

export function linearSlope(points: Array<{ x: number; y: number }>): number | null {
  if (points.length < 3) return null;
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  if (sxx === 0) return null;
  return points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx;
}

function rssMb(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

interface Database {
  url: string;
  dispose(): Promise<void>;
}

/** A fresh, migrated database: a new one on DATABASE_URL's server, else an embedded cluster in a temp dir. */
async function freshDatabase(log: (l: string) => void): Promise<Database> {
  const { loadConfig } = await import('../server/config');
  const { openDatabase } = await import('../server/db/embedded');
  const { migrateDeploy } = await import('../server/db/migrate');
  const config = loadConfig();
  let tmp: string | undefined;
  let handle: Awaited<ReturnType<typeof openDatabase>>;
  if (config.databaseUrl) {
    handle = await openDatabase(config, 'cli');
  } else {
    tmp = mkdtempSync(path.join(tmpdir(), 'copydesk-soak-'));
    chmodSync(tmp, 0o755); // PostgreSQL runs as the postgres user when we are root
    log(`starting an embedded PostgreSQL in ${tmp}…`);
    handle = await openDatabase({ ...config, dataDir: tmp, embeddedPgPort: await freePort() }, 'server');
  }
  const name = `copydesk_soak_${process.pid}_${randomBytes(3).toString('hex')}`;
  const adminUrl = new URL(handle.adminUrl);
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(handle.adminUrl);
  url.pathname = `/${name}`;
  log(`migrating database ${name}…`);
  await migrateDeploy(url.toString());
  return {
    url: url.toString(),
    async dispose() {
      await admin.query(`drop database if exists ${name} with (force)`).catch(() => undefined);
      await admin.end().catch(() => undefined);
      await handle.stop();
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Seeds `count` articles (as the importer stores them: article, paragraphs, revision 1, status change) and one editor. */
async function seed(url: string, count: number): Promise<number[]> {
  const { createDb } = await import('../server/db/client');
  const { hashPassword } = await import('../server/auth/passwords');
  const { buildRevisionData, contentHash, searchTextOf } = await import('../server/services/revisionData');
  const db = createDb(url, { dbPoolSize: 4, dbConnectTimeoutMs: 5000 });
  try {
    await db.user.create({ data: { username: 'soak', displayName: 'Soak Editor', role: 'editor', passwordHash: await hashPassword(PASSWORD) } });
    const ids: number[] = [];
    for (let i = 0; i < count; i++) {
      const title = `Soak article ${i}: the council debates the budget`;
      const paragraphs = Array.from({ length: 6 }, (_, p) => `Paragraph ${p} of article ${i}. The council approved the new budget on Monday, and opposition members said the plan lacked detail on transport and housing.`);
      const snap = { title, paragraphs };
      const data = buildRevisionData(null, snap, snap);
      const id = await db.$transaction(async (tx) => {
        const a = await tx.article.create({
          data: {
            contentHash: contentHash(title, paragraphs),
            title,
            mtTitle: title,
            sourceLang: 'fr',
            targetLang: 'en',
            mtWordCount: data.stats.mt.mtWords,
            wordCount: data.stats.mt.words,
            editRate: data.editRate,
            searchText: searchTextOf(snap),
            paragraphs: { create: paragraphs.map((p, position) => ({ position, mt: p, text: p })) },
          },
          select: { id: true },
        });
        const r = await tx.revision.create({
          data: {
            articleId: a.id,
            number: 1,
            articleVersion: 1,
            kind: 'import',
            title: data.title,
            paragraphs: data.paragraphs,
            diffs: data.diffs as object,
            stats: data.stats as object,
            editRate: data.editRate,
            wordsInserted: data.wordsInserted,
            wordsDeleted: data.wordsDeleted,
            wordsSubstituted: data.wordsSubstituted,
          },
          select: { id: true },
        });
        await tx.statusChange.create({ data: { articleId: a.id, fromStatus: null, toStatus: 'mt_draft', revisionId: r.id } });
        return a.id;
      });
      ids.push(id);
    }
    return ids;
  } finally {
    await db.$disconnect();
  }
}

async function startServer(url: string, port: number, log: (l: string) => void): Promise<{ child: ChildProcess; output: () => string }> {
  let out = '';
  // server/index.ts directly (not scripts/start.ts): the soak needs no admin UI build.
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'server', 'index.ts')).href)}); await m.main();`], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, HOST: '127.0.0.1', PORT: String(port), NODE_ENV: 'production', LOG_LEVEL: 'warn', COPYDESK_ADMIN_PASSWORD: PASSWORD, COPYDESK_SESSION_SECRET: randomBytes(24).toString('hex'), COPYDESK_AUDIT_KEY: randomBytes(32).toString('hex'), COPYDESK_AUDIT_CHECKPOINTS: path.join(tmpdir(), `copydesk-soak-${process.pid}-checkpoints.log`) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const end = Date.now() + 120_000;
  while (!out.includes('Copydesk is running at')) {
    if (child.exitCode !== null) throw new Error(`the server exited during start-up:\n${out}`);
    if (Date.now() > end) throw new Error(`the server did not start within 120 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  log(`server pid ${child.pid} on 127.0.0.1:${port}`);
  return { child, output: () => out };
}

/** Runs one soak and returns its report (it does not exit the process). */
export async function runSoak(opts: SoakOptions): Promise<SoakReport> {
  const log = opts.log ?? (() => undefined);
  const database: Database = opts.databaseUrl ? { url: opts.databaseUrl, dispose: async () => undefined } : await freshDatabase(log);
  let server: ChildProcess | undefined;
  let sampler: NodeJS.Timeout | undefined;
  try {
    log(`seeding ${opts.articles} articles…`);
    const articleIds = await seed(database.url, opts.articles);
    const port = await freePort();
    const started = await startServer(database.url, port, log);
    server = started.child;
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'soak', password: PASSWORD }) });
    if (login.status !== 200) throw new Error(`soak login failed: ${login.status} ${await login.text()}`);
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');

    const pid = server.pid!;
    const samples: Array<{ t: number; mb: number }> = [];
    const t0 = Date.now();
    const sample = () => {
      const mb = rssMb(pid);
      if (mb !== undefined) samples.push({ t: Math.round((Date.now() - t0) / 100) / 10, mb: Math.round(mb * 10) / 10 });
    };
    sample();
    sampler = setInterval(sample, opts.sampleEveryS * 1000);

    // Articles being worked on by some connection: a save always targets an article nobody else holds,
    // so its version (read just before) is current and a 409 would be a real defect.
    const busy = new Set<number>();
    let cursor = 0;
    const take = (): number => {
      for (let i = 0; i < articleIds.length; i++) {
        const id = articleIds[(cursor + i) % articleIds.length];
        if (!busy.has(id)) {
          cursor = (cursor + i + 1) % articleIds.length;
          busy.add(id);
          return id;
        }
      }
      throw new Error('more connections than articles');
    };
    const counts = { list: 0, get: 0, save: 0, conflicts: 0, status: {} as Record<string, number> };
    const seen = (kind: 'list' | 'get' | 'save', status: number) => {
      counts[kind]++;
      counts.status[status] = (counts.status[status] ?? 0) + 1;
      if (status === 409) counts.conflicts++;
    };
    let saveNo = 0;
    type Ctx = { id?: number; rec?: { version: number; title: string; paragraphs: Array<{ index: number; text: string }> } };
    const sorts = ['["updatedAt","DESC"]', '["id","ASC"]', '["title","ASC"]', '["editRate","DESC"]'];

    const result = await autocannon({
      url: base,
      connections: opts.connections,
      duration: opts.durationS,
      timeout: 30,
      headers: { cookie, 'content-type': 'application/json' },
      requests: [
        {
          method: 'GET',
          setupRequest: (req, context: Ctx) => {
            context.id = take();
            const sort = sorts[context.id % sorts.length];
            const start = (context.id * 7) % Math.max(1, opts.articles - 25);
            return { ...req, path: `/api/articles?sort=${encodeURIComponent(sort)}&range=${encodeURIComponent(`[${start},${start + 24}]`)}&filter=%7B%7D` };
          },
          onResponse: (status) => seen('list', status),
        },
        {
          method: 'GET',
          setupRequest: (req, context: Ctx) => ({ ...req, path: `/api/articles/${context.id}` }),
          onResponse: (status, body, context: Ctx) => {
            seen('get', status);
            if (status === 200) context.rec = JSON.parse(body);
          },
        },
        {
          method: 'PUT',
          setupRequest: (req, context: Ctx) => {
            const rec = context.rec;
            if (!rec) return { ...req, path: `/api/articles/${context.id}`, body: '{}' };
            const n = ++saveNo;
            const which = n % rec.paragraphs.length;
            const paragraphs = rec.paragraphs.map((p) => ({ index: p.index, text: p.index === which ? `${p.text.replace(/ \(rev \d+\)$/, '')} (rev ${n})` : p.text }));
            return { ...req, path: `/api/articles/${context.id}`, body: JSON.stringify({ version: rec.version, title: rec.title, paragraphs }) };
          },
          onResponse: (status) => seen('save', status),
        },
        {
          method: 'GET',
          setupRequest: (req, context: Ctx) => ({ ...req, path: `/api/articles/${context.id}` }),
          onResponse: (status, _body, context: Ctx) => {
            seen('get', status);
            if (context.id !== undefined) busy.delete(context.id);
          },
        },
      ],
    });
    clearInterval(sampler);
    sampler = undefined;
    sample();

    // Warm-up (JIT, pools, caches) grows memory legitimately: fit the trend after it.
    // The heap grows to its working size during roughly the first minute under this load.
    const warmupS = Math.min(60, opts.durationS / 2);
    const steady = samples.filter((s) => s.t >= warmupS);
    const perMin = (v: number | null) => (v === null ? null : Math.round(v * 60 * 100) / 100);
    const rawSlopeMbPerMin = perMin(linearSlope(steady.map((s) => ({ x: s.t, y: s.mb }))));
    // RSS is a garbage-collection sawtooth (±40 MB here): a leak shows as a rising floor, so the trend is fitted
    // through the lowest sample of each of five windows, which the sawtooth's phase does not move much.
    const windowS = Math.max(opts.sampleEveryS * 2, (opts.durationS - warmupS) / 5);
    const floors = new Map<number, { x: number; y: number }>();
    for (const s of steady) {
      const w = Math.floor((s.t - warmupS) / windowS);
      if (w >= 5) continue; // the closing sample(s) past the last full window
      const cur = floors.get(w);
      if (!cur || s.mb < cur.y) floors.set(w, { x: warmupS + (w + 0.5) * windowS, y: s.mb });
    }
    const slopeMbPerMin = perMin(linearSlope([...floors.values()]));
    const status5xx = Object.entries(counts.status)
      .filter(([s]) => Number(s) >= 500)
      .reduce((n, [, c]) => n + c, 0);
    const non2xx = Object.entries(counts.status)
      .filter(([s]) => Number(s) < 200 || Number(s) >= 300)
      .reduce((n, [, c]) => n + c, 0);
    const { judged, failures } = judgeSoak({
      durationS: opts.durationS,
      status5xx,
      conflicts: counts.conflicts,
      connectionErrors: result.errors,
      slopeMbPerMin,
      maxSlopeMbPerMin: opts.maxSlopeMbPerMin,
      serverExitCode: server.exitCode,
    });
    const total = counts.list + counts.get + counts.save;
    return {
      durationS: opts.durationS,
      connections: opts.connections,
      articles: opts.articles,
      requests: { total, perSecond: Math.round(total / opts.durationS), list: counts.list, get: counts.get, save: counts.save },
      errors: result.errors + non2xx,
      timeouts: result.timeouts,
      status5xx,
      conflicts: counts.conflicts,
      statusCounts: counts.status,
      latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: Math.round(result.latency.average * 100) / 100 },
      rss: { samples, warmupS, slopeMbPerMin, rawSlopeMbPerMin, judged, maxSlopeMbPerMin: opts.maxSlopeMbPerMin, startMb: samples[0]?.mb ?? 0, endMb: samples.at(-1)?.mb ?? 0 },
      ok: failures.length === 0,
      failures,
    };
  } finally {
    if (sampler) clearInterval(sampler);
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    await database.dispose();
  }
}

function numberArg(args: string[], name: string, fallback: number): number {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return fallback;
  const raw = args[i].includes('=') ? args[i].split('=')[1] : args[i + 1];
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`--${name} must be a positive number, got "${raw}"`);
    process.exit(2);
  }
  return n;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const durationS = Math.round(numberArg(args, 'duration', 300));
  const opts: SoakOptions = {
    durationS,
    connections: Math.round(numberArg(args, 'connections', 16)),
    articles: Math.round(numberArg(args, 'articles', 200)),
    sampleEveryS: numberArg(args, 'sample-every', durationS < 60 ? 1 : 10),
    maxSlopeMbPerMin: numberArg(args, 'max-slope', 10),
    databaseUrl: (() => {
      const i = args.indexOf('--database-url');
      return i >= 0 ? args[i + 1] : undefined;
    })(),
    log: json ? undefined : (l) => console.log(l),
  };
  const report = await runSoak(opts);
  if (json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(`\nSoak: ${report.durationS} s, ${report.connections} connections, ${report.articles} articles`);
    console.log(`requests  ${report.requests.total} (${report.requests.perSecond}/s: ${report.requests.list} list, ${report.requests.get} get, ${report.requests.save} save)`);
    console.log(`errors    ${report.errors} non-2xx or failed, ${report.status5xx} 5xx, ${report.conflicts} conflicts, ${report.timeouts} timeouts`);
    console.log(`latency   p50 ${report.latencyMs.p50} ms, p90 ${report.latencyMs.p90} ms, p99 ${report.latencyMs.p99} ms, max ${report.latencyMs.max} ms`);
    console.log(`RSS       ${report.rss.samples.map((s) => `${s.t}s:${s.mb}`).join('  ')} MB`);
    console.log(`RSS trend ${report.rss.slopeMbPerMin ?? 'n/a'} MB/min of the post-GC floor (all samples: ${report.rss.rawSlopeMbPerMin ?? 'n/a'} MB/min) after ${report.rss.warmupS} s warm-up (limit ${report.rss.maxSlopeMbPerMin}${report.rss.judged ? '' : '; not judged under 60 s'})`);
    console.log(report.ok ? 'OK' : `FAILED: ${report.failures.join('; ')}`);
  }
  process.exit(report.ok ? 0 : 1);
}
