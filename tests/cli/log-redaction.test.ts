// The request log of a real server process never holds what would log
// someone in: session cookies (sent and set) and Authorization headers.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { spawnServer, type ServerProcess } from '../helpers/server';
import { stopAll } from '../helpers/spawn';

const ADMIN_PASSWORD = 'redaction admin password';
const SECRET = 'redaction-test-secret-0123456789';
let tdb: TestDatabase;
let server: ServerProcess;
before(async () => {
  tdb = await createTestDatabase();
  server = await spawnServer(tdb.url, { LOG_LEVEL: 'info', COPYDESK_ADMIN_PASSWORD: ADMIN_PASSWORD, COPYDESK_SESSION_SECRET: SECRET });
});
after(async () => {
  await stopAll();
  await tdb.drop();
});

test('session ids, cookies and Authorization values appear in no log line; the lines are there, redacted', async () => {
  const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
  assert.equal(login.status, 200);
  const setCookie = login.headers.get('set-cookie') ?? '';
  const token = /copydesk_sid=([^;]+)/.exec(setCookie)?.[1];
  assert.ok(token, setCookie);
  const cookie = `copydesk_sid=${token}; other=also-private-value`;
  const bearer = 'Bearer not-a-real-token-5f1c0de';
  const basic = `Basic ${Buffer.from('admin:' + ADMIN_PASSWORD).toString('base64')}`;
  const calls = [
    fetch(`${server.url}/api/auth/me`, { headers: { cookie } }),
    fetch(`${server.url}/api/users`, { headers: { cookie, authorization: bearer } }),
    fetch(`${server.url}/api/no-such-route`, { headers: { cookie, authorization: basic } }), // a 404, logged at warn
    fetch(`${server.url}/api/auth/me`, { headers: { cookie: 'copydesk_sid=forged-token-value-0123456789', 'proxy-authorization': bearer } }), // a 401
  ];
  const statuses = (await Promise.all(calls)).map((r) => r.status);
  assert.deepEqual(statuses, [200, 200, 404, 401]);
  const logout = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie, 'x-requested-with': 'XMLHttpRequest' } });
  assert.equal(logout.status, 204);

  await server.proc.stop();
  const out = server.proc.output();
  const lines = out.split('\n').filter((l) => l.startsWith('{'));
  // The log is there: one line per request above, with the headers object.
  for (const url of ['/api/auth/login', '/api/auth/me', '/api/users', '/api/no-such-route', '/api/auth/logout']) {
    assert.ok(lines.some((l) => l.includes(`"url":"${url}"`)), `a request line for ${url}`);
  }
  assert.ok(lines.some((l) => /"cookie":"\[Redacted\]"/.test(l)), 'request cookies are logged as [Redacted]');
  assert.ok(lines.some((l) => /"set-cookie":"\[Redacted\]"/.test(l)), 'response cookies are logged as [Redacted]');
  assert.ok(lines.some((l) => /"authorization":"\[Redacted\]"/.test(l)), 'Authorization is logged as [Redacted]');

  const secrets = {
    'the cookie token': token,
    'the stored session id': createHmac('sha256', SECRET).update(token).digest('hex'),
    'another cookie': 'also-private-value',
    'a forged cookie': 'forged-token-value-0123456789',
    'a bearer token': 'not-a-real-token-5f1c0de',
    'basic credentials': basic.slice('Basic '.length),
    'the password': ADMIN_PASSWORD,
  };
  for (const [what, value] of Object.entries(secrets)) assert.equal(out.includes(value), false, `${what} appears in the log`);
});
