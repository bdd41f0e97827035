// The "at least one active admin" rule under parallel requests: two admins
// demoting or disabling each other at the same moment must leave one admin,
// through the API (on two app instances) and through `npm run user`.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { createApp, type App } from '../../server/app';
import { createDb, type PrismaClient } from '../../server/db/client';
import { createTestContext, TEST_PASSWORD, type TestContext } from '../helpers/app';
import { testConfig } from '../helpers/db';
import { runScript } from '../helpers/spawn';

let t: TestContext;
let secondDb: PrismaClient;
let apps: [App, App];
before(async () => {
  t = await createTestContext();
  secondDb = createDb(t.url, { dbPoolSize: 10, dbConnectTimeoutMs: 5000 });
  apps = [t.app, createApp({ db: secondDb, config: testConfig() })];
});
after(async () => {
  await secondDb.$disconnect();
  await t.drop();
});

const activeAdmins = async () => (await t.query<{ username: string }>(`select username from users where role = 'admin' and not disabled order by username`)).rows.map((r) => r.username);

/** Makes `a` and `b` the only active admins (every other admin becomes an editor). */
async function onlyAdmins(a: string, b: string): Promise<[number, number]> {
  await t.query(`update users set role = 'editor' where role = 'admin'`);
  const ids: number[] = [];
  for (const u of [a, b]) ids.push(await t.makeUser(u, 'admin'));
  return [ids[0], ids[1]];
}

async function agent(app: App, username: string) {
  const ag = request.agent(app);
  const res = await ag.post('/api/auth/login').send({ username, password: TEST_PASSWORD });
  assert.equal(res.status, 200);
  return ag;
}

type Change = { kind: 'demote' } | { kind: 'disable' } | { kind: 'delete' };
const CHANGES: Change[] = [{ kind: 'demote' }, { kind: 'disable' }, { kind: 'delete' }];

function send(ag: ReturnType<typeof request.agent>, id: number, c: Change) {
  if (c.kind === 'delete') return ag.delete(`/api/users/${id}`).set('X-Requested-With', 'XMLHttpRequest');
  return ag.put(`/api/users/${id}`).send(c.kind === 'demote' ? { role: 'editor' } : { disabled: true });
}

describe('two admins removing each other at once', () => {
  test('over 24 rounds of parallel demote / disable / delete on two instances, one admin always remains and exactly one request wins', async () => {
    for (let round = 0; round < 24; round++) {
      const [aId, bId] = await onlyAdmins(`ra${round}`, `rb${round}`);
      const [a, b] = await Promise.all([agent(apps[0], `ra${round}`), agent(apps[1], `rb${round}`)]);
      const ca = CHANGES[round % 3];
      const cb = CHANGES[Math.floor(round / 3) % 3];
      const [ra, rb] = await Promise.all([send(a, bId, ca), send(b, aId, cb)]);
      const statuses = [ra.status, rb.status].sort();
      assert.equal(statuses.filter((s) => s === 200).length, 1, `round ${round} (${ca.kind} vs ${cb.kind}): ${JSON.stringify([ra.body, rb.body])}`);
      const loser = ra.status === 200 ? rb : ra;
      // The loser either saw the rule refuse it, or (if the winner committed first) had already lost its admin role.
      assert.ok((loser.status === 409 && loser.body.error.code === 'last_admin') || loser.status === 403 || loser.status === 401, `round ${round}: ${loser.status} ${JSON.stringify(loser.body)}`);
      assert.equal((await activeAdmins()).length, 1, `round ${round}`);
    }
  });

  test('two `npm run user` commands (set-role and disable) at once leave one active admin', async () => {
    for (let round = 0; round < 3; round++) {
      await onlyAdmins(`ca${round}`, `cb${round}`);
      const env = { DATABASE_URL: t.url };
      const [x, y] = await Promise.all([runScript('scripts/user.ts', ['set-role', `ca${round}`, 'editor'], { env }), runScript('scripts/user.ts', ['disable', `cb${round}`], { env })]);
      assert.deepEqual([x.code, y.code].sort(), [0, 1], `${x.output}\n${y.output}`);
      assert.match(x.code === 1 ? x.stderr : y.stderr, /last active admin/);
      assert.equal((await activeAdmins()).length, 1);
    }
  });
});
