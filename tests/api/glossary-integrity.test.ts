import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { parseCsv } from '../../server/services/glossary';
import { createTestContext, type TestContext } from '../helpers/app';

type Agent = ReturnType<typeof request.agent>;
let t: TestContext;
let admin: Agent;
let reviewer: Agent;

before(async () => {
  t = await createTestContext();
  await t.makeUser('adam', 'admin');
  await t.makeUser('rita', 'reviewer');
  admin = await t.loginAs('adam');
  reviewer = await t.loginAs('rita');
});
after(() => t.drop());

describe('glossary CSV export defuses spreadsheet formulas', () => {
  test('formula-like cells are written as text and a re-import restores them exactly', async () => {
    await t.query('delete from glossary_entries');
    const hostile = [
      { term: '=HYPERLINK("http://evil.example","click")', preferred: '+1+1', forbidden: ['-2+3', 'plain'], sourceTerm: '@SUM(A1:A9)', note: '=cmd|\' /C calc\'!A0' },
      { term: "'=already quoted", preferred: 'ok', forbidden: [], sourceTerm: null, note: '' },
    ];
    for (const h of hostile) assert.equal((await reviewer.post('/api/glossary').send(h)).status, 201);
    const res = await reviewer.get('/api/glossary/export.csv');
    assert.equal(res.status, 200);
    const [header, ...rows] = parseCsv(res.text);
    assert.deepEqual(header.fields, ['term', 'preferred', 'forbidden', 'sourceTerm', 'note']);
    for (const r of rows) for (const f of r.fields) assert.doesNotMatch(f, /^[=+\-@\t\r]/, `a live formula cell: ${f}`);
    const byTerm = new Map(rows.map((r) => [r.fields[0], r.fields]));
    assert.deepEqual(byTerm.get(`'=HYPERLINK("http://evil.example","click")`), [`'=HYPERLINK("http://evil.example","click")`, "'+1+1", "'-2+3|plain", "'@SUM(A1:A9)", "'=cmd|' /C calc'!A0"]);
    assert.deepEqual(byTerm.get("''=already quoted"), ["''=already quoted", 'ok', '', '', '']);

    const imported = await reviewer.post('/api/glossary/import').send({ csv: res.text, mode: 'replace' });
    assert.equal(imported.status, 200, JSON.stringify(imported.body));
    const back = await t.db.glossaryEntry.findMany({ orderBy: { term: 'asc' }, select: { term: true, preferred: true, forbidden: true, sourceTerm: true, note: true } });
    assert.deepEqual(back, [...hostile].sort((a, b) => (a.term < b.term ? -1 : 1)));
    assert.equal((await reviewer.get('/api/glossary/export.csv')).text, res.text);
  });
});

