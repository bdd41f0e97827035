import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { createTestContext, type TestContext } from '../helpers/app';
import { loggedInPage, openArticleEditor, pageErrors, screenshot, startBrowserEnv, unlabelledControls, type BrowserEnv } from '../helpers/browser';
import { makeArticle, paragraphTexts, type MadeArticle } from '../helpers/factories';

let t: TestContext;
let env: BrowserEnv;
const ids: Record<string, number> = {};
let budget: MadeArticle;
let harbour: MadeArticle;
let xss: MadeArticle;
let long: MadeArticle;
const XSS_SCRIPT = '<script>window.__xss=1</script>';
const XSS_IMG = '<img src=x onerror="window.__xss=1">';

before(async () => {
  t = await createTestContext({ COPYDESK_LOGIN_LIMIT_PER_USER: '3' });
  ids.erin = await t.makeUser('erin', 'editor');
  ids.rita = await t.makeUser('rita', 'reviewer');
  ids.rex = await t.makeUser('rex', 'reviewer');
  ids.audrey = await t.makeUser('audrey', 'auditor');
  ids.ada = await t.makeUser('ada', 'admin');
  budget = await makeArticle(t.db, {
    title: 'Council approves the budget',
    paragraphs: [
      { mt: 'The city council approved the new budget on Monday evening.', source: 'Le conseil municipal a adopté le nouveau budget lundi soir.' },
      { mt: 'Opposition members said that the plan lacked of detail.', source: 'Les membres de l’opposition ont dit que le plan manquait de détails.' },
      { mt: 'The vote will be repeated in March.', source: 'Le vote sera répété en mars.' },
    ],
  });
  harbour = await makeArticle(t.db, {
    title: 'Harbour reopens after storm',
    paragraphs: ['The harbour was reopened on Tuesday after the storm.', 'Fishermen returned to the sea in the morning.'],
  });
  xss = await makeArticle(t.db, {
    title: XSS_IMG,
    paragraphs: [`${XSS_SCRIPT} The mayor spoke.`, `A second paragraph with ${XSS_IMG} inside.`],
  });
  long = await makeArticle(t.db, {
    title: 'A long report on the regional elections',
    // About 10 KB of text: 40 paragraphs of some 250 characters.
    paragraphs: Array.from({ length: 40 }, (_, i) => `Paragraph ${i + 1} of the report explains, in measured and deliberately long sentences, how the regional council elections were organised, who stood, what the turnout was in each district, and why observers considered the count fair and transparent.`),
  });
  await t.db.importBatch.create({
    data: { name: 'morning-feed', importerId: ids.ada, actorName: 'ada', status: 'completed', finishedAt: new Date(), fileCount: 2, imported: 3, failed: 1, failures: [{ path: 'broken.json', error: 'Unexpected end of JSON input' }] },
  });
  await t.db.exportBatch.create({ data: { exporterId: ids.ada, actorName: 'ada', status: 'completed', format: 'markdown', outDir: '/srv/export', articleCount: 7, finishedAt: new Date() } });
  env = await startBrowserEnv(t.app);
});

after(async () => {
  await env?.close();
  await t?.drop();
});

const login = (username: string): Promise<Page> => loggedInPage(env, username);
const openArticle = (page: Page, id: number): Promise<void> => openArticleEditor(env, page, id);

