// The editor on an imported XLIFF article: inline codes as chips in the MT and source, as ⟦k⟧ in
// the editable text (stored as code characters again on save), a locked paragraph that cannot be
// typed into, and the file's state, notes and "to be translated" on the paragraph row.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { codeChar as c } from '../../shared/inlineCodes';
import { SYSTEM_ACTOR } from '../../server/services/audit';
import { importPaths } from '../../server/services/import/importer';
import { createTestContext, type TestContext } from '../helpers/app';
import { loggedInPage, openArticleEditor, pageErrors, screenshot, startBrowserEnv, type BrowserEnv } from '../helpers/browser';

let t: TestContext;
let env: BrowserEnv;
let dir = '';
let articleId = 0;

const XLIFF = `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="de"><file id="f1">
<unit id="1"><segment state="translated"><source>Click <pc id="1">here</pc> to see <ph id="2" equiv="{count}"/> items.</source><target>Klicken Sie <pc id="1">hier</pc>, um <ph id="2" equiv="{count}"/> Artikel zu sehen.</target></segment></unit>
<unit id="2" translate="no"><segment><source>ACME Corp.</source><target>ACME Corp.</target></segment></unit>
<unit id="3"><notes><note category="context">Button label</note></notes><segment><source>Save</source></segment></unit>
</file></xliff>`;

before(async () => {
  t = await createTestContext();
  await t.makeUser('erin', 'editor');
  dir = await mkdtemp(path.join(tmpdir(), 'copydesk-e2e-xliff-'));
  const file = path.join(dir, 'shop.de.xlf');
  await writeFile(file, XLIFF);
  await importPaths(t.db, [file], {}, { ...SYSTEM_ACTOR, ip: 'test' });
  articleId = (await t.db.article.findFirstOrThrow({ where: { metadata: { path: ['importedFrom'], equals: 'shop.de.xlf' } } })).id;
  env = await startBrowserEnv(t.app);
});
after(async () => {
  await env?.close();
  await t?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('XLIFF paragraphs in the editor', () => {
  test('codes are chips and ⟦k⟧ labels, locked and untranslated paragraphs are shown, a save keeps the codes', () =>
    env.step('xliff codes in the editor', async () => {
      const page = await loggedInPage(env, 'erin');
      await openArticleEditor(env, page, articleId);
      const mt = page.getByTestId('mt-0');
      assert.equal(await mt.locator('[data-code]').count(), 3);
      assert.match((await mt.textContent()) ?? '', /Klicken Sie 1·pc 1hier2·\/pc 1, um 3·\{count\} Artikel zu sehen\./);
      assert.equal(await page.getByTestId('source-0').locator('[data-code]').count(), 3);
      assert.equal(await page.locator('#paragraph-text-0').inputValue(), 'Klicken Sie ⟦1⟧hier⟦2⟧, um ⟦3⟧ Artikel zu sehen.');
      await page.getByTestId('locked-1').waitFor();
      assert.equal(await page.locator('#paragraph-text-1').getAttribute('readonly'), '');
      await page.getByTestId('to-translate-2').waitFor();
      assert.equal(await page.getByTestId('note-2-0').textContent(), 'Note (context): Button label');
      await page.getByTestId('state-0').waitFor();
      await screenshot(page, 'xliff-codes');

      await page.locator('#paragraph-text-0').fill('Sehen Sie ⟦3⟧ Artikel: ⟦1⟧hier⟦2⟧ klicken.');
      await page.locator('#paragraph-text-2').fill('Speichern');
      await page.keyboard.press('Control+s');
      await page.getByText(/Saved\. Revision 2/).waitFor();
      const rows = await t.db.paragraph.findMany({ where: { articleId }, orderBy: { position: 'asc' }, select: { text: true } });
      assert.deepEqual(rows.map((r) => r.text), [`Sehen Sie ${c(2)} Artikel: ${c(0)}hier${c(1)} klicken.`, 'ACME Corp.', 'Speichern']);
      assert.deepEqual(pageErrors(page), []);
    }));
});
