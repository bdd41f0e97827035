// The import command end to end: the real CLI (scripts/import.ts) against this file's test database.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { assertAuditChain } from '../helpers/audit';
import type { ImportReport } from '../../server/services/import/importer';
import { createTestContext, type TestContext } from '../helpers/app';
import { runScript, spawnScript, type ExitInfo } from '../helpers/spawn';

let t: TestContext;
let dir = '';

before(async () => {
  t = await createTestContext();
  dir = await mkdtemp(path.join(tmpdir(), 'copydesk-import-cli-'));
});
after(async () => {
  await t.drop();
  await rm(dir, { recursive: true, force: true });
});

function importCli(args: string[], env: Record<string, string> = {}): Promise<ExitInfo> {
  return runScript('scripts/import.ts', args, { env: { DATABASE_URL: t.url, ...env } });
}

/** Writes files (relative path → content) under a new folder and returns its path. */
async function folder(name: string, files: Record<string, string | Buffer>): Promise<string> {
  const root = path.join(dir, name);
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), content);
  }
  return root;
}

interface Counts {
  articles: number;
  paragraphs: number;
  revisions: number;
  statusChanges: number;
  auditEvents: number;
  batches: number;
}

async function counts(): Promise<Counts> {
  const { rows } = await t.query<Record<keyof Counts, string>>(`
    select (select count(*) from articles) as articles, (select count(*) from paragraphs) as paragraphs,
           (select count(*) from revisions) as revisions, (select count(*) from status_changes) as "statusChanges",
           (select count(*) from audit_events) as "auditEvents", (select count(*) from import_batches) as batches`);
  return Object.fromEntries(Object.entries(rows[0]).map(([k, v]) => [k, Number(v)])) as unknown as Counts;
}

function diff(a: Counts, b: Counts): Counts {
  return Object.fromEntries(Object.entries(b).map(([k, v]) => [k, v - a[k as keyof Counts]])) as unknown as Counts;
}

/** The files that article.import / article.mt_update events name. */
async function auditedFiles(): Promise<Set<string>> {
  const { rows } = await t.query<{ file: string }>(`select distinct data->>'file' as file from audit_events where action in ('article.import', 'article.mt_update')`);
  return new Set(rows.map((r) => r.file));
}

function report(r: ExitInfo): ImportReport {
  return JSON.parse(r.stdout) as ImportReport;
}

const ndjson = (...objects: object[]): string => objects.map((o) => JSON.stringify(o)).join('\n') + '\n';

