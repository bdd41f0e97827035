import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project root: the nearest folder above `from` holding prisma.config.ts.
 * Found by walking up rather than by a fixed number of `..`, because the same
 * code runs from its TypeScript source (server/…, scripts/…) and bundled into
 * dist/ by the production build.
 */
export function findProjectRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = path.dirname(from);
  for (;;) {
    if (existsSync(path.join(dir, 'prisma.config.ts')) && existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no Copydesk project (prisma.config.ts and package.json) above ${from}`);
    dir = up;
  }
}

/** The project root, where prisma.config.ts, prisma/ and admin/dist live. */
export const PROJECT_ROOT = findProjectRoot();
