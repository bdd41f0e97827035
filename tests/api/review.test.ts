import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestContext, type TestContext } from '../helpers/app';
import { makeArticle, paragraphTexts } from '../helpers/factories';

let t: TestContext;
type Agent = Awaited<ReturnType<TestContext['loginAs']>>;
let editor: Agent;
let reviewer: Agent;
let reviewer2: Agent;
const ids: Record<string, number> = {};

before(async () => {
  t = await createTestContext();
  ids.editor = await t.makeUser('maria', 'editor');
  ids.reviewer = await t.makeUser('rita', 'reviewer');
  ids.reviewer2 = await t.makeUser('rex', 'reviewer');
  await t.db.user.update({ where: { id: ids.editor }, data: { displayName: 'Maria' } });
  editor = await t.loginAs('maria');
  reviewer = await t.loginAs('rita');
  reviewer2 = await t.loginAs('rex');
});
after(() => t.drop());

const MT = ['The mayor opened the bridge on Monday.', 'Traffic was heavy in the morning.', 'Officials expect more visitors.'];

/** An article the editor edited (title and two paragraphs) and submitted: in review, and its version. */
async function submitted(title = 'Bridge opens') {
  const a = await makeArticle(t.db, { title, paragraphs: MT });
  const saved = await editor.put(`/api/articles/${a.id}`).send({
    title: `${title} today`,
    paragraphs: [
      { index: 0, text: 'The governor opened the new bridge on Monday.' },
      { index: 2, text: 'Officials expect many more visitors.' },
    ],
    version: a.version,
  });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  const sub = await editor.post(`/api/articles/${a.id}/transitions`).send({ to: 'in_review', version: saved.body.version });
  assert.equal(sub.status, 200, JSON.stringify(sub.body));
  return { id: a.id, version: sub.body.version as number, importRevisionId: a.revisionId };
}

interface ViewChange {
  id: string;
  del: string;
  ins: string;
}
const allChanges = (view: { title: { changes: ViewChange[] }; paragraphs: Array<{ changes: ViewChange[] }> }): ViewChange[] => [
  ...view.title.changes,
  ...view.paragraphs.flatMap((p) => p.changes),
];

test('the view since the last approval (the import when never approved) lists every change, with stable ids', async () => {
  const a = await submitted();
  const res = await reviewer.get(`/api/articles/${a.id}/review?since=approved`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.baseRevision.id, a.importRevisionId);
  assert.equal(res.body.baseRevision.number, 1);
  assert.equal(res.body.currentRevision.number, 2);
  assert.equal(res.body.currentRevision.authorName, 'Maria');
  assert.equal(res.body.version, a.version);
  const changes = allChanges(res.body);
  assert.deepEqual(
    changes.map((c) => [c.del, c.ins]),
    [
      ['', ' today'],
      ['mayor', 'governor'],
      ['', 'new '],
      ['', 'many '],
    ],
  );
  assert.equal(res.body.changeCount, 4);
  assert.equal(res.body.paragraphs[1].changes.length, 0, 'an unchanged paragraph has no changes');
  assert.deepEqual(res.body.editsDuringReview, []);
  const again = await reviewer.get(`/api/articles/${a.id}/review?since=approved`);
  assert.deepEqual(allChanges(again.body).map((c) => c.id), changes.map((c) => c.id));

  // Since the submission nothing changed yet.
  const sinceSub = await reviewer.get(`/api/articles/${a.id}/review?since=submitted`);
  assert.equal(sinceSub.status, 200);
  assert.equal(sinceSub.body.baseRevision.number, 2);
  assert.equal(sinceSub.body.changeCount, 0);

  const bad = await reviewer.get(`/api/articles/${a.id}/review?since=yesterday`);
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /^since: must be one of: submitted, approved/);
});

test('an article never submitted has no submission baseline', async () => {
  const a = await makeArticle(t.db, { paragraphs: MT });
  const res = await reviewer.get(`/api/articles/${a.id}/review?since=submitted`);
  assert.equal(res.status, 409);
  assert.equal(res.body.error.code, 'not_submitted');
});

