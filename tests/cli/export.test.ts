import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFile, mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Prisma } from '../../server/db/client';
import { ROOT } from '../../scripts/lib/prepare';
import { buildRevisionData, type Snapshot } from '../../server/services/revisionData';
import { recordAudit, SYSTEM_ACTOR } from '../../server/services/audit';
import { readCheckpoints } from '../../server/services/auditCheckpoints';
import { createTestContext, type TestContext } from '../helpers/app';
import { assertValidXliff } from '../helpers/xliffSchema';
import { TEST_CHECKPOINT_FILE } from '../helpers/db';

let t: TestContext;
let work: string;
let editor: number;
let reviewer: number;

function revisionColumns(prev: Snapshot | null, next: Snapshot, mt: Snapshot) {
  const d = buildRevisionData(prev, next, mt);
  return { ...d, diffs: d.diffs as unknown as Prisma.InputJsonObject, stats: d.stats as unknown as Prisma.InputJsonObject };
}

/** An article approved at revision 2; `edited` adds an unapproved revision 3 (in_edit, approval pinned to 2). */
async function makeApproved(title: string, paragraphs: string[], edited?: Snapshot): Promise<number> {
  const mt: Snapshot = { title: `MT ${title}`, paragraphs: paragraphs.map((p) => `MT ${p}`) };
  const approved: Snapshot = { title, paragraphs };
  const current = edited ?? approved;
  const a = await t.db.article.create({
    data: {
      externalId: `cli-${randomBytes(3).toString('hex')}`,
      contentHash: randomBytes(32).toString('hex'),
      title: current.title,
      mtTitle: mt.title,
      targetLang: 'en',
      paragraphs: { create: current.paragraphs.map((text, position) => ({ position, mt: mt.paragraphs[position], text })) },
    },
  });
  await t.db.revision.create({ data: { articleId: a.id, number: 1, kind: 'import', ...revisionColumns(null, mt, mt) } });
  const r2 = await t.db.revision.create({ data: { articleId: a.id, number: 2, articleVersion: 2, kind: 'edit', authorId: editor, ...revisionColumns(mt, approved, mt) } });
  if (edited) await t.db.revision.create({ data: { articleId: a.id, number: 3, articleVersion: 3, kind: 'edit', authorId: editor, ...revisionColumns(approved, edited, mt) } });
  await t.db.article.update({
    where: { id: a.id },
    data: { status: edited ? 'in_edit' : 'approved', approvedRevisionId: r2.id, approvedById: reviewer, approvedAt: new Date(), revisionCount: edited ? 3 : 2 },
  });
  return a.id;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real command (`npm run export` is `tsx scripts/export.ts`) against the test database. */
function runExport(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, // Resolved here: the command runs in a scratch folder, where a bare 'tsx' would not resolve.
    ['--import', import.meta.resolve('tsx'), path.join(ROOT, 'scripts', 'export.ts'), ...args], {
      cwd: work,
      // Not started by `npm run export`, so relative paths are taken from cwd, not npm's INIT_CWD.
      env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: 'silent', INIT_CWD: undefined, npm_lifecycle_event: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function counts() {
  const q = async (sql: string) => (await t.query(sql)).rows[0].n as number;
  return {
    batches: await q('select count(*)::int as n from export_batches'),
    statusChanges: await q('select count(*)::int as n from status_changes'),
    exported: await q(`select count(*)::int as n from articles where status = 'exported'`),
    auditExports: await q(`select count(*)::int as n from audit_events where action in ('article.export', 'export.batch')`),
  };
}

let storm: number;
let bridge: number;
let edited: number;

before(async () => {
  t = await createTestContext();
  editor = await t.makeUser('eve', 'editor');
  reviewer = await t.makeUser('rob', 'reviewer');
  await t.makeUser('adam', 'admin');
  work = await mkdtemp(path.join(tmpdir(), 'copydesk-export-cli-'));
  storm = await makeApproved('Storm warning for Friday', ['Gusts of 100 km/h are expected.', 'Ferries may be cancelled.']);
  bridge = await makeApproved('Bridge reopens', ['Traffic resumed.']);
  edited = await makeApproved('Approved wording', ['Approved paragraph.'], { title: 'Later wording', paragraphs: ['Unapproved paragraph.'] });
});
after(async () => {
  await t.drop();
  await rm(work, { recursive: true, force: true });
});

describe('npm run export: refusals leave nothing behind', () => {
  const refusals: Array<[string, () => string[], RegExp]> = [
    ['an unknown format', () => ['--out', 'out', '--format', 'docx'], /^error: unknown format "docx"; expected one of: text, markdown, json, xliff, xliff12$/m],
    ['a bad date', () => ['--out', 'out', '--since', '2026-02-30'], /^error: --since "2026-02-30" is not a date; expected YYYY-MM-DD/m],
    ['bad ids', () => ['--out', 'out', '--ids', '1,x'], /^error: --ids expects article ids separated by commas, such as 12,15,40; not an id: "x"$/m],
    ['ids that do not exist', () => ['--out', 'out', '--ids', `${storm},424242,434343`], /^error: No article with id 424242, 434343\.$/m],
    ['an output path that is a file', () => ['--out', 'a-file'], /^error: The output folder \/.+\/a-file is a file, not a folder\.$/m],
    ['an output path under a file (unwritable)', () => ['--out', 'a-file/sub'], /^error: Cannot use \/.+\/a-file\/sub as the output folder: part of its path is a file\.$/m],
    ['--as a user without the export permission', () => ['--out', 'out', '--as', 'eve'], /^error: --as: "eve" is an editor; exporting needs the article\.export permission \(admins\)$/m],
    ['a missing --out', () => ['--format', 'text'], /^error: --out <dir> is required$/m],
  ];
  before(() => writeFile(path.join(work, 'a-file'), 'keep me'));
  for (const [name, args, message] of refusals) {
    test(name, async () => {
      const before = await counts();
      const r = await runExport(args());
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.deepEqual(await counts(), before);
      const names = await readdir(path.join(work, 'out')).catch(() => [] as string[]);
      assert.ok(!names.includes('manifest.json'));
    });
  }
});

describe('npm run export', () => {
  test('exports the approved articles, prints the absolute folder, the log lines and a summary', async () => {
    // Something in the audit log before the export, for the manifest to anchor.
    await t.db.$transaction((tx) => recordAudit(tx, SYSTEM_ACTOR, { action: 'test.before_export', entity: 'article' }));
    const headBefore = await t.db.auditEvent.findFirstOrThrow({ orderBy: { id: 'desc' } });
    const r = await runExport(['--out', 'sub/../batch1', '--format', 'text', '--as', 'adam']);
    assert.equal(r.code, 0, r.stderr);
    const out = path.join(work, 'batch1');
    assert.match(r.stderr, new RegExp(`^Output folder: ${out}$`, 'm'));
    assert.match(r.stderr, /^2 articles selected\.$/m);
    assert.match(r.stderr, new RegExp(`^wrote ${storm}-storm-warning-for-friday\\.txt \\(article ${storm}, revision 2\\)$`, 'm'));
    assert.match(r.stdout, /approved → exported/);
    assert.match(r.stdout, /^Exported 2 articles in batch \d+\. 1 article has unapproved edits since approval and was not exported \(pass --all to export the approved revision\)\.$/m);
    assert.deepEqual((await readdir(out)).sort(), [`${bridge}-bridge-reopens.txt`, `${storm}-storm-warning-for-friday.txt`, 'manifest.json'].sort());
    assert.equal(await readFile(path.join(out, `${storm}-storm-warning-for-friday.txt`), 'utf8'), 'Storm warning for Friday\n\nGusts of 100 km/h are expected.\n\nFerries may be cancelled.\n');
    const rows = await t.query(`select id, status from articles order by id`);
    assert.deepEqual(rows.rows.map((a) => [a.id, a.status]), [[storm, 'exported'], [bridge, 'exported'], [edited, 'in_edit']]);
    const batch = await t.query('select "actorName", format, "articleCount" from export_batches');
    assert.deepEqual(batch.rows, [{ actorName: 'adam', format: 'text', articleCount: 2 }]);

    // The audit chain's head leaves with the export: printed, in the manifest, and in the checkpoint file.
    const head = await t.db.auditEvent.findFirstOrThrow({ orderBy: { id: 'desc' } });
    assert.match(r.stdout, new RegExp(`^Audit checkpoint: event #${head.id} hash ${head.hash} \\(keep it: `, 'm'));
    const manifest = JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8'));
    // The manifest is written before the batch's own events, so it holds the head just before them.
    assert.deepEqual(manifest.auditHead, { id: headBefore.id.toString(), hash: headBefore.hash });
    assert.ok(head.id > headBefore.id);
    const { checkpoints } = await readCheckpoints(TEST_CHECKPOINT_FILE, `${(await t.query('select current_database() as d')).rows[0].d}@${(await t.query('select system_identifier::text as s from pg_control_system()')).rows[0].s}`);
    assert.deepEqual(checkpoints.map((c) => [c.id, c.hash, c.source]), [[head.id.toString(), head.hash, 'export']]);
  });

  test('a re-run exports nothing and says so', async () => {
    const before = await counts();
    const r = await runExport(['--out', 'batch1', '--format', 'text']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Nothing to export: no approved article is waiting for export\. 1 article has unapproved edits since approval/m);
    assert.deepEqual(await counts(), before);
  });

  test('--all --json re-exports, including the pinned revision of the edited article, with the note', async () => {
    const r = await runExport(['--out', 'batch2', '--format', 'xliff', '--all', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const report = JSON.parse(r.stdout);
    assert.equal(report.outDir, path.join(work, 'batch2'));
    assert.deepEqual(
      report.exported.map((e: { articleId: number; from: string; to: string; note?: string }) => [e.articleId, e.from, e.to, e.note ?? null]),
      [
        [storm, 'exported', 'exported', null],
        [bridge, 'exported', 'exported', null],
        [edited, 'in_edit', 'in_edit', 'exported the approved revision 2; the article has unapproved edits since'],
      ],
    );
    const xlf = await readFile(path.join(work, 'batch2', `${edited}-approved-wording.xlf`), 'utf8');
    assertValidXliff(xlf);
    assert.match(xlf, /<target>Approved paragraph\.<\/target>/);
  });

  test('--dry-run lists and writes nothing', async () => {
    const before = await counts();
    const r = await runExport(['--out', 'dry', '--all', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Dry run: would export 3 articles; nothing was written\.$/m);
    assert.deepEqual(await counts(), before);
    await assert.rejects(() => readdir(path.join(work, 'dry')), { code: 'ENOENT' });
  });

  test('--verify passes on an intact folder, then catches a modified, a missing and an extra file', async () => {
    const ok = await runExport(['--verify', 'batch1']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, new RegExp(`^OK: all 2 files in ${path.join(work, 'batch1')} match manifest\\.json \\(batch \\d+\\)\\.$`, 'm'));

    await appendFile(path.join(work, 'batch1', `${storm}-storm-warning-for-friday.txt`), 'A sneaky addition.\n');
    await unlink(path.join(work, 'batch1', `${bridge}-bridge-reopens.txt`));
    await writeFile(path.join(work, 'batch1', 'stray.txt'), 'x');
    const bad = await runExport(['--verify', 'batch1']);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, new RegExp(`^modified  ${storm}-storm-warning-for-friday\\.txt `, 'm'));
    assert.match(bad.stdout, new RegExp(`^missing   ${bridge}-bridge-reopens\\.txt$`, 'm'));
    assert.match(bad.stdout, /^extra {5}stray\.txt \(not in the manifest\)$/m);
    assert.match(bad.stdout, /^FAILED: 1 missing, 1 modified, 1 extra in /m);

    const json = await runExport(['--verify', 'batch1', '--json']);
    assert.equal(json.code, 1);
    const report = JSON.parse(json.stdout);
    assert.deepEqual([report.ok, report.missing, report.extra, report.modified.map((m: { file: string }) => m.file)], [false, [`${bridge}-bridge-reopens.txt`], ['stray.txt'], [`${storm}-storm-warning-for-friday.txt`]]);

    const none = await runExport(['--verify', 'nowhere']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^error: \/.+\/nowhere does not exist\.$/m);
  });
});
