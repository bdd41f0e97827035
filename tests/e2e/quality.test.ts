import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { createTestContext, type TestContext } from '../helpers/app';
import { loggedInPage, openArticleEditor, pageErrors, screenshot, startBrowserEnv, unlabelledControls, type BrowserEnv } from '../helpers/browser';
import { makeArticle, paragraphTexts, type MadeArticle } from '../helpers/factories';

type Agent = ReturnType<typeof request.agent>;
let t: TestContext;
let env: BrowserEnv;
const ids: Record<string, number> = {};
let defects: MadeArticle;
let strike: MadeArticle;
let bj1: MadeArticle;
let bj2: MadeArticle;
let bjApproved: MadeArticle;
let celebrityEntryId: number;

/** Saves new paragraph texts through the API; returns the new version. */
async function edit(agent: Agent, id: number, version: number, texts: string[]): Promise<number> {
  const res = await agent.put(`/api/articles/${id}`).send({ version, paragraphs: texts.map((text, index) => ({ index, text })) });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.version as number;
}

async function submitAndApprove(editor: Agent, reviewer: Agent, id: number, version: number): Promise<void> {
  const submitted = await editor.post(`/api/articles/${id}/transitions`).send({ to: 'in_review', version });
  assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
  const approved = await reviewer.post(`/api/articles/${id}/transitions`).send({ to: 'approved', version: submitted.body.version });
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
}

before(async () => {
  t = await createTestContext();
  ids.erin = await t.makeUser('erin', 'editor');
  ids.rita = await t.makeUser('rita', 'reviewer');
  ids.audrey = await t.makeUser('audrey', 'auditor');
  ids.ada = await t.makeUser('ada', 'admin');
  defects = await makeArticle(t.db, {
    title: 'Fishing crackdown announced announced',
    paragraphs: [
      'The police pledged to 严厉打击 illegal fishing in the bay.',
      'The mayor said ”we will act quickly“ before leaving the hall.',
      'The council met at the the town hall on Friday.',
      'The harbour reopened on Tuesday.',
    ],
  });
  strike = await makeArticle(t.db, { title: 'City vows action', paragraphs: ['Our city will strike hard against illegal fishing.', 'Boats were inspected.'] });
  bj1 = await makeArticle(t.db, { title: 'Officials meet', paragraphs: ['Officials in Beijing Municipality met on Monday.'] });
  bj2 = await makeArticle(t.db, { title: 'New rules', paragraphs: ['Beijing Municipality announced new rules.', 'Traffic in Beijing Municipality was heavy.'] });
  bjApproved = await makeArticle(t.db, { title: 'Old news', status: 'approved', approvedById: ids.rita, paragraphs: ['Beijing Municipality held a fair.'] });

  // Approved articles whose corrections recur: "public security organs" → "police" in two articles, "net red" → "internet celebrity" twice in one.
  const erin = await t.loginAs('erin');
  const rita = await t.loginAs('rita');
  const a = await makeArticle(t.db, { title: 'Arrests', paragraphs: ['The public security organs arrested two men on Monday.'] });
  await submitAndApprove(erin, rita, a.id, await edit(erin, a.id, a.version, ['The police arrested two men on Monday.']));
  const b = await makeArticle(t.db, { title: 'Late arrival', paragraphs: ['Witnesses said the public security organs arrived late.'] });
  await submitAndApprove(erin, rita, b.id, await edit(erin, b.id, b.version, ['Witnesses said the police arrived late.']));
  const c = await makeArticle(t.db, { title: 'Robot fair', paragraphs: ['Robots became the net red of the fair.', 'A dancing robot was another net red.'] });
  await submitAndApprove(erin, rita, c.id, await edit(erin, c.id, c.version, ['Robots became the internet celebrity of the fair.', 'A dancing robot was another internet celebrity.']));
  celebrityEntryId = (await t.db.glossaryEntry.create({ data: { term: 'internet celebrity', preferred: 'influencer', forbidden: ['net red'], createdById: ids.rita } })).id;

  env = await startBrowserEnv(t.app);
});

after(async () => {
  await env?.close();
  await t?.drop();
});

const login = (username: string): Promise<Page> => loggedInPage(env, username);
const openArticle = (page: Page, id: number): Promise<void> => openArticleEditor(env, page, id);

