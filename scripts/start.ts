// npm start: generate the Prisma client and build the admin UI when they are
// missing or stale, then start the server (which applies pending migrations).
import { ensureAdminBuilt, ensureGenerated } from './lib/prepare';

ensureGenerated();
ensureAdminBuilt();
const { main } = await import('../server/index');
await main();
