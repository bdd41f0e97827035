import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { searchCondition } from '../../server/db/sql/articleList';
import { createTestContext, type TestContext } from '../helpers/app';
import { makeArticle } from '../helpers/factories';

let t: TestContext;
type Agent = Awaited<ReturnType<TestContext['loginAs']>>;
let editor: Agent;
let editorId: number;
let otherId: number;
let batchId: number;
const ids: Record<string, number> = {};

const ROW_KEYS = [
  'approvedRevisionId', 'assigneeId', 'assigneeName', 'createdAt', 'editRate', 'externalId', 'id', 'importBatchId', 'mtWordCount',
  'publishedAt', 'revisionCount', 'sourceLang', 'status', 'targetLang', 'title', 'updatedAt', 'version', 'wordCount',
];

before(async () => {
  t = await createTestContext();
  editorId = await t.makeUser('edna', 'editor');
  otherId = await t.makeUser('otto', 'editor');
  editor = await t.loginAs('edna');
  batchId = (await t.db.importBatch.create({ data: { actorName: 'system', name: 'morning feed' } })).id;
  ids.fishing = (await makeArticle(t.db, { title: 'Fishing ban', paragraphs: ['Our city will strike hard against illegal fishing.'], importBatchId: batchId, externalId: 'ext-1' })).id;
  ids.bridge = (await makeArticle(t.db, { title: 'Bridge opens', paragraphs: ['The new bridge opened to traffic.'], status: 'in_edit', assigneeId: editorId, importBatchId: batchId })).id;
  ids.budget = (await makeArticle(t.db, { title: 'Budget vote', paragraphs: ['Councillors voted on the budget.', 'Fishermen protested outside.'], status: 'in_review', assigneeId: otherId })).id;
  ids.zoo = (await makeArticle(t.db, { title: 'Zoo panda', paragraphs: ['A panda was born at the zoo.'], status: 'approved', assigneeId: editorId })).id;
  ids.archive = (await makeArticle(t.db, { title: 'Archive note', paragraphs: ['Nothing to see.'], status: 'archived' })).id;
  const stamp = (id: number, iso: string) => t.query('update articles set "updatedAt" = $2 where id = $1', [id, iso]);
  await stamp(ids.fishing, '2026-11-01T10:00:00Z');
  await stamp(ids.bridge, '2026-11-05T10:00:00Z');
  await stamp(ids.budget, '2026-11-10T23:30:00Z');
  await stamp(ids.zoo, '2026-11-15T10:00:00Z');
  await stamp(ids.archive, '2026-11-20T10:00:00Z');
});
after(() => t.drop());

async function list(query: Record<string, unknown>) {
  const q = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, JSON.stringify(v)]));
  return editor.get('/api/articles').query(q);
}
const titles = (res: { body: Array<{ title: string }> }) => res.body.map((r) => r.title);

test('the default list is every article, newest update first, with a Content-Range and exactly the row fields (no paragraphs)', async () => {
  const res = await editor.get('/api/articles');
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-range'], 'articles 0-4/5');
  assert.deepEqual(titles(res), ['Archive note', 'Zoo panda', 'Budget vote', 'Bridge opens', 'Fishing ban']);
  assert.deepEqual(Object.keys(res.body[0]).sort(), ROW_KEYS);
  const bridge = res.body.find((r: { id: number }) => r.id === ids.bridge);
  assert.equal(bridge.assigneeName, 'Edna');
  assert.equal(bridge.status, 'in_edit');
  assert.equal(bridge.importBatchId, batchId);
  assert.equal(bridge.revisionCount, 1);
  assert.equal(typeof bridge.editRate, 'number');
  assert.equal(bridge.mtWordCount, 7);
});

test('sorting and paging: title ASC, a page of 2, and Content-Range of that page', async () => {
  const res = await list({ sort: ['title', 'ASC'], range: [1, 2] });
  assert.equal(res.status, 200);
  assert.deepEqual(titles(res), ['Bridge opens', 'Budget vote']);
  assert.equal(res.headers['content-range'], 'articles 1-2/5');
  const desc = await list({ sort: ['wordCount', 'DESC'], range: [0, 0] });
  assert.deepEqual(titles(desc), ['Budget vote']);
  const past = await list({ range: [10, 19] });
  assert.deepEqual(past.body, []);
  assert.equal(past.headers['content-range'], 'articles 10-10/5');
});

test('status filter takes one status or many', async () => {
  assert.deepEqual(titles(await list({ filter: { status: 'in_review' } })), ['Budget vote']);
  const many = await list({ filter: { status: ['mt_draft', 'approved'] }, sort: ['title', 'ASC'] });
  assert.deepEqual(titles(many), ['Fishing ban', 'Zoo panda']);
  assert.equal(many.headers['content-range'], 'articles 0-1/2');
});

test('assigneeId filter: a user id, "me", or null for unassigned', async () => {
  assert.deepEqual(titles(await list({ filter: { assigneeId: 'me' }, sort: ['title', 'ASC'] })), ['Bridge opens', 'Zoo panda']);
  assert.deepEqual(titles(await list({ filter: { assigneeId: otherId } })), ['Budget vote']);
  assert.deepEqual(titles(await list({ filter: { assigneeId: null }, sort: ['title', 'ASC'] })), ['Archive note', 'Fishing ban']);
});

