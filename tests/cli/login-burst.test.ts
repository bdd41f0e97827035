// Two real server processes on one database share the login rate limit: a
// parallel burst of guesses spread over both reaches the password check at
// most the per-username limit, counted by the audited failed logins.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { spawnServer, type ServerProcess } from '../helpers/server';
import { stopAll } from '../helpers/spawn';

const ADMIN_PASSWORD = 'burst admin password';
const LIMIT = 5;
let tdb: TestDatabase;
let servers: ServerProcess[];
before(async () => {
  tdb = await createTestDatabase();
  const env = {
    LOG_LEVEL: 'warn',
    COPYDESK_ADMIN_PASSWORD: ADMIN_PASSWORD,
    COPYDESK_TRUST_PROXY: 'true',
    COPYDESK_LOGIN_LIMIT_PER_USER: String(LIMIT),
    COPYDESK_LOGIN_LIMIT_PER_IP: '1000',
  };
  servers = await Promise.all([spawnServer(tdb.url, env), spawnServer(tdb.url, env)]);
});
after(async () => {
  await stopAll();
  await tdb.drop();
});

const login = (server: ServerProcess, password: string, ip: string) =>
  fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify({ username: 'admin', password }) });

test('100 parallel bad logins over two server processes reach the password check at most LIMIT times; the right password is then refused', async () => {
  const burst = await Promise.all(Array.from({ length: 100 }, (_, i) => login(servers[i % 2], `guess number ${i}`, `192.0.2.${i % 7}`)));
  const statuses = burst.map((r) => r.status);
  assert.equal(statuses.filter((s) => s === 401).length, LIMIT);
  assert.equal(statuses.filter((s) => s === 429).length, 100 - LIMIT);
  const checked = await tdb.query<{ n: number }>(`select count(*)::int as n from audit_events where action = 'auth.login_failed' and data->>'username' = 'admin'`);
  assert.equal(checked.rows[0].n, LIMIT, 'password checks, one audited failure each');

  for (const s of servers) {
    const right = await login(s, ADMIN_PASSWORD, '192.0.2.200');
    assert.equal(right.status, 429);
    assert.ok(Number(right.headers.get('retry-after')) > 0);
  }
  const refused = await tdb.query<{ n: number }>(`select count(*)::int as n from audit_events where action = 'auth.login_rate_limited'`);
  assert.equal(refused.rows[0].n, 1, 'one audit event for the first refusal of the window');
});
