import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestContext, type TestContext } from '../helpers/app';
import { makeArticle } from '../helpers/factories';

let t: TestContext;
let editorId: number;
let editor2Id: number;
let reviewerId: number;
let auditorId: number;
type Agent = Awaited<ReturnType<TestContext['loginAs']>>;
let editor: Agent;
let editor2: Agent;
let reviewer: Agent;

before(async () => {
  t = await createTestContext();
  editorId = await t.makeUser('edna', 'editor');
  editor2Id = await t.makeUser('eddie', 'editor');
  reviewerId = await t.makeUser('rita', 'reviewer');
  auditorId = await t.makeUser('audrey', 'auditor');
  await t.makeUser('dora', 'editor', { disabled: true });
  editor = await t.loginAs('edna');
  editor2 = await t.loginAs('eddie');
  reviewer = await t.loginAs('rita');
});
after(() => t.drop());

async function counts(articleId: number) {
  const [rev, sc, audit, art] = await Promise.all([
    t.db.revision.count({ where: { articleId } }),
    t.db.statusChange.count({ where: { articleId } }),
    t.db.auditEvent.count({ where: { entity: 'article', entityId: String(articleId), action: { not: 'permission.denied' } } }),
    t.db.article.findUniqueOrThrow({ where: { id: articleId }, select: { version: true, status: true, title: true, assigneeId: true } }),
  ]);
  return { rev, sc, audit, ...art };
}

describe('GET /api/articles/:id', () => {
  test('answers the full record: row fields, paragraphs, latest stats, allowed transitions and the approval check', async () => {
    const a = await makeArticle(t.db, { title: 'Harbour reopens', paragraphs: [{ mt: 'The harbour reopens today.', source: 'Le port rouvre aujourd’hui.' }, 'Boats wait outside.'] });
    const res = await editor.get(`/api/articles/${a.id}`);
    assert.equal(res.status, 200);
    const r = res.body;
    assert.equal(r.id, a.id);
    assert.equal(r.title, 'Harbour reopens');
    assert.equal(r.mtTitle, 'Harbour reopens');
    assert.equal(r.status, 'mt_draft');
    assert.equal(r.version, 1);
    assert.equal(r.revisionCount, 1);
    assert.equal(r.currentRevisionId, a.revisionId);
    assert.equal(r.assigneeId, null);
    assert.equal(r.assigneeName, null);
    assert.equal(r.mtWordCount, 9); // 5 + 4 tokens, the full stops included
    assert.equal(r.wordCount, 9);
    assert.deepEqual(r.paragraphs, [
      { index: 0, mt: 'The harbour reopens today.', text: 'The harbour reopens today.', source: 'Le port rouvre aujourd’hui.', codes: null, meta: null },
      { index: 1, mt: 'Boats wait outside.', text: 'Boats wait outside.', source: null, codes: null, meta: null },
    ]);
    assert.deepEqual(r.stats, { mtWords: 9, words: 9, inserted: 0, deleted: 0, substituted: 0, editDistance: 0, editRate: 0, paragraphsChanged: 0 });
    assert.deepEqual(r.allowedTransitions, []);
    assert.equal(r.approval.allowed, false);
    assert.match(r.approval.reason, /from mt_draft to approved/);
    for (const k of ['externalId', 'importBatchId', 'approvedRevisionId', 'sourceLang', 'targetLang', 'publishedAt', 'createdAt', 'updatedAt', 'sourceTitle', 'approvedAt', 'approvedById', 'approvedByName', 'exportedAt']) {
      assert.ok(k in r, `record has ${k}`);
    }
  });

  test('404 for an article that does not exist, 400 for an id that cannot be one', async () => {
    const a = await editor.get('/api/articles/999999');
    assert.equal(a.status, 404);
    assert.match(a.body.error.message, /Article 999999 does not exist/);
    const b = await editor.get('/api/articles/abc');
    assert.equal(b.status, 400);
    assert.equal(b.body.error.code, 'invalid_id');
  });

  test('anonymous callers get 401', async () => {
    const a = await makeArticle(t.db);
    const { default: request } = await import('supertest');
    const res = await request(t.app).get(`/api/articles/${a.id}`);
    assert.equal(res.status, 401);
  });
});

