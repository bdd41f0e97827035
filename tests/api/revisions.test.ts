import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestContext, type TestContext } from '../helpers/app';
import { makeArticle, type MadeArticle } from '../helpers/factories';

let t: TestContext;
type Agent = Awaited<ReturnType<TestContext['loginAs']>>;
let editor: Agent;
let auditor: Agent;
let editorId: number;
let a: MadeArticle;
const revIds: number[] = [];

const MT0 = 'Our city will strike hard against illegal fishing';
const ED0 = 'The city will crack down on illegal fishing';

before(async () => {
  t = await createTestContext();
  editorId = await t.makeUser('edna', 'editor');
  await t.makeUser('audrey', 'auditor');
  editor = await t.loginAs('edna');
  auditor = await t.loginAs('audrey');
  a = await makeArticle(t.db, { title: 'Fishing ban', paragraphs: [MT0, 'Patrols start Monday.'] });
  revIds.push(a.revisionId);
  const r2 = await editor.put(`/api/articles/${a.id}`).send({ version: 1, paragraphs: [{ index: 0, text: ED0 }], note: 'first pass' });
  revIds.push(r2.body.currentRevisionId);
  const r3 = await editor.put(`/api/articles/${a.id}`).send({ version: 2, title: 'Fishing crackdown', paragraphs: [{ index: 1, text: 'Patrols begin on Monday.' }] });
  revIds.push(r3.body.currentRevisionId);
});
after(() => t.drop());

test('GET /api/revisions?filter={articleId} lists an article\'s revisions with authors and statistics, without text', async () => {
  const res = await auditor.get('/api/revisions').query({ filter: JSON.stringify({ articleId: a.id }), sort: JSON.stringify(['number', 'ASC']) });
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-range'], 'revisions 0-2/3');
  assert.deepEqual(
    res.body.map((r: Record<string, unknown>) => [r.number, r.kind, r.authorId, r.authorName, r.note, r.wordsSubstituted]),
    [
      [1, 'import', null, null, null, 0],
      [2, 'edit', editorId, 'Edna', 'first pass', 4],
      [3, 'edit', editorId, 'Edna', null, 5],
    ],
  );
  assert.deepEqual(Object.keys(res.body[0]).sort(), [
    'articleId', 'authorId', 'authorName', 'createdAt', 'editRate', 'id', 'kind', 'note', 'number', 'restoredFromId', 'wordsDeleted', 'wordsInserted', 'wordsSubstituted',
  ]);
  const desc = await auditor.get('/api/revisions').query({ filter: JSON.stringify({ articleId: a.id }), sort: JSON.stringify(['number', 'DESC']), range: '[0,0]' });
  assert.equal(desc.body[0].number, 3);
  const bad = await auditor.get('/api/revisions').query({ sort: JSON.stringify(['editRate', 'ASC']) });
  assert.equal(bad.status, 400);
});

test('GET /api/revisions/:id has the stored title, paragraphs, diffs against previous and MT, and statistics', async () => {
  const res = await auditor.get(`/api/revisions/${revIds[1]}`);
  assert.equal(res.status, 200);
  const r = res.body;
  assert.equal(r.number, 2);
  assert.equal(r.title, 'Fishing ban');
  assert.deepEqual(r.paragraphs, [ED0, 'Patrols start Monday.']);
  assert.equal(r.editRate, 0.3333);
  assert.deepEqual(r.stats.mt, { mtWords: 12, words: 12, inserted: 0, deleted: 0, substituted: 4, editDistance: 4, editRate: 0.3333, paragraphsChanged: 1 });
  assert.equal(r.stats.prev.editDistance, 4);
  assert.equal(r.stats.titleChanged, false);
  assert.deepEqual(r.diffs.title.prev, { parts: [{ op: 'eq', text: 'Fishing ban' }], truncated: false });
  assert.deepEqual(r.diffs.paragraphs[0].mt.parts, [
    { op: 'del', text: 'Our' },
    { op: 'ins', text: 'The' },
    { op: 'eq', text: ' city will ' },
    { op: 'del', text: 'strike hard against' },
    { op: 'ins', text: 'crack down on' },
    { op: 'eq', text: ' illegal fishing' },
  ]);
  const first = await auditor.get(`/api/revisions/${revIds[0]}`);
  assert.equal(first.body.kind, 'import');
  assert.equal(first.body.diffs.paragraphs[0].prev, null);
  assert.equal((await auditor.get('/api/revisions/999999')).status, 404);
});

