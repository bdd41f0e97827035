// Translation memory and concordance on a real database: rows join the memory
// through the real approval transition and leave it when archived.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestContext, type TestContext } from '../helpers/app';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { makeArticle } from '../helpers/factories';

let t: TestContext;
type Agent = Awaited<ReturnType<TestContext['loginAs']>>;
let editor: Agent;
let reviewer: Agent;
let admin: Agent;
let auditor: Agent;

/** An article edited by the editor (each MT → its approved text), submitted and approved by the reviewer, all through the API. */
async function approved(title: string, pairs: Array<[string, string]>, langs: { sourceLang?: string | null; targetLang?: string | null } = {}): Promise<number> {
  const a = await makeArticle(t.db, { title, status: 'in_edit', paragraphs: pairs.map(([mt]) => mt), ...langs });
  const saved = await editor.put(`/api/articles/${a.id}`).send({ version: 1, paragraphs: pairs.map(([, text], index) => ({ index, text })) });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  assert.equal((await editor.post(`/api/articles/${a.id}/transitions`).send({ to: 'in_review', version: saved.body.version })).status, 200);
  const ok = await reviewer.post(`/api/articles/${a.id}/transitions`).send({ to: 'approved', version: saved.body.version + 1 });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  return a.id;
}

async function lookup(agent: Agent, id: number, index: number) {
  const res = await agent.get(`/api/articles/${id}/paragraphs/${index}/tm`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as { mt: string; matches: Array<{ articleId: number; index: number; percent: number; approved: string; mt: string; articleTitle: string }> };
}

const ids: Record<string, number> = {};

before(async () => {
  t = await createTestContext();
  await t.makeUser('edna', 'editor');
  await t.makeUser('rita', 'reviewer');
  await t.makeUser('ada', 'admin');
  await t.makeUser('audrey', 'auditor');
  [editor, reviewer, admin, auditor] = await Promise.all([t.loginAs('edna'), t.loginAs('rita'), t.loginAs('ada'), t.loginAs('audrey')]);
  // 9 tokens each ("." counts): one substitution against the query is 88 %, two are 77 %.
  ids.exact = await approved('Budget passed', [['The council approved the new budget on Tuesday.', 'The council passed the new budget on Tuesday.']]);
  ids.one = await approved('Budget Monday', [
    ['Unrelated opening paragraph about the weather today.', 'Unrelated opening paragraph about the weather.'],
    ['The council approved the new budget on Monday.', 'The council adopted the new budget on Monday.'],
  ]);
  ids.two = await approved('Budget Friday', [['The assembly approved the new budget on Friday.', 'The assembly voted the new budget on Friday.']]);
  ids.far = await approved('Far away', [['Heavy rain flooded the northern districts overnight.', 'Heavy rain flooded the north overnight.']]);
  ids.german = await approved('German pair', [['The council approved the new budget on Tuesday.', 'Der Rat hat den Haushalt am Dienstag gebilligt.']], { targetLang: 'de' });
  ids.archived = await approved('Archived later', [['The council approved the new budget on Tuesday.', 'ARCHIVED TEXT must not be suggested.']]);
  assert.equal((await admin.post(`/api/articles/${ids.archived}/transitions`).send({ to: 'archived', version: 4 })).status, 200);
  const draft = await makeArticle(t.db, { title: 'Draft same MT', status: 'in_review', paragraphs: ['The council approved the new budget on Tuesday.'] });
  ids.draft = draft.id;
  // Approved the factory way: pinned, but never through the approval transition, so not in the memory.
  ids.query = (await makeArticle(t.db, { title: 'Query article', paragraphs: ['The council approved the new budget on Tuesday.', 'Zhejiang province reported record exports.'] })).id;
});

after(() => t.drop());

describe('GET /api/articles/:id/paragraphs/:index/tm', () => {
  test('ranks matches by word-level percentage, same language pair only, 50 % or better', async () => {
    const res = await lookup(editor, ids.query, 0);
    assert.equal(res.mt, 'The council approved the new budget on Tuesday.');
    assert.deepEqual(
      res.matches.map((m) => [m.articleId, m.index, m.percent, m.approved]),
      [
        [ids.exact, 0, 100, 'The council passed the new budget on Tuesday.'],
        [ids.one, 1, 88, 'The council adopted the new budget on Monday.'],
        [ids.two, 0, 77, 'The assembly voted the new budget on Friday.'],
      ],
    );
    assert.equal(res.matches[0].articleTitle, 'Budget passed');
  });

  test('never suggests unapproved, archived or other-language text, nor the article itself', async () => {
    const own = await lookup(reviewer, ids.exact, 0);
    assert.ok(!own.matches.some((m) => m.articleId === ids.exact), 'the article itself is excluded');
    assert.equal(own.matches[0].articleId, ids.one);
    for (const id of [ids.query, ids.draft]) {
      const found = (await lookup(editor, id, 0)).matches.map((m) => m.articleId);
      for (const never of [ids.german, ids.archived, ids.draft]) assert.ok(!found.includes(never), `article ${never} must not be suggested to ${id}`);
    }
    const german = await t.db.tmSegment.count({ where: { articleId: ids.german } });
    assert.equal(german, 1, 'the German article is in the memory, just for another pair');
    assert.equal(await t.db.tmSegment.count({ where: { articleId: ids.archived } }), 0, 'archiving took the article out of the memory');
  });

  test('a paragraph with no close match gets none; auditors may read, strangers may not', async () => {
    assert.deepEqual((await lookup(auditor, ids.query, 1)).matches, []);
    const anon = await request(t.app).get(`/api/articles/${ids.query}/paragraphs/0/tm`);
    assert.equal(anon.status, 401);
  });

  test('a missing paragraph is 404 and a malformed index 400, each naming the problem', async () => {
    const missing = await editor.get(`/api/articles/${ids.query}/paragraphs/7/tm`);
    assert.equal(missing.status, 404);
    assert.match(missing.body.error.message, /no paragraph 7/);
    const bad = await editor.get(`/api/articles/${ids.query}/paragraphs/-1/tm`);
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /Paragraph index/);
  });

  test('a memory row whose revision is no longer the pinned approval is never served', async () => {
    // Simulates a memory row left behind by a path that moved the pin without the transition.
    await t.query(`update articles set "approvedRevisionId" = null where id = $1`, [ids.two]);
    try {
      assert.ok(!(await lookup(editor, ids.query, 0)).matches.some((m) => m.articleId === ids.two));
    } finally {
      await t.query(`update articles set "approvedRevisionId" = (select id from revisions where "articleId" = $1 and number = 2) where id = $1`, [ids.two]);
    }
    assert.ok((await lookup(editor, ids.query, 0)).matches.some((m) => m.articleId === ids.two));
  });
});

