// npm run bench [-- --quick] [--only <id>[,<id>…]] [--seed N] [--cpu-prof <dir>] [--scale]
//
// Every figure is a ratio against a baseline measured in the same run, or a
// bound. Writes bench/results/<date>.json, prints a table and updates the
// figures table in docs/benchmarks.md. See docs/benchmarks.md.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ensureAdminBuilt, ensureGenerated, ROOT } from './lib/prepare';
import { CliError, parseArgs, reportCliError } from './lib/cli';
import type { Bench, BenchContext, BenchResult } from './bench/types';
import { freePort } from './lib/freePort';
import { cpuCheck } from './bench/cpuCheck';

ensureGenerated();

const { loadConfig } = await import('../server/config');
const { openDatabase } = await import('../server/db/embedded');
const { migrateDeploy } = await import('../server/db/migrate');
const { createDb } = await import('../server/db/client');
const { BENCHES } = await import('./bench/registry');
const { SCALE_STEPS } = await import('./bench/sizes');


function renderTable(results: BenchResult[]): string {
  const fmt = (r: BenchResult) => Object.entries(r.figures).map(([k, v]) => `${k}=${v}`).join(', ');
  const lines = ['| id | measure | figures | ratio | target | result |', '|---|---|---|---|---|---|'];
  for (const r of results) lines.push(`| ${r.id} | ${r.measure} | ${fmt(r)} | ${r.ratio ?? '–'} | ${r.target} | ${r.pass ? 'met' : 'MISSED'}${r.notes ? ` (${r.notes})` : ''} |`);
  return lines.join('\n');
}

