// The import service against a real database: what one import writes, per-file atomicity with
// chunked statements, re-classification after a concurrent insert, MT updates and conflicts.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { SYSTEM_ACTOR } from '../../server/services/audit';
import { importPaths, type ImportEvent, type ImportOptions } from '../../server/services/import/importer';
import { buildRevisionData, contentHash, searchTextOf } from '../../server/services/revisionData';
import { createTestContext, type TestContext } from '../helpers/app';
import { assertAuditChain } from '../helpers/audit';

let t: TestContext;
let dir = '';
let fileNo = 0;

before(async () => {
  t = await createTestContext();
  dir = await mkdtemp(path.join(tmpdir(), 'copydesk-import-svc-'));
});
after(async () => {
  await t.drop();
  await rm(dir, { recursive: true, force: true });
});

const ndjson = (...objects: object[]): string => objects.map((o) => JSON.stringify(o)).join('\n') + '\n';

async function file(name: string, content: string): Promise<string> {
  const p = path.join(dir, `${fileNo++}-${name}`);
  await writeFile(p, content);
  return p;
}

function run(paths: string[], options: ImportOptions = {}, onProgress?: Parameters<typeof importPaths>[4]) {
  return importPaths(t.db, paths, { maxBytes: 1_000_000, ...options }, { ...SYSTEM_ACTOR, ip: 'test' }, onProgress);
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await t.query<{ n: string }>(`select count(*) as n from (${sql}) x`, params);
  return Number(rows[0].n);
}

