// Runs a Copydesk command from its compiled JavaScript (dist/<command>.js):
//
//   node scripts/run.mjs <command> [arguments…]      e.g. start, import, export, audit
//
// Every npm script that users run goes through here. In a source checkout it
// first brings the build up to date when its inputs changed (the Prisma
// client, the compiled server and, for `start`, the admin UI), which needs
// the dev dependencies that `npm ci` installs. A production image ships dist/
// without the sources and starts the compiled code at once. Plain JavaScript,
// so that deciding needs no TypeScript loader.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { adminStep, isStale, prismaStep, SERVER_ENTRIES, serverStep } from './lib/buildStamp.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [command, ...args] = process.argv.slice(2);
if (!command || !SERVER_ENTRIES.includes(command)) {
  console.error(`usage: node scripts/run.mjs <${SERVER_ENTRIES.join('|')}> [arguments…]`);
  process.exit(2);
}

const withAdmin = command === 'start';
// A source checkout has the build script; a production image has only dist/.
const haveSources = existsSync(path.join(root, 'scripts', 'build.ts'));
if (haveSources) {
  const stale = isStale(prismaStep(root)) || isStale(serverStep(root)) || (withAdmin && isStale(adminStep(root)));
  if (stale) {
    const build = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'build.ts'), '--if-stale', ...(withAdmin ? [] : ['--no-admin'])], {
      cwd: root,
      stdio: ['ignore', process.stderr, 'inherit'],
    });
    if (build.status !== 0) {
      console.error(`Copydesk could not build ${command} (exit ${build.status ?? build.signal}); see the messages above.`);
      process.exit(1);
    }
  }
}

const compiled = path.join(root, 'dist', `${command}.js`);
if (!existsSync(compiled)) {
  console.error(`${path.relative(process.cwd(), compiled) || compiled} is missing: run npm run build in a source checkout.`);
  process.exit(1);
}
process.argv = [process.argv[0], compiled, ...args];
await import(pathToFileURL(compiled).href);
