// npm run generate: (re)generate the Prisma client into server/db/generated.
import { ensureGenerated } from './lib/prepare';

ensureGenerated(process.argv.includes('--force'));