describe('PUT /api/articles/:id (save)', () => {
  test('a save writes the paragraph, a revision with hand-checked diff statistics, the status change and one audit event', async () => {
    const a = await makeArticle(t.db, { paragraphs: ['Our city will strike hard against illegal fishing', 'Second paragraph stays.'] });
    const get = await editor.get(`/api/articles/${a.id}`);
    // react-admin sends the whole record back, with edited text.
    const record = { ...get.body, paragraphs: get.body.paragraphs.map((p: { index: number; text: string }) => (p.index === 0 ? { ...p, text: 'The city will crack down on illegal fishing' } : p)), note: 'idiom' };
    const res = await editor.put(`/api/articles/${a.id}`).send(record);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.version, 2);
    assert.equal(res.body.revisionCount, 2);
    assert.equal(res.body.status, 'in_edit');
    assert.equal(res.body.paragraphs[0].text, 'The city will crack down on illegal fishing');
    assert.equal(res.body.paragraphs[0].mt, 'Our city will strike hard against illegal fishing');
    // 8 + 4 MT tokens; "Our"→"The" and "strike hard against"→"crack down on" are 4 substitutions: 4/12.
    assert.deepEqual(res.body.stats, { mtWords: 12, words: 12, inserted: 0, deleted: 0, substituted: 4, editDistance: 4, editRate: 0.3333, paragraphsChanged: 1 });
    assert.equal(res.body.editRate, 0.3333);

    const rev = await t.db.revision.findUniqueOrThrow({ where: { articleId_number: { articleId: a.id, number: 2 } } });
    assert.equal(rev.id, res.body.currentRevisionId);
    assert.equal(rev.kind, 'edit');
    assert.equal(rev.authorId, editorId);
    assert.equal(rev.articleVersion, 2);
    assert.equal(rev.note, 'idiom');
    assert.deepEqual(rev.paragraphs, ['The city will crack down on illegal fishing', 'Second paragraph stays.']);
    assert.equal(rev.wordsSubstituted, 4);
    assert.equal(rev.wordsInserted, 0);
    assert.equal(rev.wordsDeleted, 0);
    const diffs = rev.diffs as { paragraphs: Array<{ mt: unknown; prev: unknown }> };
    const expectedParts = [
      { op: 'del', text: 'Our' },
      { op: 'ins', text: 'The' },
      { op: 'eq', text: ' city will ' },
      { op: 'del', text: 'strike hard against' },
      { op: 'ins', text: 'crack down on' },
      { op: 'eq', text: ' illegal fishing' },
    ];
    assert.deepEqual(diffs.paragraphs[0].mt, { parts: expectedParts, truncated: false });
    assert.deepEqual(diffs.paragraphs[0].prev, { parts: expectedParts, truncated: false });
    assert.deepEqual(diffs.paragraphs[1].prev, { parts: [{ op: 'eq', text: 'Second paragraph stays.' }], truncated: false });

    const sc = await t.db.statusChange.findMany({ where: { articleId: a.id }, orderBy: { id: 'asc' } });
    assert.deepEqual(sc.map((s) => [s.fromStatus, s.toStatus, s.actorId, s.revisionId]), [
      [null, 'mt_draft', null, a.revisionId],
      ['mt_draft', 'in_edit', editorId, rev.id],
    ]);
    const audit = await t.db.auditEvent.findMany({ where: { entity: 'article', entityId: String(a.id) } });
    assert.equal(audit.length, 1);
    assert.equal(audit[0].action, 'article.save');
    assert.equal(audit[0].actorId, editorId);
    assert.deepEqual(audit[0].data, {
      revisionId: rev.id,
      number: 2,
      editRate: 0.3333,
      inserted: 0,
      deleted: 0,
      substituted: 4,
      paragraphsChanged: 1,
      titleChanged: false,
      statusFrom: 'mt_draft',
      statusTo: 'in_edit',
      // The article was unassigned: the save claimed it for its author.
      assigneeFrom: null,
      assigneeTo: editorId,
      claimedOnSave: true,
    });
    const article = await t.db.article.findUniqueOrThrow({ where: { id: a.id } });
    assert.equal(article.assigneeId, editorId);
    assert.match(article.searchText, /crack down/);
    assert.equal(article.wordCount, 12);
  });

  test('a save with no text change creates no revision and bumps nothing', async () => {
    const a = await makeArticle(t.db);
    const get = await editor.get(`/api/articles/${a.id}`);
    const before = await counts(a.id);
    const res = await editor.put(`/api/articles/${a.id}`).send(get.body);
    assert.equal(res.status, 200);
    assert.equal(res.body.version, 1);
    assert.deepEqual(await counts(a.id), before);
  });

  test('text is NFC-normalised, so a decomposed accent is no change', async () => {
    const a = await makeArticle(t.db, { title: 'Café opens', paragraphs: ['The café opens.'] });
    const decomposed = 'The cafe\u0301 opens.';
    assert.notEqual(decomposed, 'The café opens.');
    const res = await editor.put(`/api/articles/${a.id}`).send({ version: 1, title: 'Cafe\u0301 opens', paragraphs: [{ index: 0, text: decomposed }] });
    assert.equal(res.status, 200);
    assert.equal(res.body.version, 1);
    assert.equal(await t.db.revision.count({ where: { articleId: a.id } }), 1);
  });

  test('title edits count: revision stores the new title and the audit says so', async () => {
    const a = await makeArticle(t.db, { title: 'Mayor open bridge' });
    const res = await editor.put(`/api/articles/${a.id}`).send({ version: 1, title: '  Mayor opens bridge ' });
    assert.equal(res.status, 200);
    assert.equal(res.body.title, 'Mayor opens bridge');
    const rev = await t.db.revision.findUniqueOrThrow({ where: { articleId_number: { articleId: a.id, number: 2 } } });
    assert.equal(rev.title, 'Mayor opens bridge');
    assert.deepEqual((rev.diffs as { title: { prev: unknown } }).title.prev, { parts: [{ op: 'eq', text: 'Mayor ' }, { op: 'del', text: 'open' }, { op: 'ins', text: 'opens' }, { op: 'eq', text: ' bridge' }], truncated: false });
    const ev = await t.db.auditEvent.findFirstOrThrow({ where: { entity: 'article', entityId: String(a.id), action: 'article.save' } });
    assert.equal((ev.data as { titleChanged: boolean }).titleChanged, true);
  });

  test('bad input answers 400 naming the field and writes nothing', async () => {
    const a = await makeArticle(t.db, { paragraphs: ['One.', 'Two.'] });
    const before = await counts(a.id);
    const cases: Array<[unknown, RegExp]> = [
      [{ paragraphs: [{ index: 0, text: 'Uno.' }] }, /^version: is required/],
      [{ version: 1, paragraphs: [{ index: 2, text: 'Three.' }] }, /^paragraphs\.0\.index: the article has 2 paragraphs/],
      [{ version: 1, paragraphs: [{ index: 0, text: 'A' }, { index: 0, text: 'B' }] }, /^paragraphs\.1\.index: paragraph 0 is sent twice/],
      [{ version: 1, paragraphs: [{ index: -1, text: 'A' }] }, /^paragraphs\.0\.index:/],
      [{ version: 1, paragraphs: [{ index: 0, text: 5 }] }, /^paragraphs\.0\.text:/],
      [{ version: 1, title: '   ' }, /^title: must not be empty/],
      [{ version: 'one', title: 'X' }, /^version:/],
      [{ assigneeId: 999999 }, /^assigneeId: user 999999 does not exist/],
    ];
    for (const [body, message] of cases) {
      const res = await reviewer.put(`/api/articles/${a.id}`).send(body as object);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, 'validation_failed');
      assert.match(res.body.error.message, message);
    }
    assert.deepEqual(await counts(a.id), before);
  });

  test('a stale version answers 409 version_conflict with the paragraphs changed since, and saves nothing', async () => {
    const a = await makeArticle(t.db, { paragraphs: ['Alpha one.', 'Beta two.', 'Gamma three.'] });
    const mine = await editor.get(`/api/articles/${a.id}`);
    const theirs = await editor2.put(`/api/articles/${a.id}`).send({ version: 1, paragraphs: [{ index: 1, text: 'Beta 2.' }] });
    assert.equal(theirs.status, 200);
    const before = await counts(a.id);

    const res = await editor.put(`/api/articles/${a.id}`).send({ ...mine.body, paragraphs: [{ index: 0, text: 'Alpha 1.' }] });
    assert.equal(res.status, 409);
    const e = res.body.error;
    assert.equal(e.code, 'version_conflict');
    assert.match(e.message, /your version 1, current version 2\); \w+ saved it: 1 paragraph changed/);
    assert.equal(e.details.baseVersion, 1);
    assert.equal(e.details.currentVersion, 2);
    assert.equal(e.details.title, null);
    assert.deepEqual(e.details.paragraphs, [
      { index: 1, base: 'Beta two.', current: 'Beta 2.', diff: { parts: [{ op: 'eq', text: 'Beta ' }, { op: 'del', text: 'two' }, { op: 'ins', text: '2' }, { op: 'eq', text: '.' }], truncated: false } },
    ]);
    assert.equal(e.details.current.id, a.id);
    assert.equal(e.details.current.version, 2);
    assert.equal(e.details.current.paragraphs[1].text, 'Beta 2.');
    assert.deepEqual(await counts(a.id), before);
    assert.equal((await t.db.paragraph.findFirstOrThrow({ where: { articleId: a.id, position: 0 } })).text, 'Alpha one.');
  });

  test('the conflict base is the text at the editor\'s version even when later versions bumped without a revision', async () => {
    const a = await makeArticle(t.db, { paragraphs: ['First.', 'Second.'] });
    assert.equal((await reviewer.put(`/api/articles/${a.id}`).send({ version: 1, paragraphs: [{ index: 0, text: 'First!' }] })).status, 200); // v2, rev 2
    assert.equal((await reviewer.put(`/api/articles/${a.id}`).send({ version: 2, assigneeId: editorId })).status, 200); // v3, no revision
    assert.equal((await reviewer.put(`/api/articles/${a.id}`).send({ version: 3, paragraphs: [{ index: 1, text: 'Second!' }] })).status, 200); // v4, rev 3

    // An editor who loaded v3 sees only the change made at v4.
    const r3 = await editor.put(`/api/articles/${a.id}`).send({ version: 3, paragraphs: [{ index: 0, text: 'Mine.' }] });
    assert.equal(r3.status, 409);
    assert.deepEqual(r3.body.error.details.paragraphs.map((p: { index: number; base: string }) => [p.index, p.base]), [[1, 'Second.']]);
    // One who loaded v2 likewise: the assignment at v3 changed no text.
    const r2 = await editor.put(`/api/articles/${a.id}`).send({ version: 2, paragraphs: [{ index: 0, text: 'Mine.' }] });
    assert.deepEqual(r2.body.error.details.paragraphs.map((p: { index: number }) => p.index), [1]);
    // From v1 both paragraphs changed.
    const r1 = await editor.put(`/api/articles/${a.id}`).send({ version: 1, paragraphs: [{ index: 0, text: 'Mine.' }] });
    assert.deepEqual(r1.body.error.details.paragraphs.map((p: { index: number; base: string; current: string }) => [p.index, p.base, p.current]), [
      [0, 'First.', 'First!'],
      [1, 'Second.', 'Second!'],
    ]);
  });

  test('20 parallel saves of one version: exactly one 200, the rest 409, revision numbers contiguous', async () => {
    const a = await makeArticle(t.db, { paragraphs: ['Race paragraph.'] });
    for (const round of [1, 2]) {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? editor : editor2).put(`/api/articles/${a.id}`).send({ version: round, paragraphs: [{ index: 0, text: `Round ${round} writer ${i}.` }] })),
      );
      const ok = results.filter((r) => r.status === 200);
      const conflicts = results.filter((r) => r.status === 409);
      assert.equal(ok.length, 1, `round ${round}: ${results.map((r) => r.status).join(',')}`);
      assert.equal(conflicts.length, 19);
      assert.ok(conflicts.every((r) => r.body.error.code === 'version_conflict'));
      const winner = ok[0].body.paragraphs[0].text;
      const p = await t.db.paragraph.findFirstOrThrow({ where: { articleId: a.id, position: 0 } });
      assert.equal(p.text, winner);
    }
    const revs = await t.db.revision.findMany({ where: { articleId: a.id }, orderBy: { number: 'asc' }, select: { number: true, articleVersion: true, paragraphs: true } });
    assert.deepEqual(revs.map((r) => r.number), [1, 2, 3]);
    assert.deepEqual(revs.map((r) => r.articleVersion), [1, 2, 3]);
    const art = await t.db.article.findUniqueOrThrow({ where: { id: a.id } });
    assert.equal(art.version, 3);
    assert.equal(art.revisionCount, 3);
    assert.equal(await t.db.auditEvent.count({ where: { entity: 'article', entityId: String(a.id), action: 'article.save' } }), 2);
    assert.deepEqual(revs[2].paragraphs, [(await t.db.paragraph.findFirstOrThrow({ where: { articleId: a.id, position: 0 } })).text]);
  });

  test('a 50 KB paragraph rewritten whole saves, and its diff is recorded as a truncated whole replacement', async () => {
    const mt = Array.from({ length: 7000 }, (_, i) => `alpha${i}`).join(' ');
    const text = Array.from({ length: 7000 }, (_, i) => `beta${i}`).join(' ');
    assert.ok(mt.length > 50_000);
    const a = await makeArticle(t.db, { paragraphs: [mt, 'Short one.'] });
    const res = await editor.put(`/api/articles/${a.id}`).send({ version: 1, paragraphs: [{ index: 0, text }] });
    assert.equal(res.status, 200);
    const rev = await t.db.revision.findUniqueOrThrow({ where: { articleId_number: { articleId: a.id, number: 2 } } });
    const d = (rev.diffs as { paragraphs: Array<{ mt: { parts: unknown; truncated: boolean }; prev: { truncated: boolean } }> }).paragraphs;
    assert.equal(d[0].mt.truncated, true);
    assert.equal(d[0].prev.truncated, true);
    assert.deepEqual(d[0].mt.parts, [{ op: 'del', text: mt }, { op: 'ins', text }]);
    assert.equal(d[1].mt.truncated, false);
    // A whole replacement counts every token substituted.
    assert.equal(rev.wordsSubstituted, 7000);
    assert.deepEqual(rev.paragraphs, [text, 'Short one.']);
  });

  test('archived articles refuse saves with 409', async () => {
    const a = await makeArticle(t.db, { status: 'archived' });
    const res = await reviewer.put(`/api/articles/${a.id}`).send({ version: 1, title: 'New title' });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'article_archived');
    assert.match(res.body.error.message, /unarchive first/);
    assert.equal(await t.db.revision.count({ where: { articleId: a.id } }), 1);
  });
});

