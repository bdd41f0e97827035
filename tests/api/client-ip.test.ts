// Behind a trusted proxy the client address comes from X-Forwarded-For, which
// a client can fill with anything. Whatever it holds, a login (good or bad)
// answers as usual and every stored address fits its column.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { createTestContext, TEST_PASSWORD, type TestContext } from '../helpers/app';

let t: TestContext;

before(async () => {
  t = await createTestContext({ COPYDESK_TRUST_PROXY: 'true' });
  await t.makeUser('ines', 'editor');
});

after(async () => {
  await t?.drop();
});

const junk = `${'x'.repeat(300)}, 10.0.0.1`;

test('a forwarded address that is not an IP address does not break the login or its audit event', async () => {
  const bad = await request(t.app).post('/api/auth/login').set('X-Forwarded-For', 'y'.repeat(300)).send({ username: 'ines', password: 'not the password' });
  assert.equal(bad.status, 401, JSON.stringify(bad.body));
  const good = await request(t.app).post('/api/auth/login').set('X-Forwarded-For', 'z'.repeat(300)).send({ username: 'ines', password: TEST_PASSWORD });
  assert.equal(good.status, 200, JSON.stringify(good.body));
  const { rows } = await t.query<{ ip: string | null }>(`select ip from audit_events where action like 'auth.login%' order by id`);
  assert.ok(rows.length >= 2);
  for (const { ip } of rows) {
    assert.ok(ip !== null && ip.length <= 64, `stored ip ${ip}`);
    assert.ok(ip.startsWith('?'), 'a value that is not an address is marked as such');
  }
});

test('a real forwarded address is stored as it is', async () => {
  const r = await request(t.app).post('/api/auth/login').set('X-Forwarded-For', '203.0.113.7').send({ username: 'ines', password: TEST_PASSWORD });
  assert.equal(r.status, 200);
  const { rows } = await t.query<{ ip: string }>(`select ip from audit_events where action = 'auth.login' order by id desc limit 1`);
  assert.equal(rows[0]?.ip, '203.0.113.7');
  // With every proxy trusted Express takes the list's first entry: junk here, not an address.
  const listed = await request(t.app).post('/api/auth/login').set('X-Forwarded-For', junk).send({ username: 'ines', password: TEST_PASSWORD });
  assert.equal(listed.status, 200);
});