test('q searches title and current text by word stem; edits are searchable at once', async () => {
  // English stemming: "fishing" finds "fishing" but not "Fishermen" (a different stem).
  assert.deepEqual(titles(await list({ filter: { q: 'fishing' } })), ['Fishing ban']);
  assert.deepEqual(titles(await list({ filter: { q: 'panda' } })), ['Zoo panda']);
  assert.deepEqual(titles(await list({ filter: { q: 'bridge traffic' } })), ['Bridge opens']);
  assert.deepEqual(titles(await list({ filter: { q: '"budget" -councillors' } })), []);
  assert.deepEqual(titles(await list({ filter: { q: 'budget or panda' }, sort: ['title', 'ASC'] })), ['Budget vote', 'Zoo panda']);
  const res = await editor.put(`/api/articles/${ids.fishing}`).send({ version: 1, paragraphs: [{ index: 0, text: 'The city will crack down on poaching.' }] });
  assert.equal(res.status, 200);
  assert.deepEqual(titles(await list({ filter: { q: 'poaching' } })), ['Fishing ban']);
  assert.deepEqual(titles(await list({ filter: { q: 'illegal' } })), []);
  await t.query('update articles set "updatedAt" = $2 where id = $1', [ids.fishing, '2026-11-01T10:00:00Z']);
});

test('q matches the start of words, by stem or as typed; the text is never read as tsquery syntax', async () => {
  assert.deepEqual(titles(await list({ filter: { q: 'pan' } })), ['Zoo panda']);
  assert.deepEqual(titles(await list({ filter: { q: 'Counc' } })), ['Budget vote']);
  assert.deepEqual(titles(await list({ filter: { q: 'bri traf' } })), ['Bridge opens']);
  assert.deepEqual(titles(await list({ filter: { q: 'poach' } })), ['Fishing ban']);
  // Every word must match: "bri" does, "zoo" does not.
  assert.deepEqual(titles(await list({ filter: { q: 'bri zoo' } })), []);
  // tsquery operators in the text are just separators between words.
  assert.deepEqual(titles(await list({ filter: { q: "pan:* | & ! ' (" } })), ['Zoo panda']);
  assert.deepEqual(titles(await list({ filter: { q: "pan') || to_tsquery('x" } })), []);
  // Stop words alone match nothing, and do not turn into a prefix of everything.
  assert.deepEqual(titles(await list({ filter: { q: 'the' } })), []);
  assert.deepEqual(titles(await list({ filter: { q: 'the bri' } })), ['Bridge opens']);
});

test('importBatchId (or batchId) filter', async () => {
  assert.deepEqual(titles(await list({ filter: { importBatchId: batchId }, sort: ['title', 'ASC'] })), ['Bridge opens', 'Fishing ban']);
  assert.deepEqual(titles(await list({ filter: { batchId }, sort: ['title', 'ASC'] })), ['Bridge opens', 'Fishing ban']);
});

test('updatedAt range: date-times are exact, a bare upper date includes that whole day', async () => {
  assert.deepEqual(titles(await list({ filter: { updatedAt_gte: '2026-11-05T10:00:00Z', updatedAt_lte: '2026-11-15T09:59:59Z' } })), ['Budget vote', 'Bridge opens']);
  assert.deepEqual(titles(await list({ filter: { updatedAt_gte: '2026-11-06', updatedAt_lte: '2026-11-10' } })), ['Budget vote']);
  assert.deepEqual(titles(await list({ filter: { updatedAt_lte: '2026-11-04' } })), ['Fishing ban']);
});

test('id filter is getMany', async () => {
  const res = await list({ filter: { id: [ids.zoo, ids.bridge] }, sort: ['id', 'ASC'] });
  assert.deepEqual(res.body.map((r: { id: number }) => r.id), [ids.bridge, ids.zoo].sort((a, b) => a - b));
  assert.deepEqual(titles(await list({ filter: { id: ids.zoo } })), ['Zoo panda']);
});

test('filters combine', async () => {
  assert.deepEqual(titles(await list({ filter: { status: ['in_edit', 'approved'], assigneeId: 'me', q: 'panda' } })), ['Zoo panda']);
});

test('malformed sort, range or filter answers 400 naming the parameter', async () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ sort: '["mtTitle","ASC"]' }, /Cannot sort by "mtTitle"/],
    [{ sort: '["title","UP"]' }, /"sort" must be/],
    [{ range: '[5,2]' }, /"range" must be/],
    [{ range: 'nope' }, /"range" is not valid JSON/],
    [{ filter: '{"colour":"red"}' }, /filter/],
    [{ filter: '{"status":"published"}' }, /filter\.status/],
    [{ filter: '{"assigneeId":"you"}' }, /filter\.assigneeId: must be a user id, "me" or null/],
    [{ filter: '{"updatedAt_gte":"last week"}' }, /filter\.updatedAt_gte: "last week" is not a date/],
    [{ filter: '[1]' }, /"filter" must be a JSON object/],
  ];
  for (const [query, message] of cases) {
    const res = await editor.get('/api/articles').query(query);
    assert.equal(res.status, 400, JSON.stringify(query));
    assert.match(res.body.error.message, message);
  }
});

test('the q filter runs on the full-text index', async () => {
  // Planner check below the API: the predicates the service builds (per-word prefix and web-search syntax)
  // must be able to use article_search_fts. A client of its own, so the setting applies to the EXPLAIN.
  const c = new pg.Client({ connectionString: t.url });
  await c.connect();
  try {
    await c.query('begin');
    await c.query('set local enable_seqscan = off');
    for (const q of ['Zhej panda', '"giant panda" -zoo']) {
      const cond = searchCondition(q);
      const { rows } = await c.query<{ 'QUERY PLAN': string }>(`explain select a.id from articles a where ${cond.text}`, cond.values);
      assert.match(rows.map((r) => r['QUERY PLAN']).join('\n'), /Bitmap Index Scan on article_search_fts/, q);
    }
  } finally {
    await c.query('rollback');
    await c.end();
  }
});