describe('npm run import', () => {
  test('examples/ imports cleanly, and importing it again skips everything and adds no article rows', async () => {
    const before0 = await counts();
    const first = await importCli(['examples/']);
    assert.equal(first.code, 0, first.output);
    assert.match(first.stdout, /Import batch #\d+ "examples\/" by system: 5 files, 6 articles/);
    assert.match(first.stdout, /^ {2}imported +6$/m);
    assert.match(first.stdout, /^ {2}failed files +0$/m);
    const afterFirst = await counts();
    assert.deepEqual(diff(before0, afterFirst), { articles: 6, paragraphs: 22, revisions: 6, statusChanges: 6, auditEvents: 7, batches: 1 });
    const { rows } = await t.query(`select status, version, "revisionCount", "editRate" from articles`);
    assert.equal(rows.every((r) => r.status === 'mt_draft' && r.version === 1 && r.revisionCount === 1 && r.editRate === 0), true);

    const second = await importCli(['examples/', '--json']);
    assert.equal(second.code, 0, second.output);
    const r = report(second);
    assert.deepEqual(r.totals, { files: 5, failedFiles: 0, articles: 6, imported: 0, updated: 0, skipped: 6, conflicts: 0 });
    // Only the batch row and its import.batch event are new.
    assert.deepEqual(diff(afterFirst, await counts()), { articles: 0, paragraphs: 0, revisions: 0, statusChanges: 0, auditEvents: 1, batches: 1 });
  });

  const BIG = `Big title\n\n${'word '.repeat(600)}\n`; // 3,012 bytes
  test('every bad file is reported with its name, line and reason, writes nothing, and the good files are imported', async () => {
    const root = await folder('bad', {
      'good.txt': 'Good feed title\n\nThe good feed paragraph.\n',
      'binary.txt': Buffer.from('Title\u0000with a NUL\n\nPara\n', 'latin1'),
      'bad-utf8.txt': Buffer.concat([Buffer.from('Fine title\n\nFine paragraph.\n\nBroken '), Buffer.from([0xff, 0xfe]), Buffer.from(' here.\n')]),
      'empty.md': '',
      'title-only.txt': 'A title without paragraphs\n',
      'big.txt': BIG,
      'malformed.json': '[\n  {"externalId": "mj-1", "title": "JSON one", "paragraphs": ["a",]}\n]\n',
      'malformed.ndjson': ndjson({ externalId: 'mn-1', title: 'NDJSON good one', paragraphs: ['P1.'] }, { externalId: 'mn-2', title: 'NDJSON good two', paragraphs: ['P2.'] }) + '{"externalId": "mn-3", "title":\n',
      'malformed.xliff':
        '<?xml version="1.0"?>\n<xliff version="1.2">\n<file original="mx-1" source-language="zh" target-language="en">\n<body>\n<trans-unit id="1"><source>a</source><target>b</target>\n</body></file></xliff>\n',
      'report.docx': 'PK\u0003\u0004 not a draft',
      'sub/good.ndjson': ndjson({ externalId: 'sub-1', title: 'Sub folder story', paragraphs: ['Sub paragraph one.', 'Sub paragraph two.'] }),
      '.hidden/skipped.txt': 'Hidden title\n\nHidden paragraph.\n',
      '.dotfile.txt': 'Dot title\n\nDot paragraph.\n',
    });
    const missing = path.join(dir, 'no-such-file.ndjson');
    const before0 = await counts();
    const r = await importCli([root, missing], { COPYDESK_IMPORT_MAX_BYTES: '2000' });
    assert.equal(r.code, 1, r.output); // a file failed

    const expected: Array<[string, RegExp]> = [
      ['binary.txt', /binary\.txt: looks like a binary file, not text \(NUL byte at byte offset 5\)/],
      ['bad-utf8.txt', /bad-utf8\.txt:5: is not valid UTF-8 \(bad byte 0xFF/],
      ['empty.md', /empty\.md: is empty/],
      ['title-only.txt', /title-only\.txt:1: has a title but no paragraphs/],
      ['big.txt', /big\.txt: is 3,012 bytes, over the limit of 2,000 bytes/],
      ['malformed.json', /malformed\.json:2: malformed JSON: Unexpected token '\]' \(column 66\)$/],
      ['malformed.ndjson', /malformed\.ndjson:3: malformed JSON/],
      ['malformed.xliff', /malformed\.xliff:6: malformed XML: unexpected close tag/],
      ['report.docx', /report\.docx: unknown extension "\.docx"; expected one of \.txt/],
    ];
    const failedSection = r.stdout.slice(r.stdout.indexOf('Failed files'));
    for (const [name, message] of expected) {
      const line = failedSection.split('\n').find((l) => l.includes(`${path.sep}${name}`));
      assert.ok(line, `${name} is listed as failed:\n${r.stdout}`);
      assert.match(line, message);
      assert.ok(line.includes(path.join(root, name)), `${name}: the message names the file`);
    }
    assert.match(failedSection, new RegExp(`${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot read: no such file or directory`));
    assert.match(r.stdout, /^ {2}imported +2$/m);
    assert.match(r.stdout, /^ {2}failed files +10$/m);

    // Exactly the two good files were written: one article each, nothing of any bad file,
    // not even the good first lines of malformed.ndjson. The hidden files were not read.
    assert.deepEqual(diff(before0, await counts()), { articles: 2, paragraphs: 3, revisions: 2, statusChanges: 2, auditEvents: 3, batches: 1 });
    const files = await auditedFiles();
    assert.equal(files.has(path.join(root, 'good.txt')), true);
    assert.equal(files.has(path.join(root, 'sub', 'good.ndjson')), true);
    for (const [name] of expected) assert.equal(files.has(path.join(root, name)), false, name);
    const { rows } = await t.query(`select title from articles where title in ('NDJSON good one', 'NDJSON good two', 'Hidden title', 'Dot title', 'Fine title')`);
    assert.deepEqual(rows, []);

    // The batch row lists every file with its status and error.
    const { rows: batches } = await t.query(`select status, "fileCount", imported, failed, files, failures from import_batches order by id desc limit 1`);
    assert.equal(batches[0].status, 'completed');
    assert.equal(batches[0].fileCount, 12);
    assert.equal(batches[0].imported, 2);
    assert.equal(batches[0].failed, 10);
    const ndjsonEntry = (batches[0].files as Array<{ path: string; status: string; format: string; error?: string }>).find((f) => f.path.endsWith('malformed.ndjson'));
    assert.equal(ndjsonEntry?.status, 'failed');
    assert.equal(ndjsonEntry?.format, 'ndjson');
    assert.match(ndjsonEntry?.error ?? '', /malformed\.ndjson:3: /);
    assert.equal((batches[0].failures as unknown[]).length, 10);
  });

  test('an untouched draft gets the new MT text; an edited article is a conflict, listed but not a failure', async () => {
    const root = await folder('update', {
      'wire.ndjson': ndjson(
        { externalId: 'up-1', title: 'Bridge opens', paragraphs: ['The bridge opened on Monday.', 'Traffic was light.'] },
        { externalId: 'up-2', title: 'Market report', paragraphs: ['Prices rose.'] },
      ),
    });
    const first = await importCli([root, '--json']);
    assert.equal(report(first).totals.imported, 2, first.output);
    // An editor edits up-2: a revision of kind edit and the status that saving sets.
    await t.query(`insert into revisions ("articleId", number, "articleVersion", kind, title, paragraphs, diffs, stats)
                   select id, 2, 2, 'edit', title, '["Prices went up."]', '{}', '{}' from articles where "externalId" = 'up-2'`);
    await t.query(`update articles set status = 'in_edit', version = 2, "revisionCount" = 2 where "externalId" = 'up-2'`);
    await writeFile(
      path.join(root, 'wire.ndjson'),
      ndjson(
        { externalId: 'up-1', title: 'Bridge opens to traffic', paragraphs: ['The bridge opened on Monday morning.', 'Traffic was light.', 'A third paragraph.'] },
        { externalId: 'up-2', title: 'Market report', paragraphs: ['Prices rose sharply.'] },
      ),
    );

    const second = await importCli([root]);
    assert.equal(second.code, 0, second.output); // conflicts are not failures
    assert.match(second.stdout, /^ {2}updated +1$/m);
    assert.match(second.stdout, /^ {2}conflicts +1$/m);
    assert.match(second.stdout, /Conflicts \(not failures; the articles were left unchanged\):\n {2}.*wire\.ndjson:2: article #\d+ \(externalId "up-2"\) has new MT text in this file, but its status is in_edit and editors have saved revisions of it/);

    const { rows: up1 } = await t.query(`select id, title, "mtTitle", version, "revisionCount", status, "wordCount", "mtWordCount" from articles where "externalId" = 'up-1'`);
    assert.deepEqual({ ...up1[0], id: undefined }, { id: undefined, title: 'Bridge opens to traffic', mtTitle: 'Bridge opens to traffic', version: 2, revisionCount: 2, status: 'mt_draft', wordCount: 15, mtWordCount: 15 });
    // 15 tokens: 12 words and 3 full stops (punctuation marks count, as in the edit statistics).
    const { rows: paras } = await t.query(`select position, mt, text from paragraphs where "articleId" = $1 order by position`, [up1[0].id]);
    assert.deepEqual(paras, [
      { position: 0, mt: 'The bridge opened on Monday morning.', text: 'The bridge opened on Monday morning.' },
      { position: 1, mt: 'Traffic was light.', text: 'Traffic was light.' },
      { position: 2, mt: 'A third paragraph.', text: 'A third paragraph.' },
    ]);
    const { rows: revs } = await t.query(`select number, "articleVersion", kind, title, paragraphs from revisions where "articleId" = $1 order by number`, [up1[0].id]);
    assert.deepEqual(revs.map((r) => [r.number, r.articleVersion, r.kind, r.title]), [
      [1, 1, 'import', 'Bridge opens'],
      [2, 2, 'mt_update', 'Bridge opens to traffic'],
    ]);
    const { rows: events } = await t.query(`select action from audit_events where "entityId" = $1::text and entity = 'article' order by id`, [up1[0].id]);
    assert.deepEqual(events.map((e) => e.action), ['article.import', 'article.mt_update']);

    const { rows: up2 } = await t.query(`select p.text, a.status, a.version from articles a join paragraphs p on p."articleId" = a.id where a."externalId" = 'up-2'`);
    assert.deepEqual(up2, [{ text: 'Prices rose.', status: 'in_edit', version: 2 }]);
  });

  test('--dry-run classifies against the database and writes nothing, not even a batch', async () => {
    const root = await folder('dry', {
      'a.ndjson': ndjson({ externalId: 'dry-1', title: 'Dry one', paragraphs: ['One.'] }, { externalId: 'dry-2', title: 'Dry two', paragraphs: ['Two.'] }),
      // Same text as dry-1 under no externalId: would be a duplicate of what a.ndjson would create.
      'b.md': '# Dry one\n\nOne.\n',
    });
    const before0 = await counts();
    const r = await importCli([root, '--dry-run']);
    assert.equal(r.code, 0, r.output);
    assert.match(r.stdout, /^Dry run \(nothing was written\): 2 files, 3 articles, as system$/m);
    assert.match(r.stdout, /^ {2}would be imported +2$/m);
    assert.match(r.stdout, /^ {2}would be skipped \(duplicates\) +1$/m);
    assert.deepEqual(await counts(), before0);
  });

  test('--json prints only valid JSON on stdout, with the counts; progress goes to stderr', async () => {
    const root = await folder('json', {
      'one.json': JSON.stringify([{ externalId: 'js-1', title: 'Json one', paragraphs: ['A  doubled  space.'] }]),
      'two.txt': 'Json two\n\nPlain feed text.\n',
      'three.xyz': 'no',
    });
    const r = await importCli([root, '--json', '--batch', 'Morning wire', '--source-lang', 'zh', '--target-lang', 'en']);
    assert.equal(r.code, 1, r.output);
    const rep = report(r); // throws if stdout holds anything but the JSON document
    assert.equal(rep.batchName, 'Morning wire');
    assert.equal(rep.dryRun, false);
    assert.deepEqual(rep.totals, { files: 3, failedFiles: 1, articles: 2, imported: 2, updated: 0, skipped: 0, conflicts: 0 });
    assert.deepEqual(rep.failures.map((f) => f.path), [path.join(root, 'three.xyz')]);
    assert.deepEqual(rep.files.find((f) => f.path.endsWith('one.json'))?.notes, ['line 1: collapsed repeated spaces in 1 paragraph']);
    assert.match(r.stderr, /\[3\/3\]/);
    const { rows } = await t.query(`select a."sourceLang", a."targetLang", b.name from articles a join import_batches b on b.id = a."importBatchId" where a.title in ('Json one', 'Json two')`);
    assert.deepEqual(rows, [
      { sourceLang: 'zh', targetLang: 'en', name: 'Morning wire' },
      { sourceLang: 'zh', targetLang: 'en', name: 'Morning wire' },
    ]);
  });

  test('--as records the importer; an unknown or disabled user is refused before anything is written', async () => {
    const root = await folder('as', { 'a.txt': 'Imported by an editor\n\nSome text.\n' });
    const editorId = await t.makeUser('importer', 'editor');
    await t.makeUser('gone', 'editor', { disabled: true });
    const before0 = await counts();
    const unknown = await importCli([root, '--as', 'ghost']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /error: --as: no user is called "ghost"/);
    const disabled = await importCli([root, '--as', 'gone']);
    assert.equal(disabled.code, 2);
    assert.match(disabled.stderr, /error: --as: the user "gone" is disabled/);
    assert.deepEqual(await counts(), before0);

    const ok = await importCli([root, '--as', 'importer', '--json']);
    assert.equal(ok.code, 0, ok.output);
    assert.deepEqual(report(ok).importer, { id: editorId, username: 'importer' });
    const { rows } = await t.query(
      `select b."importerId", b."actorName", r."authorId", s."actorId"
         from articles a join import_batches b on b.id = a."importBatchId" join revisions r on r."articleId" = a.id join status_changes s on s."articleId" = a.id
        where a.title = 'Imported by an editor'`,
    );
    assert.deepEqual(rows, [{ importerId: editorId, actorName: 'importer', authorId: editorId, actorId: editorId }]);
    const { rows: events } = await t.query(`select action, "actorId", "actorName" from audit_events order by id desc limit 2`);
    assert.deepEqual(events, [
      { action: 'import.batch', actorId: editorId, actorName: 'importer' },
      { action: 'article.import', actorId: editorId, actorName: 'importer' },
    ]);
  });

  // (Language tags and the other option checks are unit-tested: tests/unit/importer-classify.test.ts.)
  test('usage errors exit 2 before touching the database', async () => {
    const none = await importCli([]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /error: no file or folder given/);
    const format = await importCli(['examples/', '--format', 'docx']);
    assert.equal(format.code, 2);
    assert.match(format.stderr, /error: --format must be auto or one of feed, markdown, json, ndjson, xliff, got "docx"/);
    for (const bad of ['0', '17', 'two', '']) {
      const r = await importCli(['examples/', '--concurrency', bad]);
      assert.equal(r.code, 2, r.output);
      assert.match(r.stderr, new RegExp(`error: --concurrency must be a whole number from 1 to 16, got "?${bad}"?`));
    }
    // A bad variable is a configuration error (exit 1, like every other variable), also caught before the database.
    const env = await importCli(['examples/'], { COPYDESK_IMPORT_CONCURRENCY: '0' });
    assert.equal(env.code, 1, env.output);
    assert.match(env.stderr, /COPYDESK_IMPORT_CONCURRENCY: must be a whole number from 1 to 16, got "0"/);
  });

  test('--concurrency 1 and the default give the same report and the same rows', async () => {
    const files: Record<string, string> = {};
    // Each file repeats an article of the one before it, so files written at once share articles.
    for (let f = 0; f < 6; f++) {
      files[`c${f}.ndjson`] = ndjson(
        { externalId: `conc-${f}`, title: `Concurrent story ${f}`, paragraphs: [`Body ${f}.`] },
        ...(f > 0 ? [{ externalId: `conc-${f - 1}`, title: `Concurrent story ${f - 1}`, paragraphs: [`Body ${f - 1}, revised in file ${f}.`] }] : []),
        { title: `Text-only story ${f % 3}`, paragraphs: ['Same text in every third file.'] },
      );
    }
    const root = await folder('concurrency', files);
    const one = await importCli([root, '--json', '--concurrency', '1', '--dry-run']);
    assert.equal(one.code, 0, one.output);
    const written = await importCli([root, '--json']);
    assert.equal(written.code, 0, written.output);
    // A dry run names no article id for an update of an article it would have created.
    const strip = (r: ImportReport) => ({ ...r, batchId: null, dryRun: null, startedAt: null, finishedAt: null, files: r.files.map((f) => ({ ...f, updatedList: f.updatedList.map((u) => ({ ...u, articleId: null })) })) });
    // The dry run reads the files one after the other; the default run writes three at a time.
    assert.deepEqual(strip(report(written)), strip(report(one)));
    assert.deepEqual(report(written).totals, { files: 6, failedFiles: 0, articles: 17, imported: 9, updated: 5, skipped: 3, conflicts: 0 });
    const { rows } = await t.query(`select "externalId", title, version from articles where "externalId" like 'conc-%' order by "externalId"`);
    assert.deepEqual(rows.map((r) => [r.externalId, r.version]), [['conc-0', 2], ['conc-1', 2], ['conc-2', 2], ['conc-3', 2], ['conc-4', 2], ['conc-5', 1]]);
  });

  test('two imports of the same folder at once create no duplicates and account for every article', async () => {
    const files: Record<string, string> = {};
    for (let f = 0; f < 12; f++) {
      const lines = [];
      for (let i = 0; i < 30; i++) {
        const n = f * 30 + i;
        // Every third article has no externalId, so it is identified by its text alone.
        lines.push(n % 3 === 0 ? { title: `Race story ${n}`, paragraphs: [`Race body ${n}.`] } : { externalId: `race-${n}`, title: `Race story ${n}`, paragraphs: [`Race body ${n}.`, `More ${n}.`] });
      }
      files[`f${String(f).padStart(2, '0')}.ndjson`] = ndjson(...lines);
    }
    const root = await folder('race', files);
    const before0 = await counts();
    const env = { DATABASE_URL: t.url };
    const a = spawnScript('scripts/import.ts', [root, '--json'], { env, input: '' });
    const b = spawnScript('scripts/import.ts', [root, '--json'], { env, input: '' });
    const [ra, rb] = await Promise.all([a.exited, b.exited]);
    assert.equal(ra.code, 0, ra.output);
    assert.equal(rb.code, 0, rb.output);
    const [ta, tb] = [report(ra).totals, report(rb).totals];
    assert.equal(ta.imported + tb.imported, 360);
    assert.equal(ta.skipped + tb.skipped, 360);
    assert.equal(ta.conflicts + tb.conflicts + ta.updated + tb.updated, 0);
    const d = diff(before0, await counts());
    assert.deepEqual({ ...d, auditEvents: undefined }, { articles: 360, paragraphs: 600, revisions: 360, statusChanges: 360, auditEvents: undefined, batches: 2 });
    assert.equal(d.auditEvents, 362);
    const { rows } = await t.query(`select count(distinct title)::int as n from articles where title like 'Race story %'`);
    assert.equal(rows[0].n, 360);

    // The audit chain stayed one unbroken line through both writers.
    await assertAuditChain(t);
  });
});
