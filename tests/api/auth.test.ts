// Logging in and out over the real API on a real database: sessions, cookies,
// the login rate limit, idle expiry and the stored password hashes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { createApp } from '../../server/app';
import { testConfig } from '../helpers/db';
import { createTestContext, TEST_PASSWORD, type TestContext } from '../helpers/app';

let t: TestContext;
before(async () => {
  t = await createTestContext();
  await t.makeUser('alice', 'editor');
  await t.makeUser('bob', 'reviewer');
  await t.makeUser('dora', 'editor', { disabled: true });
  await t.makeUser('carol', 'editor');
});
after(() => t.drop());

function sessionCookie(res: request.Response): string | undefined {
  const all = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return all.find((c) => c.startsWith('copydesk_sid='));
}
const tokenOf = (cookie: string | undefined) => cookie?.split(';')[0].slice('copydesk_sid='.length) ?? '';

async function auditRows(action: string, username: string) {
  const { rows } = await t.query<{ actorName: string; actorId: number | null; entityId: string | null; ip: string | null; data: Record<string, unknown> }>(
    `select "actorName", "actorId", "entityId", ip, data from audit_events where action = $1 and data->>'username' = $2 order by id`,
    [action, username],
  );
  return rows;
}

describe('POST /api/auth/login', () => {
  test('right credentials: 200 with the user, an HttpOnly SameSite=Lax session cookie (not Secure over plain HTTP), audited', async () => {
    const res = await request(t.app).post('/api/auth/login').send({ username: 'alice', password: TEST_PASSWORD });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { id: res.body.id, username: 'alice', displayName: 'Alice', role: 'editor' });
    const cookie = sessionCookie(res);
    assert.ok(cookie, 'a session cookie is set');
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Lax/);
    assert.match(cookie, /; Path=\//);
    assert.doesNotMatch(cookie, /; Secure/);
    // The stored session id is an HMAC of the token, never the token itself.
    const { rows } = await t.query<{ id: string }>(`select s.id from sessions s join users u on u.id = s."userId" where u.username = 'alice'`);
    assert.equal(rows.length, 1);
    assert.notEqual(rows[0].id, tokenOf(cookie));
    assert.match(rows[0].id, /^[0-9a-f]{64}$/);
    const { rows: users } = await t.query<{ lastLoginAt: Date | null }>(`select "lastLoginAt" from users where username = 'alice'`);
    assert.ok(users[0].lastLoginAt);
    const { rows: events } = await t.query(`select 1 from audit_events where action = 'auth.login' and "actorName" = 'alice'`);
    assert.equal(events.length, 1);
  });

  test('usernames are matched case-insensitively', async () => {
    const res = await request(t.app).post('/api/auth/login').send({ username: '  Bob ', password: TEST_PASSWORD });
    assert.equal(res.status, 200);
    assert.equal(res.body.username, 'bob');
  });

  test('a wrong password, an unknown user and a disabled user get the same 401 and no cookie; each failure is audited with its reason', async () => {
    const cases = [
      { username: 'alice', password: 'wrong password!', reason: 'bad_password' },
      { username: 'nobody', password: TEST_PASSWORD, reason: 'unknown_user' },
      { username: 'dora', password: TEST_PASSWORD, reason: 'disabled' },
    ];
    for (const c of cases) {
      const res = await request(t.app).post('/api/auth/login').set('User-Agent', 'test').send({ username: c.username, password: c.password });
      assert.equal(res.status, 401, c.username);
      assert.deepEqual(res.body.error.code, 'invalid_credentials');
      assert.equal(res.body.error.message, 'Invalid username or password.');
      assert.equal(sessionCookie(res), undefined);
      const rows = await auditRows('auth.login_failed', c.username);
      assert.equal(rows.length, 1, c.username);
      assert.equal(rows[0].data.reason, c.reason);
      assert.equal(rows[0].actorName, c.reason === 'unknown_user' ? 'anonymous' : c.username);
      assert.ok(rows[0].ip, 'the client address is recorded');
    }
    const { rows } = await t.query(`select 1 from sessions s join users u on u.id = s."userId" where u.username = 'dora'`);
    assert.equal(rows.length, 0);
  });

  test('a missing password is a 400 naming the field', async () => {
    const res = await request(t.app).post('/api/auth/login').send({ username: 'alice' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'validation_failed');
    assert.match(res.body.error.message, /^password:/);
  });
});

