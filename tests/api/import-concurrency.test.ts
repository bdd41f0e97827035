// Writing several import files at once (importPaths' `concurrency`): the run must come out exactly
// as writing the files one after the other — same classification of every article, same rows,
// same report, audit events in file order — and a failing file still leaves nothing behind.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SYSTEM_ACTOR } from '../../server/services/audit';
import { checkImportOptions, importPaths, type ImportEvent, type ImportOptions, type ImportReport } from '../../server/services/import/importer';
import { contentHash } from '../../server/services/revisionData';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { assertAuditChain } from '../helpers/audit';

let sequential: TestDatabase;
let concurrent: TestDatabase;
let dir = '';

before(async () => {
  sequential = await createTestDatabase();
  concurrent = await createTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'copydesk-import-conc-'));
});
after(async () => {
  await Promise.all([sequential?.drop(), concurrent?.drop()]);
  await rm(dir, { recursive: true, force: true });
});

const ndjson = (...objects: object[]): string => objects.map((o) => JSON.stringify(o)).join('\n') + '\n';
const art = (externalId: string | undefined, title: string, body = `${title} body.`) => ({ ...(externalId ? { externalId } : {}), title, paragraphs: [body, `${title} second paragraph.`] });

async function folder(name: string, files: Record<string, string>): Promise<string> {
  const root = path.join(dir, name);
  await mkdir(root, { recursive: true });
  for (const [rel, content] of Object.entries(files)) await writeFile(path.join(root, rel), content);
  return root;
}

function run(db: TestDatabase, paths: string[], options: ImportOptions = {}, onProgress?: Parameters<typeof importPaths>[4]): Promise<ImportReport> {
  return importPaths(db.db, paths, { maxBytes: 1_000_000, ...options }, { ...SYSTEM_ACTOR, ip: 'test' }, onProgress);
}

/** The report without its timestamps. */
function stable(r: ImportReport): Omit<ImportReport, 'startedAt' | 'finishedAt'> {
  const { startedAt: _s, finishedAt: _f, ...rest } = r;
  return rest;
}

/**
 * Everything an import writes, with row ids replaced by what identifies the row to a user
 * (an article by its externalId, or its text when it has none): ids of files written at the
 * same time may interleave, nothing else may differ.
 */
async function contentOf(db: TestDatabase): Promise<unknown> {
  const { rows: articles } = await db.query<Record<string, unknown> & { id: number; externalId: string | null; contentHash: string }>(
    `select id, "externalId", "contentHash", title, "mtTitle", status, version, "revisionCount", "importBatchId", "mtWordCount", "wordCount", "editRate", "searchText", metadata, "publishedAt"
       from articles`,
  );
  const key = new Map(articles.map((a) => [a.id, a.externalId ?? `text:${a.contentHash}`]));
  const keyOf = (id: unknown) => key.get(Number(id)) ?? `missing #${String(id)}`;
  const { rows: revisions } = await db.query<{ id: number; articleId: number; number: number } & Record<string, unknown>>(
    `select id, "articleId", number, "articleVersion", kind, "authorId", title, paragraphs, diffs, stats, "editRate", "wordsInserted", "wordsDeleted", "wordsSubstituted" from revisions`,
  );
  const revKey = new Map(revisions.map((r) => [r.id, `${keyOf(r.articleId)}@${r.number}`]));
  const { rows: paragraphs } = await db.query(`select "articleId", position, mt, text, source from paragraphs`);
  const { rows: changes } = await db.query(`select "articleId", "fromStatus", "toStatus", note, "revisionId" from status_changes`);
  const { rows: events } = await db.query(`select action, entity, "entityId", "actorName", data from audit_events order by id`);
  const sortBy = <T,>(xs: T[], f: (x: T) => string) => xs.map((x) => [f(x), x] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, x]) => x);
  return {
    articles: sortBy(articles.map(({ id: _id, ...a }) => ({ key: key.get(_id), ...a })), (a) => String(a.key)),
    revisions: sortBy(revisions.map(({ id, articleId, ...r }) => ({ key: revKey.get(id), article: keyOf(articleId), ...r })), (r) => String(r.key)),
    paragraphs: sortBy(paragraphs.map((p) => ({ ...p, articleId: keyOf(p.articleId) })), (p) => `${p.articleId}/${String((p as { position?: number }).position).padStart(4, '0')}`),
    statusChanges: sortBy(changes.map((c) => ({ ...c, articleId: keyOf(c.articleId), revisionId: revKey.get(c.revisionId) })), (c) => `${c.revisionId}`),
    // In chain order: file by file, article by article, as a sequential run appends them.
    auditEvents: events.map((e) => ({
      ...e,
      entityId: e.entity === 'article' ? keyOf(e.entityId) : e.entityId,
      data: e.data.revisionId !== undefined ? { ...e.data, revisionId: revKey.get(e.data.revisionId) } : e.data,
    })),
  };
}

