import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestContext, type TestContext } from '../helpers/app';
import { makeArticle, type MadeArticle } from '../helpers/factories';

let t: TestContext;
type Agent = Awaited<ReturnType<TestContext['loginAs']>>;
let editor: Agent;
let reviewer: Agent;
let auditor: Agent;
let editorId: number;
let reviewerId: number;
let auditorId: number;
let a: MadeArticle;

before(async () => {
  t = await createTestContext();
  editorId = await t.makeUser('edna', 'editor');
  reviewerId = await t.makeUser('rita', 'reviewer');
  auditorId = await t.makeUser('audrey', 'auditor');
  editor = await t.loginAs('edna');
  reviewer = await t.loginAs('rita');
  auditor = await t.loginAs('audrey');
  a = await makeArticle(t.db, { paragraphs: ['One.', 'Two.', 'Three.'] });
});
after(() => t.drop());

const auditOf = (entity: string, id: number) => t.db.auditEvent.findMany({ where: { entity, entityId: String(id) }, orderBy: { id: 'asc' } });

describe('comments', () => {
  let commentId: number;

  test('POST creates a paragraph comment (201), audited comment.create', async () => {
    const res = await reviewer.post('/api/comments').send({ articleId: a.id, paragraphIndex: 2, body: '  Check this figure.  ' });
    assert.equal(res.status, 201);
    commentId = res.body.id;
    const { createdAt, ...rest } = res.body;
    assert.ok(createdAt);
    assert.deepEqual(rest, {
      id: commentId,
      articleId: a.id,
      paragraphIndex: 2,
      body: 'Check this figure.',
      authorId: reviewerId,
      authorName: 'Rita',
      resolved: false,
      resolvedById: null,
      resolvedByName: null,
      resolvedAt: null,
    });
    const ev = await auditOf('comment', commentId);
    assert.deepEqual(ev.map((e) => [e.action, e.actorId]), [['comment.create', reviewerId]]);
    assert.deepEqual(ev[0].data, { articleId: a.id, paragraphIndex: 2 });
    const whole = await editor.post('/api/comments').send({ articleId: a.id, body: 'General remark.' });
    assert.equal(whole.status, 201);
    assert.equal(whole.body.paragraphIndex, null);
  });

  test('bad comments answer 400 naming the field and write nothing', async () => {
    const before = await t.db.comment.count();
    const auditBefore = await t.db.auditEvent.count();
    const cases: Array<[object, RegExp]> = [
      [{ articleId: a.id, paragraphIndex: 3, body: 'x' }, /^paragraphIndex: article \d+ has 3 paragraphs \(indexes 0–2\)/],
      [{ articleId: a.id, paragraphIndex: -1, body: 'x' }, /^paragraphIndex:/],
      [{ articleId: a.id, body: '   ' }, /^body: must not be empty/],
      [{ articleId: 999999, body: 'x' }, /^articleId: article 999999 does not exist/],
      [{ body: 'x' }, /^articleId:/],
    ];
    for (const [body, message] of cases) {
      const res = await editor.post('/api/comments').send(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(res.body.error.message, message);
    }
    assert.equal(await t.db.comment.count(), before);
    assert.equal(await t.db.auditEvent.count(), auditBefore);
  });

  test('resolve and reopen through PUT with the whole record; each audited', async () => {
    const rec = (await editor.get(`/api/comments/${commentId}`)).body;
    const res = await editor.put(`/api/comments/${commentId}`).send({ ...rec, resolved: true, authorId: editorId, articleId: 12345 });
    assert.equal(res.status, 200);
    assert.equal(res.body.resolved, true);
    assert.equal(res.body.resolvedById, editorId);
    assert.equal(res.body.resolvedByName, 'Edna');
    assert.ok(res.body.resolvedAt);
    // Fields other than resolved/body are ignored.
    assert.equal(res.body.authorId, reviewerId);
    assert.equal(res.body.articleId, a.id);
    const reopen = await reviewer.put(`/api/comments/${commentId}`).send({ ...res.body, resolved: false });
    assert.equal(reopen.body.resolved, false);
    assert.equal(reopen.body.resolvedById, null);
    assert.equal(reopen.body.resolvedAt, null);
    const actions = (await auditOf('comment', commentId)).map((e) => [e.action, e.actorId]);
    assert.deepEqual(actions, [
      ['comment.create', reviewerId],
      ['comment.resolve', editorId],
      ['comment.reopen', reviewerId],
    ]);
  });

  test('only the author edits the body: others get 403 (audited permission.denied) and nothing changes', async () => {
    const denied = await editor.put(`/api/comments/${commentId}`).send({ body: 'Rewritten by someone else.' });
    assert.equal(denied.status, 403);
    assert.match(denied.body.error.message, /Only the author of a comment can change its text/);
    assert.equal((await t.db.comment.findUniqueOrThrow({ where: { id: commentId } })).body, 'Check this figure.');
    const ev = (await auditOf('comment', commentId)).at(-1)!;
    assert.equal(ev.action, 'permission.denied');
    assert.equal(ev.actorId, editorId);
    const ok = await reviewer.put(`/api/comments/${commentId}`).send({ body: 'Check this figure against the source.' });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.body, 'Check this figure against the source.');
    assert.equal((await auditOf('comment', commentId)).at(-1)!.action, 'comment.edit');
    // Sending the unchanged body (react-admin sends the whole record) is not an edit.
    const resend = await editor.put(`/api/comments/${commentId}`).send({ ...ok.body, resolved: true });
    assert.equal(resend.status, 200);
    assert.equal(resend.body.resolved, true);
  });

  test('list filters: articleId, paragraphIndex (null = whole article), resolved, id', async () => {
    const other = await makeArticle(t.db);
    await editor.post('/api/comments').send({ articleId: other.id, paragraphIndex: 0, body: 'Elsewhere.' });
    const all = await auditor.get('/api/comments').query({ filter: JSON.stringify({ articleId: a.id }) });
    assert.equal(all.status, 200);
    assert.equal(all.headers['content-range'], 'comments 0-1/2');
    assert.deepEqual(all.body.map((c: { body: string }) => c.body), ['Check this figure against the source.', 'General remark.']);
    const para = await auditor.get('/api/comments').query({ filter: JSON.stringify({ articleId: a.id, paragraphIndex: 2 }) });
    assert.deepEqual(para.body.map((c: { id: number }) => c.id), [commentId]);
    const general = await auditor.get('/api/comments').query({ filter: JSON.stringify({ articleId: a.id, paragraphIndex: null }) });
    assert.deepEqual(general.body.map((c: { body: string }) => c.body), ['General remark.']);
    const open = await auditor.get('/api/comments').query({ filter: JSON.stringify({ articleId: a.id, resolved: false }) });
    assert.deepEqual(open.body.map((c: { body: string }) => c.body), ['General remark.']);
    const byId = await auditor.get('/api/comments').query({ filter: JSON.stringify({ id: [commentId] }) });
    assert.equal(byId.body.length, 1);
    const bad = await auditor.get('/api/comments').query({ filter: JSON.stringify({ author: 1 }) });
    assert.equal(bad.status, 400);
    assert.equal((await auditor.get('/api/comments/999999')).status, 404);
  });
});

