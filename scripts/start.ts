// npm start runs the compiled form of this file (dist/start.js) through
// scripts/run.mjs, which first brings the Prisma client, the admin UI and the
// compiled server up to date. The server applies pending migrations itself.
import { main } from '../server/index';

await main();
