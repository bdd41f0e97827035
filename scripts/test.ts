// npm test: the whole suite on a real PostgreSQL.
//
// Uses DATABASE_URL's server when set (the role needs CREATEDB), otherwise an
// embedded PostgreSQL in a temporary directory. Migrates one template
// database with the project's own migrate path; every test file then clones
// it (CREATE DATABASE … TEMPLATE) and drops its clone. Prints node's spec
// report and a closing "N passed, N failed" line.
//
//   npm test                       every file under tests/
//   npm test -- tests/api          only files under these paths
//   npm test -- --no-build tests/api   skip building the admin UI (no e2e)
import { mkdtempSync, chmodSync, readdirSync, statSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import pg from 'pg';
import { ensureAdminBuilt, ensureGenerated, ROOT } from './lib/prepare';

ensureGenerated();
if (!process.argv.includes('--no-build')) ensureAdminBuilt();

const { loadConfig } = await import('../server/config');
const { openDatabase } = await import('../server/db/embedded');
const { migrateDeploy } = await import('../server/db/migrate');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function findTests(target: string): string[] {
  const st = statSync(target);
  if (st.isFile()) return target.endsWith('.test.ts') ? [target] : [];
  return readdirSync(target)
    .flatMap((n) => findTests(path.join(target, n)))
    .sort();
}

const targets = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const files = (targets.length ? targets : ['tests']).flatMap((t) => findTests(path.resolve(ROOT, t)));

const config = loadConfig();
let tmp: string | undefined;
let handle: Awaited<ReturnType<typeof openDatabase>>;
if (config.databaseUrl) {
  handle = await openDatabase(config, 'cli');
} else {
  tmp = mkdtempSync(path.join(tmpdir(), 'copydesk-test-'));
  chmodSync(tmp, 0o755); // PostgreSQL runs as the postgres user when we are root
  handle = await openDatabase({ ...config, dataDir: tmp, embeddedPgPort: await freePort() }, 'server');
}

const adminUrl = (() => {
  const u = new URL(handle.url);
  u.pathname = '/postgres';
  return u.toString();
})();
const template = `copydesk_tpl_${process.pid}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`create database ${template}`);
const templateUrl = (() => {
  const u = new URL(handle.url);
  u.pathname = `/${template}`;
  return u.toString();
})();

let passed = 0;
let failed = 0;
let exitCode = 1;
try {
  await migrateDeploy(templateUrl);
  process.env.COPYDESK_TEST_ADMIN_URL = adminUrl;
  process.env.COPYDESK_TEST_TEMPLATE = template;
  process.env.COPYDESK_TEST_RUN = String(process.pid);

  const stream = run({ files, concurrency: 2, timeout: 15 * 60_000 });
  stream.on('test:pass', (d) => {
    if ((d.details as { type?: string }).type !== 'suite') passed++;
  });
  stream.on('test:fail', (d) => {
    if ((d.details as { type?: string }).type !== 'suite') failed++;
  });
  await new Promise<void>((resolve) => {
    stream.compose(new spec()).pipe(process.stdout, { end: false });
    stream.on('end', () => resolve());
    stream.on('close', () => resolve());
  });
  exitCode = failed === 0 && passed > 0 ? 0 : 1;
} finally {
  // Drop the template and any clone a crashed test file left behind.
  const left = await admin.query(`select datname from pg_database where datname like $1 or datname = $2`, [`copydesk_t_${process.pid}_%`, template]);
  for (const r of left.rows) await admin.query(`drop database if exists ${r.datname} with (force)`).catch(() => undefined);
  await admin.end();
  await handle.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(exitCode);
