import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { createTestContext, type TestContext } from '../helpers/app';
import { loggedInPage, openArticleEditor, pageErrors, screenshot, startBrowserEnv, type BrowserEnv } from '../helpers/browser';
import { makeArticle, type MadeArticle } from '../helpers/factories';

let t: TestContext;
let env: BrowserEnv;
const ids: Record<string, number> = {};
let harbour: MadeArticle;
let quotes: MadeArticle;

before(async () => {
  t = await createTestContext();
  ids.erin = await t.makeUser('erin', 'editor');
  harbour = await makeArticle(t.db, {
    title: 'Harbour reopens after storm',
    status: 'in_edit',
    assigneeId: ids.erin,
    paragraphs: ['The harbour was reopened on Tuesday after the storm.', 'The council met at the the town hall on Friday.', 'Fishermen returned to the sea in the morning.'],
  });
  quotes = await makeArticle(t.db, {
    title: 'Mayor promises action',
    status: 'in_edit',
    assigneeId: ids.erin,
    paragraphs: ['The mayor said ”we will act quickly“ before leaving the hall.', 'The session ended at noon.'],
  });
  env = await startBrowserEnv(t.app);
});

after(async () => {
  await env?.close();
  await t?.drop();
});

/** What the server says is confirmed, asked with the page's own session. */
async function serverConfirmed(page: Page, id: number): Promise<{ total: number; indexes: number[] }> {
  const res = await page.request.get(`${env.baseUrl}/api/articles/${id}/confirmations`);
  assert.equal(res.status(), 200);
  const body = (await res.json()) as { total: number; confirmations: Array<{ paragraphIndex: number }> };
  return { total: body.total, indexes: body.confirmations.map((c) => c.paragraphIndex) };
}

const activeTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.id ?? null);

async function expectProgress(page: Page, text: string) {
  await page.getByTestId('confirm-progress').filter({ hasText: text }).waitFor();
}