test('parallel approvals each write exactly their own rows while lookups run', async () => {
  const made = await Promise.all(
    Array.from({ length: 6 }, (_, i) => makeArticle(t.db, { title: `Burst ${i}`, status: 'in_edit', paragraphs: [`Burst paragraph ${i} about the harbour reopening on Sunday.`, `Second burst paragraph ${i}.`] })),
  );
  const saved = await Promise.all(made.map((a, i) => editor.put(`/api/articles/${a.id}`).send({ version: 1, paragraphs: [{ index: 0, text: `Approved burst ${i}.` }] })));
  assert.ok(saved.every((r) => r.status === 200));
  await Promise.all(made.map((a) => editor.post(`/api/articles/${a.id}/transitions`).send({ to: 'in_review', version: 2 })));
  const [approvals, lookups] = await Promise.all([
    Promise.all(made.map((a) => reviewer.post(`/api/articles/${a.id}/transitions`).send({ to: 'approved', version: 3 }))),
    Promise.all(made.map((a) => editor.get(`/api/articles/${a.id}/paragraphs/0/tm`))),
  ]);
  assert.deepEqual(approvals.map((r) => r.status), made.map(() => 200));
  assert.deepEqual(lookups.map((r) => r.status), made.map(() => 200));
  for (const [i, a] of made.entries()) {
    const rows = await t.db.tmSegment.findMany({ where: { articleId: a.id }, orderBy: { position: 'asc' }, select: { approved: true } });
    assert.deepEqual(rows.map((r) => r.approved), [`Approved burst ${i}.`, `Second burst paragraph ${i}.`]);
  }
  // Each burst article now finds the other five (one word differs: 9 of 10 tokens), never itself.
  const after = await lookup(editor, made[0].id, 0);
  assert.deepEqual(after.matches.map((m) => m.percent), [90, 90, 90, 90, 90]);
  assert.ok(!after.matches.some((m) => m.articleId === made[0].id));
});

