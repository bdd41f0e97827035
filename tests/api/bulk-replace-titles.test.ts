import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestContext, type TestContext } from '../helpers/app';
import { makeArticle, paragraphTexts } from '../helpers/factories';

// Bulk replace in titles: only when asked, previewed as its own diff row, and
// written in the same revision as the paragraphs.

let t: TestContext;
let rita: Awaited<ReturnType<TestContext['loginAs']>>;

before(async () => {
  t = await createTestContext();
  await t.makeUser('rita', 'reviewer');
  rita = await t.loginAs('rita');
});
after(() => t.drop());

test('without includeTitles a title is left alone and an article matching only in its title is not listed', async () => {
  const onlyTitle = await makeArticle(t.db, { title: 'Zorbatown fair opens', paragraphs: ['The fair opened on Friday.'] });
  const both = await makeArticle(t.db, { title: 'Zorbatown votes', paragraphs: ['Zorbatown voted on Sunday.'] });
  const preview = await rita.post('/api/bulk-replace/preview').send({ find: 'Zorbatown', replace: 'Zorba Town' });
  assert.equal(preview.status, 200, JSON.stringify(preview.body));
  assert.deepEqual(preview.body.matches.map((m: { articleId: number }) => m.articleId), [both.id]);
  assert.equal(preview.body.matches[0].titleChange, null);
  const apply = await rita.post('/api/bulk-replace/apply').send({ find: 'Zorbatown', replace: 'Zorba Town', articles: [{ id: both.id, version: both.version }] });
  assert.equal(apply.status, 200);
  assert.equal((await t.db.article.findUniqueOrThrow({ where: { id: both.id } })).title, 'Zorbatown votes');
  assert.equal((await t.db.article.findUniqueOrThrow({ where: { id: onlyTitle.id } })).revisionCount, 1);
});

test('with includeTitles the preview shows a title diff row, counts it, and apply writes title and paragraphs in one revision', async () => {
  const onlyTitle = await makeArticle(t.db, { title: 'Quillford fair opens', paragraphs: ['The fair opened on Friday.'] });
  const both = await makeArticle(t.db, { title: 'Quillford votes on Quillford bridge', paragraphs: ['Quillford voted on Sunday.', 'Turnout was high.'] });
  const body = { find: 'quillford', replace: 'Quill Ford', includeTitles: true };
  const preview = await rita.post('/api/bulk-replace/preview').send(body);
  assert.equal(preview.status, 200, JSON.stringify(preview.body));
  const matches = preview.body.matches as Array<{ articleId: number; version: number; replacements: number; titleChange: { before: string; after: string; replacements: number; diff: { parts: Array<{ op: string; text: string }> } } | null; paragraphs: unknown[] }>;
  assert.deepEqual(matches.map((m) => m.articleId), [onlyTitle.id, both.id]);
  assert.deepEqual([matches[0].titleChange?.after, matches[0].titleChange?.replacements, matches[0].paragraphs.length], ['Quill Ford fair opens', 1, 0]);
  assert.equal(matches[1].titleChange?.after, 'Quill Ford votes on Quill Ford bridge');
  assert.deepEqual(matches[1].titleChange?.diff.parts.filter((p) => p.op !== 'eq').map((p) => p.op), ['del', 'ins', 'del', 'ins']);
  assert.equal(matches[1].replacements, 3, 'two in the title, one in a paragraph');
  assert.equal(preview.body.totalReplacements, 4);

  const apply = await rita.post('/api/bulk-replace/apply').send({ ...body, articles: matches.map((m) => ({ id: m.articleId, version: m.version })) });
  assert.equal(apply.status, 200, JSON.stringify(apply.body));
  assert.deepEqual(apply.body.skipped, []);
  assert.deepEqual(apply.body.applied.map((a: { replacements: number }) => a.replacements), [1, 3]);
  const row = await t.db.article.findUniqueOrThrow({ where: { id: both.id } });
  assert.equal(row.title, 'Quill Ford votes on Quill Ford bridge');
  assert.equal(row.revisionCount, 2, 'one revision for title and paragraphs');
  assert.deepEqual(await paragraphTexts(t.db, both.id), ['Quill Ford voted on Sunday.', 'Turnout was high.']);
  const rev = await t.db.revision.findFirstOrThrow({ where: { articleId: both.id, number: 2 } });
  assert.equal(rev.kind, 'bulk_replace');
  assert.equal(rev.title, 'Quill Ford votes on Quill Ford bridge');
  // One event records the request; its entry for this article says the title changed.
  const event = await t.db.auditEvent.findFirstOrThrow({ where: { action: 'article.bulk_replace' }, orderBy: { id: 'desc' } });
  const data = event.data as { includeTitles?: boolean; applied: Array<Record<string, unknown>> };
  assert.equal(data.includeTitles, true);
  const entry = data.applied.find((a) => a.articleId === both.id);
  assert.equal(entry?.titleChanged, true);
  assert.equal(entry?.revisionId, rev.id);
  // Only the title changed here, and it is found by the article search afterwards.
  assert.equal((await t.db.article.findUniqueOrThrow({ where: { id: onlyTitle.id } })).title, 'Quill Ford fair opens');
  const search = await rita.get('/api/articles').query({ filter: JSON.stringify({ q: 'Ford fair' }) });
  assert.ok((search.body as Array<{ id: number }>).some((a) => a.id === onlyTitle.id));
});

test('a replacement that would empty a title skips that article and writes nothing to it', async () => {
  const a = await makeArticle(t.db, { title: 'Xylofest', paragraphs: ['Xylofest starts today.'] });
  const body = { find: 'Xylofest', replace: ' ', includeTitles: true };
  const preview = await rita.post('/api/bulk-replace/preview').send(body);
  assert.equal(preview.body.matches[0].titleChange.after, '');
  const apply = await rita.post('/api/bulk-replace/apply').send({ ...body, articles: [{ id: a.id, version: a.version }] });
  assert.equal(apply.status, 200);
  assert.deepEqual(apply.body.skipped.map((s: { reason: string; message: string }) => s.reason), ['empty_title']);
  assert.match(apply.body.skipped[0].message, /title empty/);
  assert.equal((await t.db.article.findUniqueOrThrow({ where: { id: a.id } })).revisionCount, 1);
});

test('includeTitles must be a boolean', async () => {
  const bad = await rita.post('/api/bulk-replace/preview').send({ find: 'a', replace: 'b', includeTitles: 'yes' });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /^includeTitles: /);
});