test('an edit made during review is flagged with who made it, and the submission view shows only it', async () => {
  const a = await submitted('Edited in review');
  const edit = await editor.put(`/api/articles/${a.id}`).send({ paragraphs: [{ index: 1, text: 'Traffic was light in the morning.' }], version: a.version });
  assert.equal(edit.status, 200, JSON.stringify(edit.body));
  const res = await reviewer.get(`/api/articles/${a.id}/review?since=submitted`);
  assert.equal(res.status, 200);
  assert.equal(res.body.changeCount, 1);
  assert.deepEqual(res.body.paragraphs[1].changes.map((c: ViewChange) => [c.del, c.ins]), [['heavy', 'light']]);
  assert.equal(res.body.paragraphs[1].editedDuringReview, true);
  assert.equal(res.body.paragraphs[0].editedDuringReview, false);
  assert.equal(res.body.editsDuringReview.length, 1);
  assert.equal(res.body.editsDuringReview[0].authorName, 'Maria');
  assert.equal(res.body.editsDuringReview[0].number, 3);
  assert.equal(res.body.editsDuringReview[0].byYou, false);
});

test('accepting every change writes no revision and no status change, only the audit event', async () => {
  const a = await submitted('Accept all');
  const view = (await reviewer.get(`/api/articles/${a.id}/review?since=approved`)).body;
  const before = await t.db.revision.count({ where: { articleId: a.id } });
  const res = await reviewer.post(`/api/articles/${a.id}/review`).send({ since: 'approved', version: view.version, decisions: allChanges(view).map((c) => ({ changeId: c.id, decision: 'accept' })) });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.accepted, 4);
  assert.equal(res.body.revisionId, null);
  assert.equal(res.body.article.status, 'in_review');
  assert.equal(res.body.article.version, view.version, 'nothing about the article changed');
  assert.equal(await t.db.revision.count({ where: { articleId: a.id } }), before);
  const events = await t.db.auditEvent.findMany({ where: { action: 'article.review', entityId: String(a.id) } });
  assert.equal(events.length, 1);
  assert.deepEqual((events[0]!.data as { accepted: number; rejected: number }).rejected, 0);
});

