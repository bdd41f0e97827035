import request from 'supertest';
import { createApp, type App } from '../../server/app';
import { hashPassword } from '../../server/auth/passwords';
import type { Config } from '../../server/config';
import { createTestDatabase, testConfig, type TestDatabase } from './db';

export const TEST_PASSWORD = 'correct horse battery';

export interface TestContext extends TestDatabase {
  app: App;
  config: Readonly<Config>;
  /** Creates a user directly in the database (not audited); returns its id. */
  makeUser(username: string, role: 'editor' | 'reviewer' | 'auditor' | 'admin', opts?: { disabled?: boolean; password?: string }): Promise<number>;
  /** A supertest agent logged in as `username` (cookie kept between requests). */
  loginAs(username: string, password?: string): Promise<ReturnType<typeof request.agent>>;
}

let cachedHash: Promise<string> | undefined;

/** A migrated database plus the app built on it. Call `drop()` in `after`. */
export async function createTestContext(overrides: Record<string, string> = {}): Promise<TestContext> {
  const tdb = await createTestDatabase();
  const config = testConfig(overrides);
  const app = createApp({ db: tdb.db, config });
  return {
    ...tdb,
    app,
    config,
    async makeUser(username, role, opts = {}) {
      const passwordHash = opts.password ? await hashPassword(opts.password) : await (cachedHash ??= hashPassword(TEST_PASSWORD));
      const u = await tdb.db.user.create({ data: { username, displayName: username[0].toUpperCase() + username.slice(1), role, passwordHash, disabled: opts.disabled ?? false } });
      return u.id;
    },
    async loginAs(username, password = TEST_PASSWORD) {
      const agent = request.agent(app);
      const res = await agent.post('/api/auth/login').send({ username, password });
      if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return agent;
    },
  };
}
