import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { assertValidXliff } from '../helpers/xliffSchema';
import type { Prisma } from '../../server/db/client';
import { buildRevisionData, type Snapshot } from '../../server/services/revisionData';
import { createTestContext, type TestContext } from '../helpers/app';

let t: TestContext;
let approvedId: number;
let editedId: number;
let draftId: number;

function revisionColumns(prev: Snapshot | null, next: Snapshot, mt: Snapshot) {
  const d = buildRevisionData(prev, next, mt);
  return { ...d, diffs: d.diffs as unknown as Prisma.InputJsonObject, stats: d.stats as unknown as Prisma.InputJsonObject };
}

/** An article approved at revision 2; `edited` adds an unapproved revision 3 (in_edit, approval pinned to 2). */
async function makeArticle(opts: { title: string; paragraphs: string[]; approverId?: number; authorId: number; edited?: Snapshot }) {
  const mt: Snapshot = { title: `MT ${opts.title}`, paragraphs: opts.paragraphs.map((p) => `MT ${p}`) };
  const approved: Snapshot = { title: opts.title, paragraphs: opts.paragraphs };
  const current = opts.edited ?? approved;
  const a = await t.db.article.create({
    data: {
      externalId: `dl-${randomBytes(3).toString('hex')}`,
      contentHash: randomBytes(32).toString('hex'),
      title: current.title,
      mtTitle: mt.title,
      targetLang: 'en',
      sourceLang: 'fr',
      paragraphs: { create: current.paragraphs.map((text, position) => ({ position, mt: mt.paragraphs[position], text })) },
    },
  });
  await t.db.revision.create({ data: { articleId: a.id, number: 1, kind: 'import', ...revisionColumns(null, mt, mt) } });
  if (!opts.approverId) return a.id;
  const r2 = await t.db.revision.create({ data: { articleId: a.id, number: 2, articleVersion: 2, kind: 'edit', authorId: opts.authorId, ...revisionColumns(mt, approved, mt) } });
  if (opts.edited) await t.db.revision.create({ data: { articleId: a.id, number: 3, articleVersion: 3, kind: 'edit', authorId: opts.authorId, ...revisionColumns(approved, opts.edited, mt) } });
  await t.db.article.update({
    where: { id: a.id },
    data: { status: opts.edited ? 'in_edit' : 'approved', approvedRevisionId: r2.id, approvedById: opts.approverId, approvedAt: new Date('2026-11-20T09:30:00Z'), revisionCount: opts.edited ? 3 : 2 },
  });
  return a.id;
}

before(async () => {
  t = await createTestContext();
  const editor = await t.makeUser('eddie', 'editor');
  const reviewer = await t.makeUser('rosa', 'reviewer');
  await t.makeUser('audrey', 'auditor');
  approvedId = await makeArticle({ title: 'Bridge reopens', paragraphs: ['Traffic resumed on Monday.', 'Repairs took "six" weeks & cost €2m.'], authorId: editor, approverId: reviewer });
  editedId = await makeArticle({ title: 'Approved title', paragraphs: ['Approved text.'], authorId: editor, approverId: reviewer, edited: { title: 'Edited title', paragraphs: ['Edited text, not approved.'] } });
  draftId = await makeArticle({ title: 'Never approved', paragraphs: ['Draft.'], authorId: editor });
});
after(() => t.drop());

test('anonymous download is refused with 401', async () => {
  const res = await request(t.app).get(`/api/articles/${approvedId}/export?format=text`);
  assert.equal(res.status, 401);
  assert.equal(res.body.error.code, 'unauthorized');
});

test('text download: the approved text as an attachment', async () => {
  const agent = await t.loginAs('eddie');
  const res = await agent.get(`/api/articles/${approvedId}/export?format=text`).buffer(true);
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
  assert.equal(res.headers['content-disposition'], `attachment; filename="${approvedId}-bridge-reopens.txt"`);
  assert.equal(res.text, 'Bridge reopens\n\nTraffic resumed on Monday.\n\nRepairs took "six" weeks & cost €2m.\n');
});

