import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestContext, type TestContext } from '../helpers/app';
import { makeArticle } from '../helpers/factories';

let t: TestContext;
type Agent = Awaited<ReturnType<TestContext['loginAs']>>;
let editor: Agent;
let editor2: Agent;
let reviewer: Agent;
let auditor: Agent;
const ids: Record<string, number> = {};

before(async () => {
  t = await createTestContext();
  ids.edna = await t.makeUser('edna', 'editor');
  ids.emil = await t.makeUser('emil', 'editor');
  ids.rita = await t.makeUser('rita', 'reviewer');
  ids.audrey = await t.makeUser('audrey', 'auditor');
  editor = await t.loginAs('edna');
  editor2 = await t.loginAs('emil');
  reviewer = await t.loginAs('rita');
  auditor = await t.loginAs('audrey');
});
after(() => t.drop());

async function save(agent: Agent, id: number, body: Record<string, unknown>) {
  return agent.put(`/api/articles/${id}`).send(body);
}

describe('paragraph confirmations', () => {
  test('confirm, list for others, withdraw; each write audited', async () => {
    const a = await makeArticle(t.db, { title: 'Harbour reopens', paragraphs: ['The harbour reopened.', 'Boats returned.'] });
    const res = await editor.post(`/api/articles/${a.id}/confirmations`).send({ paragraphIndex: 0, confirmed: true, text: 'The harbour reopened.' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.total, 3);
    assert.deepEqual(res.body.confirmations.map((c: { paragraphIndex: number }) => c.paragraphIndex), [0]);
    await editor.post(`/api/articles/${a.id}/confirmations`).send({ paragraphIndex: -1, confirmed: true }).expect(200);

    const seen = await auditor.get(`/api/articles/${a.id}/confirmations`).expect(200);
    assert.deepEqual(seen.body.confirmations.map((c: { paragraphIndex: number; confirmedById: number }) => [c.paragraphIndex, c.confirmedById]), [[-1, ids.edna], [0, ids.edna]]);
    assert.equal(typeof seen.body.confirmations[0].confirmedByName, 'string');

    const withdrawn = await editor.post(`/api/articles/${a.id}/confirmations`).send({ paragraphIndex: 0, confirmed: false }).expect(200);
    assert.deepEqual(withdrawn.body.confirmations.map((c: { paragraphIndex: number }) => c.paragraphIndex), [-1]);

    const audit = await t.db.auditEvent.findMany({ where: { entity: 'article', entityId: String(a.id) }, orderBy: { id: 'asc' } });
    assert.deepEqual(audit.map((e) => [e.action, (e.data as { paragraphIndex: number }).paragraphIndex]), [['paragraph.confirm', 0], ['paragraph.confirm', -1], ['paragraph.unconfirm', 0]]);
  });

  test('a later change of the text clears the confirmation; changing it back restores it', async () => {
    const a = await makeArticle(t.db, { title: 'Vote', paragraphs: ['The council voted.', 'The motion passed.'] });
    await editor.post(`/api/articles/${a.id}/confirmations`).send({ paragraphIndex: 1, confirmed: true, text: 'The motion passed.' }).expect(200);
    await editor.post(`/api/articles/${a.id}/confirmations`).send({ paragraphIndex: -1, confirmed: true, text: 'Vote' }).expect(200);
    const s1 = await save(editor2, a.id, { version: a.version, title: 'Council vote', paragraphs: [{ index: 0, text: 'The council voted.' }, { index: 1, text: 'The motion passed narrowly.' }] });
    assert.equal(s1.status, 200, JSON.stringify(s1.body));
    assert.deepEqual((await editor.get(`/api/articles/${a.id}/confirmations`).expect(200)).body.confirmations, []);
    const s2 = await save(editor2, a.id, { version: s1.body.version, title: 'Council vote', paragraphs: [{ index: 0, text: 'The council voted.' }, { index: 1, text: 'The motion passed.' }] });
    assert.equal(s2.status, 200, JSON.stringify(s2.body));
    const back = await editor.get(`/api/articles/${a.id}/confirmations`).expect(200);
    assert.deepEqual(back.body.confirmations.map((c: { paragraphIndex: number }) => c.paragraphIndex), [1]);
  });

  test('confirming text that is no longer stored is refused and writes nothing', async () => {
    const a = await makeArticle(t.db, { paragraphs: ['One.', 'Two.'] });
    const res = await editor.post(`/api/articles/${a.id}/confirmations`).send({ paragraphIndex: 1, confirmed: true, text: 'Two!' });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'paragraph_changed');
    assert.equal(await t.db.paragraphConfirmation.count({ where: { articleId: a.id } }), 0);
    assert.equal(await t.db.auditEvent.count({ where: { entity: 'article', entityId: String(a.id) } }), 0);
  });

  test('bad input names the field; auditors may not confirm; archived articles refuse', async () => {
    const a = await makeArticle(t.db, { paragraphs: ['One.', 'Two.'] });
    const out = await editor.post(`/api/articles/${a.id}/confirmations`).send({ paragraphIndex: 2, confirmed: true });
    assert.equal(out.status, 400);
    assert.match(out.body.error.message, /^paragraphIndex: .*no paragraph 2/);
    const missing = await editor.post(`/api/articles/${a.id}/confirmations`).send({ paragraphIndex: 0 });
    assert.equal(missing.status, 400);
    assert.match(missing.body.error.message, /^confirmed: /);
    const extra = await editor.post(`/api/articles/${a.id}/confirmations`).send({ paragraphIndex: 0, confirmed: true, version: 3 });
    assert.equal(extra.status, 400);
    assert.equal((await auditor.post(`/api/articles/${a.id}/confirmations`).send({ paragraphIndex: 0, confirmed: true })).status, 403);
    assert.equal((await editor.post('/api/articles/999999/confirmations').send({ paragraphIndex: 0, confirmed: true })).status, 404);
    const archived = await makeArticle(t.db, { status: 'archived', paragraphs: ['Old.'] });
    const r = await editor.post(`/api/articles/${archived.id}/confirmations`).send({ paragraphIndex: 0, confirmed: true });
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, 'article_archived');
  });

  test('confirmations racing saves never lose a save, and a confirmation holds only for the text that stands', async () => {
    const a = await makeArticle(t.db, { paragraphs: ['Start.', 'Other.'] });
    let version = a.version;
    let text = 'Start.';
    for (let round = 0; round < 8; round++) {
      const next = `Start, round ${round}.`;
      const [confirm, saved] = await Promise.all([
        editor.post(`/api/articles/${a.id}/confirmations`).send({ paragraphIndex: 0, confirmed: true, text }),
        save(editor2, a.id, { version, paragraphs: [{ index: 0, text: next }, { index: 1, text: 'Other.' }] }),
      ]);
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      assert.ok(confirm.status === 200 || (confirm.status === 409 && confirm.body.error.code === 'paragraph_changed'), JSON.stringify(confirm.body));
      version = saved.body.version;
      text = next;
      const stored = await t.db.paragraph.findFirstOrThrow({ where: { articleId: a.id, position: 0 } });
      assert.equal(stored.text, next, 'the save was not lost');
      const list = await editor.get(`/api/articles/${a.id}/confirmations`).expect(200);
      assert.deepEqual(list.body.confirmations, [], 'a confirmation of the old text does not hold for the new one');
    }
    assert.equal((await t.db.article.findUniqueOrThrow({ where: { id: a.id } })).version, version);
    await editor.post(`/api/articles/${a.id}/confirmations`).send({ paragraphIndex: 0, confirmed: true, text }).expect(200);
  });
});

