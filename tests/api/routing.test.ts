import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { createTestContext, type TestContext } from '../helpers/app';
import { makeArticle } from '../helpers/factories';

// Work routing on a real database: a save claims an unassigned article for
// its author, "changes requested" hands the article back to its last editor,
// and My queue (assigneeId=me) then lists it.

let t: TestContext;
type Agent = Awaited<ReturnType<TestContext['loginAs']>>;
const ids: Record<string, number> = {};
let ann: Agent;
let bob: Agent;
let rita: Agent;
let ada: Agent;

before(async () => {
  t = await createTestContext({ COPYDESK_DB_POOL_SIZE: '12' });
  ids.ann = await t.makeUser('ann', 'editor');
  ids.bob = await t.makeUser('bob', 'editor');
  ids.rita = await t.makeUser('rita', 'reviewer');
  ids.ada = await t.makeUser('ada', 'admin');
  [ann, bob, rita, ada] = await Promise.all(['ann', 'bob', 'rita', 'ada'].map((u) => t.loginAs(u)));
});
after(() => t.drop());

async function save(agent: Agent, id: number, version: number, text: string) {
  return agent.put(`/api/articles/${id}`).send({ paragraphs: [{ index: 0, text }], version });
}

async function myQueue(agent: Agent): Promise<number[]> {
  const res = await agent.get('/api/articles').query({ filter: JSON.stringify({ assigneeId: 'me' }), range: '[0,999]' });
  assert.equal(res.status, 200);
  return (res.body as Array<{ id: number }>).map((a) => a.id);
}

test('saving an unassigned article assigns it to the saver, in the same revision and audit event', async () => {
  const a = await makeArticle(t.db, { paragraphs: ['The bridge opened today.'] });
  const res = await save(ann, a.id, a.version, 'The bridge opened on Monday.');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.assigneeId, ids.ann);
  assert.equal(res.body.assigneeName, 'Ann');
  assert.equal(res.body.version, a.version + 1, 'the claim is part of the save, not a second write');
  const row = await t.db.article.findUniqueOrThrow({ where: { id: a.id } });
  assert.equal(row.assigneeId, ids.ann);
  const events = await t.db.auditEvent.findMany({ where: { entity: 'article', entityId: String(a.id) } });
  assert.deepEqual(events.map((e) => e.action), ['article.save']);
  const data = events[0].data as Record<string, unknown>;
  assert.equal(data.assigneeFrom, null);
  assert.equal(data.assigneeTo, ids.ann);
  assert.equal(data.claimedOnSave, true);
  assert.ok((await myQueue(ann)).includes(a.id), 'My queue lists it');
});

test('saving an article assigned to someone else keeps their assignment', async () => {
  const a = await makeArticle(t.db, { paragraphs: ['The port closed early.'], assigneeId: ids.bob, status: 'in_edit' });
  const res = await save(rita, a.id, a.version, 'The port shut early.');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.assigneeId, ids.bob);
  const [e] = await t.db.auditEvent.findMany({ where: { entity: 'article', entityId: String(a.id) } });
  assert.equal((e.data as Record<string, unknown>).assigneeTo, undefined);
});

test('restoring a revision of an unassigned article claims it too; a bulk replace never does', async () => {
  const a = await makeArticle(t.db, { paragraphs: ['Routing restore zebra text.'] });
  await t.db.article.update({ where: { id: a.id }, data: { assigneeId: ids.ann } });
  // Set directly (no version bump), so the save below keeps ann and the restore is what meets an unassigned article.
  const saved = await save(ann, a.id, a.version, 'Routing restore zebra text, edited.');
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  await t.db.article.update({ where: { id: a.id }, data: { assigneeId: null } });
  const restored = await bob.post(`/api/articles/${a.id}/restore`).send({ revisionId: a.revisionId, version: saved.body.version });
  assert.equal(restored.status, 200, JSON.stringify(restored.body));
  assert.equal(restored.body.assigneeId, ids.bob);

  const b = await makeArticle(t.db, { paragraphs: ['Routing bulk quokka text.'] });
  const bulk = await ada.post('/api/bulk-replace/apply').send({ find: 'quokka', replace: 'wombat', articles: [{ id: b.id, version: b.version }] });
  assert.equal(bulk.status, 200, JSON.stringify(bulk.body));
  const row = await t.db.article.findUniqueOrThrow({ where: { id: b.id } });
  assert.equal(row.revisionCount, 2, 'the bulk replace wrote its revision');
  assert.equal(row.assigneeId, null, 'a bulk replace leaves the article unassigned');
});