describe('PUT answers the record a new read returns', () => {
  // The answer is derived from the state read before the save plus what the save wrote; a GET right after must agree field for field.
  async function saveAndRead(agent: Agent, id: number, body: Record<string, unknown>) {
    const put = await agent.put(`/api/articles/${id}`).send(body);
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const get = await agent.get(`/api/articles/${id}`);
    assert.equal(get.status, 200);
    assert.deepEqual(put.body, get.body);
    return put.body;
  }

  test('a first save (mt_draft → in_edit), a second save, and a save that also assigns', async () => {
    const a = await makeArticle(t.db, { title: 'Ferry strike ends', paragraphs: [{ mt: 'Ferries will strike hard the timetable.', source: 'Les ferries reprennent.' }, 'Crews return on Monday.'] });
    const first = await saveAndRead(editor, a.id, { version: 1, paragraphs: [{ index: 0, text: 'Ferries resume the timetable.' }] });
    assert.equal(first.status, 'in_edit');
    assert.equal(first.version, 2);
    assert.equal(first.revisionCount, 2);
    assert.notEqual(first.currentRevisionId, a.revisionId);
    const second = await saveAndRead(editor, a.id, { version: 2, title: 'Ferry services resume', paragraphs: [{ index: 1, text: 'Crews return on Monday morning.' }] });
    assert.equal(second.revisionCount, 3);
    assert.equal(second.paragraphs[0].text, 'Ferries resume the timetable.');
    const third = await saveAndRead(editor, a.id, { version: 3, assigneeId: editorId, paragraphs: [{ index: 1, text: 'Crews return on Monday.' }] });
    assert.equal(third.assigneeId, editorId);
    assert.equal(third.assigneeName, 'Edna');
  });

  test('a reviewer saving an article in review joins its authors, so the answer refuses them the approval', async () => {
    const a = await makeArticle(t.db, { title: 'Dam inspection', status: 'in_review', paragraphs: ['The dam was inspected smoothly.'] });
    const before = (await reviewer.get(`/api/articles/${a.id}`)).body;
    assert.equal(before.approval.allowed, true);
    const after = await saveAndRead(reviewer, a.id, { version: before.version, paragraphs: [{ index: 0, text: 'The dam was inspected.' }] });
    assert.equal(after.status, 'in_review');
    assert.equal(after.approval.allowed, false);
    assert.match(after.approval.reason, /edit/i);
  });

  test('a save of an approved article (back to in_edit, approval kept pinned)', async () => {
    const a = await makeArticle(t.db, { title: 'Bridge reopens', status: 'approved', paragraphs: ['The bridge reopens across every district. smoothly.'] });
    await t.query(`update articles set "approvedRevisionId" = $1, "approvedById" = $2, "approvedAt" = now() where id = $3`, [a.revisionId, reviewerId, a.id]);
    const after = await saveAndRead(editor, a.id, { version: 1, paragraphs: [{ index: 0, text: 'The bridge reopens across every district.' }] });
    assert.equal(after.status, 'in_edit');
    assert.equal(after.approvedRevisionId, a.revisionId);
    assert.equal(after.approvedByName, 'Rita');
  });
});

