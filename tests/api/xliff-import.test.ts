// XLIFF import against a real database: article identity (unrelated files never merge, an
// update only for the same document, listed), codes and meta stored and served, locked
// paragraphs refused by the save API, the QA code check, and all-or-nothing files.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { codeChar as c } from '../../shared/inlineCodes';
import { SYSTEM_ACTOR } from '../../server/services/audit';
import { importPaths } from '../../server/services/import/importer';
import { createTestContext, type TestContext } from '../helpers/app';

let t: TestContext;
let dir = '';
let n = 0;

before(async () => {
  t = await createTestContext();
  dir = await mkdtemp(path.join(tmpdir(), 'copydesk-xliff-import-'));
  await t.makeUser('eva', 'editor');
});
after(async () => {
  await t.drop();
  await rm(dir, { recursive: true, force: true });
});

const doc20 = (units: string, fileId = 'f1') =>
  `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="de"><file id="${fileId}">${units}</file></xliff>`;
const unit = (id: string, source: string, target?: string, attrs = '') =>
  `<unit id="${id}"${attrs}><segment><source>${source}</source>${target === undefined ? '' : `<target>${target}</target>`}</segment></unit>`;

async function put(name: string, content: string): Promise<string> {
  const folder = path.join(dir, String(n++));
  await mkdir(folder);
  const p = path.join(folder, name);
  await writeFile(p, content);
  return p;
}
const run = (paths: string[]) => importPaths(t.db, paths, { maxBytes: 1_000_000 }, { ...SYSTEM_ACTOR, ip: 'test' });
const articlesFrom = async (name: string) =>
  (await t.query<{ id: number; title: string }>(`select id, title from articles where metadata ->> 'importedFrom' = $1 order by id`, [name])).rows;

describe('XLIFF article identity', () => {
  test('unrelated files with <file id="f1"> (or one Angular original) become distinct articles', async () => {
    const a = await put('menu.xlf', doc20(unit('1', 'Open', 'Öffnen') + unit('2', 'Close', 'Schließen')));
    const b = await put('errors.xlf', doc20(unit('1', 'Not found', 'Nicht gefunden') + unit('2', 'Denied', 'Verweigert')));
    const ng = (target: string) => `<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file source-language="en" target-language="fr" datatype="plaintext" original="ng2.template"><body><trans-unit id="x"><source>Hi</source><target>${target}</target></trans-unit></body></file></xliff>`;
    const c1 = await put('app-one.fr.xlf', ng('Salut'));
    const c2 = await put('app-two.fr.xlf', ng('Bonjour'));
    const report = await run([a, b, c1, c2]);
    assert.deepEqual([report.totals.imported, report.totals.updated, report.totals.conflicts], [4, 0, 0]);
    assert.equal((await articlesFrom('menu.xlf')).length, 1);
    assert.equal((await articlesFrom('errors.xlf')).length, 1);
    const { rows } = await t.query<{ n: string }>(`select count(distinct "externalId") as n from articles where metadata -> 'xliffFile' ->> 'original' = 'ng2.template'`);
    assert.equal(Number(rows[0].n), 2);
  });

  test('a file of the same name with other units is a listed conflict, never an update', async () => {
    const first = await put('strings.xlf', doc20(unit('ok', 'OK', 'OK') + unit('cancel', 'Cancel', 'Abbrechen')));
    await run([first]);
    const other = await put('strings.xlf', doc20(unit('title', 'Weather', 'Wetter') + unit('p1', 'Rain later.', 'Später Regen.') + unit('p2', 'Cold.', 'Kalt.')));
    const dry = await importPaths(t.db, [other], { dryRun: true }, { ...SYSTEM_ACTOR, ip: 'test' });
    assert.deepEqual([dry.totals.imported, dry.totals.updated, dry.totals.conflicts], [0, 0, 1]);
    const report = await run([other]);
    assert.deepEqual([report.totals.imported, report.totals.updated, report.totals.conflicts], [0, 0, 1]);
    assert.match(report.files[0].conflictList[0].reason, /only 0 of its 2 unit ids are among the 2 of the article; it looks like another document, so it was left unchanged/);
    const [article] = await articlesFrom('strings.xlf');
    const { rows } = await t.query<{ mt: string }>(`select mt from paragraphs where "articleId" = $1 order by position`, [article.id]);
    assert.deepEqual(rows.map((r) => r.mt), ['OK', 'Abbrechen']);
  });

  test('a new version of the same document updates it, and the report names the article', async () => {
    const v1 = await put('guide.xlf', doc20(unit('a', 'One', 'Eins') + unit('b', 'Two', 'Zwei')));
    await run([v1]);
    const v2 = await put('guide.xlf', doc20(unit('a', 'One', 'Eins!') + unit('b', 'Two', 'Zwei') + unit('c', 'Three', 'Drei')));
    const report = await run([v2]);
    const [article] = await articlesFrom('guide.xlf');
    assert.equal(report.totals.updated, 1);
    assert.deepEqual(report.files[0].updatedList, [{ articleId: article.id, externalId: 'xliff:guide.xlf||f1|en>de', line: 1 }]);
  });
});