test("the migration's backfill writes exactly the rows the approval path writes", async () => {
  const sql = readFileSync(path.join(import.meta.dirname, '../../prisma/migrations/20261203170000_translation_memory/migration.sql'), 'utf8');
  const backfill = sql.slice(sql.indexOf('INSERT INTO "tm_segments"'));
  assert.match(backfill, /^INSERT INTO "tm_segments"[\s\S]+;\s*$/);
  const rows = (tx: { $queryRawUnsafe<T>(q: string): Promise<T> }) =>
    tx.$queryRawUnsafe<unknown[]>(`select "articleId", position, "revisionId", "sourceLang", "targetLang", mt, source, approved, anchors from tm_segments order by 1, 2`);
  const written = await rows(t.db);
  assert.ok(written.length >= 8);
  await assert.rejects(
    t.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('delete from tm_segments');
      await tx.$executeRawUnsafe(backfill);
      assert.deepEqual(await rows(tx), written);
      throw new Error('roll back');
    }),
    /roll back/,
  );
  assert.deepEqual(await rows(t.db), written);
});

describe('GET /api/concordance', () => {
  const get = (agent: Agent, filter: object, range?: [number, number]) =>
    agent.get('/api/concordance').query({ filter: JSON.stringify(filter), ...(range ? { range: JSON.stringify(range) } : {}) });

  test('finds a phrase in the MT or the approved text, MT → approved pairs with the article, paged with Content-Range', async () => {
    const all = await get(editor, { q: 'new budget', targetLang: 'en' });
    assert.equal(all.status, 200);
    assert.equal(all.headers['content-range'], 'concordance 0-2/3');
    assert.deepEqual(
      all.body.map((r: { articleId: number; index: number }) => [r.articleId, r.index]),
      [[ids.two, 0], [ids.one, 1], [ids.exact, 0]],
    );
    assert.deepEqual(Object.keys(all.body[0]).sort(), ['approved', 'articleId', 'articleTitle', 'id', 'index', 'mt', 'sourceLang', 'targetLang']);
    const page = await get(editor, { q: 'new budget', targetLang: 'en' }, [1, 1]);
    assert.equal(page.headers['content-range'], 'concordance 1-1/3');
    assert.deepEqual(page.body.map((r: { articleId: number }) => r.articleId), [ids.one]);
    const approvedSide = await get(editor, { q: 'ADOPTED' });
    assert.deepEqual(approvedSide.body.map((r: { articleId: number }) => r.articleId), [ids.one]);
    const german = await get(editor, { q: 'Haushalt', targetLang: 'de' });
    assert.deepEqual(german.body.map((r: { mt: string; approved: string }) => [r.mt, r.approved]), [['The council approved the new budget on Tuesday.', 'Der Rat hat den Haushalt am Dienstag gebilligt.']]);
  });

  test('% and _ in the phrase match themselves, not any text', async () => {
    assert.equal((await get(editor, { q: 'the%budget' })).headers['content-range'], 'concordance 0-0/0');
    assert.equal((await get(editor, { q: 'ne_ budget' })).headers['content-range'], 'concordance 0-0/0');
    assert.equal((await get(editor, { q: 'new budget' })).headers['content-range'], 'concordance 0-3/4');
  });

  test('a phrase shorter than 3 characters or an unknown filter is refused with the field named', async () => {
    const short = await get(editor, { q: 'ne' });
    assert.equal(short.status, 400);
    assert.match(short.body.error.message, /filter\.q: must be at least 3 characters/);
    const unknown = await get(editor, { q: 'budget', lang: 'en' });
    assert.equal(unknown.status, 400);
  });
});

test('the list search matches word prefixes: "Zhej" finds "Zhejiang"', async () => {
  const res = await editor.get('/api/articles').query({ filter: JSON.stringify({ q: 'Zhej' }) });
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.map((r: { id: number }) => r.id), [ids.query]);
});