describe('importPaths', () => {
  test('writes the article, its paragraphs, revision 1, the status change and the audit events, and records the batch', async () => {
    const p = await file(
      'one.json',
      JSON.stringify({
        externalId: 'svc-1',
        title: 'Harbour  reopens',
        paragraphs: ['The harbour reopened on Friday.', 'Ships queued overnight.'],
        source: { title: '港口重新开放', paragraphs: ['港口周五重新开放。', '船只连夜排队。'] },
        sourceLang: 'zh',
        targetLang: 'en',
        publishedAt: '2024-05-18T08:00:00Z',
        metadata: { desk: 'economy' },
      }),
    );
    const events: ImportEvent['type'][] = [];
    const rep = await run([p], { batchName: 'svc batch' }, (_p, e) => events.push(e.type));
    assert.deepEqual(rep.totals, { files: 1, failedFiles: 0, articles: 1, imported: 1, updated: 0, skipped: 0, conflicts: 0 });
    assert.deepEqual(events, ['start', 'article', 'file', 'done']);

    const { rows: [a] } = await t.query(`select * from articles where "externalId" = 'svc-1'`);
    assert.equal(a.title, 'Harbour reopens');
    assert.equal(a.mtTitle, 'Harbour reopens');
    assert.equal(a.sourceTitle, '港口重新开放');
    assert.equal(a.contentHash, contentHash('Harbour reopens', ['The harbour reopened on Friday.', 'Ships queued overnight.']));
    assert.deepEqual([a.status, a.version, a.revisionCount, a.editRate], ['mt_draft', 1, 1, 0]);
    assert.deepEqual([a.sourceLang, a.targetLang, a.publishedAt.toISOString()], ['zh', 'en', '2024-05-18T08:00:00.000Z']);
    assert.deepEqual(a.metadata, { desk: 'economy' });
    assert.equal(a.importBatchId, rep.batchId);
    assert.equal(a.mtWordCount, 10);
    assert.equal(a.wordCount, 10);
    assert.equal(a.searchText, 'Harbour reopens\nThe harbour reopened on Friday.\nShips queued overnight.');
    assert.equal(a.searchText, searchTextOf({ title: a.title, paragraphs: ['The harbour reopened on Friday.', 'Ships queued overnight.'] }));

    const { rows: paras } = await t.query(`select position, mt, text, source from paragraphs where "articleId" = $1 order by position`, [a.id]);
    assert.deepEqual(paras, [
      { position: 0, mt: 'The harbour reopened on Friday.', text: 'The harbour reopened on Friday.', source: '港口周五重新开放。' },
      { position: 1, mt: 'Ships queued overnight.', text: 'Ships queued overnight.', source: '船只连夜排队。' },
    ]);
    const { rows: [rev] } = await t.query(`select * from revisions where "articleId" = $1`, [a.id]);
    assert.deepEqual([rev.number, rev.articleVersion, rev.kind, rev.authorId, rev.title], [1, 1, 'import', null, 'Harbour reopens']);
    assert.deepEqual(rev.paragraphs, ['The harbour reopened on Friday.', 'Ships queued overnight.']);
    assert.equal(rev.diffs.paragraphs.length, 2);
    assert.deepEqual(rev.diffs.paragraphs[1], { prev: null, mt: { parts: [{ op: 'eq', text: 'Ships queued overnight.' }], truncated: false } });
    assert.equal(rev.stats.mt.mtWords, 10);
    const mt = { title: 'Harbour reopens', paragraphs: ['The harbour reopened on Friday.', 'Ships queued overnight.'] };
    const computed = buildRevisionData(null, mt, mt);
    assert.deepEqual({ diffs: rev.diffs, stats: rev.stats, editRate: rev.editRate }, { diffs: computed.diffs, stats: computed.stats, editRate: computed.editRate });
    assert.equal(rev.stats.mt.editRate, 0);
    const { rows: changes } = await t.query(`select "fromStatus", "toStatus", "actorId", "revisionId" from status_changes where "articleId" = $1`, [a.id]);
    assert.deepEqual(changes, [{ fromStatus: null, toStatus: 'mt_draft', actorId: null, revisionId: rev.id }]);
    const { rows: audit } = await t.query(`select action, entity, "entityId", "actorName", ip, data from audit_events order by id desc limit 2`);
    assert.deepEqual(audit[1], {
      action: 'article.import',
      entity: 'article',
      entityId: String(a.id),
      actorName: 'system',
      ip: 'test',
      data: { batchId: rep.batchId, externalId: 'svc-1', revisionId: rev.id, paragraphs: 2, file: p, line: 1 },
    });
    assert.equal(audit[0].action, 'import.batch');
    assert.equal(audit[0].entityId, String(rep.batchId));
    assert.equal(audit[0].data.imported, 1);

    const { rows: [batch] } = await t.query(`select * from import_batches where id = $1`, [rep.batchId]);
    assert.equal(batch.name, 'svc batch');
    assert.equal(batch.status, 'completed');
    assert.ok(batch.finishedAt instanceof Date);
    assert.deepEqual([batch.fileCount, batch.imported, batch.skipped, batch.updated, batch.conflicts, batch.failed], [1, 1, 0, 0, 0, 0]);
    assert.deepEqual(batch.files, [
      { path: p, format: 'json', status: 'ok', articles: 1, imported: 1, updated: 0, skipped: 0, conflicts: 0, notes: ['line 1: collapsed repeated spaces in the title'], conflictList: [], updatedList: [] },
    ]);
    assert.equal(batch.options.format, 'auto');
    await assertAuditChain(t);
  });

  test('revision 1 and searchText match buildRevisionData / searchTextOf for awkward text', async () => {
    const texts = [
      { title: 'Quotes "double" and \\ backslash', paragraphs: ['He said: "no \\ comment".', '滨海市 2.3 万人次 — emoji 🎆 and ’curly’ quotes.', 'Tab\tless'] },
      { title: 'Ünïcödé title', paragraphs: ['A single paragraph with a very long word ' + 'x'.repeat(2000) + '.'] },
    ];
    const p = await file('awkward.json', JSON.stringify(texts.map((x, i) => ({ externalId: `awk-${i}`, ...x }))));
    await run([p]);
    for (const [i] of texts.entries()) {
      const { rows: [a] } = await t.query(`select a.title, a."searchText", r.paragraphs, r.diffs, r.stats from articles a join revisions r on r."articleId" = a.id where a."externalId" = $1`, [`awk-${i}`]);
      const mt = { title: a.title as string, paragraphs: a.paragraphs as string[] };
      const computed = buildRevisionData(null, mt, mt);
      assert.equal(a.searchText, searchTextOf(mt));
      assert.deepEqual(a.diffs, computed.diffs);
      assert.deepEqual(a.stats, computed.stats);
    }
  });

  test('a file that fails after some chunks were written leaves nothing behind; the next file goes on', async () => {
    const lines = Array.from({ length: 5 }, (_, i) => ({ externalId: `atomic-${i}`, title: `Atomic ${i}`, paragraphs: [`Atomic body ${i}.`] }));
    const bad = await file('bad.ndjson', ndjson(...lines) + '{"externalId": "atomic-5", "title": ""}\n');
    const good = await file('good.ndjson', ndjson({ externalId: 'after-bad', title: 'After the bad file', paragraphs: ['Still imported.'] }));
    const before = await count(`select 1 from audit_events`);
    // chunkSize 2: two chunks of the bad file are inserted before its sixth line fails.
    const rep = await run([bad, good], { chunkSize: 2 });
    assert.equal(rep.totals.failedFiles, 1);
    assert.match(rep.failures[0].error, new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:6: title: `));
    assert.equal(rep.totals.imported, 1);
    assert.equal(await count(`select 1 from articles where "externalId" like 'atomic-%'`), 0);
    assert.equal(await count(`select 1 from revisions r join articles a on a.id = r."articleId" where a.title like 'Atomic %'`), 0);
    assert.equal(await count(`select 1 from audit_events where data->>'file' = $1`, [bad]), 0);
    assert.equal(await count(`select 1 from articles where "externalId" = 'after-bad'`), 1);
    assert.equal((await count(`select 1 from audit_events`)) - before, 2); // after-bad's event and the batch event
    await assertAuditChain(t);
  });

  test('duplicates within a file are skipped, also across chunk boundaries and under another externalId', async () => {
    const p = await file(
      'dups.ndjson',
      ndjson(
        { title: 'Dup A', paragraphs: ['Same text A.'] },
        { externalId: 'dup-b', title: 'Dup B', paragraphs: ['Text B.'] },
        { title: 'Dup C', paragraphs: ['Text C.'] },
        { title: 'Dup A', paragraphs: ['Same text A.'] },
        { externalId: 'dup-b2', title: 'Dup B', paragraphs: ['Text B.'] },
      ),
    );
    const rep = await run([p], { chunkSize: 2 });
    assert.deepEqual(rep.totals, { files: 1, failedFiles: 0, articles: 5, imported: 3, updated: 0, skipped: 2, conflicts: 0 });
    assert.equal(await count(`select 1 from articles where title like 'Dup %'`), 3);
    assert.equal(await count(`select 1 from articles where "externalId" = 'dup-b2'`), 0);
  });

  test('an article another transaction is inserting makes the import wait, then count it as skipped', async () => {
    const title = 'Raced article';
    const paragraphs = ['Written by somebody else first.'];
    const p = await file('race.ndjson', ndjson({ externalId: 'race-x', title, paragraphs }, { externalId: 'race-y', title: 'Not raced', paragraphs: ['Free.'] }));
    const other = new pg.Client({ connectionString: t.url });
    await other.connect();
    try {
      await other.query('begin');
      await other.query(`insert into articles ("externalId", "contentHash", title, "mtTitle") values ('race-x', $1, $2, $2)`, [contentHash(title, paragraphs), title]);
      const running = run([p]);
      // The importer's INSERT … ON CONFLICT DO NOTHING now waits for our uncommitted row.
      const deadline = Date.now() + 20_000;
      while ((await count(`select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`)) === 0) {
        assert.ok(Date.now() < deadline, 'the importer never waited for the concurrent insert');
        await new Promise((r) => setTimeout(r, 50));
      }
      await other.query('commit');
      const rep = await running;
      assert.deepEqual(rep.totals, { files: 1, failedFiles: 0, articles: 2, imported: 1, updated: 0, skipped: 1, conflicts: 0 });
      assert.equal(await count(`select 1 from articles where "externalId" = 'race-x'`), 1);
      assert.equal(await count(`select 1 from revisions r join articles a on a.id = r."articleId" where a."externalId" = 'race-x'`), 0);
      assert.equal(await count(`select 1 from articles where "externalId" = 'race-y'`), 1);
    } finally {
      await other.end();
    }
  });

  test('MT updates stack up while the draft is untouched; a status change or identical text makes a conflict', async () => {
    const v = (n: number, extra: object = {}) => ndjson({ externalId: 'upd-1', title: `Update v${n}`, paragraphs: [`Version ${n} text.`], ...extra });
    await run([await file('v1.ndjson', v(1))]);
    const r2 = await run([await file('v2.ndjson', v(2))]);
    const r3 = await run([await file('v3.ndjson', v(3, { metadata: { round: 3 } }))]);
    assert.equal(r2.totals.updated, 1);
    assert.equal(r3.totals.updated, 1);
    const { rows: [a] } = await t.query(`select id, title, version, "revisionCount", metadata, "importBatchId" from articles where "externalId" = 'upd-1'`);
    assert.deepEqual([a.title, a.version, a.revisionCount, a.metadata, a.importBatchId], ['Update v3', 3, 3, { round: 3 }, r3.batchId]);
    const { rows: revs } = await t.query(`select number, "articleVersion", kind, paragraphs, diffs from revisions where "articleId" = $1 order by number`, [a.id]);
    assert.deepEqual(revs.map((r) => [r.number, r.articleVersion, r.kind]), [[1, 1, 'import'], [2, 2, 'mt_update'], [3, 3, 'mt_update']]);
    assert.deepEqual(revs[2].paragraphs, ['Version 3 text.']);
    // Revision 3 diffs against revision 2's text.
    assert.deepEqual(revs[2].diffs.paragraphs[0].prev.parts.filter((x: { op: string }) => x.op !== 'eq'), [
      { op: 'del', text: '2' },
      { op: 'ins', text: '3' },
    ]);

    // Another article already holds the text of the next version: content hashes are unique.
    await run([await file('other.ndjson', ndjson({ externalId: 'upd-other', title: 'Update v4', paragraphs: ['Version 4 text.'] }))]);
    const clash = await run([await file('v4.ndjson', v(4))]);
    assert.equal(clash.totals.conflicts, 1);
    assert.match(clash.files[0].conflictList[0].reason, /the new MT text for article #\d+ \(externalId "upd-1"\) is identical to article #\d+ \(externalId "upd-other"\)/);

    // Archived without any edit: not an MT draft any more, so not overwritten.
    await t.query(`update articles set status = 'archived' where id = $1`, [a.id]);
    const archived = await run([await file('v5.ndjson', v(5))]);
    assert.equal(archived.totals.conflicts, 1);
    assert.deepEqual(archived.files[0].conflictList, [
      { articleId: a.id, externalId: 'upd-1', line: 1, reason: `article #${a.id} (externalId "upd-1") has new MT text in this file, but its status is archived; it was left unchanged` },
    ]);
    const { rows: [after] } = await t.query(`select title, version, "revisionCount" from articles where id = $1`, [a.id]);
    assert.deepEqual([after.title, after.version, after.revisionCount], ['Update v3', 3, 3]);
    await assertAuditChain(t);
  });

  test('a dry run writes nothing and classifies later files against what earlier ones would create', async () => {
    const a = await file('dry-a.ndjson', ndjson({ externalId: 'dry-s-1', title: 'Dry first', paragraphs: ['First.'] }));
    const b = await file('dry-b.ndjson', ndjson({ externalId: 'dry-s-1', title: 'Dry first, revised', paragraphs: ['First, revised.'] }));
    const before = await count(`select 1 from audit_events`);
    const batches = await count(`select 1 from import_batches`);
    const rep = await run([a, b], { dryRun: true });
    assert.equal(rep.batchId, null);
    assert.deepEqual(
      rep.files.map((f) => [f.imported, f.updated]),
      [
        [1, 0],
        [0, 1],
      ],
    );
    assert.equal(await count(`select 1 from articles where "externalId" = 'dry-s-1'`), 0);
    assert.equal(await count(`select 1 from audit_events`), before);
    assert.equal(await count(`select 1 from import_batches`), batches);
  });
});