describe('sessions', () => {
  test('GET /api/auth/me answers the logged-in user, and 401 without or with a forged cookie', async () => {
    const agent = await t.loginAs('alice');
    const me = await agent.get('/api/auth/me');
    assert.equal(me.status, 200);
    assert.deepEqual(Object.keys(me.body).sort(), ['displayName', 'id', 'role', 'username']);
    assert.equal(me.body.username, 'alice');

    const anon = await request(t.app).get('/api/auth/me');
    assert.equal(anon.status, 401);
    assert.equal(anon.body.error.code, 'unauthorized');
    const forged = await request(t.app).get('/api/auth/me').set('Cookie', `copydesk_sid=${'A'.repeat(43)}`);
    assert.equal(forged.status, 401);
  });

  test('logging in again rotates the session id: the old cookie stops working and its row is gone', async () => {
    const agent = request.agent(t.app);
    const first = await agent.post('/api/auth/login').send({ username: 'bob', password: TEST_PASSWORD });
    const oldToken = tokenOf(sessionCookie(first));
    const { rows: before } = await t.query<{ n: number }>(`select count(*)::int as n from sessions s join users u on u.id = s."userId" where u.username = 'bob'`);
    const second = await agent.post('/api/auth/login').send({ username: 'bob', password: TEST_PASSWORD });
    assert.equal(second.status, 200);
    const newToken = tokenOf(sessionCookie(second));
    assert.ok(newToken && oldToken && newToken !== oldToken);
    const { rows: afterRows } = await t.query<{ n: number }>(`select count(*)::int as n from sessions s join users u on u.id = s."userId" where u.username = 'bob'`);
    assert.equal(afterRows[0].n, before[0].n, 'the previous session was replaced, not added to');
    const replay = await request(t.app).get('/api/auth/me').set('Cookie', `copydesk_sid=${oldToken}`);
    assert.equal(replay.status, 401);
    const current = await request(t.app).get('/api/auth/me').set('Cookie', `copydesk_sid=${newToken}`);
    assert.equal(current.status, 200);
  });

  test('logout destroys the server session and clears the cookie; replaying the cookie is refused', async () => {
    const login = await request(t.app).post('/api/auth/login').send({ username: 'alice', password: TEST_PASSWORD });
    const token = tokenOf(sessionCookie(login));
    const { rows: before } = await t.query<{ n: number }>(`select count(*)::int as n from sessions`);
    const out = await request(t.app).post('/api/auth/logout').set('Cookie', `copydesk_sid=${token}`).set('X-Requested-With', 'XMLHttpRequest');
    assert.equal(out.status, 204);
    const cleared = sessionCookie(out);
    assert.ok(cleared);
    assert.match(cleared, /^copydesk_sid=;/);
    assert.match(cleared, /Expires=Thu, 01 Jan 1970/);
    const { rows: afterRows } = await t.query<{ n: number }>(`select count(*)::int as n from sessions`);
    assert.equal(afterRows[0].n, before[0].n - 1);
    const replay = await request(t.app).get('/api/auth/me').set('Cookie', `copydesk_sid=${token}`);
    assert.equal(replay.status, 401);
    const { rows: events } = await t.query(`select 1 from audit_events where action = 'auth.logout' and "actorName" = 'alice'`);
    assert.equal(events.length, 1);

    const again = await request(t.app).post('/api/auth/logout').set('X-Requested-With', 'XMLHttpRequest');
    assert.equal(again.status, 401);
  });

  test('activity moves lastSeenAt forward, so an active session does not expire', async () => {
    const agent = await t.loginAs('bob');
    await t.query(`update sessions set "lastSeenAt" = now() - interval '10 minutes' where "userId" = (select id from users where username = 'bob')`);
    assert.equal((await agent.get('/api/auth/me')).status, 200);
    const { rows } = await t.query<{ idle: number }>(
      `select extract(epoch from now() - "lastSeenAt")::float as idle from sessions where "userId" = (select id from users where username = 'bob') order by "createdAt" desc limit 1`,
    );
    assert.ok(rows[0].idle < 30, `lastSeenAt was refreshed (idle ${rows[0].idle} s)`);
  });
});