test('each format has its content type and parses back', async () => {
  const agent = await t.loginAs('audrey'); // auditors read, so they may download
  const json = await agent.get(`/api/articles/${approvedId}/export?format=json`);
  assert.equal(json.status, 200);
  assert.equal(json.headers['content-type'], 'application/json; charset=utf-8');
  assert.deepEqual([json.body.id, json.body.title, json.body.paragraphs, json.body.approvedBy, json.body.approvedAt, json.body.revision.number], [
    approvedId,
    'Bridge reopens',
    ['Traffic resumed on Monday.', 'Repairs took "six" weeks & cost €2m.'],
    'rosa',
    '2026-11-20T09:30:00.000Z',
    2,
  ]);
  assert.equal('source' in json.body, false, 'no source section when the feed had no source text');

  const md = await agent.get(`/api/articles/${approvedId}/export?format=markdown`).buffer(true);
  assert.equal(md.headers['content-type'], 'text/markdown; charset=utf-8');
  assert.match(md.headers['content-disposition'], /filename="\d+-bridge-reopens\.md"/);
  const front = Object.fromEntries(
    md.text
      .split('\n---\n')[0]
      .split('\n')
      .slice(1)
      .filter((l) => /^\w+: /.test(l))
      .map((l) => [l.slice(0, l.indexOf(':')), JSON.parse(l.slice(l.indexOf(':') + 2))]),
  );
  assert.deepEqual(front, { id: approvedId, externalId: json.body.externalId, approver: 'rosa', approvedAt: '2026-11-20T09:30:00.000Z', sourceLang: 'fr', targetLang: 'en', publishedAt: json.body.publishedAt });
  assert.match(md.text, /\nrevision:\n {2}number: 2\n {2}id: \d+\n/);

  const xlf = await agent.get(`/api/articles/${approvedId}/export?format=xliff`).buffer(true);
  assert.equal(xlf.headers['content-type'], 'application/xliff+xml; charset=utf-8');
  assert.match(xlf.headers['content-disposition'], /filename="\d+-bridge-reopens\.xlf"/);
  assertValidXliff(xlf.text);
  assert.ok(xlf.text.includes(`original="${json.body.externalId}"`));
  for (const p of json.body.paragraphs as string[]) assert.ok(xlf.text.includes(`<target>${p.replace(/&/g, '&amp;')}</target>`), p);
  assert.ok(xlf.text.includes('<source>MT Traffic resumed on Monday.</source>'));
  // No source text anywhere: the MT stands in, so the source language is the target language.
  assert.match(xlf.text, /srcLang="en" trgLang="en"/);

  const x12 = await agent.get(`/api/articles/${approvedId}/export?format=xliff12`).buffer(true);
  assert.equal(x12.headers['content-type'], 'application/xliff+xml; charset=utf-8');
  assert.match(x12.headers['content-disposition'], /filename="\d+-bridge-reopens\.xliff"/);
  assertValidXliff(x12.text);
  assert.ok(x12.text.includes(`<file original="${json.body.externalId}" source-language="en" target-language="en" datatype="plaintext"`), x12.text.slice(0, 400));
});

test('an article edited after approval downloads its approved revision, not the current text', async () => {
  const agent = await t.loginAs('eddie');
  const res = await agent.get(`/api/articles/${editedId}/export?format=json`);
  assert.equal(res.status, 200);
  assert.equal(res.body.title, 'Approved title');
  assert.deepEqual(res.body.paragraphs, ['Approved text.']);
  assert.equal(res.headers['content-disposition'], `attachment; filename="${editedId}-approved-title.json"`);
});

test('404 not_approved without an approved revision, 404 for a missing article, 400 for an unknown format', async () => {
  const agent = await t.loginAs('eddie');
  const notApproved = await agent.get(`/api/articles/${draftId}/export?format=text`);
  assert.equal(notApproved.status, 404);
  assert.equal(notApproved.body.error.code, 'not_approved');
  assert.match(notApproved.body.error.message, /no approved revision/);

  const missing = await agent.get('/api/articles/999999/export?format=text');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.code, 'not_found');

  const bad = await agent.get(`/api/articles/${approvedId}/export?format=docx`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'invalid_format');
  assert.match(bad.body.error.message, /Unknown export format "docx"; expected one of text, markdown, json, xliff, xliff12\./);
});

test('the route is in the route table with article.read access', () => {
  const spec = t.app.locals.routeTable.find((r) => r.path === '/api/articles/:id/export');
  assert.deepEqual(spec, { method: 'get', path: '/api/articles/:id/export', access: 'article.read' });
});
