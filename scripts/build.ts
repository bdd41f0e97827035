// npm run build: generate the Prisma client and build the admin UI.
import { ensureAdminBuilt, ensureGenerated } from './lib/prepare';

ensureGenerated(true);
ensureAdminBuilt(true);