describe('session expiry (COPYDESK_SESSION_IDLE_MINUTES=1, COPYDESK_SESSION_MAX_HOURS=1)', () => {
  const config = testConfig({ COPYDESK_SESSION_IDLE_MINUTES: '1', COPYDESK_SESSION_MAX_HOURS: '1' });
  const app = () => createApp({ db: t.db, config });

  test('a session idle for longer than the limit is refused and deleted; a recently used one works', async () => {
    const a = app();
    const login = await request(a).post('/api/auth/login').send({ username: 'alice', password: TEST_PASSWORD });
    const token = tokenOf(sessionCookie(login));
    const { rows } = await t.query<{ id: string }>(`select id from sessions order by "createdAt" desc limit 1`);
    const id = rows[0].id;

    // Used 50 s ago: still valid, and this use counts as activity (lastSeenAt moves to now),
    // so steady use every 50 s never reaches the 1-minute limit.
    await t.query(`update sessions set "lastSeenAt" = now() - interval '50 seconds' where id = $1`, [id]);
    assert.equal((await request(a).get('/api/auth/me').set('Cookie', `copydesk_sid=${token}`)).status, 200);
    const { rows: touched } = await t.query<{ idle: number }>(`select extract(epoch from now() - "lastSeenAt")::float as idle from sessions where id = $1`, [id]);
    assert.ok(touched[0].idle < 10, `lastSeenAt refreshed (idle ${touched[0].idle} s)`);

    await t.query(`update sessions set "lastSeenAt" = now() - interval '2 minutes' where id = $1`, [id]);
    const res = await request(a).get('/api/auth/me').set('Cookie', `copydesk_sid=${token}`);
    assert.equal(res.status, 401);
    const { rows: left } = await t.query(`select 1 from sessions where id = $1`, [id]);
    assert.equal(left.length, 0);
  });

  test('a session older than the maximum is refused even when active', async () => {
    const a = app();
    const login = await request(a).post('/api/auth/login').send({ username: 'bob', password: TEST_PASSWORD });
    const token = tokenOf(sessionCookie(login));
    await t.query(`update sessions set "createdAt" = now() - interval '61 minutes', "lastSeenAt" = now() where "userId" = (select id from users where username = 'bob')`);
    assert.equal((await request(a).get('/api/auth/me').set('Cookie', `copydesk_sid=${token}`)).status, 401);
  });
});

describe('cookie Secure flag', () => {
  test('behind a trusted proxy (COPYDESK_TRUST_PROXY=true) the cookie is Secure when X-Forwarded-Proto is https, and only then', async () => {
    const a = createApp({ db: t.db, config: testConfig({ COPYDESK_TRUST_PROXY: 'true' }) });
    const https = await request(a).post('/api/auth/login').set('X-Forwarded-Proto', 'https').send({ username: 'alice', password: TEST_PASSWORD });
    assert.equal(https.status, 200);
    const secure = sessionCookie(https);
    assert.match(secure ?? '', /; Secure/);
    assert.match(secure ?? '', /; HttpOnly/);
    assert.match(secure ?? '', /; SameSite=Lax/);
    const http = await request(a).post('/api/auth/login').set('X-Forwarded-Proto', 'http').send({ username: 'alice', password: TEST_PASSWORD });
    assert.doesNotMatch(sessionCookie(http) ?? '', /; Secure/);
  });

  test('without a trusted proxy, X-Forwarded-Proto is ignored (a client cannot claim TLS)', async () => {
    const res = await request(t.app).post('/api/auth/login').set('X-Forwarded-Proto', 'https').send({ username: 'alice', password: TEST_PASSWORD });
    assert.equal(res.status, 200);
    assert.doesNotMatch(sessionCookie(res) ?? '', /; Secure/);
  });

  test('COPYDESK_SECURE_COOKIES=true forces Secure, false never sets it', async () => {
    const always = createApp({ db: t.db, config: testConfig({ COPYDESK_SECURE_COOKIES: 'true' }) });
    assert.match(sessionCookie(await request(always).post('/api/auth/login').send({ username: 'alice', password: TEST_PASSWORD })) ?? '', /; Secure/);
    const never = createApp({ db: t.db, config: testConfig({ COPYDESK_SECURE_COOKIES: 'false', COPYDESK_TRUST_PROXY: 'true' }) });
    const res = await request(never).post('/api/auth/login').set('X-Forwarded-Proto', 'https').send({ username: 'alice', password: TEST_PASSWORD });
    assert.doesNotMatch(sessionCookie(res) ?? '', /; Secure/);
  });
});

