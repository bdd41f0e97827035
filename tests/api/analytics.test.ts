import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { normalisePhrase, replacementPairs } from '../../server/services/analytics';
import { createTestContext, type TestContext } from '../helpers/app';
import { makeArticle } from '../helpers/factories';

type Agent = ReturnType<typeof request.agent>;
let t: TestContext;
let ed: Agent;
let eve: Agent;
let rita: Agent;
let auditor: Agent;
const articleIds: Record<string, number> = {};

/** Saves new paragraph texts through the API as the given editor; returns the new version. */
async function edit(agent: Agent, id: number, version: number, texts: string[]): Promise<number> {
  const res = await agent.put(`/api/articles/${id}`).send({ version, paragraphs: texts.map((text, index) => ({ index, text })) });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.version as number;
}

async function submitAndApprove(id: number, version: number): Promise<void> {
  const submitted = await ed.post(`/api/articles/${id}/transitions`).send({ to: 'in_review', version });
  assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
  const approved = await rita.post(`/api/articles/${id}/transitions`).send({ to: 'approved', version: submitted.body.version });
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
}

before(async () => {
  t = await createTestContext();
  await t.makeUser('ed', 'editor');
  await t.makeUser('eve', 'editor');
  await t.makeUser('rita', 'reviewer');
  await t.makeUser('audrey', 'auditor');
  ed = await t.loginAs('ed');
  eve = await t.loginAs('eve');
  rita = await t.loginAs('rita');
  auditor = await t.loginAs('audrey');

  // Three approved articles: "strike hard" → "crack down" in two of them, "net red" → "internet celebrity" twice in the third.
  const a = await makeArticle(t.db, { title: 'Gangs', paragraphs: ['The police will strike hard on gangs.', 'Arrests began on Monday.'] });
  await submitAndApprove(a.id, await edit(ed, a.id, a.version, ['The police will crack down on gangs.', 'Arrests began on Monday.']));
  const b = await makeArticle(t.db, { title: 'Polluters', paragraphs: ['Officials vowed to Strike hard on polluters.'] });
  await submitAndApprove(b.id, await edit(ed, b.id, b.version, ['Officials vowed to crack down on polluters.']));
  const c = await makeArticle(t.db, { title: 'Fair', paragraphs: ['Robots became the net red of the fair.', 'A dancing robot was another net red.'] });
  await submitAndApprove(c.id, await edit(ed, c.id, c.version, ['Robots became the internet celebrity of the fair.', 'A dancing robot was another internet celebrity.']));
  // Not approved: its correction must not count.
  const d = await makeArticle(t.db, { title: 'Smugglers', paragraphs: ['Customs will strike hard on smugglers.'] });
  await edit(eve, d.id, d.version, ['Customs will crack down on smugglers.']);
  Object.assign(articleIds, { a: a.id, b: b.id, c: c.id, d: d.id });
});
after(() => t.drop());

describe('recurring corrections', () => {
  test('mined from approved revisions, counted by occurrences and distinct articles, most frequent first', async () => {
    const res = await rita.get('/api/analytics/corrections').query({ limit: 50, minCount: 2 });
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.map((r: { mt: string; edited: string; count: number; articles: number; examples: unknown[] }) => ({ mt: r.mt, edited: r.edited, count: r.count, articles: r.articles, examples: r.examples })),
      [
        { mt: 'strike hard', edited: 'crack down', count: 2, articles: 2, examples: [{ articleId: articleIds.a, paragraphIndex: 0 }, { articleId: articleIds.b, paragraphIndex: 0 }] },
        { mt: 'net red', edited: 'internet celebrity', count: 2, articles: 1, examples: [{ articleId: articleIds.c, paragraphIndex: 0 }, { articleId: articleIds.c, paragraphIndex: 1 }] },
      ],
    );
    assert.match(res.body[0].id, /^[0-9a-f]{16}$/);
    assert.notEqual(res.body[0].id, res.body[1].id);
  });

  test('limit and minCount', async () => {
    const one = await ed.get('/api/analytics/corrections').query({ limit: 1 });
    assert.deepEqual(one.body.map((r: { mt: string }) => r.mt), ['strike hard']);
    const none = await ed.get('/api/analytics/corrections').query({ minCount: 3 });
    assert.deepEqual(none.body, []);
    const bad = await ed.get('/api/analytics/corrections').query({ limit: 0 });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /^limit: /);
    const unknown = await ed.get('/api/analytics/corrections').query({ sort: '["count","DESC"]' });
    assert.equal(unknown.status, 400);
    assert.equal(one.headers['content-range'], undefined);
  });

  test('a correction is added to the glossary with one click', async () => {
    const [top] = (await rita.get('/api/analytics/corrections')).body;
    const res = await rita.post('/api/glossary').send({ term: top.edited, preferred: top.edited, forbidden: [top.mt], note: 'from recurring corrections' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual([res.body.term, res.body.preferred, res.body.forbidden], ['crack down', 'crack down', ['strike hard']]);
  });

  test('replacementPairs reads del+ins runs of a stored diff against the MT', () => {
    const diff = {
      truncated: false,
      parts: [
        { op: 'eq' as const, text: 'The police will ' },
        { op: 'del' as const, text: 'strike hard' },
        { op: 'ins' as const, text: 'crack down' },
        { op: 'eq' as const, text: ' on gangs' },
        { op: 'ins' as const, text: ' today' },
        { op: 'eq' as const, text: '. A ' },
        { op: 'del' as const, text: 'very long phrase of seven words here' },
        { op: 'ins' as const, text: 'short' },
        { op: 'eq' as const, text: ' end' },
        { op: 'del' as const, text: 'Beijing' },
        { op: 'ins' as const, text: 'beijing' },
      ],
    };
    assert.deepEqual(replacementPairs(diff), [{ mt: 'strike hard', edited: 'crack down' }]);
    assert.deepEqual(replacementPairs({ ...diff, truncated: true }), []);
    assert.equal(normalisePhrase('  “Strike   Hard,” '), 'strike hard');
  });
});

