import { defineConfig } from 'prisma/config';
import { MigrationPrismaPg } from './server/db/migrationAdapter';

/**
 * Prisma CLI configuration. Copydesk pins Prisma 6.19 and selects the JS
 * engine so that `prisma migrate` runs on the WebAssembly schema engine that
 * ships inside the npm package: no native engine download, which is what lets
 * Copydesk install and migrate inside air-gapped networks (README, "Why Prisma
 * 6.19 with the JS engine").
 */
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  async adapter() {
    return new MigrationPrismaPg(process.env.DATABASE_URL ?? '');
  },
});