describe('login rate limit', () => {
  test('per username: after the limit even the right password gets 429 with Retry-After, from any address; other users are unaffected', async () => {
    const a = createApp({
      db: t.db,
      config: testConfig({ COPYDESK_TRUST_PROXY: 'true', COPYDESK_LOGIN_LIMIT_PER_USER: '3', COPYDESK_LOGIN_LIMIT_PER_IP: '100', COPYDESK_LOGIN_WINDOW_MINUTES: '10' }),
    });
    const attempt = (username: string, password: string, ip: string) => request(a).post('/api/auth/login').set('X-Forwarded-For', ip).send({ username, password });
    for (let i = 0; i < 3; i++) assert.equal((await attempt('bob', 'wrong password!', '10.0.0.1')).status, 401);
    const limited = await attempt('bob', TEST_PASSWORD, '10.0.0.1');
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, 'rate_limited');
    assert.match(limited.body.error.message, /^Too many failed logins\. Try again in \d+ minute\(s\)\.$/);
    const retryAfter = Number(limited.headers['retry-after']);
    assert.ok(retryAfter > 500 && retryAfter <= 600, `Retry-After ${retryAfter}`);
    assert.equal(limited.body.error.details.retryAfterSeconds, retryAfter);
    assert.equal(sessionCookie(limited), undefined);
    // The username limit holds across addresses (a distributed guess at one account) …
    assert.equal((await attempt('bob', TEST_PASSWORD, '10.9.9.9')).status, 429);
    // … but does not lock out other users, from the same address or any other.
    assert.equal((await attempt('alice', TEST_PASSWORD, '10.0.0.1')).status, 200);
  });

  test('per address: many failures over different usernames block that address only', async () => {
    const a = createApp({ db: t.db, config: testConfig({ COPYDESK_TRUST_PROXY: 'true', COPYDESK_LOGIN_LIMIT_PER_IP: '4', COPYDESK_LOGIN_LIMIT_PER_USER: '100' }) });
    const attempt = (username: string, password: string, ip: string) => request(a).post('/api/auth/login').set('X-Forwarded-For', ip).send({ username, password });
    for (const u of ['x1', 'x2', 'x3', 'x4']) assert.equal((await attempt(u, 'whatever-password', '10.1.1.1')).status, 401);
    const limited = await attempt('alice', TEST_PASSWORD, '10.1.1.1');
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers['retry-after']) > 0);
    assert.equal((await attempt('alice', TEST_PASSWORD, '10.1.1.2')).status, 200);
  });

  test('the block always expires: once the window has passed on the limiter\'s clock, the account unlocks by itself', async () => {
    let now = Date.now();
    const a = createApp({ db: t.db, clock: () => now, config: testConfig({ COPYDESK_TRUST_PROXY: 'true', COPYDESK_LOGIN_LIMIT_PER_USER: '2', COPYDESK_LOGIN_WINDOW_MINUTES: '0.5' }) });
    const attempt = (password: string) => request(a).post('/api/auth/login').set('X-Forwarded-For', '10.3.3.3').send({ username: 'carol', password });
    assert.equal((await attempt('wrong password!')).status, 401);
    assert.equal((await attempt('wrong password!')).status, 401);
    now += 10_000;
    const limited = await attempt(TEST_PASSWORD);
    assert.equal(limited.status, 429);
    assert.match(limited.body.error.message, /Try again in 20 second\(s\)\./);
    assert.equal(limited.headers['retry-after'], '20');
    now += 19_000;
    assert.equal((await attempt(TEST_PASSWORD)).status, 429, 'still inside the window');
    now += 1_000;
    assert.equal((await attempt(TEST_PASSWORD)).status, 200, 'the window has ended');
  });
});

describe('password storage', () => {
  test('hashes are argon2id at or above the OWASP minimum (m=19456 KiB, t=2, p=1), salted per user', async () => {
    const admin = await t.makeUser('hashadmin', 'admin');
    assert.ok(admin);
    const agent = await t.loginAs('hashadmin');
    for (const username of ['hash1', 'hash2']) {
      const res = await agent.post('/api/users').send({ username, role: 'editor', password: 'same password 123' });
      assert.equal(res.status, 201);
    }
    const { rows } = await t.query<{ passwordHash: string }>(`select "passwordHash" from users where username in ('hash1', 'hash2') order by username`);
    const parsed = rows.map((r) => {
      const m = /^\$(argon2(?:id|i|d))\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(r.passwordHash);
      assert.ok(m, `PHC string: ${r.passwordHash}`);
      return { alg: m[1], version: Number(m[2]), m: Number(m[3]), t: Number(m[4]), p: Number(m[5]), salt: m[6], hash: m[7] };
    });
    for (const h of parsed) {
      assert.equal(h.alg, 'argon2id');
      assert.equal(h.version, 19);
      assert.ok(h.m >= 19456, `memory ${h.m} KiB`);
      assert.ok(h.t >= 2, `iterations ${h.t}`);
      assert.ok(h.p >= 1, `parallelism ${h.p}`);
      assert.ok(Buffer.from(h.salt, 'base64').length >= 16, 'salt of at least 16 bytes');
    }
    assert.notEqual(parsed[0].salt, parsed[1].salt);
    assert.notEqual(parsed[0].hash, parsed[1].hash);
    assert.equal((await request(t.app).post('/api/auth/login').send({ username: 'hash1', password: 'same password 123' })).status, 200);
  });
});
