import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import path from 'node:path';
import { findProjectRoot } from '../../server/projectRoot';
import { precompressDir } from './precompress';
import { adminStep, isStale, prismaStep, SERVER_ENTRIES, serverStep, type BuildStep } from './buildStamp.js';

export const ROOT = findProjectRoot();
const require = createRequire(import.meta.url);

function run(args: string[], env: NodeJS.ProcessEnv = {}): void {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${path.basename(args[0])} ${args.slice(1).join(' ')} failed (exit ${r.status})`);
}

function writeStamp(step: BuildStep): void {
  writeFileSync(path.join(step.out, '.stamp'), step.stamp);
}

/**
 * Generates the Prisma client when it is missing or the schema changed.
 * Copydesk runs this itself because npm here does not run dependencies'
 * install scripts (Prisma's own postinstall never runs).
 */
export function ensureGenerated(force = false): void {
  const step = prismaStep(ROOT);
  if (!force && !isStale(step)) return;
  // `generate` never connects, but Prisma 6 reads DATABASE_URL and, when it is
  // unset, tries to download a native engine (prisma-offline.md, pitfall 4).
  run([require.resolve('prisma/build/index.js'), 'generate'], {
    DATABASE_URL: process.env.DATABASE_URL || 'postgresql://copydesk@127.0.0.1:5432/copydesk',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  });
  writeStamp(step);
}

/** Builds the admin UI when admin/dist is missing or older than its sources. */
export function ensureAdminBuilt(force = false): void {
  const step = adminStep(ROOT);
  if (!force && !isStale(step)) return;
  console.log('Building the admin UI…');
  run([path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', path.join(ROOT, 'admin', 'vite.config.ts'), '--logLevel', 'warn']);
  // Compressed once here so the server sends .br/.gz copies without compressing per request.
  precompressDir(step.out);
  writeStamp(step);
}

/**
 * Compiles the server and the commands (SERVER_ENTRIES) to JavaScript in
 * dist/, one bundle per command, with npm packages left as imports. The
 * Prisma client is generated first because the bundles include it.
 */
export async function ensureServerBuilt(force = false): Promise<void> {
  ensureGenerated();
  const step = serverStep(ROOT);
  if (!force && !isStale(step)) return;
  const { build } = await import('esbuild');
  rmSync(step.out, { recursive: true, force: true });
  mkdirSync(step.out, { recursive: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(SERVER_ENTRIES.map((name) => [name, path.join('scripts', `${name}.ts`)])),
    outdir: step.out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'warning',
    metafile: true,
  });
  // What the bundles import from node_modules, for the check that a
  // production install (dependencies only) can run them.
  const packages = new Set<string>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const imported of output.imports) {
      if (imported.external && !isBuiltin(imported.path)) packages.add(imported.path.startsWith('@') ? imported.path.split('/').slice(0, 2).join('/') : imported.path.split('/')[0]!);
    }
  }
  writeFileSync(path.join(step.out, 'packages.json'), JSON.stringify([...packages].sort(), null, 2) + '\n');
  writeStamp(step);
}
