// The API server alone, without building the admin UI (used by npm run dev).
import { ensureGenerated } from './lib/prepare';

ensureGenerated();
const { main } = await import('../server/index');
await main();
