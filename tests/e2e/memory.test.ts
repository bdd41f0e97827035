// The editor's memory: a translation-memory match with its percentage beside
// the paragraph, inserted with Ctrl+Shift+1 and saved; glossary terms in the
// source and MT before any save; the concordance dialog.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createTestContext, type TestContext } from '../helpers/app';
import { loggedInPage, openArticleEditor, pageErrors, screenshot, startBrowserEnv, unlabelledControls, type BrowserEnv } from '../helpers/browser';
import { makeArticle, paragraphTexts, type MadeArticle } from '../helpers/factories';

let t: TestContext;
let env: BrowserEnv;
let query: MadeArticle;

before(async () => {
  t = await createTestContext();
  const editorId = await t.makeUser('erin', 'editor');
  const reviewerId = await t.makeUser('rita', 'reviewer');
  const erin = await t.loginAs('erin');
  const rita = await t.loginAs('rita');
  // An approved article, through the API, so its text joins the memory as in production.
  const done = await makeArticle(t.db, { title: 'Budget passed', status: 'in_edit', assigneeId: editorId, sourceLang: 'zh', targetLang: 'en', paragraphs: ['The council approved the new budget on Monday.', 'Opposition members walked out.'] });
  const saved = await erin.put(`/api/articles/${done.id}`).send({ version: 1, paragraphs: [{ index: 0, text: 'The council passed the new budget on Monday.' }] });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  assert.equal((await erin.post(`/api/articles/${done.id}/transitions`).send({ to: 'in_review', version: 2 })).status, 200);
  assert.equal((await rita.post(`/api/articles/${done.id}/transitions`).send({ to: 'approved', version: 3 })).status, 200);
  await t.db.glossaryEntry.create({ data: { term: 'strike hard', preferred: 'crack down', forbidden: ['strike hard'], sourceTerm: '严厉打击', createdById: reviewerId } });
  query = await makeArticle(t.db, {
    title: 'Budget row',
    status: 'in_edit',
    assigneeId: editorId,
    sourceLang: 'zh',
    targetLang: 'en',
    paragraphs: [
      { mt: 'The council approved the new budget on Tuesday.', source: '市议会周二批准了新预算。' },
      { mt: 'Our city will strike hard against illegal fishing.', source: '我市将严厉打击非法捕捞。' },
    ],
  });
  env = await startBrowserEnv(t.app);
});

after(async () => {
  await env?.close();
  await t?.drop();
});

test('the editor sees a TM match and its percentage, inserts it with Ctrl+Shift+1 and saves it', async () => {
  await env.step('memory editor', async () => {
    const page: Page = await loggedInPage(env, 'erin');
    await openArticleEditor(env, page, query.id);
    const match = page.getByTestId(`tm-match-0-1`);
    await match.waitFor();
    assert.equal(await match.getByLabel('88 percent match').textContent(), '88 %');
    assert.equal(await page.getByTestId('tm-approved-0-1').textContent(), 'The council passed the new budget on Monday.');
    // The MT differences: "Monday" (the memory's) struck, "Tuesday" (this paragraph's) inserted.
    assert.equal(await match.locator('del').first().textContent(), 'Monday');
    assert.equal(await match.locator('ins').first().textContent(), 'Tuesday');
    // Glossary terms in the source and the MT, with the preferred rendering, before any save.
    const hits = page.getByTestId('glossary-hits-1');
    await hits.getByText('严厉打击').waitFor();
    assert.match((await hits.textContent()) ?? '', /严厉打击 → crack down.*strike hard → crack down/);
    assert.equal(await page.getByTestId('tm-match-1-1').count(), 0, 'no memory match for the second paragraph');
    assert.deepEqual(await unlabelledControls(page), []);
    await screenshot(page, 'memory-editor');

    await page.locator('#paragraph-text-0').focus();
    await page.keyboard.press('Control+Shift+Digit1');
    await page.waitForFunction(() => (document.getElementById('paragraph-text-0') as HTMLTextAreaElement | null)?.value === 'The council passed the new budget on Monday.');
    assert.equal((await paragraphTexts(t.db, query.id))[0], 'The council approved the new budget on Tuesday.', 'nothing saved yet');
    // Typing a forbidden variant shows it at once, before any save.
    await page.locator('#paragraph-text-1').fill('Our city will strike hard on fishing.');
    await page.getByTestId('glossary-hits-1').getByText('text:').waitFor();
    await page.locator('#paragraph-text-1').fill('Our city will crack down on illegal fishing.');
    await page.keyboard.press('Control+s');
    await page.getByText(/^Saved\. Revision 2/).waitFor();
    assert.deepEqual(await paragraphTexts(t.db, query.id), ['The council passed the new budget on Monday.', 'Our city will crack down on illegal fishing.']);
    await screenshot(page, 'memory-inserted');

    await page.getByRole('button', { name: 'Concordance' }).click();
    await page.getByLabel('Concordance phrase').fill('new budget');
    const row = page.getByTestId('concordance-row');
    await row.first().waitFor();
    assert.equal(await row.count(), 1);
    assert.match((await row.first().textContent()) ?? '', /The council approved the new budget on Monday\..*The council (approved)?passed/);
    await screenshot(page, 'memory-concordance');
    assert.deepEqual(pageErrors(page), []);
  });
});
