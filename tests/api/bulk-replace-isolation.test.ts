// A burst of catastrophic bulk-replace patterns must not stall the server:
// the patterns run in worker threads with a hard time limit, so /healthz and
// other users' requests answer while they grind, and each pattern request
// gets a clear error naming the field.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { MATCH_BUDGET_MS } from '../../server/services/bulkReplace';
import { createTestContext, TEST_PASSWORD, type TestContext } from '../helpers/app';
import { makeArticle } from '../helpers/factories';

let t: TestContext;
let server: Server;
let base: string;
let cookie: string;

before(async () => {
  t = await createTestContext();
  await t.makeUser('rita', 'reviewer');
  await makeArticle(t.db, { title: 'Backtracking bait', paragraphs: [`${'a'.repeat(40)}!`], status: 'in_edit' });
  await makeArticle(t.db, { title: 'Ordinary article', paragraphs: ['The Min river flooded.'], status: 'in_edit' });
  server = t.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'rita', password: TEST_PASSWORD }) });
  assert.equal(login.status, 200);
  cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
});
after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await t.drop();
});

test('20 catastrophic patterns at once: /healthz and a list answer while they run; each gets a time-limit (or busy) error naming find', async () => {
  const finished: string[] = [];
  const call = async (name: string, path: string, init: RequestInit = {}) => {
    const res = await fetch(`${base}${path}`, { ...init, headers: { cookie, 'Content-Type': 'application/json', ...init.headers } });
    const body = (await res.json()) as { error?: { code: string; message: string; details?: { field?: string } } };
    finished.push(name);
    return { status: res.status, body };
  };

  const burst = Array.from({ length: 20 }, (_, i) => call(`regex${i}`, '/api/bulk-replace/preview', { method: 'POST', body: JSON.stringify({ find: '(a+)+$', replace: 'b', regex: true }) }));
  // The burst's requests go out first; then another user's requests.
  await new Promise((r) => setImmediate(r));
  const [health, list] = await Promise.all([call('healthz', '/healthz'), call('list', `/api/articles?range=${encodeURIComponent('[0,9]')}`)]);
  assert.equal(health.status, 200);
  assert.equal(list.status, 200);
  const results = await Promise.all(burst);

  // Both answered while the patterns were still grinding: before half of the
  // time-limited ones had ended. (On the event loop, each pattern held the
  // server for its whole limit, and the list came after 16 to 19 of them.)
  const timedOut = finished.filter((n) => n.startsWith('regex') && results[Number(n.slice(5))].body.error?.code === 'regex_too_slow');
  const endedBefore = (name: string) => timedOut.filter((n) => finished.indexOf(n) < finished.indexOf(name)).length;
  assert.ok(endedBefore('healthz') < timedOut.length / 2 && endedBefore('list') < timedOut.length / 2, finished.join(' '));

  // Each pattern was stopped at its time limit, or refused at once when every worker and queue place was taken.
  const codes = results.map((r) => `${r.status} ${r.body.error?.code}`);
  const tooSlow = codes.filter((c) => c === '400 regex_too_slow').length;
  const busy = codes.filter((c) => c === '429 regex_busy').length;
  assert.equal(tooSlow + busy, 20, codes.join(', '));
  assert.ok(tooSlow >= 1, codes.join(', '));
  for (const r of results) {
    assert.equal(r.body.error?.details?.field, 'find');
    assert.match(r.body.error?.message ?? '', /^find: /);
  }
  const slow = results.find((r) => r.body.error?.code === 'regex_too_slow')!;
  assert.match(slow.body.error!.message, new RegExp(`^find: the pattern took more than ${MATCH_BUDGET_MS} ms on \\d+ paragraphs and was stopped`));
  // The workers terminated at the limit were replaced: the next pattern runs.
  const ok = await call('after', '/api/bulk-replace/preview', { method: 'POST', body: JSON.stringify({ find: String.raw`Min (\w+)`, replace: 'Min $1', regex: true }) });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
});