test('"changes requested" returns the article to its last editor, audited with the transition, and it shows in their queue', async () => {
  const a = await makeArticle(t.db, { paragraphs: ['The mayor spoke.'] });
  const s1 = await save(ann, a.id, a.version, 'The mayor spoke briefly.');
  assert.equal(s1.status, 200);
  // Bob takes over and edits: he is now the last editor. Then the article goes to review, assigned to the reviewer.
  const give = await rita.put(`/api/articles/${a.id}`).send({ assigneeId: ids.bob });
  assert.equal(give.status, 200, JSON.stringify(give.body));
  const s2 = await save(bob, a.id, give.body.version, 'The mayor spoke briefly on Monday.');
  assert.equal(s2.status, 200);
  const sub = await bob.post(`/api/articles/${a.id}/transitions`).send({ to: 'in_review', version: s2.body.version });
  assert.equal(sub.status, 200, JSON.stringify(sub.body));
  const take = await rita.put(`/api/articles/${a.id}`).send({ assigneeId: ids.rita });
  assert.equal(take.status, 200);
  const rc = await rita.post(`/api/articles/${a.id}/transitions`).send({ to: 'changes_requested', note: 'Add the venue.', version: take.body.version });
  assert.equal(rc.status, 200, JSON.stringify(rc.body));
  assert.equal(rc.body.assigneeId, ids.bob);
  assert.equal(rc.body.assigneeName, 'Bob');
  const [ev] = await t.db.auditEvent.findMany({ where: { entity: 'article', entityId: String(a.id), action: 'article.transition' }, orderBy: { id: 'desc' }, take: 1 });
  assert.deepEqual([(ev.data as Record<string, unknown>).assigneeFrom, (ev.data as Record<string, unknown>).assigneeTo], [ids.rita, ids.bob]);
  assert.ok((await myQueue(bob)).includes(a.id));
  assert.ok(!(await myQueue(rita)).includes(a.id));
});

test('"changes requested" leaves the assignee alone when the last editor is disabled or there is no human edit', async () => {
  const cid = await t.makeUser('cid', 'editor');
  const cidAgent = await t.loginAs('cid');
  const a = await makeArticle(t.db, { paragraphs: ['The ferry left late.'] });
  const s = await save(cidAgent, a.id, a.version, 'The ferry left an hour late.');
  const sub = await cidAgent.post(`/api/articles/${a.id}/transitions`).send({ to: 'in_review', version: s.body.version });
  assert.equal(sub.status, 200);
  await t.db.user.update({ where: { id: cid }, data: { disabled: true } });
  const rc = await rita.post(`/api/articles/${a.id}/transitions`).send({ to: 'changes_requested', note: 'Check the time.', version: sub.body.version });
  assert.equal(rc.status, 200, JSON.stringify(rc.body));
  assert.equal(rc.body.assigneeId, cid, 'unchanged (it was cid by claim), not moved to someone who cannot edit');

  const b = await makeArticle(t.db, { paragraphs: ['Untouched MT.'], status: 'in_review', assigneeId: ids.rita });
  const rc2 = await rita.post(`/api/articles/${b.id}/transitions`).send({ to: 'changes_requested', note: 'Edit it first.', version: b.version });
  assert.equal(rc2.status, 200, JSON.stringify(rc2.body));
  assert.equal(rc2.body.assigneeId, ids.rita, 'no human-authored revision: the assignee stays');
});

test('two editors saving an unassigned article at once: exactly one wins and becomes the assignee', async () => {
  const server: Server = t.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const racers = await Promise.all(
      ['ann', 'bob', 'rita', 'ada'].map(async (u) => {
        const agent = request.agent(base);
        const res = await agent.post('/api/auth/login').send({ username: u, password: 'correct horse battery' });
        assert.equal(res.status, 200);
        return { u, agent };
      }),
    );
    for (let round = 0; round < 8; round++) {
      const a = await makeArticle(t.db, { paragraphs: [`Race round ${round} text.`] });
      const results = await Promise.all(racers.map(({ u, agent }) => agent.put(`/api/articles/${a.id}`).send({ paragraphs: [{ index: 0, text: `Race round ${round} text, by ${u}.` }], version: a.version })));
      const winners = results.map((r, i) => ({ r, u: racers[i].u })).filter(({ r }) => r.status === 200);
      assert.equal(winners.length, 1, `round ${round}: ${results.map((r) => r.status).join(',')}`);
      assert.ok(results.every((r) => r.status === 200 || r.status === 409));
      const row = await t.db.article.findUniqueOrThrow({ where: { id: a.id } });
      const [rev] = await t.db.revision.findMany({ where: { articleId: a.id, number: 2 } });
      assert.equal(row.assigneeId, ids[winners[0].u], 'the assignee is the winner of the version check');
      assert.equal(rev.authorId, ids[winners[0].u]);
      assert.equal(row.version, a.version + 1);
      const losers = results.filter((r) => r.status === 409);
      for (const l of losers) {
        assert.equal(l.body.error.details.current.assigneeId, ids[winners[0].u]);
        assert.equal(l.body.error.details.by.id, ids[winners[0].u], 'the conflict names the editor whose save won');
      }
    }
  } finally {
    await new Promise((r) => server.close(r));
  }
});

test('a 409 names the author of the winning revision, and nobody when only the assignment moved', async () => {
  const a = await makeArticle(t.db, { paragraphs: ['The train was late.'] });
  assert.equal((await save(bob, a.id, a.version, 'The train was very late.')).status, 200);
  const late = await save(ann, a.id, a.version, 'The train was late again.');
  assert.equal(late.status, 409);
  assert.deepEqual(late.body.error.details.by, { id: ids.bob, name: 'Bob' });
  assert.match(late.body.error.message, /Bob saved it/);

  const b = await makeArticle(t.db, { paragraphs: ['The bus was early.'] });
  assert.equal((await rita.put(`/api/articles/${b.id}`).send({ assigneeId: ids.rita })).status, 200);
  const stale = await save(ann, b.id, b.version, 'The bus was early today.');
  assert.equal(stale.status, 409);
  assert.equal(stale.body.error.details.by, null);
});