describe('glossary terms are unique case-insensitively, enforced by the database', () => {
  test('parallel creates of one term in different cases: exactly one wins, the others get 409 naming the term', async () => {
    const spellings = ['Belt and Road', 'belt and road', 'BELT AND ROAD', 'Belt And Road', 'belt and ROAD', 'bElT aNd RoAd', 'Belt and road', 'belt And road'];
    // Several rounds: one round of parallel requests does not always interleave the check and the insert.
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all(spellings.map((s) => reviewer.post('/api/glossary').send({ term: `${s} ${round}`, preferred: 'Belt and Road Initiative' })));
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(statuses, [201, ...Array(spellings.length - 1).fill(409)], JSON.stringify(results.map((r) => r.body)));
      for (const r of results.filter((x) => x.status === 409)) {
        assert.equal(r.body.error.code, 'term_taken');
        assert.match(r.body.error.message, new RegExp(`^term: "belt and road ${round}" (is already in|was added to) the glossary`, 'i'));
        assert.equal(r.body.error.details.field, 'term');
      }
      assert.equal(await t.db.glossaryEntry.count({ where: { term: { equals: `belt and road ${round}`, mode: 'insensitive' } } }), 1);
      const audited = await t.query<{ n: number }>(`select count(*)::int as n from audit_events where action = 'glossary.create' and lower(data->>'term') = $1`, [`belt and road ${round}`]);
      assert.equal(audited.rows[0].n, 1);
    }
  });

  test('a rename onto another entry\'s term in parallel cannot create a duplicate either', async () => {
    const a = await reviewer.post('/api/glossary').send({ term: 'alpha term', preferred: 'x' });
    const b = await reviewer.post('/api/glossary').send({ term: 'beta term', preferred: 'y' });
    const [ra, rb] = await Promise.all([
      reviewer.put(`/api/glossary/${a.body.id}`).send({ term: 'Gamma Term', preferred: 'x' }),
      reviewer.put(`/api/glossary/${b.body.id}`).send({ term: 'gamma term', preferred: 'y' }),
    ]);
    assert.deepEqual([ra.status, rb.status].sort(), [200, 409]);
    assert.equal(await t.db.glossaryEntry.count({ where: { term: { equals: 'gamma term', mode: 'insensitive' } } }), 1);
  });

  test('the database itself refuses a case variant written below the application', async () => {
    await t.query(`insert into glossary_entries (term, preferred, "updatedAt") values ('Zeta Term', 'x', now())`);
    await assert.rejects(
      t.query(`insert into glossary_entries (term, preferred, "updatedAt") values ('ZETA TERM', 'x', now())`),
      (err: { code?: string }) => err.code === '23505',
    );
  });
});

describe('text search treats % and _ as text', () => {
  before(async () => {
    for (const term of ['50% rule', '500 rule', 'a_b rule', 'axb rule']) {
      assert.equal((await reviewer.post('/api/glossary').send({ term, preferred: term, forbidden: [`${term} variant`], note: `${term} note` })).status, 201);
    }
  });

  const glossary = async (q: string) => ((await reviewer.get('/api/glossary').query({ filter: JSON.stringify({ q }) })).body as Array<{ term: string }>).map((g) => g.term).sort();

  test('glossary: "50%" finds "50% rule" and not "500 rule"; "a_b" does not find "axb"', async () => {
    assert.deepEqual(await glossary('50%'), ['50% rule']);
    assert.deepEqual(await glossary('a_b'), ['a_b rule']);
    assert.deepEqual(await glossary('%'), ['50% rule']);
    assert.deepEqual(await glossary('\\'), []);
  });

  test('users, assignees, batches and the audit log search literally too', async () => {
    await t.makeUser('pct50%x', 'editor');
    await t.makeUser('pct500x', 'editor');
    await t.makeUser('und_er', 'editor');
    await t.makeUser('undxer', 'editor');
    const users = async (q: string) => ((await admin.get('/api/users').query({ filter: JSON.stringify({ q }) })).body as Array<{ username: string }>).map((u) => u.username).sort();
    assert.deepEqual(await users('50%'), ['pct50%x']);
    assert.deepEqual(await users('und_er'), ['und_er']);
    // Assignees are listed by display name only (the factory capitalises the username).
    const assignees = async (q: string) => ((await admin.get('/api/assignees').query({ filter: JSON.stringify({ q }) })).body as Array<{ displayName: string }>).map((u) => u.displayName).sort();
    assert.deepEqual(await assignees('50%'), ['Pct50%x']);
    await t.query(`insert into import_batches (name, "actorName", status) values ('feed 50%', 'importer', 'completed'), ('feed 500', 'importer', 'completed')`);
    const batches = ((await admin.get('/api/import-batches').query({ filter: JSON.stringify({ q: '50%' }) })).body as Array<{ name: string }>).map((b) => b.name);
    assert.deepEqual(batches, ['feed 50%']);
    const audit = async (q: string) => ((await admin.get('/api/audit-events').query({ filter: JSON.stringify({ q }) })).body as Array<{ actorName: string }>).map((e) => e.actorName);
    // The audit log's q matches the start of actor names and actions: "_dam" must not match "adam".
    assert.deepEqual(await audit('_dam'), []);
    assert.ok((await audit('ada')).length > 0);
  });
});
