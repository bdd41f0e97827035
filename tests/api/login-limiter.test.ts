// The login rate limit under parallel bursts and across app instances: the
// counters live in PostgreSQL and are reserved before the password check, so
// however many guesses arrive at once, at most the limit reach the check.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { createApp, type App } from '../../server/app';
import { FailureLimiter } from '../../server/auth/rateLimiter';
import { createDb, type PrismaClient } from '../../server/db/client';
import { createTestContext, TEST_PASSWORD, type TestContext } from '../helpers/app';
import { testConfig } from '../helpers/db';

let t: TestContext;
let secondDb: PrismaClient;
before(async () => {
  t = await createTestContext();
  // A second instance has its own connection pool, as a second process would.
  secondDb = createDb(t.url, { dbPoolSize: 10, dbConnectTimeoutMs: 5000 });
  for (const u of ['victim', 'bystander', 'target2']) await t.makeUser(u, 'editor');
});
after(async () => {
  await secondDb.$disconnect();
  await t.drop();
});

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await t.query<{ n: number }>(`select count(*)::int as n from (${sql}) x`, params);
  return rows[0].n;
}

/** Password checks that failed for `username` (each writes one auth.login_failed event). */
const passwordChecks = (username: string) => count(`select 1 from audit_events where action = 'auth.login_failed' and data->>'username' = $1`, [username]);

function twoInstances(overrides: Record<string, string>): [App, App] {
  const config = testConfig({ COPYDESK_TRUST_PROXY: 'true', ...overrides });
  return [createApp({ db: t.db, config }), createApp({ db: secondDb, config })];
}

const attempt = (app: App, username: string, password: string, ip: string) => request(app).post('/api/auth/login').set('X-Forwarded-For', ip).send({ username, password });

describe('a parallel burst over two instances', () => {
  test('100 parallel bad logins at one username reach the password check at most `limit` times; then even the right password gets 429', async () => {
    const limit = 5;
    const apps = twoInstances({ COPYDESK_LOGIN_LIMIT_PER_USER: String(limit), COPYDESK_LOGIN_LIMIT_PER_IP: '30' });
    const burst = await Promise.all(
      Array.from({ length: 100 }, (_, i) => attempt(apps[i % 2], 'victim', `wrong guess ${i}`, `10.20.0.${i % 4}`)),
    );
    const statuses = burst.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 401).length, limit, 'exactly `limit` guesses were answered 401');
    assert.equal(statuses.filter((s) => s === 429).length, 100 - limit);
    assert.equal(await passwordChecks('victim'), limit, 'the password was checked `limit` times');

    for (const app of apps) {
      const right = await attempt(app, 'victim', TEST_PASSWORD, '10.20.9.9');
      assert.equal(right.status, 429, 'the right password is refused once the limit is reached');
      assert.equal(right.headers['set-cookie'], undefined);
    }
    assert.equal(await passwordChecks('victim'), limit);

    // Refusals on the username give their address count back: another user
    // logs in from the very addresses of the burst, on either instance.
    for (let i = 0; i < 4; i++) assert.equal((await attempt(apps[i % 2], 'bystander', TEST_PASSWORD, `10.20.0.${i}`)).status, 200);
  });

  test('the first refusal per key and window is audited once, whatever the flood; the rest are counted in login_attempts', async () => {
    const events = await t.query<{ actorName: string; entityId: string; ip: string; data: { username: string; limitedBy: string[]; retryAfterSeconds: number; limits: Record<string, number> } }>(
      `select "actorName", "entityId", ip, data from audit_events where action = 'auth.login_rate_limited' and data->>'username' = 'victim'`,
    );
    assert.equal(events.rows.length, 1);
    const e = events.rows[0];
    assert.equal(e.actorName, 'victim');
    assert.deepEqual(e.data.limitedBy, ['username']);
    assert.deepEqual(e.data.limits, { perAddress: 30, perUsername: 5, windowSeconds: 900 });
    assert.ok(e.data.retryAfterSeconds > 0 && e.data.retryAfterSeconds <= 900);
    assert.match(e.ip, /^10\.20\.0\.[0-3]$/);
    const { rows } = await t.query<{ count: number }>(`select count from login_attempts where key = 'u:victim'`);
    assert.equal(rows[0].count, 5 + 95 + 2, 'limit + every refusal, so the refusals are countable without an event each');
  });

  test('per address: 60 parallel bad logins over many usernames from one address reach the check at most `limit` times', async () => {
    const limit = 8;
    const apps = twoInstances({ COPYDESK_LOGIN_LIMIT_PER_IP: String(limit), COPYDESK_LOGIN_LIMIT_PER_USER: '100' });
    const names = Array.from({ length: 60 }, (_, i) => `spray${i}`);
    const burst = await Promise.all(names.map((u, i) => attempt(apps[i % 2], u, 'password guess', '10.30.0.1')));
    assert.equal(burst.filter((r) => r.status === 401).length, limit);
    assert.equal(await count(`select 1 from audit_events where action = 'auth.login_failed' and data->>'username' like 'spray%'`), limit);
    const limited = await count(`select 1 from audit_events where action = 'auth.login_rate_limited' and ip = '10.30.0.1'`);
    assert.equal(limited, 1);
    // The address is blocked for everyone behind it, including a right password …
    assert.equal((await attempt(apps[0], 'target2', TEST_PASSWORD, '10.30.0.1')).status, 429);
    // … and its refusals did not count against those usernames elsewhere.
    assert.equal((await attempt(apps[1], 'target2', TEST_PASSWORD, '10.30.0.2')).status, 200);
    const { rows } = await t.query<{ n: number }>(`select coalesce(sum(count), 0)::int as n from login_attempts where key like 'u:spray%'`);
    assert.equal(rows[0].n, limit, 'only the attempts that reached the check count against the usernames');
  });

  test('successful logins do not use up the address or username allowance', async () => {
    const apps = twoInstances({ COPYDESK_LOGIN_LIMIT_PER_IP: '3', COPYDESK_LOGIN_LIMIT_PER_USER: '3' });
    for (let i = 0; i < 12; i++) assert.equal((await attempt(apps[i % 2], 'bystander', TEST_PASSWORD, '10.40.0.1')).status, 200, `login ${i + 1}`);
    const { rows } = await t.query<{ key: string; count: number }>(`select key, count from login_attempts where key in ('ip:10.40.0.1', 'u:bystander')`);
    assert.deepEqual(rows, [{ key: 'ip:10.40.0.1', count: 0 }]);
  });
});