describe('keyboard-only editing: confirm, progress, filters, shortcuts, submit', () => {
  test('an editor opens an article from the list, edits, confirms every paragraph with Ctrl+Enter and submits, all from the keyboard', () => env.step('keyboard flow', async () => {
    const page = await loggedInPage(env, 'erin');
    await page.goto(`${env.baseUrl}/#/articles`);
    await page.locator(`a[data-article-link="${harbour.id}"]`).waitFor();
    let reached = false;
    for (let i = 0; i < 80 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate((id) => document.activeElement?.getAttribute('data-article-link') === String(id), harbour.id);
    }
    assert.ok(reached, 'Tab reaches the article link');
    await page.keyboard.press('Enter');
    await page.getByTestId('paragraph-edit-0').waitFor();
    await expectProgress(page, '0 of 4 confirmed');

    // Nothing focused: "next unconfirmed" starts at the top, the title.
    await page.keyboard.press('Alt+Shift+KeyU');
    assert.equal(await activeTestId(page), 'paragraph-edit-title');
    await page.keyboard.press('Control+Enter');
    await expectProgress(page, '1 of 4 confirmed');
    assert.equal(await activeTestId(page), 'paragraph-edit-0', 'focus moves to the next unconfirmed paragraph');
    assert.deepEqual(await serverConfirmed(page, harbour.id), { total: 4, indexes: [-1] });

    // An edit: Ctrl+Enter saves it first, then confirms the saved text.
    await page.keyboard.press('Control+a');
    await page.keyboard.type('The harbour reopened on Tuesday after the storm.');
    await page.keyboard.press('Control+Enter');
    await expectProgress(page, '2 of 4 confirmed');
    assert.equal(await activeTestId(page), 'paragraph-edit-1');
    assert.deepEqual(await serverConfirmed(page, harbour.id), { total: 4, indexes: [-1, 0] });
    const afterFirst = await t.db.article.findUniqueOrThrow({ where: { id: harbour.id }, include: { paragraphs: { orderBy: { position: 'asc' } } } });
    assert.equal(afterFirst.paragraphs[0].text, 'The harbour reopened on Tuesday after the storm.');
    assert.equal(afterFirst.version, harbour.version + 1, 'one save');
    // The save made by Ctrl+Enter leaves the form clean: the submit button is enabled again.
    await page.locator('button[data-transition="in_review"]:enabled').waitFor();
    assert.equal(await page.getByText('Unsaved changes').count(), 0);

    // Next finding ("the the" in paragraph 2), then apply its fix from the keyboard.
    await page.getByTestId('qa-1').waitFor();
    await page.keyboard.press('Alt+Shift+KeyF');
    await page.getByTestId('keyboard-status').filter({ hasText: /paragraph 2: “the” is repeated/ }).waitFor();
    assert.equal(await activeTestId(page), 'paragraph-edit-1');
    await screenshot(page, 'keyboard-current-finding');
    await page.keyboard.press('Alt+Shift+KeyX');
    assert.equal(await page.getByTestId('paragraph-edit-1').inputValue(), 'The council met at the town hall on Friday.');
    assert.equal(await activeTestId(page), 'paragraph-edit-1', 'the focus stays in the text after the fix');
    await page.keyboard.press('Control+Enter');
    await expectProgress(page, '3 of 4 confirmed');
    assert.equal(await activeTestId(page), 'paragraph-edit-2');

    // Copy the MT back over a false start, then confirm without a save (nothing changed).
    await page.keyboard.press('Control+a');
    await page.keyboard.type('Fishermen went');
    await page.keyboard.press('Alt+Shift+KeyM');
    assert.equal(await page.getByTestId('paragraph-edit-2').inputValue(), harbour.paragraphs[2]);
    await page.keyboard.press('Control+Enter');
    await expectProgress(page, '4 of 4 confirmed');
    await page.getByTestId('keyboard-status').filter({ hasText: 'Every paragraph is confirmed.' }).waitFor();
    assert.deepEqual(await serverConfirmed(page, harbour.id), { total: 4, indexes: [-1, 0, 1, 2] });
    assert.equal((await t.db.article.findUniqueOrThrow({ where: { id: harbour.id } })).version, harbour.version + 2, 'two saves: the MT copy left nothing to save');
    for (const i of [0, 1, 2]) assert.equal(await page.getByTestId(`confirm-${i}`).getAttribute('data-state'), 'confirmed');

    // Back to the saved text everywhere: the form is clean, so Submit is enabled.
    await page.locator('button[data-transition="in_review"]:enabled').waitFor();
    assert.equal(await page.getByText('Unsaved changes').count(), 0);
    await screenshot(page, 'keyboard-all-confirmed');

    // Typing a character and deleting it again leaves nothing unsaved.
    await page.getByTestId('paragraph-edit-1').focus();
    await page.keyboard.type('x');
    await page.getByText('Unsaved changes').waitFor();
    await page.keyboard.press('Backspace');
    await page.getByText('Unsaved changes').waitFor({ state: 'detached' });

    // An unsaved edit makes that confirmation stale at once.
    await page.getByTestId('paragraph-edit-0').focus();
    await page.keyboard.type(' Extra.');
    await page.getByTestId('confirm-0').and(page.locator('[data-state="stale"]')).waitFor();
    await expectProgress(page, '3 of 4 confirmed');

    // Filters hide rows but keep the unsaved text.
    const row = (i: number) => page.locator(`[data-paragraph-index="${i}"]`);
    await page.locator('input[data-filter="unconfirmed"]').focus();
    await page.keyboard.press('Space');
    await page.getByTestId('filter-count').filter({ hasText: '1 of 3 shown' }).waitFor();
    assert.deepEqual([await row(0).isVisible(), await row(1).isVisible(), await row(2).isVisible()], [true, false, false]);
    await page.keyboard.press('Space');
    await page.locator('input[data-filter="changed"]').focus();
    await page.keyboard.press('Space');
    await page.getByTestId('filter-count').filter({ hasText: '2 of 3 shown' }).waitFor();
    assert.deepEqual([await row(0).isVisible(), await row(1).isVisible(), await row(2).isVisible()], [true, true, false]);
    await page.locator('input[data-filter="findings"]').focus();
    await page.keyboard.press('Space');
    await page.getByTestId('filter-count').filter({ hasText: '0 of 3 shown: no paragraph matches these filters' }).waitFor();
    assert.equal(await row(0).isVisible(), false);
    await screenshot(page, 'keyboard-filters');
    // "Show all" turns every filter off at once.
    await page.getByTestId('filter-show-all').focus();
    await page.keyboard.press('Enter');
    await row(2).waitFor();
    assert.equal(await page.locator('input[data-filter]:checked').count(), 0, 'every filter is off');
    assert.equal(await page.getByTestId('filter-count').count(), 0);
    assert.equal(await page.getByTestId('paragraph-edit-0').inputValue(), 'The harbour reopened on Tuesday after the storm. Extra.', 'the hidden row kept its unsaved text');
    // Back to the saved text: the confirmation holds again.
    await page.getByTestId('paragraph-edit-0').focus();
    for (let i = 0; i < ' Extra.'.length; i++) await page.keyboard.press('Backspace');
    await expectProgress(page, '4 of 4 confirmed');

    // Alt+↓ and Alt+↑ skip the rows a filter hides: once paragraph 3 is edited it is the only unconfirmed one,
    // and the title's next row shown is paragraph 3.
    await page.getByTestId('paragraph-edit-2').focus();
    await page.keyboard.type(' More.');
    await expectProgress(page, '3 of 4 confirmed');
    await page.locator('input[data-filter="unconfirmed"]').focus();
    await page.keyboard.press('Space');
    await page.getByTestId('filter-count').filter({ hasText: '1 of 3 shown' }).waitFor();
    await page.getByTestId('paragraph-edit-title').focus();
    await page.keyboard.press('Alt+ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'paragraph-edit-2', 'Alt+↓ skips the hidden paragraphs 1 and 2');
    await page.keyboard.press('Alt+ArrowUp');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'paragraph-edit-title', 'Alt+↑ skips them back');
    await page.getByTestId('filter-show-all').click();
    await page.getByTestId('paragraph-edit-2').focus();
    for (let i = 0; i < ' More.'.length; i++) await page.keyboard.press('Backspace');
    await expectProgress(page, '4 of 4 confirmed');
    await page.getByTestId('paragraph-edit-0').focus();

    // "?" opens the sheet when the focus is not in a text field.
    await page.keyboard.press('?');
    assert.equal(await page.getByTestId('shortcut-sheet').count(), 0, '"?" types into the text field');
    assert.equal(await page.getByTestId('paragraph-edit-0').inputValue(), 'The harbour reopened on Tuesday after the storm.?');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Tab');
    assert.notEqual(await page.evaluate(() => document.activeElement?.tagName), 'TEXTAREA');
    await page.keyboard.press('?');
    await page.getByTestId('shortcut-sheet').waitFor();
    const listed = await page.getByTestId('shortcut-sheet').locator('tbody tr').allTextContents();
    for (const keys of ['Ctrl+Enter', 'Alt+Shift+F', 'Alt+Shift+U', 'Alt+Shift+X', 'Alt+Shift+M', 'Ctrl+S', 'Ctrl+Shift+Enter', '?']) {
      assert.ok(listed.some((l) => l.startsWith(keys)), `the sheet lists ${keys}: ${listed.join(' | ')}`);
    }
    await screenshot(page, 'keyboard-shortcut-sheet');
    await page.keyboard.press('Escape');
    await page.getByTestId('shortcut-sheet').waitFor({ state: 'detached' });

    // Submit: everything confirmed and no error open, so nothing is asked.
    await expectProgress(page, '4 of 4 confirmed');
    await page.keyboard.press('Control+Shift+Enter');
    await page.getByText('Article moved to “In review”.').waitFor();
    assert.equal(await page.getByTestId('submit-warnings').count(), 0);
    assert.equal((await t.db.article.findUniqueOrThrow({ where: { id: harbour.id } })).status, 'in_review');
    assert.deepEqual(pageErrors(page), []);
  }));

  test('submitting with unconfirmed paragraphs and an open error asks first; Cancel submits nothing, Submit anyway does', () => env.step('submit warning', async () => {
    const page = await loggedInPage(env, 'erin');
    await openArticleEditor(env, page, quotes.id);
    await expectProgress(page, '0 of 3 confirmed');
    await page.getByTestId('paragraph-edit-1').focus();
    await page.keyboard.press('Control+Enter');
    await expectProgress(page, '1 of 3 confirmed');
    assert.equal(await activeTestId(page), 'paragraph-edit-title', 'the next unconfirmed row wraps around to the title');

    const changesBefore = await t.db.statusChange.count({ where: { articleId: quotes.id } });
    await page.keyboard.press('Control+Shift+Enter');
    const dialog = page.getByRole('dialog', { name: 'Submit with open points?' });
    await dialog.waitFor();
    assert.match(await page.getByTestId('submit-warnings').innerText(), /2 paragraphs are not confirmed\.\s*2 error findings are open\./);
    assert.equal(await page.getByTestId('submit-unconfirmed').innerText(), 'Not confirmed: Title, ¶ 1');
    assert.equal(await page.getByTestId('submit-errors').locator('li').count(), 2);
    assert.equal(await activeTestId(page), 'submit-cancel', 'Cancel has the focus');
    await screenshot(page, 'keyboard-submit-warning');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    const cancelled = await t.db.article.findUniqueOrThrow({ where: { id: quotes.id } });
    assert.equal(cancelled.status, 'in_edit', 'Cancel submitted nothing');
    assert.equal(await t.db.statusChange.count({ where: { articleId: quotes.id } }), changesBefore);

    await page.getByRole('button', { name: 'Submit for review' }).click();
    await dialog.waitFor();
    await page.getByTestId('submit-anyway').click();
    await page.getByText('Article moved to “In review”.').waitFor();
    assert.equal((await t.db.article.findUniqueOrThrow({ where: { id: quotes.id } })).status, 'in_review');
    assert.deepEqual(pageErrors(page), []);
  }));
});