describe('assignment', () => {
  test('an editor takes an unassigned article (version bumped, article.assign audited, no revision) and can give it up', async () => {
    const a = await makeArticle(t.db);
    const res = await editor.put(`/api/articles/${a.id}`).send({ assigneeId: editorId });
    assert.equal(res.status, 200);
    assert.equal(res.body.assigneeId, editorId);
    assert.equal(res.body.assigneeName, 'Edna');
    assert.equal(res.body.version, 2);
    assert.equal(await t.db.revision.count({ where: { articleId: a.id } }), 1);
    const ev = await t.db.auditEvent.findFirstOrThrow({ where: { entity: 'article', entityId: String(a.id) } });
    assert.equal(ev.action, 'article.assign');
    assert.deepEqual(ev.data, { from: null, to: editorId });

    const drop = await editor.put(`/api/articles/${a.id}`).send({ assigneeId: null, version: 2 });
    assert.equal(drop.status, 200);
    assert.equal(drop.body.assigneeId, null);
    // react-admin's empty select value means unassigned too.
    await editor.put(`/api/articles/${a.id}`).send({ assigneeId: editorId });
    const empty = await editor.put(`/api/articles/${a.id}`).send({ assigneeId: '' });
    assert.equal(empty.body.assigneeId, null);
  });

  test('an editor may not assign others or take someone else\'s article: 403, audited, nothing written', async () => {
    const a = await makeArticle(t.db, { assigneeId: editor2Id });
    const b = await makeArticle(t.db);
    const before = await counts(a.id);
    const take = await editor.put(`/api/articles/${a.id}`).send({ assigneeId: editorId });
    assert.equal(take.status, 403);
    assert.match(take.body.error.message, /assigned to someone else; only a reviewer or admin can reassign/);
    const unassign = await editor.put(`/api/articles/${a.id}`).send({ assigneeId: null });
    assert.equal(unassign.status, 403);
    const give = await editor.put(`/api/articles/${b.id}`).send({ assigneeId: editor2Id });
    assert.equal(give.status, 403);
    assert.match(give.body.error.message, /may only assign articles to yourself/);
    assert.deepEqual(await counts(a.id), before);
    assert.equal((await t.db.article.findUniqueOrThrow({ where: { id: b.id } })).assigneeId, null);
    const denied = await t.db.auditEvent.findMany({ where: { action: 'permission.denied', actorId: editorId, entity: 'article' } });
    assert.equal(denied.length, 3);
    assert.equal((denied[2].data as { attempted: string }).attempted, 'article.assign');
  });

  test('a reviewer assigns anyone active who can edit, but not auditors or disabled users', async () => {
    const a = await makeArticle(t.db, { assigneeId: editorId });
    const ok = await reviewer.put(`/api/articles/${a.id}`).send({ assigneeId: editor2Id });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.assigneeId, editor2Id);
    const aud = await reviewer.put(`/api/articles/${a.id}`).send({ assigneeId: auditorId });
    assert.equal(aud.status, 400);
    assert.match(aud.body.error.message, /assigneeId: user \d+ \(audrey\) is an auditor/);
    const dora = await t.db.user.findUniqueOrThrow({ where: { username: 'dora' } });
    const dis = await reviewer.put(`/api/articles/${a.id}`).send({ assigneeId: dora.id });
    assert.equal(dis.status, 400);
    assert.match(dis.body.error.message, /is disabled/);
  });

  test('a save and an assignment in one PUT write one revision and one article.save event naming both', async () => {
    const a = await makeArticle(t.db, { paragraphs: ['Text here.'] });
    const res = await editor.put(`/api/articles/${a.id}`).send({ version: 1, assigneeId: editorId, paragraphs: [{ index: 0, text: 'Text there.' }] });
    assert.equal(res.status, 200);
    assert.equal(res.body.assigneeId, editorId);
    assert.equal(res.body.version, 2);
    const events = await t.db.auditEvent.findMany({ where: { entity: 'article', entityId: String(a.id) }, orderBy: { id: 'asc' } });
    assert.deepEqual(events.map((e) => e.action), ['article.save']);
    const data = events[0].data as Record<string, unknown>;
    assert.equal(data.assigneeFrom, null);
    assert.equal(data.assigneeTo, editorId);
    assert.equal(await t.db.revision.count({ where: { articleId: a.id } }), 2);
  });

  test('GET /api/assignees lists active users who can edit, with id and display name only; auditors and disabled users are never shown', async () => {
    const res = await editor.get('/api/assignees').query({ sort: JSON.stringify(['displayName', 'ASC']) });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.map((u: { displayName: string }) => u.displayName), ['Eddie', 'Edna', 'Rita']);
    for (const u of res.body) assert.deepEqual(Object.keys(u).sort(), ['displayName', 'id']);
    assert.match(res.headers['content-range'], /^assignees 0-2\/3$/);
    const q = await editor.get('/api/assignees').query({ filter: JSON.stringify({ q: 'RIT' }) });
    assert.deepEqual(q.body.map((u: { id: number }) => u.id), [reviewerId]);
    const dora = await t.db.user.findUniqueOrThrow({ where: { username: 'dora' } });
    // getMany and getOne narrow the same set: no lookup of auditors or disabled accounts by id.
    const many = await editor.get('/api/assignees').query({ filter: JSON.stringify({ id: [dora.id, editorId, auditorId] }), sort: JSON.stringify(['id', 'ASC']) });
    assert.deepEqual(many.body.map((u: { id: number }) => u.id), [editorId]);
    assert.deepEqual((await editor.get(`/api/assignees/${editorId}`)).body, { id: editorId, displayName: 'Edna' });
    for (const id of [dora.id, auditorId, 999999]) assert.equal((await editor.get(`/api/assignees/${id}`)).status, 404, String(id));
    for (const field of ['username', 'role']) assert.equal((await editor.get('/api/assignees').query({ sort: JSON.stringify([field, 'ASC']) })).status, 400, `sort by ${field}`);
    const bad = await editor.get('/api/assignees').query({ filter: JSON.stringify({ role: 'editor' }) });
    assert.equal(bad.status, 400);
  });
});