async function main(): Promise<number> {
  const { flags } = parseArgs(process.argv.slice(2), { booleans: ['quick', 'scale', 'help'], strings: ['only', 'seed', 'cpu-prof'] });
  if (flags.help) {
    console.log(`usage: npm run bench -- [--quick | --scale] [--only <id>[,<id>…]] [--seed N] [--cpu-prof <dir>]
  --quick      a small corpus: a smoke run in under two minutes
  --scale      the scale bench alone, up to a million articles (about an hour)
  --only       run only these benchmarks; ids: ${BENCHES.map((b: Bench) => b.id).join(', ')}
               (e.g. --only export: npm run export against COPY … TO of the same rows)
  --seed       another synthetic corpus (default 20261121)
  --cpu-prof   write V8 CPU profiles of the spawned commands and the server to <dir>
Every figure is a ratio against a baseline measured in the same run, or a bound; see docs/benchmarks.md.`);
    return 0;
  }
  const quick = flags.quick === true;
  // --scale: the scale bench alone (unless --only says more), up to a million articles.
  const scale = flags.scale === true;
  if (scale && quick) throw new CliError('--scale and --quick exclude each other');
  const only = typeof flags.only === 'string' ? flags.only.split(',').map((s) => s.trim()) : scale ? ['scale'] : undefined;
  const unknown = only?.filter((id) => !BENCHES.some((b: Bench) => b.id === id)) ?? [];
  if (unknown.length) throw new CliError(`unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHES.map((b: Bench) => b.id).join(', ')}`);
  const selected = BENCHES.filter((b: Bench) => !only || only.includes(b.id));
  const seed = flags.seed ? Number(flags.seed) : 20261121;
  if (!Number.isInteger(seed)) throw new CliError('--seed must be an integer');

  ensureAdminBuilt();
  const config = loadConfig();
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'copydesk-bench-'));
  chmodSync(tmpDir, 0o755);
  let handle: Awaited<ReturnType<typeof openDatabase>> | undefined;
  let dbUrl = '';
  let dropDb: (() => Promise<void>) | undefined;
  const log = (line: string) => console.error(`[bench] ${line}`);
  try {
    if (selected.some((b: Bench) => b.needsDb)) {
      if (config.databaseUrl) {
        handle = await openDatabase(config, 'cli');
        const name = `copydesk_bench_${Date.now()}`;
        const admin = new pg.Client({ connectionString: handle.adminUrl });
        await admin.connect();
        await admin.query(`create database ${name}`);
        await admin.end();
        const u = new URL(handle.adminUrl);
        u.pathname = `/${name}`;
        dbUrl = u.toString();
        dropDb = async () => {
          const a = new pg.Client({ connectionString: handle!.adminUrl });
          await a.connect();
          await a.query(`drop database if exists ${name} with (force)`);
          await a.end();
        };
      } else {
        handle = await openDatabase({ ...config, dataDir: path.join(tmpDir, 'data'), embeddedPgPort: await freePort() }, 'server', log);
        dbUrl = handle.adminUrl;
      }
      await migrateDeploy(dbUrl);
    }
    const db = createDb(dbUrl || 'postgresql://unused@127.0.0.1:1/unused', { dbPoolSize: 10, dbConnectTimeoutMs: 5000 });
    const { auditKeyFromHex, useAuditKey } = await import('../server/services/audit');
    const { BENCH_AUDIT_KEY } = await import('./bench/benchServer');
    useAuditKey(auditKeyFromHex(BENCH_AUDIT_KEY));
    const cpuProfDir = typeof flags['cpu-prof'] === 'string' ? path.resolve(flags['cpu-prof']) : undefined;
    const ctx: BenchContext = { quick, seed, databaseUrl: dbUrl, db, config, tmpDir, log, cpuProfDir, ...(scale ? { sizes: { scaleSteps: SCALE_STEPS } } : {}) };
    let pgVersion = 'n/a';
    if (dbUrl) {
      const c = new pg.Client({ connectionString: dbUrl });
      await c.connect();
      pgVersion = (await c.query('show server_version')).rows[0].server_version as string;
      await c.end();
    }
    const cpuAtStart = cpuCheck();
    log(`CPU check: ${cpuAtStart} ms`);
    const results: BenchResult[] = [];
    for (const b of selected) {
      log(`running ${b.id}${quick ? ' (quick)' : ''}…`);
      results.push(await b.run(ctx));
    }
    await db.$disconnect();

    const machine = { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, postgres: pgVersion, platform: `${os.platform()} ${os.release()}`, cpuCheckMs: { start: cpuAtStart, end: cpuCheck() } };
    const date = new Date().toISOString();
    const report = { date, quick, seed, machine, results };
    mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
    const file = path.join(ROOT, 'bench', 'results', `${date.slice(0, 19).replace(/:/g, '-')}${quick ? '-quick' : scale ? '-scale' : ''}.json`);
    writeFileSync(file, JSON.stringify(report, null, 2) + '\n');

    const table = renderTable(results);
    console.log(table);
    console.log(`\nWrote ${path.relative(ROOT, file)}`);
    if (!quick && !only) {
      const doc = path.join(ROOT, 'docs', 'benchmarks.md');
      if (existsSync(doc)) {
        const text = readFileSync(doc, 'utf8');
        const block = `<!-- figures:start -->\nRun ${date.slice(0, 16).replace('T', ' ')} UTC on ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, PostgreSQL ${machine.postgres}, seed ${seed}. CPU check (scripts/bench/cpuCheck.ts, lower is faster): ${machine.cpuCheckMs.start} ms at the start, ${machine.cpuCheckMs.end} ms at the end.\n\n${table}\n<!-- figures:end -->`;
        writeFileSync(doc, text.replace(/<!-- figures:start -->[\s\S]*<!-- figures:end -->/, block));
        console.log('Updated docs/benchmarks.md');
      }
    }
    return results.every((r) => r.pass) ? 0 : 1;
  } finally {
    await dropDb?.().catch(() => undefined);
    await handle?.stop().catch(() => undefined);
    rmSync(tmpDir, { recursive: true, force: true });
  }
}

try {
  process.exitCode = await main();
} catch (err) {
  process.exitCode = reportCliError(err);
}
