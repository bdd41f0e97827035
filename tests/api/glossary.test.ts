import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { parseCsv } from '../../server/services/glossary';
import { createTestContext, type TestContext } from '../helpers/app';

type Agent = ReturnType<typeof request.agent>;
let t: TestContext;
let reviewer: Agent;
let editor: Agent;

before(async () => {
  t = await createTestContext();
  await t.makeUser('rita', 'reviewer');
  await t.makeUser('ed', 'editor');
  reviewer = await t.loginAs('rita');
  editor = await t.loginAs('ed');
});
after(() => t.drop());

const auditActions = async (action: string) => (await t.db.auditEvent.findMany({ where: { action }, orderBy: { id: 'asc' } })).map((e) => e.data as Record<string, unknown>);

describe('glossary resource', () => {
  test('create, read, list with q and sort, update and delete; writes are audited', async () => {
    const created = await reviewer.post('/api/glossary').send({ term: 'crack down', preferred: 'crack down', forbidden: ['strike hard', ' strike  hard against '], sourceTerm: '严厉打击', note: 'MT renders 严厉打击 literally' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(
      { ...created.body, id: undefined, createdAt: undefined, updatedAt: undefined },
      { id: undefined, term: 'crack down', preferred: 'crack down', forbidden: ['strike hard', 'strike hard against'], sourceTerm: '严厉打击', note: 'MT renders 严厉打击 literally', createdAt: undefined, updatedAt: undefined },
    );
    const second = await reviewer.post('/api/glossary').send({ term: 'internet celebrity', preferred: 'internet celebrity', forbidden: ['net red'] });
    assert.equal(second.status, 201);
    assert.equal(second.body.sourceTerm, null);
    assert.equal(second.body.note, '');

    const list = await editor.get('/api/glossary').query({ sort: JSON.stringify(['term', 'DESC']), range: '[0,9]' });
    assert.equal(list.status, 200);
    assert.equal(list.headers['content-range'], 'glossary 0-1/2');
    assert.deepEqual(list.body.map((g: { term: string }) => g.term), ['internet celebrity', 'crack down']);
    const q = await editor.get('/api/glossary').query({ filter: JSON.stringify({ q: 'NET R' }) });
    assert.deepEqual(q.body.map((g: { term: string }) => g.term), ['internet celebrity']);
    const many = await editor.get('/api/glossary').query({ filter: JSON.stringify({ id: [created.body.id] }) });
    assert.deepEqual(many.body.map((g: { id: number }) => g.id), [created.body.id]);
    assert.equal((await editor.get(`/api/glossary/${created.body.id}`)).body.term, 'crack down');

    const updated = await reviewer.put(`/api/glossary/${second.body.id}`).send({ ...second.body, forbidden: ['net red', 'web celebrity'] });
    assert.equal(updated.status, 200);
    assert.deepEqual(updated.body.forbidden, ['net red', 'web celebrity']);
    const removed = await reviewer.delete(`/api/glossary/${second.body.id}`).set('X-Requested-With', 'XMLHttpRequest');
    assert.equal(removed.status, 200);
    assert.equal((await editor.get(`/api/glossary/${second.body.id}`)).status, 404);

    assert.equal((await auditActions('glossary.create')).length, 2);
    assert.deepEqual((await auditActions('glossary.update'))[0].changes, { forbidden: [['net red'], ['net red', 'web celebrity']] });
    assert.equal((await auditActions('glossary.delete'))[0].term, 'internet celebrity');
  });

  test('editors read but may not write', async () => {
    const res = await editor.post('/api/glossary').send({ term: 'x', preferred: 'y' });
    assert.equal(res.status, 403);
    assert.equal(await t.db.glossaryEntry.count({ where: { term: 'x' } }), 0);
  });

  test('bad input names the field and writes nothing', async () => {
    const before = await t.db.glossaryEntry.count();
    const empty = await reviewer.post('/api/glossary').send({ term: '  ', preferred: 'x' });
    assert.equal(empty.status, 400);
    assert.match(empty.body.error.message, /^term: must not be empty/);
    const self = await reviewer.post('/api/glossary').send({ term: 'drone', preferred: 'drone', forbidden: ['Drone'] });
    assert.equal(self.status, 400);
    assert.match(self.body.error.message, /^forbidden\.0: cannot forbid the preferred term "drone"/);
    const pipe = await reviewer.post('/api/glossary').send({ term: 'drone', preferred: 'drone', forbidden: ['a|b'] });
    assert.match(pipe.body.error.message, /must not contain "\|"/);
    const dup = await reviewer.post('/api/glossary').send({ term: 'Crack Down', preferred: 'crack down' });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.code, 'term_taken');
    assert.equal(await t.db.glossaryEntry.count(), before);
  });

  test('a recurring correction becomes an entry with one click', async () => {
    const res = await reviewer.post('/api/glossary').send({ term: 'mobilization meeting', preferred: 'mobilization meeting', forbidden: ['mobilize conference'], note: 'from recurring corrections' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.note, 'from recurring corrections');
  });
});

describe('CSV export and import', () => {
  test('export is RFC 4180 CSV with forbidden joined by |', async () => {
    const made = await reviewer.post('/api/glossary').send({ term: 'quote "test", here', preferred: 'line\n break', forbidden: ['a', 'b, c'], note: 'first line\nsecond line' });
    assert.equal(made.body.preferred, 'line break');
    const res = await editor.get('/api/glossary/export.csv');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^text\/csv/);
    const lines = res.text.split('\r\n');
    assert.equal(lines[0], 'term,preferred,forbidden,sourceTerm,note');
    assert.ok(res.text.includes('"quote ""test"", here",line break,"a|b, c",,"first line\nsecond line"\r\n'), res.text);
    assert.ok(res.text.includes('crack down,crack down,strike hard|strike hard against,严厉打击,MT renders 严厉打击 literally\r\n'));
  });

  test('round trip: export → import replace → identical export', async () => {
    const first = (await editor.get('/api/glossary/export.csv')).text;
    const imported = await reviewer.post('/api/glossary/import').send({ csv: first, mode: 'replace' });
    assert.equal(imported.status, 200, JSON.stringify(imported.body));
    const rows = await t.db.glossaryEntry.count();
    assert.equal(rows, 3);
    assert.deepEqual(imported.body, { mode: 'replace', rows, created: rows, updated: 0, unchanged: 0, deleted: rows });
    const second = (await editor.get('/api/glossary/export.csv')).text;
    assert.equal(second, first);
    const audits = await auditActions('glossary.import');
    assert.deepEqual(audits[audits.length - 1], { mode: 'replace', rows, created: rows, updated: 0, unchanged: 0, deleted: rows });
  });

  test('merge updates matching terms, adds new ones and keeps the rest', async () => {
    const before = await t.db.glossaryEntry.count();
    const csv = 'term,preferred,forbidden\r\nCrack down,crack down,strike hard\r\nfry,fry,young fish|fries\r\n';
    const res = await reviewer.post('/api/glossary/import').send({ csv, mode: 'merge' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, { mode: 'merge', rows: 2, created: 1, updated: 1, unchanged: 0, deleted: 0 });
    assert.equal(await t.db.glossaryEntry.count(), before + 1);
    // The file's spelling of a matched term wins.
    const crack = await t.db.glossaryEntry.findUniqueOrThrow({ where: { term: 'Crack down' } });
    assert.deepEqual(crack.forbidden, ['strike hard']);
    // Columns left out of the file keep their values.
    assert.equal(crack.sourceTerm, '严厉打击');
  });

  test('a bad row is a 400 naming the line and field, and nothing is written', async () => {
    const before = await t.query('select term, preferred, forbidden, "sourceTerm", note from glossary_entries order by id');
    const auditsBefore = await t.db.auditEvent.count();
    const csv = 'term,preferred,forbidden,sourceTerm,note\nbrand new,brand new,,,\n"multi\nline",ok,,,\nbroken,,,,\n';
    const res = await reviewer.post('/api/glossary/import').send({ csv, mode: 'replace' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.message, 'csv: line 5: preferred: must not be empty');
    assert.deepEqual(res.body.error.details, { line: 5, field: 'preferred' });
    const dup = await reviewer.post('/api/glossary/import').send({ csv: 'term,preferred\nfry,fry\nFRY,fry\n', mode: 'merge' });
    assert.equal(dup.body.error.message, 'csv: line 3: term: "FRY" is already on line 2.');
    const header = await reviewer.post('/api/glossary/import').send({ csv: 'term,preferred,colour\nx,y,z\n', mode: 'merge' });
    assert.match(header.body.error.message, /^csv: line 1: unknown column "colour"/);
    const mode = await reviewer.post('/api/glossary/import').send({ csv: 'term,preferred\nx,y\n', mode: 'append' });
    assert.equal(mode.body.error.message, 'mode: must be "merge" or "replace"');
    assert.deepEqual((await t.query('select term, preferred, forbidden, "sourceTerm", note from glossary_entries order by id')).rows, before.rows);
    assert.equal(await t.db.auditEvent.count(), auditsBefore);
  });
});

test('parseCsv follows RFC 4180', () => {
  assert.deepEqual(parseCsv('\uFEFFa,b\r\n"x, y","he said ""hi"""\n\n"multi\nline",\n'), [
    { line: 1, fields: ['a', 'b'] },
    { line: 2, fields: ['x, y', 'he said "hi"'] },
    { line: 4, fields: ['multi\nline', ''] },
  ]);
  assert.throws(() => parseCsv('a,b\n"open,b\n'), /line 2: a quoted field is never closed/);
  assert.throws(() => parseCsv('a,b\nx"y,b\n'), /line 2: a quote inside an unquoted field/);
});
