// npm run import never follows a symbolic link out of a folder it walks (a link to /etc/passwd
// must not become a readable article); a link named on the command line is read only when it
// resolves to a readable regular file, and the report says so.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ImportReport } from '../../server/services/import/importer';
import { createTestContext, type TestContext } from '../helpers/app';
import { runScript, type ExitInfo } from '../helpers/spawn';

let t: TestContext;
let dir = '';

before(async () => {
  t = await createTestContext();
  dir = await mkdtemp(path.join(tmpdir(), 'copydesk-import-links-'));
});
after(async () => {
  await t.drop();
  await rm(dir, { recursive: true, force: true });
});

const importCli = (args: string[]): Promise<ExitInfo> => runScript('scripts/import.ts', args, { env: { DATABASE_URL: t.url } });
const report = (r: ExitInfo): ImportReport => JSON.parse(r.stdout) as ImportReport;
const articleCount = async () => Number((await t.query<{ n: string }>('select count(*) as n from articles')).rows[0].n);

describe('symbolic links', () => {
  test('a folder walk does not follow links to files or folders outside it, and says so', async () => {
    const root = path.join(dir, 'walk');
    const outside = path.join(dir, 'outside');
    await mkdir(root, { recursive: true });
    await mkdir(outside, { recursive: true });
    await writeFile(path.join(root, 'story.md'), '# Harbour reopens\n\nShips queued overnight.\n');
    await writeFile(path.join(outside, 'secret.txt'), 'Secret title\n\nNot for the newsroom.\n');
    await symlink('/etc/passwd', path.join(root, 'passwd.txt'));
    await symlink(path.join(outside, 'secret.txt'), path.join(root, 'secret.txt'));
    await symlink(outside, path.join(root, 'more'));
    const before = await articleCount();
    const r = await importCli([root, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const rep = report(r);
    assert.deepEqual(rep.files.map((f) => path.basename(f.path)), ['story.md']);
    assert.deepEqual(rep.ignored.map((i) => [path.basename(i.path), i.reason]), [
      ['more', 'a symbolic link inside a folder is not followed'],
      ['passwd.txt', 'a symbolic link inside a folder is not followed'],
      ['secret.txt', 'a symbolic link inside a folder is not followed'],
    ]);
    assert.equal((await articleCount()) - before, 1);
    const { rows } = await t.query<{ n: string }>(`select count(*) as n from paragraphs where text like '%root:%' or text like '%newsroom%'`);
    assert.equal(Number(rows[0].n), 0);
    const text = await importCli([root, '--dry-run']);
    assert.match(text.stdout, /Not read \(symbolic links inside a folder are never followed\):\n {2}\S+more: a symbolic link inside a folder is not followed/);
  });

  test('a link named on the command line is read when it leads to a regular file, and the report says so', async () => {
    const target = path.join(dir, 'real-story.md');
    await writeFile(target, '# Ferry timetable\n\nThe winter timetable starts on Monday.\n');
    const link = path.join(dir, 'link-story.md');
    await symlink(target, link);
    const r = await importCli([link, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const [file] = report(r).files;
    assert.equal(file.status, 'ok');
    assert.equal(file.notes[0], `read through a symbolic link named on the command line, to ${target}`);
  });

  test('a link named on the command line to a folder, a device or nowhere is refused, naming it', async () => {
    const toDir = path.join(dir, 'link-dir');
    const toDevice = path.join(dir, 'link-null.txt');
    const dangling = path.join(dir, 'link-gone.txt');
    await symlink(dir, toDir);
    await symlink('/dev/null', toDevice);
    await symlink(path.join(dir, 'nothing-here.txt'), dangling);
    const r = await importCli([toDir, toDevice, dangling, '--json']);
    assert.equal(r.code, 1);
    const errors = report(r).failures.map((f) => f.error);
    assert.match(errors[0], new RegExp(`^${toDir}: is a symbolic link to ${dir}, which is not a regular file; only links to files are followed$`));
    assert.match(errors[1], /link-null\.txt: is a symbolic link to \/dev\/null, which is not a regular file/);
    assert.match(errors[2], /link-gone\.txt: cannot read: no such file or directory/);
  });
});