/** ISO 8601 week of a date, e.g. 2026-W47. */
function isoWeek(d: Date): string {
  const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const dow = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - dow);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

describe('summary', () => {
  test('analytics readers see every editor; figures match the revisions', async () => {
    const res = await auditor.get('/api/analytics/summary').query({ weeks: 3 });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.scope, 'all');

    const revs = await t.db.revision.findMany({ where: { kind: 'edit' }, include: { author: true }, orderBy: { id: 'asc' } });
    const edRates = revs.filter((r) => r.author?.username === 'ed').map((r) => r.editRate);
    const mean = (xs: number[]) => Math.round((xs.reduce((s, x) => s + x, 0) / xs.length) * 10_000) / 10_000;
    assert.deepEqual(
      res.body.editors.map((e: Record<string, unknown>) => [e.username, e.articlesTouched, e.revisions, e.wordsInserted, e.wordsDeleted, e.wordsSubstituted, e.wordsEdited, e.avgEditRate]),
      [
        // ed: 2 words substituted in each of the gang and polluter articles, 2 + 2 in the fair article.
        ['ed', 3, 3, 0, 0, 8, 8, mean(edRates)],
        ['eve', 1, 1, 0, 0, 2, 2, revs.find((r) => r.author?.username === 'eve')!.editRate],
      ],
    );

    assert.equal(res.body.editRate.articles, 4);
    assert.equal(res.body.editRate.buckets.reduce((s: number, b: { count: number }) => s + b.count, 0), 4);
    assert.deepEqual(res.body.editRate.buckets[0], { from: 0, to: 0.05, count: 0 });
    assert.equal(res.body.editRate.buckets.at(-1).to, null);
    const current = await t.db.article.findMany({ where: { id: { in: Object.values(articleIds) } }, select: { editRate: true } });
    assert.equal(res.body.editRate.mean, mean(current.map((a) => a.editRate)));

    assert.equal(res.body.weeks.length, 3);
    const thisWeek = res.body.weeks.at(-1);
    assert.equal(thisWeek.week, isoWeek(new Date()));
    assert.equal(thisWeek.revisions, 4);
    assert.equal(thisWeek.articlesApproved, 3);
    assert.equal(thisWeek.meanEditRate, mean(revs.map((r) => r.editRate)));
    assert.deepEqual(res.body.weeks[0], { ...res.body.weeks[0], revisions: 0, articlesApproved: 0, meanEditRate: null });
  });

  test('an editor without analytics.read sees only their own work', async () => {
    const res = await eve.get('/api/analytics/summary');
    assert.equal(res.status, 200);
    assert.equal(res.body.scope, 'self');
    assert.deepEqual(res.body.editors.map((e: { username: string }) => e.username), ['eve']);
    assert.equal(res.body.editRate.articles, 1);
    assert.equal(res.body.weeks.length, 12);
    assert.equal(res.body.weeks.at(-1).revisions, 1);
    assert.equal(res.body.weeks.at(-1).articlesApproved, 0);
  });

  test('bad parameters answer 400; anonymous callers 401', async () => {
    const res = await auditor.get('/api/analytics/summary').query({ weeks: 500 });
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /^weeks: /);
    assert.equal((await request(t.app).get('/api/analytics/summary')).status, 401);
  });
});
