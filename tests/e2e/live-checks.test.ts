import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { createTestContext, type TestContext } from '../helpers/app';
import { loggedInPage, openArticleEditor, pageErrors, screenshot, startBrowserEnv, unlabelledControls, type BrowserEnv } from '../helpers/browser';
import { makeArticle, paragraphTexts, type MadeArticle } from '../helpers/factories';

let t: TestContext;
let env: BrowserEnv;
let article: MadeArticle;

const PARAGRAPHS = [
  { mt: 'The harbour reopened on Tuesday after the storm.', source: 'Le port a rouvert mardi après la tempête.' },
  { mt: 'The city budget is 12,000 yuan for repairs.', source: 'Le budget de la ville est de 12,000 yuans pour les réparations.' },
  ...Array.from({ length: 9 }, (_, i) => ({
    mt: `Paragraph ${i + 3} reports, in a sentence of ordinary length, what the fishermen of the bay said about the storm, the damage and the weeks of repairs.`,
    source: `Le paragraphe ${i + 3} rapporte ce que les pêcheurs de la baie ont dit de la tempête.`,
  })),
];

before(async () => {
  t = await createTestContext();
  await t.makeUser('erin', 'editor');
  article = await makeArticle(t.db, { title: 'Harbour reopens after the storm', sourceTitle: 'Le port rouvre après la tempête', paragraphs: PARAGRAPHS, sourceLang: 'fr', targetLang: 'en' });
  env = await startBrowserEnv(t.app);
});

after(async () => {
  await env?.close();
  await t?.drop();
});

const edit = (page: Page, key: number | 'title') => page.getByTestId(`paragraph-edit-${key}`);
const marks = (page: Page, key: number | 'title', check: string) => page.getByTestId(`qa-text-${key}`).locator(`mark[data-check~="${check}"]`);
const rowHeights = (page: Page) =>
  page.locator('[data-paragraph-index]').evaluateAll((rows) =>
    rows.map((r) => {
      const area = r.querySelector('textarea:not([aria-hidden])');
      return { row: r.getBoundingClientRect().height, field: area ? (area.closest('.MuiInputBase-root')?.getBoundingClientRect().height ?? 0) : 0 };
    }),
  );

