import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import request from 'supertest';
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
