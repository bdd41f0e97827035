import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { createApp } from '../../server/app';
import { createDb, Prisma, queryRows } from '../../server/db/client';
import { createLogger } from '../../server/logger';
import { createTestContext, type TestContext } from '../helpers/app';

let t: TestContext;
before(async () => {
  t = await createTestContext();
});
after(() => t.drop());

test('GET /healthz checks the database', async () => {
  const res = await request(t.app).get('/healthz');
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { status: 'ok', database: 'ok' });
});

test('an unknown API route answers 404 in the JSON error shape', async () => {
  const res = await request(t.app).get('/api/nope');
  assert.equal(res.status, 404);
  assert.equal(res.body.error.code, 'no_route');
  assert.match(res.body.error.message, /GET \/api\/nope/);
});

test('GET /healthz with the database down answers 503 and logs the cause', async () => {
  const lines: string[] = [];
  const logger = createLogger({ logLevel: 'info' }, { write: (s: string) => void lines.push(s) });
  const db = createDb('postgresql://nobody@127.0.0.1:1/none', { dbPoolSize: 1, dbConnectTimeoutMs: 2000 });
  try {
    const app = createApp({ db, config: t.config, logger });
    const res = await request(app).get('/healthz');
    assert.equal(res.status, 503);
    assert.equal(res.body.error.code, 'database_unavailable');
    const logged = lines.map((l) => JSON.parse(l) as { msg: string; err?: { message?: string } }).find((l) => l.msg === 'The database does not answer.');
    assert.ok(logged, `no log line for the failed health check in ${lines.join('')}`);
    assert.ok(logged.err && typeof logged.err.message === 'string' && logged.err.message.length > 0, 'the cause is logged');
  } finally {
    await db.$disconnect();
  }
});

test('an idle pooled connection that dies is reported to the pool error callback, not dropped', async () => {
  const errors: Error[] = [];
  const db = createDb(t.url, { dbPoolSize: 1, dbConnectTimeoutMs: 2000 }, (err) => errors.push(err));
  try {
    const [{ pid }] = await queryRows<{ pid: number }>(db, Prisma.sql`select pg_backend_pid() as pid`);
    await t.query('select pg_terminate_backend($1)', [pid]);
    for (let i = 0; i < 100 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /terminat/i);
  } finally {
    await db.$disconnect();
  }
});
