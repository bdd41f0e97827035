import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { createApp } from '../../server/app';
import { createDb, type PrismaClient } from '../../server/db/client';
import { createTestContext, TEST_PASSWORD, type TestContext } from '../helpers/app';
import { makeArticle } from '../helpers/factories';

// Presence lives in the database only: a heartbeat on one app instance is
// seen from another, and nothing depends on a connection's session.

let t: TestContext;
let otherDb: PrismaClient;
type Agent = Awaited<ReturnType<TestContext['loginAs']>>;
let maria: Agent;
let ann: Agent;
let mariaId: number;

before(async () => {
  t = await createTestContext();
  mariaId = await t.makeUser('maria', 'editor');
  await t.makeUser('ann', 'editor');
  await t.makeUser('audrey', 'auditor');
  maria = await t.loginAs('maria');
  ann = await t.loginAs('ann');
  otherDb = createDb(t.url, { dbPoolSize: 4, dbConnectTimeoutMs: 5000 });
});
after(async () => {
  await otherDb.$disconnect();
  await t.drop();
});

test('a heartbeat answers who else has the article open, never yourself', async () => {
  const a = await makeArticle(t.db);
  const first = await maria.post(`/api/articles/${a.id}/presence`).send({ editing: true });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.deepEqual(first.body, []);
  const second = await ann.post(`/api/articles/${a.id}/presence`).send({});
  assert.equal(second.status, 200);
  assert.equal(second.body.length, 1);
  assert.equal(second.body[0].userId, mariaId);
  assert.equal(second.body[0].displayName, 'Maria');
  assert.equal(second.body[0].editing, true);
  assert.ok(second.body[0].secondsAgo >= 0 && second.body[0].secondsAgo < 60);
  const list = await ann.get(`/api/articles/${a.id}/presence`);
  assert.deepEqual(list.body.map((p: { displayName: string }) => p.displayName), ['Maria']);
  // Maria's next beat says she stopped editing.
  await maria.post(`/api/articles/${a.id}/presence`).send({ editing: false });
  assert.equal((await ann.get(`/api/articles/${a.id}/presence`)).body[0].editing, false);
  assert.equal(await t.db.presence.count({ where: { articleId: a.id } }), 2, 'one row per user and article, however many beats');
});

test('leaving removes you at once; a silent tab drops out after the window', async () => {
  const a = await makeArticle(t.db);
  await maria.post(`/api/articles/${a.id}/presence`).send({});
  const left = await maria.delete(`/api/articles/${a.id}/presence`).set('X-Requested-With', 'XMLHttpRequest');
  assert.equal(left.status, 204);
  assert.deepEqual((await ann.get(`/api/articles/${a.id}/presence`)).body, []);

  await maria.post(`/api/articles/${a.id}/presence`).send({});
  await t.db.$executeRaw`UPDATE presence SET "lastSeen" = "lastSeen" - interval '61 seconds' WHERE "articleId" = ${a.id}`;
  assert.deepEqual((await ann.get(`/api/articles/${a.id}/presence`)).body, [], 'not seen for over a minute: not listed');
  assert.equal(await t.db.presence.count({ where: { articleId: a.id } }), 1, 'but not pruned yet');
});

test('heartbeats prune rows older than five minutes, of any article, set-based', async () => {
  const articles = await Promise.all([1, 2, 3].map(() => makeArticle(t.db)));
  for (const a of articles) await maria.post(`/api/articles/${a.id}/presence`).send({});
  await t.db.$executeRaw`UPDATE presence SET "lastSeen" = "lastSeen" - interval '301 seconds' WHERE "userId" = ${mariaId}`;
  const fresh = await makeArticle(t.db);
  await ann.post(`/api/articles/${fresh.id}/presence`).send({});
  assert.equal(await t.db.presence.count({ where: { userId: mariaId } }), 0);
  assert.equal(await t.db.presence.count({ where: { articleId: fresh.id } }), 1);
});

test('presence is shared by app instances on one database', async () => {
  const a = await makeArticle(t.db);
  const app2 = createApp({ db: otherDb, config: t.config });
  const mariaOn2 = request.agent(app2);
  assert.equal((await mariaOn2.post('/api/auth/login').send({ username: 'maria', password: TEST_PASSWORD })).status, 200);
  await mariaOn2.post(`/api/articles/${a.id}/presence`).send({ editing: true });
  const seen = await ann.get(`/api/articles/${a.id}/presence`);
  assert.deepEqual(seen.body.map((p: { displayName: string; editing: boolean }) => [p.displayName, p.editing]), [['Maria', true]]);
});

test('a burst of heartbeats over stale rows neither fails nor deadlocks', async () => {
  const users = await Promise.all(Array.from({ length: 8 }, (_, i) => t.makeUser(`burst${i}`, 'editor')));
  const agents = await Promise.all(users.map((_, i) => t.loginAs(`burst${i}`)));
  const articles = await Promise.all([1, 2].map(() => makeArticle(t.db)));
  for (let round = 0; round < 5; round++) {
    // Every row is stale before each round, so every beat also prunes the others' rows.
    await t.db.$executeRaw`UPDATE presence SET "lastSeen" = now() - interval '10 minutes'`;
    const res = await Promise.all(agents.flatMap((ag) => articles.map((a) => ag.post(`/api/articles/${a.id}/presence`).send({ editing: round % 2 === 0 }))));
    assert.deepEqual([...new Set(res.map((r) => r.status))], [200], JSON.stringify(res.find((r) => r.status !== 200)?.body));
  }
  for (const a of articles) assert.equal(await t.db.presence.count({ where: { articleId: a.id } }), users.length);
});

test('bad requests: unknown article, bad body, anonymous', async () => {
  const missing = await maria.post('/api/articles/999999/presence').send({});
  assert.equal(missing.status, 404);
  assert.equal((await maria.get('/api/articles/999999/presence')).status, 404);
  const a = await makeArticle(t.db);
  const bad = await maria.post(`/api/articles/${a.id}/presence`).send({ editing: 'yes' });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /^editing: /);
  const extra = await maria.post(`/api/articles/${a.id}/presence`).send({ editing: true, who: 'x' });
  assert.equal(extra.status, 400);
  assert.equal((await request(t.app).get(`/api/articles/${a.id}/presence`)).status, 401);
  assert.equal(await t.db.auditEvent.count({ where: { entity: 'article', entityId: String(a.id) } }), 0, 'heartbeats are not audited');
});

test('an auditor reads the list but sends no heartbeat (read-only role)', async () => {
  const a = await makeArticle(t.db);
  const audrey = await t.loginAs('audrey');
  await maria.post(`/api/articles/${a.id}/presence`).send({ editing: true });
  assert.equal((await audrey.post(`/api/articles/${a.id}/presence`).send({})).status, 403);
  assert.deepEqual((await audrey.get(`/api/articles/${a.id}/presence`)).body.map((p: { displayName: string }) => p.displayName), ['Maria']);
});
