// The HTTP layer every route shares: the JSON error shape, bad bodies, the
// CSRF rule, security headers, request ids and a database outage.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import request from 'supertest';
import { createApp } from '../../server/app';
import { createDb, sharePool, type PrismaClient } from '../../server/db/client';
import { testConfig } from '../helpers/db';
import { freePort } from '../helpers/spawn';
import { createTestContext, TEST_PASSWORD, type TestContext } from '../helpers/app';

let t: TestContext;
before(async () => {
  t = await createTestContext();
  await t.makeUser('hank', 'admin');
});
after(() => t.drop());

async function count(sql: string): Promise<number> {
  const { rows } = await t.query<{ n: number }>(`select count(*)::int as n from (${sql}) x`);
  return rows[0].n;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('request bodies', () => {
  test('malformed JSON is a 400 malformed_json in the standard error shape, with the request id', async () => {
    const res = await request(t.app).post('/api/auth/login').set('Content-Type', 'application/json').send('{"username": "hank", "password": ');
    assert.equal(res.status, 400);
    assert.deepEqual(Object.keys(res.body), ['error']);
    assert.equal(res.body.error.code, 'malformed_json');
    assert.equal(res.body.error.message, 'The request body is not valid JSON.');
    assert.match(res.headers['x-request-id'], UUID);
    assert.equal(res.body.error.requestId, res.headers['x-request-id']);
    assert.equal(await count(`select 1 from sessions`), 0);
  });

  test('a body over COPYDESK_BODY_LIMIT_KB is a 413 and nothing is created', async () => {
    const app = createApp({ db: t.db, config: testConfig({ COPYDESK_BODY_LIMIT_KB: '16' }) });
    const agent = request.agent(app);
    assert.equal((await agent.post('/api/auth/login').send({ username: 'hank', password: TEST_PASSWORD })).status, 200);
    const big = { username: 'huge', role: 'editor', password: 'long enough pw', displayName: 'x'.repeat(17 * 1024) };
    const res = await agent.post('/api/users').send(big);
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, 'body_too_large');
    assert.equal(res.body.error.message, 'The request body is larger than the server accepts.');
    assert.equal(await count(`select 1 from users where username = 'huge'`), 0);
    // Just under the limit is parsed normally (and then validated).
    const ok = await agent.post('/api/users').send({ ...big, displayName: 'x'.repeat(200) });
    assert.equal(ok.status, 400);
    assert.equal(ok.body.error.code, 'validation_failed');
  });

  test('an unsupported body encoding is a 415', async () => {
    const res = await request(t.app).post('/api/auth/login').set('Content-Type', 'application/json; charset=koi8-r').send('{}');
    assert.equal(res.status, 415);
    assert.equal(res.body.error.code, 'unsupported_encoding');
  });
});

describe('CSRF', () => {
  test('a form-encoded POST (what a cross-site form sends) is refused with 403 csrf_rejected, even with a valid session; nothing is written', async () => {
    const agent = await t.loginAs('hank');
    const sessions = await count('select 1 from sessions');
    const events = await count('select 1 from audit_events');
    const form = await agent.post('/api/users').type('form').send({ username: 'forged', role: 'admin', password: 'long enough pw' });
    assert.equal(form.status, 403);
    assert.equal(form.body.error.code, 'csrf_rejected');
    assert.match(form.body.error.message, /Content-Type: application\/json.*X-Requested-With/);
    const login = await request(t.app).post('/api/auth/login').type('form').send({ username: 'hank', password: TEST_PASSWORD });
    assert.equal(login.status, 403);
    assert.equal(login.headers['set-cookie'], undefined);
    const plain = await agent.post('/api/auth/logout').set('Content-Type', 'text/plain').send('x');
    assert.equal(plain.status, 403);
    assert.equal(await count(`select 1 from users where username = 'forged'`), 0);
    assert.equal(await count('select 1 from sessions'), sessions, 'the logout was refused and no login happened');
    assert.equal(await count('select 1 from audit_events'), events);
    assert.equal((await agent.get('/api/auth/me')).status, 200);
  });

  test('a JSON body or an X-Requested-With header passes; reads need neither', async () => {
    const agent = await t.loginAs('hank');
    assert.equal((await agent.get('/api/users')).status, 200);
    const bodiless = await agent.post('/api/auth/logout').set('X-Requested-With', 'XMLHttpRequest');
    assert.equal(bodiless.status, 204);
  });
});

