import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestContext, type TestContext } from '../helpers/app';
import { makeArticle } from '../helpers/factories';
import { ROOT, runCli } from './crashHelpers';

// Path handling of the import and export CLIs with traversal-style arguments:
// paths are resolved, reported absolute, and a system file given to the
// importer is only reported with its own error.

let t: TestContext;
let work: string;

before(async () => {
  t = await createTestContext();
  work = mkdtempSync(path.join(tmpdir(), 'copydesk-cli-hygiene-'));
});

after(async () => {
  rmSync(work, { recursive: true, force: true });
  await t.drop();
});

/** `target` as a relative path from the repository root that climbs with ../ first. */
const climbing = (target: string) => path.join(...Array(ROOT.split(path.sep).length).fill('..'), target);

test('import of a ../../etc/passwd-style path reports that file’s own error by absolute path and writes no article', async () => {
  const res = await runCli(t.url, ['scripts/import.ts', climbing('etc/passwd'), '--json']);
  assert.equal(res.code, 1, res.stderr);
  const report = JSON.parse(res.stdout) as { files: Array<{ path: string; status: string; error?: string }>; totals: { imported: number } };
  assert.equal(report.files.length, 1);
  assert.equal(report.files[0].path, '/etc/passwd');
  assert.equal(report.files[0].status, 'failed');
  assert.match(report.files[0].error ?? '', /^\/etc\/passwd: has no file extension/);
  assert.ok(!(report.files[0].error ?? '').includes('root:'), 'the error must not echo the file’s content');
  assert.equal(report.totals.imported, 0);
  assert.equal((await t.query<{ n: number }>(`select count(*)::int n from articles`)).rows[0].n, 0);
});

test('import through a traversing relative path imports the file it resolves to, reported absolute', async () => {
  const dir = path.join(work, 'feeds');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'story.txt'), 'Harbour plan approved\n\nThe council approved the harbour plan on Monday.\n');
  const rel = path.relative(ROOT, path.join(dir, '..', 'feeds', '.', 'story.txt')).replace('feeds', 'feeds/../feeds');
  const res = await runCli(t.url, ['scripts/import.ts', rel, '--json']);
  assert.equal(res.code, 0, res.stderr);
  const report = JSON.parse(res.stdout) as { files: Array<{ path: string; status: string }>; totals: { imported: number } };
  assert.equal(report.files[0].path, path.join(dir, 'story.txt'));
  assert.equal(report.totals.imported, 1);
});

test('export --out with ../ segments writes into the resolved folder and reports it absolute; a file as --out is refused', async () => {
  const reviewer = await t.makeUser('rita', 'reviewer');
  await makeArticle(t.db, { title: 'Approved for export', paragraphs: ['Ready to publish.'], status: 'approved', approvedById: reviewer });
  const target = path.join(work, 'out');
  const res = await runCli(t.url, ['scripts/export.ts', '--out', climbing(path.join(work.slice(1), 'x', '..', 'out')), '--json']);
  assert.equal(res.code, 0, res.stderr);
  const report = JSON.parse(res.stdout) as { outDir: string; manifest: string; exported: unknown[] };
  assert.equal(report.outDir, target);
  assert.equal(report.manifest, path.join(target, 'manifest.json'));
  assert.equal(report.exported.length, 1);
  assert.ok(existsSync(path.join(target, 'manifest.json')));
  assert.equal(existsSync(path.join(work, 'x')), false, 'no folder was created along the ../ path');

  const refused = await runCli(t.url, ['scripts/export.ts', '--out', climbing('etc/passwd'), '--json']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /The output folder \/etc\/passwd is a file, not a folder\./);
  assert.deepEqual(readdirSync('/etc').filter((n) => n.startsWith('.passwd')), [], 'no temporary file was left next to /etc/passwd');
});