describe('FailureLimiter on its fake clock', () => {
  test('counts per window, refuses past the limit with the time left, reports the first refusal once, and restarts after the window', async () => {
    let now = Date.UTC(2030, 0, 1, 12, 0, 0);
    const l = new FailureLimiter(t.db, 60_000, () => now);
    const key = [{ key: 'test:clock', limit: 2 }];
    assert.equal((await l.reserve(key)).allowed, true);
    now += 15_000;
    assert.equal((await l.reserve(key)).allowed, true);
    now += 15_000;
    const third = await l.reserve(key);
    assert.deepEqual({ allowed: third.allowed, retryAfter: third.retryAfter, first: third.firstRefusals }, { allowed: false, retryAfter: 30, first: ['test:clock'] });
    now += 29_000;
    const fourth = await l.reserve(key);
    assert.deepEqual({ allowed: fourth.allowed, retryAfter: fourth.retryAfter, first: fourth.firstRefusals }, { allowed: false, retryAfter: 1, first: [] });
    now += 1_000;
    const fresh = await l.reserve(key);
    assert.equal(fresh.allowed, true, 'a new window starts when the old one has ended');
    assert.equal(fresh.counted[0].count, 1);
    assert.equal(fresh.counted[0].windowStart.getTime(), now);
  });

  test('Retry-After never exceeds the window, even when a parallel attempt opened it just after this one read the clock', async () => {
    let now = Date.UTC(2030, 0, 1, 18);
    const l = new FailureLimiter(t.db, 60_000, () => now);
    const key = [{ key: 'test:skew', limit: 1 }];
    await l.reserve(key); // opens the window at `now`
    now -= 5; // the next attempt read the clock 5 ms earlier, but counts after
    const r = await l.reserve(key);
    assert.equal(r.allowed, false);
    assert.equal(r.retryAfter, 60);
  });

  test('release gives back one attempt of the window it was counted in, and never of a later window', async () => {
    let now = Date.UTC(2030, 0, 2);
    const l = new FailureLimiter(t.db, 10_000, () => now);
    const key = [{ key: 'test:release', limit: 1 }];
    const a = await l.reserve(key);
    await l.release(a.counted);
    assert.equal((await l.reserve(key)).allowed, true, 'the released attempt did not count');
    now += 10_000;
    const b = await l.reserve(key);
    assert.equal(b.allowed, true);
    await l.release(a.counted); // from the old window: no effect on the new one
    assert.equal((await l.reserve(key)).allowed, false);
  });

  test('counters of ended windows are deleted by prune, and pruned at most once per window by reserve', async () => {
    let now = Date.UTC(2030, 0, 3);
    const l = new FailureLimiter(t.db, 60_000, () => now);
    await l.reserve([{ key: 'test:old', limit: 5 }]); // prunes (first use), then counts
    now += 30_000;
    await l.reserve([{ key: 'test:young', limit: 5 }]);
    now += 31_000;
    const keys = async () => (await t.query<{ key: string }>(`select key from login_attempts where key like 'test:%' and "windowStart" >= $1 order by key`, [new Date(Date.UTC(2030, 0, 3))])).rows.map((r) => r.key);
    assert.deepEqual(await keys(), ['test:old', 'test:young']);
    await l.reserve([{ key: 'test:other', limit: 5 }]); // a window has passed since the last prune
    assert.deepEqual(await keys(), ['test:other', 'test:young']);
    now += 60_000;
    assert.equal(await l.prune(), 2);
    assert.deepEqual(await keys(), []);
  });
});