test('rejecting some changes reverts exactly them in one revision, sends the article back and leaves the notes as comments', async () => {
  const a = await submitted('Reject some');
  const view = (await reviewer.get(`/api/articles/${a.id}/review?since=approved`)).body;
  const [titleChange, mayor, bridge, many] = allChanges(view);
  const res = await reviewer.post(`/api/articles/${a.id}/review`).send({
    since: 'approved',
    version: view.version,
    decisions: [
      { changeId: titleChange!.id, decision: 'accept' },
      { changeId: mayor!.id, decision: 'reject', note: 'It was the mayor, see the source.' },
      { changeId: bridge!.id, decision: 'accept' },
      { changeId: many!.id, decision: 'reject', note: 'Not in the source.' },
    ],
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.rejected, 2);
  assert.equal(res.body.accepted, 2);
  assert.equal(res.body.revisionNumber, 3);
  assert.equal(res.body.article.status, 'changes_requested');
  assert.equal(res.body.article.title, 'Reject some today');
  assert.deepEqual(await paragraphTexts(t.db, a.id), ['The mayor opened the new bridge on Monday.', MT[1], MT[2]]);

  const revs = await t.db.revision.findMany({ where: { articleId: a.id }, orderBy: { number: 'asc' } });
  assert.equal(revs.length, 3, 'one new revision');
  assert.equal(revs[2]!.kind, 'review');
  assert.equal(revs[2]!.authorId, ids.reviewer);
  const sc = await t.db.statusChange.findFirstOrThrow({ where: { articleId: a.id }, orderBy: { id: 'desc' } });
  assert.equal(sc.toStatus, 'changes_requested');
  assert.equal(sc.revisionId, revs[2]!.id);
  assert.match(sc.note ?? '', /It was the mayor/);

  const comments = await editor.get(`/api/comments?filter=${encodeURIComponent(JSON.stringify({ articleId: a.id }))}`);
  assert.equal(comments.status, 200);
  const bodies = (comments.body as Array<{ paragraphIndex: number; body: string; authorId: number }>).map((c) => [c.paragraphIndex, c.body, c.authorId]);
  assert.deepEqual(bodies, [
    [0, 'Review: rejected a change and restored “mayor” in place of “governor”. It was the mayor, see the source.', ids.reviewer],
    [2, 'Review: rejected a change and removed the insertion “many ”. Not in the source.', ids.reviewer],
  ]);
  const events = await t.db.auditEvent.findMany({ where: { entity: 'article', entityId: String(a.id), action: { in: ['article.review', 'article.save', 'article.transition', 'comment.create'] } }, orderBy: { id: 'asc' } });
  const review = events.filter((e) => e.action === 'article.review');
  assert.equal(review.length, 1);
  const data = review[0]!.data as { revisionId: number; rejectedChanges: string[]; statusTo: string; commentIds: number[] };
  assert.equal(data.revisionId, revs[2]!.id);
  assert.deepEqual(data.rejectedChanges, [mayor!.id, many!.id]);
  assert.equal(data.commentIds.length, 2);

  // The editor takes the notes in and resolves them: the approval gate refuses open comments.
  for (const id of data.commentIds) {
    const rec = (await editor.get(`/api/comments/${id}`)).body;
    assert.equal((await editor.put(`/api/comments/${id}`).send({ ...rec, resolved: true })).status, 200);
  }
  // The reviewer who reverted text chose it: the four-eyes rule leaves approval of the next round to another reviewer.
  const resub = await editor.post(`/api/articles/${a.id}/transitions`).send({ to: 'in_review', version: res.body.article.version });
  assert.equal(resub.status, 200, JSON.stringify(resub.body));
  const own = await reviewer.post(`/api/articles/${a.id}/transitions`).send({ to: 'approved', version: resub.body.version, revisionId: revs[2]!.id });
  assert.equal(own.status, 403);
  assert.equal(own.body.error.code, 'four_eyes');
  const other = await reviewer2.post(`/api/articles/${a.id}/transitions`).send({ to: 'approved', version: resub.body.version, revisionId: revs[2]!.id });
  assert.equal(other.status, 200, JSON.stringify(other.body));
  assert.equal(other.body.approvedRevisionId, revs[2]!.id);
});

test('a rejection without a note is refused naming the change, and nothing is written', async () => {
  const a = await submitted('Missing note');
  const view = (await reviewer.get(`/api/articles/${a.id}/review?since=approved`)).body;
  const changes = allChanges(view);
  const decisions = changes.map((c, i) => ({ changeId: c.id, decision: i === 1 ? 'reject' : 'accept', note: i === 1 ? '   ' : undefined }));
  const res = await reviewer.post(`/api/articles/${a.id}/review`).send({ since: 'approved', version: view.version, decisions });
  assert.equal(res.status, 400);
  assert.equal(res.body.error.code, 'note_required');
  assert.equal(res.body.error.message, `decisions.1.note: rejecting change ${changes[1]!.id} needs a note telling the editor why.`);
  assert.equal(await t.db.revision.count({ where: { articleId: a.id } }), 2);
  assert.equal(await t.db.comment.count({ where: { articleId: a.id } }), 0);

  const partial = await reviewer.post(`/api/articles/${a.id}/review`).send({ since: 'approved', version: view.version, decisions: decisions.slice(2) });
  assert.equal(partial.status, 400);
  assert.equal(partial.body.error.code, 'undecided_changes');
  assert.deepEqual(partial.body.error.details.undecided, [changes[0]!.id, changes[1]!.id]);

  const unknown = await reviewer.post(`/api/articles/${a.id}/review`).send({ since: 'approved', version: view.version, decisions: [{ changeId: 'p0.9-00000000', decision: 'accept' }] });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error.code, 'unknown_change');

  const asEditor = await editor.post(`/api/articles/${a.id}/review`).send({ since: 'approved', version: view.version, decisions: [] });
  assert.equal(asEditor.status, 403);
});