async function marks(page: Page, index: number | 'title', check: string): Promise<Array<{ text: string | null; severity: string | null }>> {
  return page
    .getByTestId(`qa-text-${index}`)
    .locator(`mark[data-check~="${check}"]`)
    .evaluateAll((els) => els.map((e) => ({ text: e.textContent, severity: e.getAttribute('data-severity') })));
}

describe('quality checks, glossary, analytics and bulk replace in a real browser', () => {
  test('the editor highlights QA findings in place, counts them, fixes one from its suggestion and re-checks after the save', () =>
    env.step('qa in the editor', async () => {
      const page = await login('erin');
      await openArticle(page, defects.id);
      const summary = page.getByTestId('qa-summary');
      await summary.getByText('3 errors').waitFor();
      await summary.getByText('2 warnings').waitFor();
      await summary.getByText('in 3 paragraphs and the title').waitFor();
      // The title is checked too: its findings sit under the title field.
      await page.getByTestId('qa-title').getByText('“announced” is repeated.').waitFor();
      assert.deepEqual(await marks(page, 'title', 'repeats'), [{ text: 'announced announced', severity: 'warning' }]);

      assert.deepEqual(await marks(page, 0, 'script'), [{ text: '严厉打击', severity: 'error' }]);
      assert.deepEqual(await marks(page, 1, 'quotes'), [
        { text: '”', severity: 'error' },
        { text: '“', severity: 'error' },
      ]);
      assert.deepEqual(await marks(page, 2, 'repeats'), [{ text: 'the the', severity: 'warning' }]);
      // The unmarked text around a highlight is still there, as text.
      assert.equal(await page.getByTestId('qa-text-2').textContent(), 'The council met at the the town hall on Friday.');
      assert.equal(await page.getByTestId('qa-count-0').textContent(), '1');
      assert.equal(await page.getByTestId('qa-count-1').textContent(), '2');
      assert.equal(await page.getByTestId('qa-count-2').textContent(), '1');
      assert.equal(await page.getByTestId('qa-count-3').count(), 0);
      assert.equal(await page.getByTestId('qa-3').count(), 0);
      await page.getByTestId('qa-1').getByText('The closing quote ” is used to open a quotation.').waitFor();
      assert.deepEqual(await unlabelledControls(page), []);
      await screenshot(page, 'qa-editor');

      // "Fix" writes the suggestion into the textarea; the second quote is found again after the first fix.
      await page.getByTestId('qa-2').getByRole('button', { name: 'Fix: “the” is repeated.' }).click();
      assert.equal(await page.locator('#paragraph-text-2').inputValue(), 'The council met at the town hall on Friday.');
      await page.getByTestId('qa-1').getByRole('button', { name: 'Fix: The closing quote ” is used to open a quotation.' }).click();
      await page.getByTestId('qa-1').getByRole('button', { name: 'Fix: “ used as a closing mark: the quotation is closed with ”.' }).click();
      assert.equal(await page.locator('#paragraph-text-1').inputValue(), 'The mayor said “we will act quickly” before leaving the hall.');
      await page.getByTestId('qa-title').getByRole('button', { name: 'Fix: “announced” is repeated.' }).click();
      assert.equal(await page.getByTestId('paragraph-edit-title').inputValue(), 'Fishing crackdown announced');
      // Nothing is saved until the editor saves.
      assert.equal((await paragraphTexts(t.db, defects.id))[2], 'The council met at the the town hall on Friday.');

      await page.locator('#paragraph-text-1').focus();
      await page.keyboard.press('Control+s');
      await page.getByText(/^Saved\. Revision 2/).waitFor();
      await page.getByTestId('qa-count-1').waitFor({ state: 'detached' });
      await page.getByTestId('qa-count-2').waitFor({ state: 'detached' });
      await page.getByTestId('qa-title').waitFor({ state: 'detached' });
      await summary.getByText('1 error').waitFor();
      assert.deepEqual(await marks(page, 0, 'script'), [{ text: '严厉打击', severity: 'error' }]);
      assert.deepEqual(await paragraphTexts(t.db, defects.id), [
        'The police pledged to 严厉打击 illegal fishing in the bay.',
        'The mayor said “we will act quickly” before leaving the hall.',
        'The council met at the town hall on Friday.',
        'The harbour reopened on Tuesday.',
      ]);
      assert.deepEqual(pageErrors(page), []);
    }));

  test('a reviewer adds a glossary entry and the editor then flags the forbidden variant', () =>
    env.step('glossary entry → glossaryForbidden finding', async () => {
      const page = await login('rita');
      await openArticle(page, strike.id);
      await page.getByTestId('qa-summary').getByText('no findings').waitFor();
      assert.equal(await page.getByTestId('qa-count-0').count(), 0);

      await page.getByRole('menuitem', { name: 'Glossary' }).click();
      await page.getByRole('link', { name: 'Create' }).click();
      await page.locator('input[name=term]').fill('crack down');
      await page.locator('input[name=preferred]').fill('crack down on');
      const variants = page.getByLabel('Forbidden variants');
      await variants.fill('strike hard');
      await variants.press('Enter');
      await variants.fill('hit hard');
      await variants.press('Enter');
      await page.locator('textarea[name=note]').fill('Chinese 严厉打击');
      assert.deepEqual(await unlabelledControls(page), []);
      await page.getByRole('button', { name: 'Save' }).click();
      await page.locator('td.column-term', { hasText: 'crack down' }).waitFor();
      const entry = await t.db.glossaryEntry.findUnique({ where: { term: 'crack down' } });
      assert.deepEqual({ preferred: entry?.preferred, forbidden: entry?.forbidden, note: entry?.note, by: entry?.createdById }, { preferred: 'crack down on', forbidden: ['strike hard', 'hit hard'], note: 'Chinese 严厉打击', by: ids.rita });

      // A second entry with the same term answers 409 with the server's message.
      await page.getByRole('link', { name: 'Create' }).click();
      await page.locator('input[name=term]').fill('Crack Down');
      await page.locator('input[name=preferred]').fill('clamp down');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText(`term: "crack down" is already in the glossary (entry ${entry?.id}); edit that entry instead.`).waitFor();
      assert.equal(await t.db.glossaryEntry.count({ where: { preferred: 'clamp down' } }), 0);

      await openArticle(page, strike.id);
      await page.getByTestId('qa-count-0').filter({ hasText: '1' }).waitFor();
      assert.deepEqual(await marks(page, 0, 'glossaryForbidden'), [{ text: 'strike hard', severity: 'error' }]);
      await page.getByTestId('qa-0').getByText('“strike hard” is not allowed by the glossary (“crack down”); use “crack down on”.').waitFor();
      await page.getByTestId('qa-0').locator('strong', { hasText: 'crack down on' }).waitFor();
      await screenshot(page, 'qa-glossary-finding');
      assert.deepEqual(pageErrors(page), []);
    }));

  test('glossary CSV: a bad row is reported by line and writes nothing; a good file merges; export downloads the glossary; editors only read', () =>
    env.step('glossary csv', async () => {
      const page = await login('rita');
      await page.goto(`${env.baseUrl}/#/glossary`);
      await page.locator('td.column-term').first().waitFor();
      const before = await t.db.glossaryEntry.count();

      await page.getByRole('button', { name: 'Import CSV' }).click();
      const dialog = page.getByRole('dialog', { name: 'Import glossary CSV' });
      await dialog.getByLabel('CSV text').fill('term,preferred,forbidden,sourceTerm,note\nsmuggling,smuggling,,,\ncoast guard,,coastguard,,\n');
      await dialog.getByRole('button', { name: 'Import' }).click();
      await dialog.getByTestId('glossary-import-error').getByText('csv: line 3: preferred: must not be empty').waitFor();
      assert.equal(await t.db.glossaryEntry.count(), before);
      await screenshot(page, 'glossary-import-error');

      await dialog.getByLabel('CSV text').fill('term,preferred,forbidden,sourceTerm,note\nsmuggling,smuggling,smuggle trade,,\ncoast guard,coast guard,coastguard|coast-guard,海警,\n');
      await dialog.getByRole('button', { name: 'Import' }).click();
      await page.getByText('Imported 2 rows: 2 created, 0 updated, 0 unchanged.').waitFor();
      await page.locator('td.column-term', { hasText: 'coast guard' }).waitFor();
      assert.deepEqual((await t.db.glossaryEntry.findUnique({ where: { term: 'coast guard' } }))?.forbidden, ['coastguard', 'coast-guard']);
      assert.equal(await t.db.glossaryEntry.count(), before + 2);

      // Search narrows the list (forbidden variants are searched too).
      await page.getByPlaceholder('Search terms, variants, notes').fill('coast-guard');
      await page.locator('td.column-term', { hasText: 'smuggling' }).waitFor({ state: 'detached' });
      assert.deepEqual(await page.locator('td.column-term').allTextContents(), ['coast guard']);

      const download = page.waitForEvent('download');
      await page.getByRole('link', { name: 'Export CSV' }).click();
      const csv = await readFile(await (await download).path(), 'utf8');
      assert.match(csv, /^term,preferred,forbidden,sourceTerm,note\r\n/);
      assert.match(csv, /\r\ncoast guard,coast guard,coastguard\|coast-guard,海警,\r\n/);
      assert.match(csv, /\r\ncrack down,crack down on,strike hard\|hit hard,,Chinese 严厉打击\r\n/);

      const editor = await login('erin');
      await editor.getByRole('menuitem', { name: 'Glossary' }).click();
      await editor.locator('td.column-term', { hasText: 'coast guard' }).waitFor();
      assert.equal(await editor.getByRole('button', { name: 'Import CSV' }).count(), 0);
      assert.equal(await editor.getByRole('link', { name: 'Create' }).count(), 0);
      await editor.getByRole('link', { name: 'Export CSV' }).waitFor();
      await editor.locator('td.column-term', { hasText: 'coast guard' }).click();
      assert.match(editor.url(), /#\/glossary(\?.*)?$/);
      assert.deepEqual(pageErrors(page), []);
      assert.deepEqual(pageErrors(editor), []);
    }));

  test('analytics: charts, editors and recurring corrections; "Add to glossary" creates the entry or opens the existing one', () =>
    env.step('analytics', async () => {
      const page = await login('ada');
      await page.getByRole('menuitem', { name: 'Analytics' }).click();
      await page.getByRole('heading', { name: 'Post-edit analytics' }).waitFor();
      assert.equal(await page.getByTestId('analytics-scope').textContent(), 'Everyone');
      await page.getByTestId('edit-rate-section').getByText(/^4 articles · mean/).waitFor();
      assert.ok((await page.getByTestId('edit-rate-section').locator('.recharts-bar-rectangle').count()) >= 1);
      assert.ok((await page.getByTestId('weekly-section').locator('.recharts-bar-rectangle').count()) >= 1);
      const erinRow = page.getByTestId('editors-table').locator('tr', { hasText: '@erin' });
      // Four articles edited once each: three seeded through the API, one in the first test.
      assert.deepEqual(await erinRow.locator('td').evaluateAll((tds) => tds.slice(1, 3).map((td) => td.textContent)), ['4', '4']);

      const police = page.locator('tr[data-correction="public security organs→police"]');
      await police.waitFor();
      assert.deepEqual(await police.locator('td').evaluateAll((tds) => tds.slice(1, 3).map((td) => td.textContent)), ['2', '2']);
      await page.locator('tr[data-correction="net red→internet celebrity"]').waitFor();
      await screenshot(page, 'analytics');
      await page.getByTestId('editors-table').scrollIntoViewIfNeeded();
      await page.evaluate(() => document.querySelector('[data-testid=editors-table]')?.scrollIntoView({ block: 'start' }));
      await screenshot(page, 'analytics-corrections');

      await police.getByRole('button', { name: 'Add “police” to the glossary' }).click();
      await police.getByRole('button', { name: '“police” is in the glossary' }).and(page.locator(':disabled')).waitFor();
      const entry = await t.db.glossaryEntry.findUnique({ where: { term: 'police' } });
      assert.deepEqual({ preferred: entry?.preferred, forbidden: entry?.forbidden, note: entry?.note }, { preferred: 'police', forbidden: ['public security organs'], note: 'from recurring corrections' });

      await page.locator('tr[data-correction="net red→internet celebrity"]').getByRole('button', { name: 'Add “internet celebrity” to the glossary' }).click();
      const taken = page.getByRole('dialog', { name: 'Already in the glossary' });
      await taken.getByText(`(entry ${celebrityEntryId})`, { exact: false }).waitFor();
      await taken.getByRole('button', { name: 'Open the existing entry' }).click();
      await page.waitForURL(new RegExp(`#/glossary/${celebrityEntryId}$`));
      assert.equal(await page.locator('input[name=term]').inputValue(), 'internet celebrity');
      assert.equal(await t.db.glossaryEntry.count({ where: { term: { equals: 'internet celebrity', mode: 'insensitive' } } }), 1);

      // An editor sees their own work, and the corrections without the reviewer's button.
      const editor = await login('erin');
      await editor.goto(`${env.baseUrl}/#/analytics`);
      await editor.getByTestId('analytics-scope').filter({ hasText: 'Your work' }).waitFor();
      await editor.locator('tr[data-correction="public security organs→police"]').waitFor();
      assert.equal(await editor.getByRole('button', { name: /to the glossary/ }).count(), 0);
      assert.equal(await editor.getByRole('menuitem', { name: 'Bulk replace' }).count(), 0);
      assert.deepEqual(pageErrors(page), []);
      assert.deepEqual(pageErrors(editor), []);
    }));

  test('bulk replace: preview shows per-paragraph diffs; apply writes revisions for the ticked articles and reports skipped ones', () =>
    env.step('bulk replace', async () => {
      const page = await login('rita');
      await page.getByRole('menuitem', { name: 'Bulk replace' }).click();
      await page.getByRole('textbox', { name: 'Find' }).fill('beijing municipality');
      await page.getByLabel('Replace with').fill('Beijing');
      assert.deepEqual(await unlabelledControls(page), []);
      await page.getByRole('button', { name: 'Preview' }).click();
      await page.getByTestId('bulk-totals').filter({ hasText: '3 replacements in 2 articles' }).waitFor();
      // Approved articles are never touched.
      assert.equal(await page.getByTestId(`bulk-article-${bjApproved.id}`).count(), 0);
      assert.deepEqual(await page.getByTestId(`bulk-diff-${bj1.id}-0`).locator('del').allTextContents(), ['Municipality ']);
      assert.equal(await page.getByTestId(`bulk-diff-${bj1.id}-0`).textContent(), 'Officials in Beijing Municipality met on Monday.');
      assert.deepEqual(await page.getByTestId(`bulk-diff-${bj2.id}-1`).locator('del').allTextContents(), ['Municipality ']);
      await screenshot(page, 'bulk-replace-preview');

      await page.getByLabel(`Include article #${bj2.id} New rules`).uncheck();
      await page.getByRole('button', { name: 'Apply to 1 article' }).click();
      await page.getByRole('dialog', { name: 'Apply the replacement?' }).getByRole('button', { name: 'Apply' }).click();
      await page.getByTestId('bulk-result').getByText('Replaced in 1 article (1 replacement).').waitFor();
      await screenshot(page, 'bulk-replace-result');
      assert.deepEqual(await paragraphTexts(t.db, bj1.id), ['Officials in Beijing met on Monday.']);
      const revs = await t.db.revision.findMany({ where: { articleId: bj1.id }, orderBy: { number: 'asc' }, select: { number: true, kind: true, authorId: true } });
      assert.deepEqual(revs, [
        { number: 1, kind: 'import', authorId: null },
        { number: 2, kind: 'bulk_replace', authorId: ids.rita },
      ]);
      assert.deepEqual(await paragraphTexts(t.db, bj2.id), bj2.paragraphs);
      assert.equal(await t.db.revision.count({ where: { articleId: bj2.id } }), 1);

      // Someone saves the article between preview and apply: it is skipped, with the reason.
      await page.getByRole('button', { name: 'Preview' }).click();
      await page.getByTestId('bulk-totals').filter({ hasText: '2 replacements in 1 article' }).waitFor();
      const erin = await t.loginAs('erin');
      await edit(erin, bj2.id, 1, ['Beijing Municipality announced new rules today.', 'Traffic in Beijing Municipality was heavy.']);
      await page.getByRole('button', { name: 'Apply to 1 article' }).click();
      await page.getByRole('dialog', { name: 'Apply the replacement?' }).getByRole('button', { name: 'Apply' }).click();
      await page.getByTestId(`bulk-skipped-${bj2.id}`).getByText(/changed since the preview/).waitFor();
      assert.equal(await t.db.revision.count({ where: { articleId: bj2.id, kind: 'bulk_replace' } }), 0);
      assert.deepEqual(await paragraphTexts(t.db, bj2.id), ['Beijing Municipality announced new rules today.', 'Traffic in Beijing Municipality was heavy.']);

      const editor = await login('erin');
      assert.equal(await editor.getByRole('menuitem', { name: 'Bulk replace' }).count(), 0);
      await editor.goto(`${env.baseUrl}/#/bulk-replace`);
      await editor.getByRole('menuitem', { name: 'Analytics' }).waitFor();
      assert.equal(await editor.getByRole('textbox', { name: 'Find' }).count(), 0);
      assert.deepEqual(pageErrors(page), []);
    }));
});