describe('live quality checks and the compact editor in a real browser', () => {
  test('the admin bundle carries the shared checks but not the part-of-speech tagger', async () => {
    const dir = path.resolve(import.meta.dirname, '..', '..', 'admin', 'dist', 'assets');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.js'));
    const texts = await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')));
    // A message of the repeats check: the check module itself is in the bundle.
    assert.ok(texts.some((s) => s.includes('is repeated')), 'the QA checks are bundled');
    // Strings only compromise carries: its tag warning and one of its match reasons.
    assert.deepEqual(files.filter((_f, i) => /compromise: Invalid tag|compromises-are-possible/.test(texts[i])), []);
  });

  test('findings of the text being typed appear before saving, in the paragraph and in the title, and go when fixed', () =>
    env.step('live findings', async () => {
      const page = await loggedInPage(env, 'erin');
      await openArticleEditor(env, page, article.id);
      await page.getByTestId('qa-summary').getByText('no findings').waitFor();
      // The title is the first row, editable like a paragraph.
      assert.equal(await page.locator('[data-paragraph-index]').first().getAttribute('data-paragraph-index'), '-1');
      assert.equal(await page.locator('[data-paragraph-row]').count(), 11);
      assert.equal(await page.getByTestId('mt-title').textContent(), 'Harbour reopens after the storm');
      assert.equal(await page.getByTestId('source-title').textContent(), 'Le port rouvre après la tempête');

      await edit(page, 0).fill('The harbour reopened on on Tuesday after the storm.');
      await edit(page, 1).fill('The city budget is 12,00 yuan for repairs.');
      await edit(page, 'title').fill('Harbour reopens reopens after the storm');

      const p0 = page.getByTestId('qa-0');
      await p0.locator('li[data-check="repeats"]').getByText('“on” is repeated.').waitFor();
      assert.deepEqual(await marks(page, 0, 'repeats').allTextContents(), ['on on']);
      await page.getByTestId('qa-1').getByText('The MT and the source have “12,000” (12,000), which is not in the text.').waitFor();
      assert.deepEqual(await marks(page, 1, 'numbers').allTextContents(), ['12']);
      await page.getByTestId('qa-title').locator('li[data-check="repeats"]').waitFor();
      assert.deepEqual(await marks(page, 'title', 'repeats').allTextContents(), ['reopens reopens']);
      await page.getByTestId('qa-summary').getByText('in 2 paragraphs and the title').waitFor();
      // None of it is saved.
      assert.equal((await paragraphTexts(t.db, article.id))[0], PARAGRAPHS[0].mt);
      assert.equal((await t.db.article.findUniqueOrThrow({ where: { id: article.id } })).version, 1);
      assert.deepEqual(await unlabelledControls(page), []);
      await screenshot(page, 'live-checks-findings');

      // Clicking the quoted span selects it in the textarea.
      await p0.getByRole('button', { name: 'Select “on on” in paragraph 1' }).click();
      assert.deepEqual(
        await edit(page, 0).evaluate((el) => {
          const a = el as HTMLTextAreaElement;
          return [document.activeElement === a, a.value.slice(a.selectionStart, a.selectionEnd)];
        }),
        [true, 'on on'],
      );

      // "Fix" on a live finding writes its suggestion; typing fixes the others; each finding goes, still before any save.
      await p0.getByRole('button', { name: 'Fix: “on” is repeated.' }).click();
      assert.equal(await edit(page, 0).inputValue(), 'The harbour reopened on Tuesday after the storm.');
      await edit(page, 'title').fill('Harbour reopens after the storm');
      await p0.waitFor({ state: 'detached' });
      await page.getByTestId('qa-title').waitFor({ state: 'detached' });
      await page.getByTestId('qa-count-0').waitFor({ state: 'detached' });
      assert.equal(await page.getByTestId('qa-1').count(), 1);
      await edit(page, 1).fill(PARAGRAPHS[1].mt);
      await page.getByTestId('qa-1').waitFor({ state: 'detached' });
      await page.getByTestId('qa-summary').getByText('no findings').waitFor();
      assert.deepEqual(pageErrors(page), []);
    }));

  test('the word diff and the findings toggle in place; the MT column hides; density is remembered; compact rows are one field high', () =>
    env.step('compact layout', async () => {
      const page = await loggedInPage(env, 'erin');
      await openArticleEditor(env, page, article.id);
      // Memory panels have their own heights; the layout is measured without them.
      await page.getByLabel('Show memory and glossary').uncheck();
      await edit(page, 2).fill(`${PARAGRAPHS[2].mt} The the boats stayed in port.`);
      const row2 = page.locator('[data-paragraph-index="2"]');
      await row2.getByTestId('qa-2').waitFor();
      // The findings list quotes the flagged span, not the paragraph again.
      assert.equal(await row2.getByTestId('qa-2').textContent().then((x) => x?.includes('what the fishermen of the bay')), false);
      assert.deepEqual(await row2.getByTestId('qa-2').locator('li button').first().textContent(), 'The the');

      // Diff against the MT, in the MT cell of the same row; since the last save, likewise.
      await page.getByRole('button', { name: 'Show changes against the MT' }).click();
      await row2.getByTestId('mt-2').locator('ins', { hasText: 'boats' }).waitFor();
      await page.getByRole('button', { name: 'Show changes since the last save' }).click();
      await row2.getByTestId('saved-diff-2').locator('ins', { hasText: 'boats' }).waitFor();
      assert.equal(await page.getByTestId('saved-diff-3').count(), 0);
      await page.getByRole('button', { name: 'Hide changes' }).click();
      await row2.getByTestId('saved-diff-2').waitFor({ state: 'detached' });
      assert.equal(await row2.getByTestId('mt-2').locator('ins').count(), 0);

      // The findings list of one row folds from its badge; the global switch hides every finding.
      await row2.getByTestId('qa-count-2').click();
      await row2.getByTestId('qa-2').waitFor({ state: 'detached' });
      assert.equal(await marks(page, 2, 'repeats').count(), 1);
      await row2.getByTestId('qa-count-2').click();
      await row2.getByTestId('qa-2').waitFor();
      await page.getByLabel('Show quality findings').uncheck();
      await row2.getByTestId('qa-2').waitFor({ state: 'detached' });
      assert.equal(await page.getByTestId('qa-text-2').count(), 0);
      await page.getByLabel('Show quality findings').check();
      await row2.getByTestId('qa-2').waitFor();
      await screenshot(page, 'live-checks-comfortable');
      const comfortable = await page.getByTestId('paragraph-rows').evaluate((el) => el.getBoundingClientRect().height);

      await page.getByRole('button', { name: 'Compact' }).click();
      await page.locator('[data-testid="paragraph-rows"][data-density="compact"]').waitFor();
      await page.getByLabel('MT column').uncheck();
      await page.getByTestId('mt-0').waitFor({ state: 'detached' });
      await page.getByTestId('source-0').waitFor();
      await screenshot(page, 'live-checks-compact');
      const compact = await page.getByTestId('paragraph-rows').evaluate((el) => el.getBoundingClientRect().height);
      assert.ok(compact < comfortable * 0.8, `compact rows (${compact}px) are well below comfortable ones (${comfortable}px)`);
      // Every row without a findings list is its text field plus a little padding: nothing stacked under it.
      const heights = await rowHeights(page);
      assert.equal(heights.length, 12);
      heights.forEach((h, i) => {
        if (i === 3) return; // paragraph index 2: its findings list sits under the field
        assert.ok(h.field > 0 && h.row <= h.field + 12, `row ${i - 1}: ${h.row}px for a ${h.field}px field`);
      });

      // Remembered: a reload keeps the density and the hidden MT column.
      await page.reload();
      await page.locator('[data-testid="paragraph-rows"][data-density="compact"]').waitFor();
      assert.equal(await page.getByTestId('mt-0').count(), 0);
      assert.equal(await page.getByLabel('MT column').isChecked(), false);
      await page.getByLabel('MT column').check();
      await page.getByTestId('mt-0').waitFor();
      await page.getByRole('button', { name: 'Comfortable' }).click();
      assert.deepEqual(pageErrors(page), []);
    }));
});