describe('importPaths with concurrency', () => {
  let seqReport: ImportReport;
  let concReport: ImportReport;
  let root = '';
  const progress: Array<[ImportEvent['type'], string]> = [];

  before(async () => {
    // The same history in both databases: earlier imports, one article taken into editing.
    const seed = await folder('seed', {
      'seed.ndjson': ndjson(art('p-1', 'Seed one'), art('p-2', 'Seed two'), art(undefined, 'Seed three')),
    });
    for (const db of [sequential, concurrent]) {
      await run(db, [seed]);
      await db.query(`update articles set status = 'in_edit' where "externalId" = 'p-2'`);
    }
    const badLines = [art('bad-1', 'Bad one'), art('bad-2', 'Bad two'), art('n-4', 'Fourth story'), art('bad-3', 'Bad three'), art('bad-4', 'Bad four')];
    root = await folder('run', {
      // New articles, an MT update of an untouched draft (its old text stops existing), a text-only article.
      'f0.ndjson': ndjson(art('n-1', 'First story'), art('p-1', 'Seed one, revised'), art(undefined, 'Free zero'), art('n-2', 'Second story')),
      // The old text of p-1 again, without an externalId: after f0 it is new, so imported (the
      // first chunk shares no key with f0 but that old text). Then n-1 again with the same text:
      // a duplicate of f0's.
      'f1.ndjson': ndjson(art(undefined, 'Seed one'), art('n-3', 'Third story'), art('n-1', 'First story')),
      // Fails on its sixth line, after two chunks were written: nothing of it may stay, and its
      // n-4 is imported by f3 instead.
      'f2.ndjson': ndjson(...badLines) + '{"externalId": "bad-5", "title": ""}\n',
      // n-4 is new (f2 failed); n-1 gets new text (an update of f0's article); p-2 is being
      // edited (a conflict); Seed three exists (skipped).
      'f3.ndjson': ndjson(art('n-4', 'Fourth story'), art('n-1', 'First story, updated'), art('p-2', 'Seed two, revised'), art(undefined, 'Seed three')),
      // n-5 has n-2's text (skipped as the same text); n-3 is updated; n-2's new text is the
      // text n-3 just got (a conflict: content hashes are unique).
      'f4.ndjson': ndjson(art('n-5', 'Second story'), art('n-3', 'Third story, updated'), art('n-2', 'Third story, updated')),
      // f0's first text of n-1, which f3 replaced: new again. Spread over three chunks, the last
      // one long, so that f6 (nothing in common) is done first and must wait to commit after it.
      'f5.ndjson': ndjson(
        art('n-6', 'Sixth story'),
        art(undefined, 'First story'),
        art('n-7', 'Seventh story'),
        art('n-8', 'Eighth story'),
        { externalId: 'n-9', title: 'Ninth story', paragraphs: Array.from({ length: 400 }, (_, i) => `Ninth story paragraph ${i}: ${'a long sentence of the ninth story '.repeat(8)}`) },
      ),
      'f6.ndjson': ndjson(art('n-10', 'Tenth story'), art('n-11', 'Eleventh story'), art('n-12', 'Twelfth story')),
      'f7.ndjson': ndjson(art('n-11', 'Eleventh story'), art('n-13', 'Thirteenth story')),
    });
    seqReport = await run(sequential, [root], { chunkSize: 2, concurrency: 1, batchName: 'same run' });
    concReport = await run(concurrent, [root], { chunkSize: 2, concurrency: 4, batchName: 'same run' }, (_p, e) =>
      progress.push([e.type, e.type === 'article' ? path.basename(e.file) : e.type === 'file' ? path.basename(e.file.path) : '']),
    );
  });

  test('the sequential run classifies every article as documented', () => {
    const f = Object.fromEntries(seqReport.files.map((x) => [path.basename(x.path), [x.status, x.imported, x.updated, x.skipped, x.conflicts]]));
    assert.deepEqual(f, {
      'f0.ndjson': ['ok', 3, 1, 0, 0],
      'f1.ndjson': ['ok', 2, 0, 1, 0],
      'f2.ndjson': ['failed', 0, 0, 0, 0],
      'f3.ndjson': ['ok', 1, 1, 1, 1],
      'f4.ndjson': ['ok', 0, 1, 1, 1],
      'f5.ndjson': ['ok', 5, 0, 0, 0],
      'f6.ndjson': ['ok', 3, 0, 0, 0],
      'f7.ndjson': ['ok', 1, 0, 1, 0],
    });
    assert.deepEqual(seqReport.totals, { files: 8, failedFiles: 1, articles: 24, imported: 15, updated: 3, skipped: 4, conflicts: 2 });
  });

  test('a concurrent run gives the same report, the same rows and the same audit chain as a sequential one', async () => {
    // The files really were in progress at the same time: somewhere in the run a later file was
    // read before an earlier one was reported. (Which files overlap depends on scheduling; a run
    // that reads one file after the other never shows it.)
    const reported = new Set<string>();
    const overlapped = progress.some(([type, file]) => {
      if (type === 'file') reported.add(file);
      if (type !== 'article') return false;
      const index = Number(/^f(\d+)\.ndjson$/.exec(file)?.[1]);
      return Array.from({ length: index }, (_, i) => `f${i}.ndjson`).some((earlier) => !reported.has(earlier));
    });
    assert.ok(overlapped, JSON.stringify(progress));
    // Reported in input order.
    assert.deepEqual(
      progress.filter(([type]) => type === 'file').map(([, file]) => file),
      ['f0.ndjson', 'f1.ndjson', 'f2.ndjson', 'f3.ndjson', 'f4.ndjson', 'f5.ndjson', 'f6.ndjson', 'f7.ndjson'],
    );
    assert.deepEqual(stable(concReport), stable(seqReport));
    const [seqRows, concRows] = await Promise.all([contentOf(sequential), contentOf(concurrent)]);
    assert.deepEqual(concRows, seqRows);
    // The batch rows agree too (counts, per-file entries, failures).
    const batch = `select name, status, "fileCount", imported, updated, skipped, conflicts, failed, files, failures from import_batches where id = $1`;
    assert.deepEqual((await concurrent.query(batch, [concReport.batchId])).rows, (await sequential.query(batch, [seqReport.batchId])).rows);
    await assertAuditChain(concurrent);
  });

  test('the failed file in the middle leaves nothing of itself, and the files around it commit', async () => {
    const bad = path.join(root, 'f2.ndjson');
    assert.deepEqual(concReport.failures.map((f) => f.path), [bad]);
    assert.ok(concReport.failures[0].error.startsWith(`${bad}:6: title: `), concReport.failures[0].error);
    const count = async (sql: string, params: unknown[] = []) => Number((await concurrent.query<{ n: string }>(`select count(*) as n from (${sql}) x`, params)).rows[0].n);
    assert.equal(await count(`select 1 from articles where "externalId" like 'bad-%'`), 0);
    assert.equal(await count(`select 1 from revisions r join articles a on a.id = r."articleId" where a.title like 'Bad %'`), 0);
    assert.equal(await count(`select 1 from audit_events where data->>'file' = $1`, [bad]), 0);
    // n-4 was in the failed file too; f3's copy of it is the one imported.
    const { rows: n4 } = await concurrent.query(`select e.data->>'file' as file from articles a join audit_events e on e.entity = 'article' and e."entityId" = a.id::text where a."externalId" = 'n-4'`);
    assert.deepEqual(n4, [{ file: path.join(root, 'f3.ndjson') }]);
    // Every other file committed: their article events, in file order, then the batch event.
    const { rows: files } = await concurrent.query<{ file: string }>(
      `select data->>'file' as file from audit_events where id > (select max(id) from audit_events where action = 'import.batch' and "entityId" <> $1) and action <> 'import.batch' order by id`,
      [String(concReport.batchId)],
    );
    const order = files.map((r) => path.basename(r.file)).filter((f, i, all) => all[i - 1] !== f);
    assert.deepEqual(order, ['f0.ndjson', 'f1.ndjson', 'f3.ndjson', 'f4.ndjson', 'f5.ndjson', 'f6.ndjson', 'f7.ndjson']);
  });

  test('duplicates across files written at the same time are classified as one after the other', async () => {
    const byName = (r: ImportReport, name: string) => r.files.find((x) => path.basename(x.path) === name);
    const { rows: [n1] } = await concurrent.query(`select id, title, version, "revisionCount" from articles where "externalId" = 'n-1'`);
    // f1's copy of n-1 is the duplicate, not f0's, and f3's text is an update on top of f0's.
    assert.deepEqual([byName(concReport, 'f0.ndjson')?.imported, byName(concReport, 'f1.ndjson')?.skipped], [3, 1]);
    assert.deepEqual([n1.title, n1.version, n1.revisionCount], ['First story, updated', 2, 2]);
    const { rows: n1Events } = await concurrent.query(`select action, data->>'file' as file from audit_events where entity = 'article' and "entityId" = $1 order by id`, [String(n1.id)]);
    assert.deepEqual(n1Events.map((e) => [e.action, path.basename(e.file)]), [
      ['article.import', 'f0.ndjson'],
      ['article.mt_update', 'f3.ndjson'],
    ]);
    // The old texts that updates replaced became importable again, each exactly once.
    const { rows: oldTexts } = await concurrent.query(`select "externalId", title from articles where "contentHash" = any($1::text[]) order by title`, [
      [contentHash('Seed one', ['Seed one body.', 'Seed one second paragraph.']), contentHash('First story', ['First story body.', 'First story second paragraph.'])],
    ]);
    assert.deepEqual(oldTexts, [
      { externalId: null, title: 'First story' },
      { externalId: null, title: 'Seed one' },
    ]);
    // n-11 of f7 is a duplicate of f6's, which was written at the same time.
    assert.equal(byName(concReport, 'f7.ndjson')?.skipped, 1);
    assert.equal(Number((await concurrent.query(`select count(*) as n from articles where "externalId" = 'n-11'`)).rows[0].n), 1);
    assert.match(byName(concReport, 'f4.ndjson')?.conflictList[0].reason ?? '', /the new MT text for article #\d+ \(externalId "n-2"\) is identical to article #\d+ \(externalId "n-3"\)/);
  });
});

describe('two concurrent runs with crossing files', () => {
  test('both finish, every article exists once, and the audit chain stays one line', async () => {
    const stories = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => art(`x-${from + i}`, `Crossing story ${from + i}`));
    // Run A reads the stories in one order, run B in the other, each four files at once.
    const a = await folder('cross-a', Object.fromEntries([0, 1, 2, 3, 4, 5].map((f) => [`a${f}.ndjson`, ndjson(...stories(f * 6, f * 6 + 6))])));
    const b = await folder('cross-b', Object.fromEntries([5, 4, 3, 2, 1, 0].map((f, i) => [`b${i}.ndjson`, ndjson(...stories(f * 6, f * 6 + 6).reverse())])));
    const before = Number((await concurrent.query(`select count(*) as n from articles`)).rows[0].n);
    const [ra, rb] = await Promise.all([run(concurrent, [a], { concurrency: 4, chunkSize: 3 }), run(concurrent, [b], { concurrency: 4, chunkSize: 3 })]);
    assert.equal(ra.totals.failedFiles + rb.totals.failedFiles, 0);
    assert.equal(ra.totals.imported + rb.totals.imported, 36);
    assert.equal(ra.totals.skipped + rb.totals.skipped, 36);
    assert.equal(Number((await concurrent.query(`select count(*) as n from articles`)).rows[0].n) - before, 36);
    assert.equal(Number((await concurrent.query(`select count(distinct "externalId") as n from articles where "externalId" like 'x-%'`)).rows[0].n), 36);
    await assertAuditChain(concurrent);
  });
});