describe('approval gate', () => {
  async function inReview(paragraphs: string[]) {
    const a = await makeArticle(t.db, { paragraphs });
    const saved = await save(editor, a.id, { version: a.version, paragraphs: paragraphs.map((text, index) => ({ index, text })), title: `${a.title} (edited)` });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    const sub = await editor.post(`/api/articles/${a.id}/transitions`).send({ to: 'in_review', version: saved.body.version });
    assert.equal(sub.status, 200, JSON.stringify(sub.body));
    return { id: a.id, version: sub.body.version as number };
  }

  test('an open error blocks approval with 409 listing it; an override with a reason approves and is audited', async () => {
    // An unclosed bracket is an error finding.
    const a = await inReview(['The council met (at the town hall.', 'The vote was close.']);
    const blocked = await reviewer.post(`/api/articles/${a.id}/transitions`).send({ to: 'approved', version: a.version });
    assert.equal(blocked.status, 409, JSON.stringify(blocked.body));
    assert.equal(blocked.body.error.code, 'approval_blocked');
    assert.ok(blocked.body.error.details.openErrors.some((e: { paragraphIndex: number; check: string }) => e.paragraphIndex === 0 && e.check === 'brackets'));
    assert.equal((await t.db.article.findUniqueOrThrow({ where: { id: a.id } })).status, 'in_review');

    const blank = await reviewer.post(`/api/articles/${a.id}/transitions`).send({ to: 'approved', version: a.version, override: { reason: ' ' } });
    assert.equal(blank.status, 400);
    assert.match(blank.body.error.message, /^override\.reason: /);

    const ok = await reviewer.post(`/api/articles/${a.id}/transitions`).send({ to: 'approved', version: a.version, override: { reason: 'Quoted verbatim from the speech.' } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.status, 'approved');
    const ev = await t.db.auditEvent.findFirstOrThrow({ where: { entity: 'article', entityId: String(a.id), action: 'article.transition' }, orderBy: { id: 'desc' } });
    const data = ev.data as { to: string; override?: { reason: string; openErrors: number; openComments: number } };
    assert.equal(data.to, 'approved');
    assert.deepEqual(data.override, { reason: 'Quoted verbatim from the speech.', openErrors: blocked.body.error.details.openErrors.length, openComments: 0 });
  });

  test('an unresolved comment blocks approval until resolved; a clean approval records no override', async () => {
    const a = await inReview(['The harbour reopened on Tuesday.']);
    const c = await reviewer.post('/api/comments').send({ articleId: a.id, paragraphIndex: 0, body: 'Which Tuesday?' });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    const blocked = await reviewer.post(`/api/articles/${a.id}/transitions`).send({ to: 'approved', version: a.version });
    assert.equal(blocked.status, 409, JSON.stringify(blocked.body));
    assert.deepEqual(blocked.body.error.details.openComments.map((x: { id: number }) => x.id), [c.body.id]);
    assert.deepEqual(blocked.body.error.details.openErrors, []);
    await t.db.comment.update({ where: { id: c.body.id }, data: { resolved: true } });
    const ok = await reviewer.post(`/api/articles/${a.id}/transitions`).send({ to: 'approved', version: a.version, override: { reason: 'not needed' } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const ev = await t.db.auditEvent.findFirstOrThrow({ where: { entity: 'article', entityId: String(a.id), action: 'article.transition' }, orderBy: { id: 'desc' } });
    assert.equal((ev.data as { override?: unknown }).override, undefined);
  });
});