describe('codes, meta, locks and QA through the API', () => {
  test('codes and meta are stored and served; a locked paragraph cannot be saved; QA reports codes and untranslated', async () => {
    const p = await put(
      'ui.xlf',
      doc20(
        unit('1', 'Click <pc id="1">here</pc> <ph id="2" equiv="{n}"/>', 'Klick <pc id="1">hier</pc> <ph id="2" equiv="{n}"/>') +
          unit('2', 'ACME', 'ACME', ' translate="no"') +
          `<unit id="3"><notes><note category="context">Button</note></notes><segment state="initial"><source>Save</source></segment></unit>`,
      ),
    );
    assert.equal((await run([p])).totals.imported, 1);
    const [{ id }] = await articlesFrom('ui.xlf');
    const editor = await t.loginAs('eva');
    const got = await editor.get(`/api/articles/${id}`);
    assert.equal(got.status, 200);
    const [p0, p1, p2] = got.body.paragraphs;
    assert.equal(p0.mt, `Klick ${c(0)}hier${c(1)} ${c(2)}`);
    assert.deepEqual(p0.codes.map((k: { element: string; kind: string }) => `${k.element}:${k.kind}`), ['pc:open', 'pc:close', 'ph:standalone']);
    assert.deepEqual(p1.meta, { fileId: 'f1', unitId: '2', locked: true });
    assert.deepEqual(p2.meta, { fileId: 'f1', unitId: '3', state: 'initial', notes: [{ text: 'Button', category: 'context' }], emptyTarget: true });
    assert.equal(p2.mt, '');

    const locked = await editor.put(`/api/articles/${id}`).send({ version: got.body.version, paragraphs: [{ index: 1, text: 'Acme Inc.' }] });
    assert.equal(locked.status, 400);
    assert.equal(locked.body.error.code, 'paragraph_locked');
    assert.match(locked.body.error.message, /paragraph 2 is locked \(translate="no" in the imported file\)/);
    const { rows } = await t.query<{ text: string }>(`select text from paragraphs where "articleId" = $1 and position = 1`, [id]);
    assert.equal(rows[0].text, 'ACME');

    const qa1 = await editor.get(`/api/articles/${id}/qa`);
    assert.deepEqual(qa1.body.findings.filter((f: { check: string }) => f.check === 'untranslated').map((f: { paragraphIndex: number }) => f.paragraphIndex), [2]);

    const saved = await editor.put(`/api/articles/${id}`).send({ version: got.body.version, paragraphs: [{ index: 0, text: `Klick hier${c(1)} ${c(2)}` }, { index: 2, text: 'Speichern' }] });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    const qa2 = await editor.get(`/api/articles/${id}/qa`);
    const codeFindings = qa2.body.findings.filter((f: { check: string }) => f.check === 'inlineCodes');
    assert.equal(codeFindings.length, 1);
    assert.match(codeFindings[0].message, /code 1 \(pc 1\) of the MT is missing/);
    assert.equal(qa2.body.findings.filter((f: { check: string }) => f.check === 'untranslated').length, 0);
  });

  test('bulk replace leaves locked paragraphs alone and changes the others', async () => {
    await t.makeUser('rex', 'reviewer');
    const p = await put('brand.xlf', doc20(unit('1', 'Acme', 'Acme Widget', ' translate="no"') + unit('2', 'Acme', 'Die Acme Widget-Reihe')));
    await run([p]);
    const [{ id }] = await articlesFrom('brand.xlf');
    const rex = await t.loginAs('rex');
    const version = (await rex.get(`/api/articles/${id}`)).body.version as number;
    const applied = await rex.post('/api/bulk-replace/apply').send({ find: 'Widget', replace: 'Gadget', caseSensitive: true, articles: [{ id, version }] });
    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    const { rows } = await t.query<{ text: string }>(`select text from paragraphs where "articleId" = $1 order by position`, [id]);
    assert.deepEqual(rows.map((r) => r.text), ['Acme Widget', 'Die Acme Gadget-Reihe']);
  });

  test('a bad XLIFF file leaves nothing behind, whatever <file> it fails in; the good file beside it imports', async () => {
    const bad = await put('bad.xlf', `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="de"><file id="a">${unit('1', 'Fine', 'Gut')}</file>\n<file id="b">${unit('1', 'x', 'y\ue123')}</file></xliff>`);
    const good = await put('good.xlf', doc20(unit('1', 'Yes', 'Ja')));
    const report = await run([bad, good]);
    assert.equal(report.files[0].status, 'failed');
    assert.match(report.files[0].error ?? '', /bad\.xlf:2: contains the private-use character U\+E123/);
    assert.equal(report.files[1].status, 'ok');
    assert.equal((await articlesFrom('bad.xlf')).length, 0);
    assert.equal((await articlesFrom('good.xlf')).length, 1);
  });
});