describe('admin UI in a real browser', () => {
  test('login: bad credentials and rate limiting show the server message; good ones reach the dashboard', () => env.step('login: bad credentials and rate limiting show the server message; good ones reach the dashboard', async () => {
    const { page } = await env.newPage();
    await page.goto(`${env.baseUrl}/`);

    await page.locator('input[name=username]').fill('erin');
    await page.locator('input[name=password]').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Invalid username or password.').waitFor();
    await screenshot(page, 'login-error');

    for (let i = 0; i < 3; i++) {
      await page.locator('input[name=username]').fill('mallory');
      await page.locator('input[name=password]').fill('nope nope nope');
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/auth/login'));
      await page.getByRole('button', { name: 'Sign in' }).click();
      assert.equal((await answered).status(), 401);
      await page.getByRole('button', { name: 'Sign in' }).and(page.locator(':enabled')).waitFor();
    }
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(/Too many failed logins/).first().waitFor();

    await page.locator('input[name=username]').fill('erin');
    await page.locator('input[name=password]').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Good to see you, Erin' }).waitFor();
    const drafts = await t.db.article.count({ where: { status: 'mt_draft' } });
    await page.locator('[data-count="mt_draft"]').filter({ hasText: String(drafts) }).waitFor();
    await screenshot(page, 'dashboard');
    await page.getByRole('menuitem', { name: 'Articles' }).click();
    await page.locator('td.column-title', { hasText: 'Council approves the budget' }).waitFor();
    await screenshot(page, 'articles-list');
    assert.deepEqual(pageErrors(page), []);
  }));

  test('an editor edits a paragraph, sees the diff against the MT, saves with Ctrl+S, and finds the revision in History', () => env.step('an editor edits a paragraph, sees the diff against the MT, saves with Ctrl+S, and finds the revision in History', async () => {
    const page = await login('erin');
    await page.goto(`${env.baseUrl}/#/articles`);
    await page.locator('td.column-title', { hasText: 'Council approves the budget' }).click();
    const p1 = page.locator('#paragraph-text-1');
    await p1.waitFor();
    assert.equal(await page.getByTestId('source-0').textContent(), 'Le conseil municipal a adopté le nouveau budget lundi soir.');
    // The unsaved changes are drawn as a diff in place of the row's MT.
    await page.getByRole('button', { name: 'Show changes since the last save' }).click();
    await p1.fill('Opposition members said that the plan lacked detail and ambition.');
    await page.getByTestId('saved-diff-1').locator('ins', { hasText: 'and ambition' }).waitFor();
    // Keyboard: Alt+↓ moves to the next paragraph, Alt+↑ back.
    await p1.press('Alt+ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'paragraph-text-2');
    await page.keyboard.press('Alt+ArrowUp');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'paragraph-text-1');

    await page.getByRole('button', { name: 'Show changes against the MT' }).click();
    await page.getByTestId('mt-1').locator('del', { hasText: 'of' }).waitFor();
    await page.getByTestId('mt-1').locator('ins', { hasText: 'and ambition' }).waitFor();
    await page.locator('input[name=note]').fill('Grammar fix');
    assert.deepEqual(await unlabelledControls(page), []);
    // Leaving with unsaved changes asks first; dismissing keeps the editor and the text.
    const asked = page.waitForEvent('dialog').then(async (d) => {
      const message = d.message();
      await d.dismiss();
      return message;
    });
    await page.getByRole('menuitem', { name: 'Articles' }).click();
    assert.match(await asked, /unsaved|sure/i);
    assert.equal(await p1.inputValue(), 'Opposition members said that the plan lacked detail and ambition.');
    await screenshot(page, 'editor-diff');

    await page.keyboard.press('Control+s');
    await page.getByText(/Saved\. Revision 2/).waitFor();
    const revs = await t.db.revision.findMany({ where: { articleId: budget.id }, orderBy: { number: 'asc' } });
    assert.equal(revs.length, 2);
    assert.equal(revs[1].authorId, ids.erin);
    assert.equal(revs[1].note, 'Grammar fix');
    assert.equal((await paragraphTexts(t.db, budget.id))[1], 'Opposition members said that the plan lacked detail and ambition.');

    await page.getByRole('tab', { name: /History/ }).click();
    const row = page.locator('tr[data-revision="2"]');
    await row.waitFor();
    const text = await row.textContent();
    assert.match(text ?? '', /Edit/);
    assert.match(text ?? '', /Erin/);
    assert.match(text ?? '', /Grammar fix/);
    assert.deepEqual(pageErrors(page), []);
  }));

  test('four-eyes: the editor submits, a reviewer who edited sees why approval is refused, a second reviewer approves', () => env.step('four-eyes: the editor submits, a reviewer who edited sees why approval is refused, a second reviewer approves', async () => {
    const erin = await login('erin');
    await openArticle(erin, budget.id);
    await erin.locator('button[data-transition="in_review"]').click();
    // Nothing is confirmed, so submitting asks first.
    await erin.getByTestId('submit-anyway').click();
    await erin.getByText(/moved to “In review”/).waitFor();
    assert.equal((await t.db.article.findUniqueOrThrow({ where: { id: budget.id } })).status, 'in_review');

    const rita = await login('rita');
    await openArticle(rita, budget.id);
    await rita.locator('#paragraph-text-2').fill('The vote will be held again in March.');
    await rita.keyboard.press('Control+s');
    await rita.getByText(/Saved\. Revision 3/).waitFor();
    const approve = rita.locator('button[data-transition="approved"]');
    await approve.waitFor();
    assert.equal(await approve.isDisabled(), true);
    const reason = await rita.getByTestId('approval-refused').textContent();
    assert.match(reason ?? '', /four-eyes|edited/i);
    await screenshot(rita, 'approval-refused');

    const rex = await login('rex');
    await openArticle(rex, budget.id);
    const approveRex = rex.locator('button[data-transition="approved"]');
    assert.equal(await approveRex.isDisabled(), false);
    await approveRex.click();
    await rex.getByText(/moved to “Approved”/).waitFor();
    const download = rex.waitForEvent('download');
    await rex.getByRole('button', { name: 'Download approved' }).click();
    await rex.getByRole('menuitem', { name: /Markdown/ }).click();
    const file = await download;
    assert.match(file.suggestedFilename(), /\.md$/);
    const body = await readFile(await file.path(), 'utf8');
    assert.match(body, /The vote will be held again in March\./);
    const a = await t.db.article.findUniqueOrThrow({ where: { id: budget.id } });
    assert.equal(a.status, 'approved');
    assert.equal(a.approvedById, ids.rex);
  }));

  test('concurrent edits: presence shows the other editor; the conflict dialog names them, keeps the note, and merges per paragraph', () => env.step('concurrent edits', async () => {
    const a = await login('erin');
    const b = await login('rita');
    await openArticle(a, harbour.id);
    await a.locator('#paragraph-text-0').fill('The harbour reopened on Tuesday after the storm.');
    await a.locator('#paragraph-text-1').fill('Fishermen returned to sea in the early morning.');
    // Rita opens the article while Erin has unsaved changes: she is told before any conflict.
    await openArticle(b, harbour.id);
    await b.getByTestId('presence').filter({ hasText: 'Also open: Erin (editing)' }).waitFor();
    await a.keyboard.press('Control+s');
    await a.getByText(/Saved\. Revision 2/).waitFor();

    await b.locator('#paragraph-text-0').fill('The harbour opened again on Tuesday, after the storm.');
    await b.locator('#paragraph-text-1').fill('Fishermen went back to sea the next morning.');
    await b.locator('input[name=note]').fill('Tighter wording');
    await b.keyboard.press('Control+s');
    const dialog = b.getByRole('dialog', { name: 'Erin saved this article while you were editing' });
    await dialog.waitFor();
    await dialog.getByTestId('conflict-paragraph-0').locator('del', { hasText: 'was' }).waitFor();
    // Nothing was written by the refused save.
    assert.deepEqual(await paragraphTexts(t.db, harbour.id), ['The harbour reopened on Tuesday after the storm.', 'Fishermen returned to sea in the early morning.']);

    await dialog.getByTestId('choose-both-0').click();
    const merged = dialog.getByTestId('merged-0');
    assert.equal(await merged.inputValue(), 'The harbour opened again on Tuesday, after the storm.\n\nThe harbour reopened on Tuesday after the storm.');
    await merged.fill('The harbour reopened on Tuesday, after the storm.');
    await dialog.getByTestId('choose-theirs-1').click();
    await screenshot(b, 'conflict-dialog');
    await dialog.getByTestId('conflict-save').click();
    await dialog.waitFor({ state: 'detached' });
    await b.getByText(/Saved\. Revision 3/).waitFor();
    assert.deepEqual(await paragraphTexts(t.db, harbour.id), ['The harbour reopened on Tuesday, after the storm.', 'Fishermen returned to sea in the early morning.']);
    const rev3 = await t.db.revision.findFirstOrThrow({ where: { articleId: harbour.id, number: 3 } });
    assert.equal(rev3.authorId, ids.rita);
    assert.equal(rev3.note, 'Tighter wording', 'the revision note typed before the conflict is kept');
    assert.deepEqual(pageErrors(b), []);
  }));

  test('keyboard only: Tab to an article in the list, Enter opens it; the comments drawer puts the focus in the comment box', () => env.step('keyboard only', async () => {
    const page = await login('erin');
    await page.goto(`${env.baseUrl}/#/articles`);
    const link = page.locator(`a[data-article-link="${long.id}"]`);
    await link.waitFor();
    let reached = false;
    for (let i = 0; i < 80 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate((id) => document.activeElement?.getAttribute('data-article-link') === String(id), long.id);
    }
    assert.ok(reached, 'Tab reaches the article link');
    await page.keyboard.press('Enter');
    await page.locator('#paragraph-text-0').waitFor();
    assert.match(page.url(), new RegExp(`#/articles/${long.id}$`));
    await page.getByRole('button', { name: /All comments/ }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'All comments' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'new-comment');
    await page.keyboard.type('Check the turnout figures.');
    await page.keyboard.press('Escape');
    assert.deepEqual(pageErrors(page), []);
  }));

  test('history: compare two revisions side by side, then restore the imported one', () => env.step('history: compare two revisions side by side, then restore the imported one', async () => {
    const page = await login('erin');
    await openArticle(page, budget.id);
    await page.getByRole('tab', { name: /History/ }).click();
    await page.getByLabel('Compare from revision 1').check();
    await page.getByLabel('Compare to revision 3').check();
    await page.getByRole('button', { name: 'Compare selected' }).click();
    const view = page.getByTestId('compare-view');
    await view.waitFor();
    await view.getByText('Revision 1 → revision 3: 2 paragraphs changed.').waitFor();
    await view.locator('[data-side="old"] del', { hasText: 'of' }).first().waitFor();
    await view.locator('[data-side="new"] ins', { hasText: 'and ambition' }).first().waitFor();
    assert.equal(await view.locator('[data-side="old"] ins').count(), 0);
    await screenshot(page, 'history-compare');

    await page.getByRole('button', { name: 'Restore revision 1' }).click();
    await page.getByRole('dialog', { name: 'Restore revision 1?' }).getByRole('button', { name: 'Restore' }).click();
    await page.getByText('Revision 1 restored as revision 4.').waitFor();
    const revs = await t.db.revision.findMany({ where: { articleId: budget.id }, orderBy: { number: 'asc' } });
    assert.equal(revs.length, 4);
    assert.equal(revs[3].kind, 'restore');
    assert.equal(revs[3].restoredFromId, revs[0].id);
    assert.deepEqual(revs[3].paragraphs, revs[0].paragraphs);
    assert.deepEqual(await paragraphTexts(t.db, budget.id), budget.paragraphs);
    await page.locator('tr[data-revision="4"]').waitFor();
  }));

  test('XSS payloads stay inert text in the list, the editor, the diff and a comment', () => env.step('XSS payloads stay inert text in the list, the editor, the diff and a comment', async () => {
    const page = await login('erin');
    await page.goto(`${env.baseUrl}/#/articles`);
    await page.locator('td.column-title', { hasText: XSS_IMG }).waitFor();

    await openArticle(page, xss.id);
    assert.equal(await page.getByTestId('mt-0').textContent(), `${XSS_SCRIPT} The mayor spoke.`);
    await page.locator('#paragraph-text-0').fill(`${XSS_SCRIPT} The mayor spoke. ${XSS_IMG}`);
    await page.getByRole('button', { name: 'Show changes against the MT' }).click();
    await page.getByTestId('mt-0').locator('ins', { hasText: XSS_IMG }).waitFor();
    await page.keyboard.press('Control+s');
    await page.getByText(/Saved\. Revision 2/).waitFor();

    await page.getByRole('button', { name: /Comments on paragraph 2/ }).click();
    await page.getByLabel('Comment on paragraph 2').fill(`Look: ${XSS_IMG} ${XSS_SCRIPT}`);
    await page.getByRole('button', { name: 'Add comment' }).click();
    await page.locator('.comment-body', { hasText: `Look: ${XSS_IMG} ${XSS_SCRIPT}` }).waitFor();
    await screenshot(page, 'xss-inert');
    await page.locator('[data-comment-id]').getByRole('button', { name: 'Resolve' }).click();
    await page.getByText('Resolved by Erin').waitFor();

    assert.equal(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), undefined);
    assert.equal(await page.locator('img[src="x"]').count(), 0);
    assert.equal(await page.locator('script', { hasText: '__xss' }).count(), 0);
    const comments = await t.db.comment.findMany({ where: { articleId: xss.id } });
    assert.equal(comments.length, 1);
    assert.equal(comments[0].paragraphIndex, 1);
    assert.equal(comments[0].resolved, true);
    assert.equal(comments[0].resolvedById, ids.erin);
  }));

  test('an auditor reads the audit log with diffs and cannot edit an article', () => env.step('an auditor reads the audit log with diffs and cannot edit an article', async () => {
    const page = await login('audrey');
    await page.getByRole('menuitem', { name: 'Audit log' }).click();
    await page.locator('td.column-action', { hasText: 'article.save' }).first().waitFor();
    await page.goto(`${env.baseUrl}/#/audit-events?filter=${encodeURIComponent(JSON.stringify({ action: 'article.save', entityId: String(budget.id) }))}`);
    const rows = page.locator('td.column-action', { hasText: 'article.save' });
    await page.getByText('1-2 of 2').waitFor();
    assert.equal(await rows.count(), 2);
    await rows.last().click();
    await page.getByTestId('audit-diff').locator('ins', { hasText: 'and ambition' }).waitFor();
    await screenshot(page, 'audit-log');
    // The action filter offers what the server records, read from the server (bulk replace was missing from a hand list).
    await page.getByLabel('Action').click();
    await page.getByRole('option', { name: 'article.bulk_replace' }).waitFor();
    await page.getByRole('option', { name: 'maintenance.recompute_stats' }).waitFor();
    await page.keyboard.press('Escape');

    await page.goto(`${env.baseUrl}/#/articles/${budget.id}/show`);
    await page.getByTestId('text-0').waitFor();
    await screenshot(page, 'auditor-article');
    await page.getByRole('tab', { name: 'Status history' }).click();
    await page.getByTestId('status-history').getByText(/Rex ·/).waitFor();
    await screenshot(page, 'status-history');
    assert.equal(await page.locator('textarea').count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Save' }).count(), 0);
    assert.equal(await page.locator('button[data-transition]').count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Add comment' }).count(), 0);
    const status = await page.evaluate(async (id) => {
      const r = await fetch(`/api/articles/${id}`, { method: 'PUT', headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'copydesk-admin' }, body: JSON.stringify({ version: 99, title: 'hacked', paragraphs: [] }) });
      return r.status;
    }, budget.id);
    assert.equal(status, 403);
    assert.notEqual((await t.db.article.findUniqueOrThrow({ where: { id: budget.id } })).title, 'hacked');
  }));

  test('an admin bulk-assigns and archives from the list, opens a 10 KB article, manages users and reads the batches', () =>
    env.step('admin', async () => {
      const page = await login('ada');
      await page.getByTestId('status-counts').locator('[data-count="in_edit"]').filter({ hasText: '3' }).waitFor();
      await page.getByRole('region', { name: 'Recent activity' }).getByText(/Rex · In review → Approved/).waitFor();
      await screenshot(page, 'dashboard-admin');
      await page.goto(`${env.baseUrl}/#/articles`);
      const row = (title: string) => page.locator('tr', { has: page.locator('td.column-title', { hasText: title }) });
      await row('Council approves the budget').waitFor();
      await screenshot(page, 'articles-list');
      await row('Harbour reopens after storm').locator('input[type=checkbox]').check();
      await row('A long report').locator('input[type=checkbox]').check();
      await page.getByRole('button', { name: 'Assign to me' }).click();
      await page.getByText('2 article(s) assigned to you.').waitFor();
      for (const id of [harbour.id, long.id]) assert.equal((await t.db.article.findUniqueOrThrow({ where: { id } })).assigneeId, ids.ada);

      await row(XSS_IMG).locator('input[type=checkbox]').check();
      await page.getByRole('button', { name: 'Archive' }).click();
      await page.getByRole('dialog', { name: 'Archive 1 article(s)?' }).getByRole('button', { name: 'Archive' }).click();
      await page.getByText('1 article(s) archived.').waitFor();
      assert.equal((await t.db.article.findUniqueOrThrow({ where: { id: xss.id } })).status, 'archived');

      await page.goto(`${env.baseUrl}/#/articles?filter=${encodeURIComponent(JSON.stringify({ assigneeId: 'me' }))}`);
      await page.getByText('1-2 of 2').waitFor();
      assert.equal(await page.locator('td.column-title').count(), 2);

      // Request changes needs a note, and the editor then sees it at the top of the article.
      await openArticle(page, harbour.id);
      await page.locator('button[data-transition="in_review"]').click();
      await page.getByTestId('submit-anyway').click();
      await page.locator('button[data-transition="changes_requested"]').click();
      const ask = page.getByRole('dialog', { name: 'Request changes' });
      assert.equal(await ask.getByRole('button', { name: 'Request changes' }).isDisabled(), true);
      await ask.getByLabel(/What should the editor change/).fill('Name the harbour in the first paragraph.');
      await ask.getByRole('button', { name: 'Request changes' }).click();
      await page.getByText('Ada requested changes:').waitFor();
      await page.getByText('Name the harbour in the first paragraph.', { exact: true }).waitFor();
      const sc = await t.db.statusChange.findFirstOrThrow({ where: { articleId: harbour.id }, orderBy: { id: 'desc' } });
      assert.equal(sc.toStatus, 'changes_requested');
      assert.equal(sc.note, 'Name the harbour in the first paragraph.');

      await openArticle(page, long.id);
      await page.locator('#paragraph-text-39').waitFor();
      assert.equal(await page.locator('[data-paragraph-row]').count(), 40);
      assert.deepEqual(await unlabelledControls(page), []);

      await page.getByRole('menuitem', { name: 'Users' }).click();
      await page.getByRole('link', { name: 'Create' }).click();
      await page.locator('input[name=username]').fill('newbie');
      await page.locator('input[name=displayName]').fill('New Editor');
      await page.locator('input[name=password]').fill('a long enough password');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.locator('td.column-username', { hasText: 'newbie' }).waitFor();
      const created = await t.db.user.findUniqueOrThrow({ where: { username: 'newbie' } });
      assert.equal(created.role, 'editor');

      await page.locator('td.column-username', { hasText: 'newbie' }).click();
      await page.getByLabel('Role').click();
      await page.getByRole('option', { name: /Reviewer/ }).click();
      await page.locator('input[name=password]').fill('another long password');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.locator('td.column-username', { hasText: 'newbie' }).waitFor();
      const changed = await t.db.user.findUniqueOrThrow({ where: { username: 'newbie' } });
      assert.equal(changed.role, 'reviewer');
      assert.notEqual(changed.passwordHash, created.passwordHash);
      const newbieRow = page.locator('tr', { has: page.locator('td.column-username', { hasText: 'newbie' }) });
      await newbieRow.getByText('Active', { exact: true }).waitFor();
      // Users are never deleted: the button says Disable, asks, and the user stays listed as Disabled.
      await page.locator('td.column-username', { hasText: 'newbie' }).click();
      assert.equal(await page.getByRole('button', { name: 'Delete' }).count(), 0);
      await page.getByRole('button', { name: 'Disable' }).click();
      const confirmDisable = page.getByRole('dialog', { name: 'Disable newbie?' });
      await confirmDisable.getByText(/Nothing is deleted/).waitFor();
      await confirmDisable.getByRole('button', { name: 'Disable' }).click();
      await page.getByText('newbie is disabled.').waitFor();
      await newbieRow.getByText('Disabled', { exact: true }).waitFor();
      assert.equal((await t.db.user.findUniqueOrThrow({ where: { username: 'newbie' } })).disabled, true);
      assert.equal(await page.locator('tr', { has: page.locator('td.column-username', { hasText: 'ada' }) }).getByText('Active', { exact: true }).count(), 1);
      await screenshot(page, 'users');

      await page.getByRole('menuitem', { name: 'Import batches' }).click();
      await page.locator('td.column-name', { hasText: 'morning-feed' }).click();
      await page.getByText('Unexpected end of JSON input').waitFor();
      await screenshot(page, 'import-batches');
      await page.getByRole('menuitem', { name: 'Export batches' }).click();
      await page.locator('td.column-exporterName', { hasText: 'Ada' }).waitFor();
      assert.equal(await page.locator('td.column-articleCount').first().textContent(), '7');
      assert.deepEqual(pageErrors(page), []);
    }));
});