describe('auditors read everything and write nothing', () => {
  test('every write route answers 403 to an auditor, audited as permission.denied, with nothing written', async () => {
    const b = await makeArticle(t.db, { status: 'in_review', paragraphs: ['Auditors never change this.'] });
    const c = await t.db.comment.create({ data: { articleId: b.id, body: 'Note.', authorId: editorId } });
    const snapshot = async () => ({
      article: await t.db.article.findUniqueOrThrow({ where: { id: b.id }, include: { paragraphs: true } }),
      revisions: await t.db.revision.count(),
      statusChanges: await t.db.statusChange.count(),
      comments: await t.db.comment.findMany({ orderBy: { id: 'asc' } }),
    });
    const before = await snapshot();
    const deniedBefore = await t.db.auditEvent.count({ where: { action: 'permission.denied', actorId: auditorId } });
    const attempts: Array<[string, () => Promise<{ status: number; body: { error: { message: string } } }>]> = [
      ['PUT /api/articles/:id', () => auditor.put(`/api/articles/${b.id}`).send({ version: 1, paragraphs: [{ index: 0, text: 'Changed.' }] })],
      ['PUT /api/articles/:id', () => auditor.put(`/api/articles/${b.id}`).send({ assigneeId: auditorId })],
      ['POST /api/articles/:id/transitions', () => auditor.post(`/api/articles/${b.id}/transitions`).send({ to: 'approved', version: 1 })],
      ['POST /api/articles/:id/restore', () => auditor.post(`/api/articles/${b.id}/restore`).send({ revisionId: b.revisionId, version: 1 })],
      ['POST /api/comments', () => auditor.post('/api/comments').send({ articleId: b.id, body: 'Auditor note.' })],
      ['PUT /api/comments/:id', () => auditor.put(`/api/comments/${c.id}`).send({ resolved: true })],
    ];
    for (const [route, attempt] of attempts) {
      const res = await attempt();
      assert.equal(res.status, 403, route);
      assert.match(res.body.error.message, /Your role \(auditor\) does not allow this/);
      const ev = await t.db.auditEvent.findFirstOrThrow({ where: { action: 'permission.denied', actorId: auditorId }, orderBy: { id: 'desc' } });
      assert.equal(ev.entityId, route);
    }
    assert.equal(await t.db.auditEvent.count({ where: { action: 'permission.denied', actorId: auditorId } }), deniedBefore + attempts.length);
    assert.deepEqual(await snapshot(), before);
    // …while reads work.
    assert.equal((await auditor.get(`/api/articles/${b.id}`)).status, 200);
    assert.equal((await auditor.get('/api/articles')).status, 200);
    assert.equal((await auditor.get('/api/stats/summary')).status, 200);
  });
});
