import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import pg from 'pg';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PROJECT_ROOT } from '../projectRoot';

/** A Prisma CLI command failed; `output` holds what it printed. */
export class PrismaCliError extends Error {
  override name = 'PrismaCliError';
  constructor(message: string, readonly output: string) {
    super(message);
  }
}

/**
 * Runs the pinned Prisma CLI (6.19, WASM schema engine) with DATABASE_URL set.
 * Resolves with its output; rejects with PrismaCliError on a non-zero exit.
 */
export function runPrisma(args: string[], databaseUrl: string): Promise<string> {
  const require = createRequire(import.meta.url);
  const cli = require.resolve('prisma/build/index.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new PrismaCliError(`prisma ${args.join(' ')} failed (exit ${code})`, output));
    });
  });
}

/** Applies every pending migration in prisma/migrations with `prisma migrate deploy`. */
export async function migrateDeploy(databaseUrl: string): Promise<string> {
  return runPrisma(['migrate', 'deploy'], databaseUrl);
}

/** Migration folder names in prisma/migrations, oldest first. */
export function migrationNames(): string[] {
  const dir = path.join(PROJECT_ROOT, 'prisma', 'migrations');
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort();
}

/**
 * Migrations not yet applied to the database. Reading Prisma's own
 * bookkeeping table is far cheaper than starting the schema engine, so
 * commands call `migrateDeploy` only when this is non-empty.
 */
export async function pendingMigrations(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const exists = await client.query(`select to_regclass('public._prisma_migrations') as t`);
    const applied = new Set<string>();
    if (exists.rows[0].t) {
      const rows = await client.query(`select migration_name from _prisma_migrations where finished_at is not null and rolled_back_at is null`);
      for (const r of rows.rows) applied.add(r.migration_name as string);
    }
    return migrationNames().filter((m) => !applied.has(m));
  } finally {
    await client.end();
  }
}

/** Applies pending migrations if there are any; returns their names. */
export async function migrateIfNeeded(databaseUrl: string): Promise<string[]> {
  const pending = await pendingMigrations(databaseUrl);
  if (pending.length === 0) return [];
  await migrateDeploy(databaseUrl);
  return pending;
}