describe('response headers', () => {
  test('helmet: CSP, nosniff, frame and referrer policies; no X-Powered-By; no HSTS on plain HTTP by default', async () => {
    const res = await request(t.app).get('/healthz');
    const csp = res.headers['content-security-policy'];
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /object-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /upgrade-insecure-requests/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.equal(res.headers['cross-origin-opener-policy'], 'same-origin');
    assert.equal(res.headers['x-powered-by'], undefined);
    assert.equal(res.headers['strict-transport-security'], undefined);
    assert.match(res.headers['x-request-id'], UUID);
  });

  test('HSTS is sent when cookies are always Secure (COPYDESK_SECURE_COOKIES=true, i.e. TLS in front)', async () => {
    const app = createApp({ db: t.db, config: testConfig({ COPYDESK_SECURE_COOKIES: 'true' }) });
    const res = await request(app).get('/healthz');
    assert.match(res.headers['strict-transport-security'] ?? '', /max-age=\d+/);
  });

  test('errors are JSON in one shape: unknown route 404, no session 401', async () => {
    const missing = await request(t.app).get('/api/no/such/thing?x=1');
    assert.equal(missing.status, 404);
    assert.match(missing.headers['content-type'], /application\/json/);
    assert.deepEqual(Object.keys(missing.body.error).sort(), ['code', 'message', 'requestId']);
    assert.equal(missing.body.error.message, 'No API route GET /api/no/such/thing.');
    const anon = await request(t.app).get('/api/users');
    assert.equal(anon.status, 401);
    assert.deepEqual(anon.body.error, { code: 'unauthorized', message: 'You are not logged in.', requestId: anon.headers['x-request-id'] });
  });
});

describe('database outage', () => {
  test('with the database unreachable, /healthz and the API answer 503 database_unavailable with Retry-After', async () => {
    const dead = createDb(`postgresql://copydesk:x@127.0.0.1:${await freePort()}/copydesk`, { dbPoolSize: 1, dbConnectTimeoutMs: 1000 });
    try {
      const app = createApp({ db: dead, config: testConfig() });
      const health = await request(app).get('/healthz');
      assert.equal(health.status, 503);
      assert.equal(health.body.error.code, 'database_unavailable');
      const login = await request(app).post('/api/auth/login').send({ username: 'hank', password: TEST_PASSWORD });
      assert.equal(login.status, 503);
      assert.equal(login.body.error.code, 'database_unavailable');
      assert.equal(login.headers['retry-after'], '5');
    } finally {
      await dead.$disconnect();
    }
  });
});

describe('logging', () => {
  function capture() {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) });
    return { lines, logger };
  }

  test('every request is logged as JSON with its request id, the same id the client sees', async () => {
    const { lines, logger } = capture();
    const app = createApp({ db: t.db, config: testConfig(), logger });
    const res = await request(app).post('/api/auth/login').send({ username: 'hank', password: 'wrong password!' });
    assert.equal(res.status, 401);
    const entry = lines.find((l) => (l.req as { url?: string } | undefined)?.url === '/api/auth/login');
    assert.ok(entry, JSON.stringify(lines));
    assert.equal((entry.req as { id: string }).id, res.headers['x-request-id']);
    assert.equal((entry.res as { statusCode: number }).statusCode, 401);
    assert.equal(entry.level, 40, 'client errors are logged as warnings');
    assert.doesNotMatch(JSON.stringify(lines), /wrong password!/, 'request bodies (passwords) are not logged');
  });

  test('an unexpected error is a 500 that quotes the request id, and is logged with its stack under that id', async () => {
    const { lines, logger } = capture();
    const broken = new Proxy(t.db, {
      get(target, prop, receiver) {
        if (prop === 'user') return { findUnique: () => Promise.reject(new Error('kaboom in the user lookup')) };
        return Reflect.get(target, prop, receiver) as unknown;
      },
    }) as PrismaClient;
    sharePool(broken, t.db);
    const app = createApp({ db: broken, config: testConfig(), logger });
    const res = await request(app).post('/api/auth/login').send({ username: 'hank', password: TEST_PASSWORD });
    assert.equal(res.status, 500);
    const id = res.headers['x-request-id'];
    assert.equal(res.body.error.code, 'internal');
    assert.equal(res.body.error.message, `Internal error. Quote request id ${id} to your administrator.`);
    assert.doesNotMatch(JSON.stringify(res.body), /kaboom/, 'internals stay out of the response');
    const logged = lines.find((l) => l.msg === 'unexpected error');
    assert.ok(logged, JSON.stringify(lines));
    assert.equal(logged.reqId, id);
    assert.match(String((logged.err as { stack?: string }).stack), /kaboom in the user lookup/);
  });
});
