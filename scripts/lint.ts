// npm run lint: ESLint (eslint.config.js) over the whole tree, then the
// type-checker with the project's strict settings. npm test runs it first.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureGenerated, ROOT } from './lib/prepare';

ensureGenerated();
const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);
for (const [name, args] of [
  ['eslint', ['.']],
  // One strict configuration, three programs: the server and CLIs (no DOM),
  // the admin UI (browser), the tests (Node driving Chromium).
  ['tsc', ['--noEmit', '-p', 'tsconfig.json']],
  ['tsc', ['--noEmit', '-p', 'admin/tsconfig.json']],
  ['tsc', ['--noEmit', '-p', 'tests/tsconfig.json']],
] as const) {
  const result = spawnSync(bin(name), [...args], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`lint: ${name} found problems (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}
console.log('lint: eslint and tsc found nothing');