test('a review of a stale view is refused with 409 naming who changed the article', async () => {
  const a = await submitted('Stale review');
  const view = (await reviewer.get(`/api/articles/${a.id}/review?since=approved`)).body;
  const edit = await editor.put(`/api/articles/${a.id}`).send({ paragraphs: [{ index: 1, text: 'Traffic was light.' }], version: view.version });
  assert.equal(edit.status, 200);
  const res = await reviewer.post(`/api/articles/${a.id}/review`).send({
    since: 'approved',
    version: view.version,
    decisions: allChanges(view).map((c) => ({ changeId: c.id, decision: 'reject', note: 'no' })),
  });
  assert.equal(res.status, 409);
  assert.equal(res.body.error.code, 'version_conflict');
  assert.match(res.body.error.message, /Edited by Maria at \d\d:\d\d:\d\d UTC \(revision 3\)\./);
  assert.equal(res.body.error.details.changedBy[0].authorName, 'Maria');
  assert.equal(await t.db.revision.count({ where: { articleId: a.id } }), 3);
});

test('approval names the revision the reviewer saw: a newer revision answers 409 with its number', async () => {
  const a = await submitted('Approve exact');
  const seen = (await reviewer.get(`/api/articles/${a.id}/review?since=approved`)).body.currentRevision;
  const edit = await editor.put(`/api/articles/${a.id}`).send({ paragraphs: [{ index: 1, text: 'Traffic was light.' }], version: a.version });
  assert.equal(edit.status, 200);
  // Even with the current version, the revision seen is not the current one.
  const res = await reviewer.post(`/api/articles/${a.id}/transitions`).send({ to: 'approved', version: edit.body.version, revisionId: seen.id });
  assert.equal(res.status, 409);
  assert.equal(res.body.error.code, 'revision_changed');
  assert.match(res.body.error.message, /changed since you opened it: you reviewed revision 2, the current revision is 3\. Since then: Maria at .* \(revision 3\)\./);
  assert.equal(res.body.error.details.currentRevisionNumber, 3);
  assert.equal((await t.db.article.findUniqueOrThrow({ where: { id: a.id } })).status, 'in_review');

  const foreign = await makeArticle(t.db, { paragraphs: MT });
  const wrong = await reviewer.post(`/api/articles/${a.id}/transitions`).send({ to: 'approved', version: edit.body.version, revisionId: foreign.revisionId });
  assert.equal(wrong.status, 404);

  const ok = await reviewer.post(`/api/articles/${a.id}/transitions`).send({ to: 'approved', version: edit.body.version, revisionId: edit.body.currentRevisionId });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.approvedRevisionId, edit.body.currentRevisionId);
});

test('a burst of reviews of one view writes one revision at most', async () => {
  const a = await submitted('Burst');
  const view = (await reviewer.get(`/api/articles/${a.id}/review?since=approved`)).body;
  const decisions = allChanges(view).map((c) => ({ changeId: c.id, decision: 'reject', note: 'Keep the MT.' }));
  const results = await Promise.all(Array.from({ length: 6 }, () => reviewer.post(`/api/articles/${a.id}/review`).send({ since: 'approved', version: view.version, decisions })));
  assert.deepEqual(results.map((r) => r.status).sort(), [200, 409, 409, 409, 409, 409]);
  assert.equal(await t.db.revision.count({ where: { articleId: a.id, kind: 'review' } }), 1);
  assert.equal(await t.db.comment.count({ where: { articleId: a.id } }), 4);
  assert.equal(await t.db.auditEvent.count({ where: { action: 'article.review', entityId: String(a.id) } }), 1);
  const art = await t.db.article.findUniqueOrThrow({ where: { id: a.id } });
  assert.equal(art.title, 'Burst');
  assert.deepEqual(await paragraphTexts(t.db, a.id), MT);
});
