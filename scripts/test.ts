// npm test: the whole suite on a real PostgreSQL.
//
// Uses DATABASE_URL's server when set (the role needs CREATEDB), otherwise an
// embedded PostgreSQL 18 in a temporary directory. Migrates one template
// database with the project's own migrate path; every test file then clones
// it (CREATE DATABASE … TEMPLATE) and drops its clone.
//
// On a full run with the embedded database, when the machine also has
// Debian's PostgreSQL server (/usr/lib/postgresql/<major>/bin), the database
// tests in MATRIX run a second time on that major version, so migrations and
// queries are not tied to one PostgreSQL release.
//
// Prints node's spec report and a closing "N passed, N failed" line.
//
//   npm test                           lint, then every file under tests/
//   npm test -- tests/api              only files under these paths
//   npm test -- --no-build tests/api   skip building the admin UI (no e2e)
//   npm test -- --matrix tests/unit    also run the version matrix after the given paths
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import pg from 'pg';
import { ensureAdminBuilt, ensureGenerated, ROOT } from './lib/prepare';
import { freePort } from './lib/freePort';
import { debianPostgres, startDebianCluster } from './lib/debianPostgres';

ensureGenerated();
if (!process.argv.includes('--no-build')) ensureAdminBuilt();

// A full run lints first (ESLint and the type-checker): a lint failure fails the run.
const targetsGiven = process.argv.slice(2).some((a) => !a.startsWith('--'));
if (!targetsGiven && !process.argv.includes('--no-lint')) {
  const lint = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'lint.ts')], { cwd: ROOT, stdio: 'inherit' });
  if (lint.status !== 0) {
    console.log('\n0 passed, 1 failed');
    process.exit(1);
  }
}

const { loadConfig } = await import('../server/config');
const { openDatabase } = await import('../server/db/embedded');
const { migrateDeploy } = await import('../server/db/migrate');

/** Database tests rerun on a second PostgreSQL major version. */
const MATRIX = ['tests/api/migrations.test.ts', 'tests/api/articles.test.ts', 'tests/api/articles-list.test.ts', 'tests/api/workflow.test.ts', 'tests/api/audit-chain.test.ts', 'tests/api/import-service.test.ts', 'tests/api/export-batch.test.ts'];


function findTests(target: string): string[] {
  const st = statSync(target);
  if (st.isFile()) return target.endsWith('.test.ts') ? [target] : [];
  return readdirSync(target)
    .flatMap((n) => findTests(path.join(target, n)))
    .sort();
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs `files` against the server at `serverUrl` (any database on it); returns the counts. */
async function runSuite(serverUrl: string, files: string[], label: string): Promise<{ passed: number; failed: number }> {
  const adminUrl = withDatabase(serverUrl, 'postgres');
  const template = `copydesk_tpl_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${template}`);
  let passed = 0;
  let failed = 0;
  try {
    await migrateDeploy(withDatabase(serverUrl, template));
    process.env.COPYDESK_TEST_ADMIN_URL = adminUrl;
    process.env.COPYDESK_TEST_TEMPLATE = template;
    process.env.COPYDESK_TEST_RUN = String(process.pid);
    // One audit key and one checkpoint file for the run: the tests write keyed
    // events in-process and the commands they spawn must verify them. Each
    // checkpoint names its database, so the run's databases share the file.
    process.env.COPYDESK_AUDIT_KEY ??= randomBytes(32).toString('hex');
    process.env.COPYDESK_AUDIT_CHECKPOINTS ??= path.join(tmpdir(), `copydesk-test-${process.pid}-audit-checkpoints.log`);
    if (label) console.log(`\n${label}\n`);
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
  } finally {
    // Drop the template and any clone a crashed test file left behind.
    const left = await admin.query(`select datname from pg_database where datname like $1 or datname = $2`, [`copydesk_t_${process.pid}_%`, template]);
    for (const r of left.rows) await admin.query(`drop database if exists ${r.datname} with (force)`).catch(() => undefined);
    await admin.end();
  }
  return { passed, failed };
}

const targets = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const files = (targets.length ? targets : ['tests']).flatMap((t) => findTests(path.resolve(ROOT, t)));

const config = loadConfig();
const totals = { passed: 0, failed: 0 };
const add = (r: { passed: number; failed: number }) => {
  totals.passed += r.passed;
  totals.failed += r.failed;
};

let tmp: string | undefined;
try {
  if (config.databaseUrl) {
    const handle = await openDatabase(config, 'cli');
    add(await runSuite(handle.adminUrl, files, ''));
  } else {
    tmp = mkdtempSync(path.join(tmpdir(), 'copydesk-test-'));
    chmodSync(tmp, 0o755); // PostgreSQL runs as the postgres user when we are root
    const handle = await openDatabase({ ...config, dataDir: tmp, embeddedPgPort: await freePort() }, 'server');
    try {
      add(await runSuite(handle.adminUrl, files, ''));
    } finally {
      await handle.stop();
    }
    const debian = targets.length === 0 || process.argv.includes('--matrix') ? debianPostgres() : undefined;
    if (debian) {
      const cluster = await startDebianCluster(debian.bin, tmp);
      try {
        const r = await runSuite(cluster.url, MATRIX.map((f) => path.join(ROOT, f)), `Version matrix: the database tests again on Debian's PostgreSQL ${debian.major}`);
        console.log(`\nPostgreSQL ${debian.major}: ${r.passed} passed, ${r.failed} failed`);
        add(r);
      } finally {
        cluster.stop();
      }
    }
  }
} finally {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}
console.log(`\n${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed === 0 && totals.passed > 0 ? 0 : 1);
