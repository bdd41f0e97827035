// /api/import-batches and /api/export-batches: read-only simple-rest lists of
// import and export runs for auditors and admins.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { createTestContext, type TestContext } from '../helpers/app';

type Agent = ReturnType<typeof request.agent>;

let t: TestContext;
const agents: Record<string, Agent> = {};
let adaId: number;
const batch: Record<string, number> = {};

before(async () => {
  t = await createTestContext();
  adaId = await t.makeUser('ada', 'admin');
  await t.makeUser('audrey', 'auditor');
  await t.makeUser('erin', 'editor');
  await t.makeUser('rita', 'reviewer');
  for (const u of ['ada', 'audrey', 'erin', 'rita']) agents[u] = await t.loginAs(u);
  const older = await t.db.importBatch.create({
    data: { name: 'feed-2026-11-20', importerId: adaId, actorName: 'ada', status: 'completed', startedAt: new Date('2026-11-20T08:00:00Z'), finishedAt: new Date('2026-11-20T08:01:00Z'), fileCount: 3, imported: 40, updated: 2, skipped: 1, conflicts: 0, failed: 1, failures: [{ path: 'bad.xml', error: 'not XLIFF' }] },
  });
  const cli = await t.db.importBatch.create({
    data: { name: 'feed-2026-11-21', importerId: null, actorName: 'system', status: 'failed', startedAt: new Date('2026-11-21T08:00:00Z'), fileCount: 1, failed: 1 },
  });
  batch.older = older.id;
  batch.cli = cli.id;
  const exp = await t.db.exportBatch.create({
    data: { exporterId: adaId, actorName: 'ada', status: 'completed', format: 'markdown', outDir: '/srv/out', articleCount: 12, manifestSha256: 'a'.repeat(64), startedAt: new Date('2026-11-21T09:00:00Z') },
  });
  batch.export = exp.id;
});
after(() => t.drop());

describe('import batches', () => {
  test('auditors and admins list them newest first with counts, failures and who ran them', async () => {
    for (const who of ['ada', 'audrey']) {
      const res = await agents[who].get('/api/import-batches');
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-range'], 'import-batches 0-1/2');
      assert.deepEqual(
        res.body.map((b: { id: number; importerName: string; imported: number; failed: number }) => [b.id, b.importerName, b.imported, b.failed]),
        [
          [batch.cli, 'system', 0, 1],
          [batch.older, 'Ada', 40, 1],
        ],
      );
      assert.deepEqual(res.body[1].failures, [{ path: 'bad.xml', error: 'not XLIFF' }]);
    }
  });

  test('filters by status and id (getMany), sorts, and answers one batch', async () => {
    const failed = await agents.ada.get('/api/import-batches').query({ filter: JSON.stringify({ status: 'failed' }) });
    assert.deepEqual(failed.body.map((b: { id: number }) => b.id), [batch.cli]);
    const many = await agents.ada.get('/api/import-batches').query({ filter: JSON.stringify({ id: [batch.older] }) });
    assert.deepEqual(many.body.map((b: { id: number }) => b.id), [batch.older]);
    const byImported = await agents.ada.get('/api/import-batches').query({ sort: JSON.stringify(['imported', 'DESC']) });
    assert.deepEqual(byImported.body.map((b: { id: number }) => b.id), [batch.older, batch.cli]);
    const one = await agents.audrey.get(`/api/import-batches/${batch.older}`);
    assert.equal(one.status, 200);
    assert.equal(one.body.name, 'feed-2026-11-20');
    assert.equal(one.body.importerName, 'Ada');
    assert.equal(one.body.fileCount, 3);
  });

  test('startedAt_lte with a bare date includes that whole day, as for audit events and articles', async () => {
    const ids = async (filter: object) =>
      (await agents.ada.get('/api/import-batches').query({ filter: JSON.stringify(filter) })).body.map((b: { id: number }) => b.id);
    assert.deepEqual(await ids({ startedAt_lte: '2026-11-20' }), [batch.older]);
    assert.deepEqual(await ids({ startedAt_gte: '2026-11-21', startedAt_lte: '2026-11-21' }), [batch.cli]);
    assert.deepEqual(await ids({ startedAt_lte: '2026-11-21T07:59:59Z' }), [batch.older]);
    const bad = await agents.ada.get('/api/import-batches').query({ filter: JSON.stringify({ startedAt_lte: '2026-02-30' }) });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /filter\.startedAt_lte: "2026-02-30" is not a date/);
  });

  test('editors and reviewers are refused; unknown ids, sort fields and filters are errors', async () => {
    for (const who of ['erin', 'rita']) {
      assert.equal((await agents[who].get('/api/import-batches')).status, 403);
      assert.equal((await agents[who].get(`/api/import-batches/${batch.older}`)).status, 403);
    }
    assert.equal((await agents.ada.get('/api/import-batches/999999')).status, 404);
    const badSort = await agents.ada.get('/api/import-batches').query({ sort: JSON.stringify(['options', 'ASC']) });
    assert.equal(badSort.status, 400);
    assert.match(badSort.body.error.message, /Cannot sort by "options"/);
    const badFilter = await agents.ada.get('/api/import-batches').query({ filter: JSON.stringify({ nope: 1 }) });
    assert.equal(badFilter.status, 400);
  });
});

describe('export batches', () => {
  test('auditors list and read them with the exporter name and item count; editors are refused', async () => {
    const res = await agents.audrey.get('/api/export-batches');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-range'], 'export-batches 0-0/1');
    assert.equal(res.body[0].exporterName, 'Ada');
    assert.equal(res.body[0].format, 'markdown');
    assert.equal(res.body[0].articleCount, 12);
    const one = await agents.ada.get(`/api/export-batches/${batch.export}`);
    assert.equal(one.body.itemCount, 0);
    assert.equal(one.body.manifestSha256, 'a'.repeat(64));
    const none = await agents.ada.get('/api/export-batches').query({ filter: JSON.stringify({ format: 'json' }) });
    assert.deepEqual(none.body, []);
    assert.equal((await agents.erin.get('/api/export-batches')).status, 403);
  });
});
