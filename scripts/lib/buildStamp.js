// Fingerprints of what each build step reads, shared by the plain-JavaScript
// launcher (scripts/run.mjs, which must decide without a TypeScript loader
// whether the compiled code is current) and the build itself
// (scripts/lib/prepare.ts). Each step writes its fingerprint to a .stamp file
// beside its output; a step is stale when the two differ.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** @param {string} dir @returns {string[]} every file below `dir` */
export function walk(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** @param {string} root @param {string[]} files @returns {string} sha256 over names and contents */
export function hashFiles(root, files) {
  const h = createHash('sha256');
  for (const f of [...files].sort()) {
    h.update(path.relative(root, f)).update('\0');
    if (existsSync(f)) h.update(readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex');
}

/** @param {string} root @returns {{ out: string, stamp: string }} the Prisma client */
export function prismaStep(root) {
  const require = createRequire(path.join(root, 'package.json'));
  return {
    out: path.join(root, 'server', 'db', 'generated'),
    stamp: hashFiles(root, [path.join(root, 'prisma', 'schema.prisma'), require.resolve('prisma/package.json')]),
  };
}

/** @param {string} root @returns {{ out: string, stamp: string }} the admin UI bundle */
export function adminStep(root) {
  return {
    out: path.join(root, 'admin', 'dist'),
    stamp: hashFiles(root, [
      ...walk(path.join(root, 'admin', 'src')),
      path.join(root, 'admin', 'index.html'),
      path.join(root, 'admin', 'vite.config.ts'),
      path.join(root, 'scripts', 'lib', 'precompress.ts'),
      path.join(root, 'admin', 'tsconfig.json'),
      path.join(root, 'package-lock.json'),
      // The pure rules the bundle runs; from server/ it takes types only.
      ...walk(path.join(root, 'shared')),
    ]),
  };
}

/** The commands compiled by the production build, by npm script name. */
export const SERVER_ENTRIES = ['start', 'migrate', 'user', 'import', 'export', 'audit', 'maintenance', 'check', 'db-roles'];

/** @param {string} root @returns {{ out: string, stamp: string }} the compiled server and commands */
export function serverStep(root) {
  const sources = [
    ...walk(path.join(root, 'server')).filter((f) => !f.includes(`${path.sep}generated${path.sep}`)),
    ...walk(path.join(root, 'shared')),
    ...walk(path.join(root, 'scripts')).filter((f) => /\.(ts|js|mjs)$/.test(f)),
    path.join(root, 'prisma', 'schema.prisma'),
    path.join(root, 'package-lock.json'),
    path.join(root, 'tsconfig.json'),
  ];
  return { out: path.join(root, 'dist'), stamp: hashFiles(root, sources) };
}

/** @param {{ out: string, stamp: string }} step @returns {boolean} whether the step's output is missing or older than its inputs */
export function isStale(step) {
  const file = path.join(step.out, '.stamp');
  return !existsSync(file) || readFileSync(file, 'utf8') !== step.stamp;
}