test('compare: word diffs between two revisions, every paragraph listed', async () => {
  const res = await auditor.get(`/api/articles/${a.id}/compare`).query({ from: revIds[0], to: revIds[2] });
  assert.equal(res.status, 200);
  assert.equal(res.body.from.number, 1);
  assert.equal(res.body.to.number, 3);
  assert.deepEqual(res.body.title, { parts: [{ op: 'eq', text: 'Fishing ' }, { op: 'del', text: 'ban' }, { op: 'ins', text: 'crackdown' }], truncated: false });
  assert.equal(res.body.paragraphs.length, 2);
  assert.deepEqual(res.body.paragraphs[1], {
    index: 1,
    diff: { parts: [{ op: 'eq', text: 'Patrols ' }, { op: 'del', text: 'start' }, { op: 'ins', text: 'begin on' }, { op: 'eq', text: ' Monday.' }], truncated: false },
  });
  const same = await auditor.get(`/api/articles/${a.id}/compare`).query({ from: revIds[1], to: revIds[1] });
  assert.deepEqual(same.body.paragraphs[0], { index: 0, diff: { parts: [{ op: 'eq', text: ED0 }], truncated: false } });
});

test('compare refuses revisions of another article (404) and malformed ids (400)', async () => {
  const other = await makeArticle(t.db);
  const res = await auditor.get(`/api/articles/${other.id}/compare`).query({ from: other.revisionId, to: revIds[1] });
  assert.equal(res.status, 404);
  assert.match(res.body.error.message, new RegExp(`Revision ${revIds[1]} is not a revision of article ${other.id}`));
  const missing = await auditor.get(`/api/articles/${a.id}/compare`).query({ from: revIds[0] });
  assert.equal(missing.status, 400);
  assert.match(missing.body.error.message, /^to:/);
  const junk = await auditor.get(`/api/articles/${a.id}/compare`).query({ from: 'x', to: revIds[0] });
  assert.equal(junk.status, 400);
});

test('restore writes a NEW revision equal to the old one, leaves history untouched, and is audited', async () => {
  const before = await t.db.revision.findMany({ where: { articleId: a.id }, orderBy: { number: 'asc' } });
  const cur = await editor.get(`/api/articles/${a.id}`);
  const res = await editor.post(`/api/articles/${a.id}/restore`).send({ revisionId: revIds[0], version: cur.body.version });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.revisionCount, 4);
  assert.equal(res.body.title, 'Fishing ban');
  assert.deepEqual(res.body.paragraphs.map((p: { text: string }) => p.text), [MT0, 'Patrols start Monday.']);
  assert.equal(res.body.editRate, 0);

  const rev = await t.db.revision.findUniqueOrThrow({ where: { articleId_number: { articleId: a.id, number: 4 } } });
  assert.equal(rev.kind, 'restore');
  assert.equal(rev.restoredFromId, revIds[0]);
  assert.equal(rev.authorId, editorId);
  assert.equal(rev.note, 'Restored revision 1');
  assert.deepEqual(rev.paragraphs, [MT0, 'Patrols start Monday.']);
  assert.equal(rev.title, 'Fishing ban');
  // Revisions are immutable: the earlier rows are byte-for-byte what they were.
  const afterRows = await t.db.revision.findMany({ where: { articleId: a.id, number: { lte: 3 } }, orderBy: { number: 'asc' } });
  assert.deepEqual(afterRows, before);
  const ev = await t.db.auditEvent.findFirstOrThrow({ where: { entity: 'article', entityId: String(a.id) }, orderBy: { id: 'desc' } });
  assert.equal(ev.action, 'article.restore');
  assert.deepEqual({ revisionId: (ev.data as Record<string, unknown>).revisionId, restoredFromId: (ev.data as Record<string, unknown>).restoredFromId, number: (ev.data as Record<string, unknown>).number }, { revisionId: rev.id, restoredFromId: revIds[0], number: 4 });

  const listed = await auditor.get('/api/revisions').query({ filter: JSON.stringify({ articleId: a.id }), sort: JSON.stringify(['number', 'DESC']), range: '[0,0]' });
  assert.equal(listed.body[0].restoredFromId, revIds[0]);
});

test('restore refusals: same text (409 no_change), stale version (409), foreign revision (404), auditor (403); nothing written', async () => {
  const cur = await editor.get(`/api/articles/${a.id}`);
  const count = await t.db.revision.count({ where: { articleId: a.id } });
  const same = await editor.post(`/api/articles/${a.id}/restore`).send({ revisionId: revIds[0], version: cur.body.version });
  assert.equal(same.status, 409);
  assert.equal(same.body.error.code, 'no_change');
  const stale = await editor.post(`/api/articles/${a.id}/restore`).send({ revisionId: revIds[1], version: cur.body.version - 1 });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.error.code, 'version_conflict');
  const other = await makeArticle(t.db);
  const foreign = await editor.post(`/api/articles/${a.id}/restore`).send({ revisionId: other.revisionId, version: cur.body.version });
  assert.equal(foreign.status, 404);
  const denied = await auditor.post(`/api/articles/${a.id}/restore`).send({ revisionId: revIds[1], version: cur.body.version });
  assert.equal(denied.status, 403);
  const noVersion = await editor.post(`/api/articles/${a.id}/restore`).send({ revisionId: revIds[1] });
  assert.equal(noVersion.status, 400);
  assert.match(noVersion.body.error.message, /^version:/);
  assert.equal(await t.db.revision.count({ where: { articleId: a.id } }), count);
});