describe('an unexpected database error in one of the files written at once', () => {
  test('stops the run there: earlier files stay, later ones are rolled back, the batch is marked failed', async () => {
    // A trigger stands in for a database failure that is not worth a retry (a full disk, a bug).
    await sequential.query(`
      create function boom() returns trigger language plpgsql as $$
      begin
        if new.title = 'Boom' then raise exception 'boom: the database refused the article'; end if;
        return new;
      end $$;
      create trigger boom before insert on articles for each row execute function boom();`);
    const files = Object.fromEntries(
      [0, 1, 2, 3, 4, 5].map((f) => [`g${f}.ndjson`, ndjson(art(`g-${f}`, `Stop story ${f}`), art(`g-${f}b`, f === 2 ? 'Boom' : `Stop story ${f}b`))]),
    );
    const root = await folder('fatal', files);
    const events: string[] = [];
    await assert.rejects(
      run(sequential, [root], { concurrency: 3, batchName: 'stops' }, (_p, e) => {
        if (e.type === 'file') events.push(path.basename(e.file.path));
      }),
      /boom: the database refused the article/,
    );
    assert.deepEqual(events, ['g0.ndjson', 'g1.ndjson']);
    const { rows } = await sequential.query(`select "externalId" from articles where "externalId" like 'g-%' order by "externalId"`);
    assert.deepEqual(rows.map((r) => r.externalId), ['g-0', 'g-0b', 'g-1', 'g-1b']);
    const { rows: [batch] } = await sequential.query(`select status, imported, files from import_batches where name = 'stops'`);
    assert.equal(batch.status, 'failed');
    assert.equal(batch.imported, 4);
    assert.deepEqual(batch.files.map((f: { path: string }) => path.basename(f.path)), ['g0.ndjson', 'g1.ndjson']);
    const { rows: audited } = await sequential.query(`select distinct data->>'file' as file from audit_events where data->>'file' like $1`, [`${root}%`]);
    assert.deepEqual(audited.map((r) => path.basename(r.file)).sort(), ['g0.ndjson', 'g1.ndjson']);
    await assertAuditChain(sequential);
  });
});

describe('checkImportOptions', () => {
  test('concurrency is a whole number from 1 to 16', () => {
    for (const bad of [0, 17, 1.5, Number.NaN]) assert.throws(() => checkImportOptions({ concurrency: bad }), /--concurrency must be a whole number from 1 to 16/);
    checkImportOptions({ concurrency: 1 });
    checkImportOptions({ concurrency: 16 });
  });
});
