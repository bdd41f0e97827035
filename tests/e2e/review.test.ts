import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../helpers/app';
import { loggedInPage, openArticleEditor, pageErrors, screenshot, startBrowserEnv, type BrowserEnv } from '../helpers/browser';
import { makeArticle, paragraphTexts, type MadeArticle } from '../helpers/factories';

let t: TestContext;
let env: BrowserEnv;
let article: MadeArticle;

const MT = ['The mayor opened the bridge on Monday.', 'Traffic was heavy in the morning.', 'Officials expect more visitors.'];

before(async () => {
  t = await createTestContext();
  const erin = await t.makeUser('erin', 'editor');
  const rita = await t.makeUser('rita', 'reviewer');
  await t.db.user.update({ where: { id: erin }, data: { displayName: 'Erin' } });
  await t.db.user.update({ where: { id: rita }, data: { displayName: 'Rita' } });
  article = await makeArticle(t.db, { title: 'Bridge opens', paragraphs: MT });
  env = await startBrowserEnv(t.app);
});

after(async () => {
  await env?.close();
  await t?.drop();
});

test('the editor submits; the reviewer rejects one change with a note and accepts the rest; the editor sees the note', () =>
  env.step('review with tracked changes', async () => {
    const erin = await loggedInPage(env, 'erin');
    await openArticleEditor(env, erin, article.id);
    await erin.locator('#paragraph-text-0').fill('The governor opened the new bridge on Monday.');
    await erin.locator('#paragraph-text-2').fill('Officials expect many more visitors.');
    await erin.keyboard.press('Control+s');
    await erin.getByText(/Saved\. Revision 2/).waitFor();
    await erin.locator('button[data-transition="in_review"]').click();
    // Nothing is confirmed, so submitting asks first.
    await erin.getByTestId('submit-anyway').click();
    await erin.getByText(/moved to “In review”/).waitFor();

    const rita = await loggedInPage(env, 'rita');
    await openArticleEditor(env, rita, article.id);
    await rita.getByRole('tab', { name: 'Review' }).click();
    const panel = rita.getByTestId('review-panel');
    await panel.waitFor();
    assert.match((await rita.getByTestId('review-revisions').textContent()) ?? '', /Revision 1 \(imported .*\) → revision 2 by Erin: 3 changes/);
    const p0 = rita.getByTestId('review-p0');
    assert.equal(await p0.locator('del', { hasText: 'mayor' }).first().textContent(), 'mayor');
    assert.equal(await p0.locator('ins', { hasText: 'governor' }).first().textContent(), 'governor');

    // Reject "mayor → governor" with a note; accept the rest.
    const view = await t.db.revision.count({ where: { articleId: article.id } });
    assert.equal(view, 2);
    const decisions = p0.locator('[data-testid^="decision-"]');
    const first = decisions.first();
    await first.locator('button[data-action="reject"]').click();
    await first.getByLabel(/Why\?/).fill('It was the mayor: see the source.');
    await rita.getByRole('button', { name: 'Accept the rest' }).click();
    await screenshot(rita, 'review-tracked-changes');
    const send = rita.getByTestId('send-review');
    assert.equal(await send.textContent(), 'Reject 1 and send back');
    await send.click();
    await rita.getByText(/1 change reverted; the article went back to the editor/).waitFor();

    assert.deepEqual(await paragraphTexts(t.db, article.id), ['The mayor opened the new bridge on Monday.', MT[1], 'Officials expect many more visitors.']);
    assert.equal((await t.db.article.findUniqueOrThrow({ where: { id: article.id } })).status, 'changes_requested');

    await erin.reload();
    await erin.locator('#paragraph-text-0').waitFor();
    await erin.getByText(/Rita requested changes:/).waitFor();
    assert.match((await erin.getByText(/Rita requested changes:/).locator('..').textContent()) ?? '', /It was the mayor: see the source\./);
    assert.equal(await erin.locator('#paragraph-text-0').inputValue(), 'The mayor opened the new bridge on Monday.');
    await erin.getByRole('button', { name: /Comments on paragraph 1 \(1 open\)/ }).click();
    await erin.locator('.comment-body', { hasText: 'It was the mayor: see the source.' }).waitFor();
    assert.match((await erin.locator('.comment-body').first().textContent()) ?? '', /restored “mayor” in place of “governor”/);
    await screenshot(erin, 'review-editor-sees-note');
    assert.deepEqual(pageErrors(rita), []);
    assert.deepEqual(pageErrors(erin), []);
  }));
