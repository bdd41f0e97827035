// npm run build: generate the Prisma client, build the admin UI and compile
// the server and commands to JavaScript in dist/.
//
//   npm run build                 everything, from scratch
//   npm run build -- --if-stale   only the steps whose inputs changed (what scripts/run.mjs asks for)
//   npm run build -- --if-stale --no-admin   the same, without the admin UI (for the commands)
import { ensureAdminBuilt, ensureGenerated, ensureServerBuilt } from './lib/prepare';

const force = !process.argv.includes('--if-stale');
ensureGenerated(force);
if (!process.argv.includes('--no-admin')) ensureAdminBuilt(force);
await ensureServerBuilt(force);
