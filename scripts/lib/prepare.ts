import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

function hashFiles(files: string[]): string {
  const h = createHash('sha256');
  for (const f of files.sort()) {
    h.update(path.relative(ROOT, f)).update('\0');
    if (existsSync(f)) h.update(readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex');
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

function run(args: string[], env: NodeJS.ProcessEnv = {}): void {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${path.basename(args[0])} ${args.slice(1).join(' ')} failed (exit ${r.status})`);
}

/**
 * Generates the Prisma client when it is missing or the schema changed.
 * Copydesk runs this itself because npm here does not run dependencies'
 * install scripts (Prisma's own postinstall never runs).
 */
export function ensureGenerated(force = false): void {
  const out = path.join(ROOT, 'server', 'db', 'generated');
  const stampFile = path.join(out, '.stamp');
  const stamp = hashFiles([path.join(ROOT, 'prisma', 'schema.prisma'), require.resolve('prisma/package.json')]);
  if (!force && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return;
  // `generate` never connects, but Prisma 6 reads DATABASE_URL and, when it is
  // unset, tries to download a native engine (prisma-offline.md, pitfall 4).
  run([require.resolve('prisma/build/index.js'), 'generate'], {
    DATABASE_URL: process.env.DATABASE_URL || 'postgresql://copydesk@127.0.0.1:5432/copydesk',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  });
  writeFileSync(stampFile, stamp);
}

/** Builds the admin UI when admin/dist is missing or older than its sources. */
export function ensureAdminBuilt(force = false): void {
  const dist = path.join(ROOT, 'admin', 'dist');
  const stampFile = path.join(dist, '.stamp');
  const inputs = [
    ...walk(path.join(ROOT, 'admin', 'src')),
    path.join(ROOT, 'admin', 'index.html'),
    path.join(ROOT, 'admin', 'vite.config.ts'),
    path.join(ROOT, 'package-lock.json'),
    ...walk(path.join(ROOT, 'server', 'policy')),
  ];
  const stamp = hashFiles(inputs);
  if (!force && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return;
  console.log('Building the admin UI…');
  run([path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', path.join(ROOT, 'admin', 'vite.config.ts'), '--logLevel', 'warn']);
  writeFileSync(stampFile, stamp);
}
