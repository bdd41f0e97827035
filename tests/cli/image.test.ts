// The production image, without Docker: the runtime stage of the Dockerfile
// is rebuilt in a scratch folder from its own COPY lines, with a
// production-only `npm ci`, and Copydesk must migrate an empty database and
// serve the API and the admin UI from it. This proves the compiled server
// needs neither its TypeScript sources nor a dev dependency.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { ensureAdminBuilt, ensureServerBuilt } from '../../scripts/lib/prepare';
import { freePort, removeDir, ROOT, spawnCommand, stopAll, type Spawned } from '../helpers/spawn';

interface RuntimeStage {
  copies: Array<{ from: string; to: string; fromBuild: boolean }>;
  runs: string[];
  cmd: string[];
}

/** The Dockerfile's last stage: its COPY and RUN lines and its CMD. */
function runtimeStage(dockerfile: string): RuntimeStage {
  const lines = dockerfile
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((l) => l.trim());
  const last = lines.map((l, i) => (/^FROM /i.test(l) ? i : -1)).filter((i) => i >= 0).pop();
  assert.ok(last !== undefined, 'the Dockerfile has no FROM line');
  const stage: RuntimeStage = { copies: [], runs: [], cmd: [] };
  for (const line of lines.slice(last + 1)) {
    const copy = /^COPY\s+(--from=build\s+)?(.+)$/i.exec(line);
    if (copy) {
      const parts = copy[2]!.split(/\s+/);
      const to = parts.pop()!;
      for (const from of parts) stage.copies.push({ from: from.replace(/^\/app\//, ''), to, fromBuild: Boolean(copy[1]) });
    }
    if (/^RUN /i.test(line)) stage.runs.push(line.slice(4));
    if (/^CMD /i.test(line)) stage.cmd = JSON.parse(line.slice(4)) as string[];
  }
  return stage;
}

const adminUrl = process.env.COPYDESK_TEST_ADMIN_URL ?? '';
const dbName = `copydesk_img_${process.env.COPYDESK_TEST_RUN ?? process.pid}`;
let app: string;
let stage: RuntimeStage;
let server: Spawned | undefined;

async function adminQuery(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

function databaseUrl(): string {
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  return u.toString();
}

before(async () => {
  ensureAdminBuilt();
  await ensureServerBuilt();
  stage = runtimeStage(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
  app = mkdtempSync(path.join(tmpdir(), 'copydesk-image-'));
  for (const { from, to } of stage.copies) {
    const target = path.resolve(app, to.endsWith('/') || (to === './' || to === '.') ? path.join(to, path.basename(from)) : to);
    mkdirSync(path.dirname(target), { recursive: true });
    cpSync(path.join(ROOT, from), target, { recursive: true });
  }
  await adminQuery(`create database ${dbName}`);
});

after(async () => {
  await stopAll();
  await adminQuery(`drop database if exists ${dbName} with (force)`).catch(() => undefined);
  removeDir(app);
});

describe('the runtime stage of the Dockerfile', () => {
  test('copies the compiled server and no TypeScript beyond the migration config', () => {
    assert.ok(existsSync(path.join(app, 'dist', 'start.js')));
    assert.ok(existsSync(path.join(app, 'admin', 'dist', 'index.html')));
    assert.ok(!existsSync(path.join(app, 'scripts', 'build.ts')), 'the image must not look like a source checkout');
    assert.ok(!existsSync(path.join(app, 'server', 'index.ts')));
  });

  test('every package the compiled code imports is a production dependency', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const imported = JSON.parse(readFileSync(path.join(ROOT, 'dist', 'packages.json'), 'utf8')) as string[];
    const builtins = new Set(builtinModules);
    assert.deepEqual(
      imported.filter((name) => !builtins.has(name) && !(name in pkg.dependencies)),
      [],
    );
  });

  test('installs production dependencies only, then migrates an empty database and serves the UI from the compiled code', async () => {
    const install = stage.runs.find((r) => r.startsWith('npm ci'));
    assert.ok(install?.includes('--omit=dev'), 'the runtime stage installs production dependencies only');
    // The same install, from npm's cache when it holds the packages.
    const npm = spawnSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: app, encoding: 'utf8' });
    assert.equal(npm.status, 0, npm.stderr);
    assert.ok(!existsSync(path.join(app, 'node_modules', 'tsx')), 'tsx is a dev dependency');
    assert.ok(!existsSync(path.join(app, 'node_modules', 'vite')), 'vite is a dev dependency');

    assert.deepEqual(stage.cmd.slice(0, 2), ['node', 'scripts/run.mjs']);
    const port = await freePort();
    const env = { DATABASE_URL: databaseUrl(), PORT: String(port), NODE_ENV: 'production', COPYDESK_DATA_DIR: path.join(app, 'data'), COPYDESK_ADMIN_PASSWORD: 'image-admin-password', LOG_LEVEL: 'info' };
    server = spawnCommand(stage.cmd[0]!, stage.cmd.slice(1), { cwd: app, env });
    await server.waitFor(/Copydesk is running at/, 90_000);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<div id="root">/);
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'image-admin-password' }),
    });
    assert.equal(login.status, 200);
    const exit = await server.stop('SIGTERM', 15_000);
    assert.equal(exit.code, 0, exit.output);
  });
});
