import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig, type Config } from '../../server/config';
import { createDb, type PrismaClient } from '../../server/db/client';
import { auditKeyFromHex, useAuditKey } from '../../server/services/audit';

export interface TestDatabase {
  url: string;
  db: PrismaClient;
  /** A superuser connection to this database, for checks below the application. */
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<T>>;
  drop(): Promise<void>;
}

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the suite with "npm test" (scripts/test.ts prepares the database).`);
  return v;
}

/** A fresh, fully migrated database cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = env('COPYDESK_TEST_ADMIN_URL');
  const name = `copydesk_t_${env('COPYDESK_TEST_RUN')}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name} template ${env('COPYDESK_TEST_TEMPLATE')}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const db = createDb(url, { dbPoolSize: 10, dbConnectTimeoutMs: 5000 });
  // Events written in-process are keyed with the run's key, as the server keys them with its own.
  useAuditKey(auditKeyFromHex(TEST_AUDIT_KEY));
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  return {
    url,
    db,
    query: (sql, params) => pool.query(sql, params as unknown[]),
    async drop() {
      await db.$disconnect();
      await pool.end();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      try {
        // Wait for the pools' connections to close rather than killing them:
        // a killed connection surfaces as an error in whatever client still
        // held it. Force only as a last resort (a leaked connection).
        for (let attempt = 0; ; attempt++) {
          try {
            await a.query(`drop database if exists ${name}`);
            break;
          } catch (err) {
            if ((err as { code?: string }).code !== '55006' || attempt >= 50) {
              await a.query(`drop database if exists ${name} with (force)`);
              break;
            }
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      } finally {
        await a.end();
      }
    },
  };
}

/** The run's audit key (scripts/test.ts), which the commands a test spawns inherit. */
export const TEST_AUDIT_KEY = env('COPYDESK_AUDIT_KEY');
/** The run's checkpoint file (scripts/test.ts); each checkpoint names its database. */
export const TEST_CHECKPOINT_FILE = env('COPYDESK_AUDIT_CHECKPOINTS');

/** Configuration for tests: defaults plus a fixed session secret, the run's audit key and checkpoint file, and quiet logs. */
export function testConfig(overrides: Record<string, string> = {}): Readonly<Config> {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    COPYDESK_SESSION_SECRET: 'test-secret-0123456789',
    COPYDESK_DATA_DIR: '/tmp/copydesk-test-data',
    COPYDESK_AUDIT_KEY: TEST_AUDIT_KEY,
    COPYDESK_AUDIT_CHECKPOINTS: TEST_CHECKPOINT_FILE,
    ...overrides,
  });
}
