import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import type { ParagraphDiff } from '../../shared/textDiff';
import { buildArticleReport } from '../../server/services/auditReport';
import { createTestContext, type TestContext } from '../helpers/app';
import { makeArticle } from '../helpers/factories';

type Agent = ReturnType<typeof request.agent>;
let t: TestContext;
let rita: Agent;
let ed: Agent;

interface PreviewArticle {
  articleId: number;
  title: string;
  version: number;
  status: string;
  replacements: number;
  paragraphs: Array<{ index: number; before: string; after: string; replacements: number; diff: ParagraphDiff }>;
}

before(async () => {
  t = await createTestContext();
  await t.makeUser('rita', 'reviewer');
  await t.makeUser('ed', 'editor');
  rita = await t.loginAs('rita');
  ed = await t.loginAs('ed');
});
after(() => t.drop());

const join = (diff: ParagraphDiff, side: 'before' | 'after') => diff.parts.filter((p) => p.op === 'eq' || p.op === (side === 'before' ? 'del' : 'ins')).map((p) => p.text).join('');

describe('preview and apply', () => {
  const ids: Record<string, number> = {};

  before(async () => {
    ids.draft = (await makeArticle(t.db, { title: 'Bulk draft', paragraphs: ['Fishing on the Min river is banned.', 'The ban has no exceptions.', 'Patrols on the Min river start today.'] })).id;
    ids.review = (await makeArticle(t.db, { title: 'Bulk review', paragraphs: ['Boats on the MIN RIVER were checked.'], status: 'in_review' })).id;
    ids.collide = (await makeArticle(t.db, { title: 'Bulk collide', paragraphs: ['The Min river flooded.'], status: 'in_edit' })).id;
    ids.approved = (await makeArticle(t.db, { title: 'Bulk approved', paragraphs: ['The Min river is calm.'], status: 'approved' })).id;
    ids.archived = (await makeArticle(t.db, { title: 'Bulk archived', paragraphs: ['The Min river froze.'], status: 'archived' })).id;
  });

  test('the preview lists only articles not yet approved, and apply writes exactly what it showed', async () => {
    const body = { find: 'Min river', replace: 'Min River' };
    const preview = await rita.post('/api/bulk-replace/preview').send(body);
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    const matches = preview.body.matches as PreviewArticle[];
    assert.deepEqual(matches.map((m) => m.articleId), [ids.draft, ids.review, ids.collide]);
    assert.equal(preview.body.totalArticles, 3);
    assert.equal(preview.body.totalReplacements, 4);
    assert.equal(preview.body.truncated, false);
    const draft = matches[0];
    assert.deepEqual(draft.paragraphs.map((p) => [p.index, p.before, p.after, p.replacements]), [
      [0, 'Fishing on the Min river is banned.', 'Fishing on the Min River is banned.', 1],
      [2, 'Patrols on the Min river start today.', 'Patrols on the Min River start today.', 1],
    ]);
    assert.deepEqual(draft.paragraphs[0].diff.parts.filter((p) => p.op !== 'eq'), [{ op: 'del', text: 'river' }, { op: 'ins', text: 'River' }]);
    for (const p of draft.paragraphs) {
      assert.equal(join(p.diff, 'before'), p.before);
      assert.equal(join(p.diff, 'after'), p.after);
    }
    // Case-insensitive by default: "MIN RIVER" matched too.
    assert.equal(matches[1].paragraphs[0].after, 'Boats on the Min River were checked.');

    // An editor saves one article between the preview and the apply.
    const collide = matches[2];
    const saved = await ed.put(`/api/articles/${collide.articleId}`).send({ version: collide.version, paragraphs: [{ index: 0, text: 'The Min river burst its banks.' }] });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));

    const auditsBefore = await t.db.auditEvent.count({ where: { action: 'article.bulk_replace' } });
    const applied = await rita.post('/api/bulk-replace/apply').send({ ...body, articles: matches.map((m) => ({ id: m.articleId, version: m.version })) });
    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    assert.deepEqual(applied.body.applied.map((a: { articleId: number; replacements: number }) => [a.articleId, a.replacements]), [[ids.draft, 2], [ids.review, 1]]);
    assert.deepEqual(applied.body.skipped.map((s: { articleId: number; reason: string }) => [s.articleId, s.reason]), [[ids.collide, 'version_conflict']]);
    assert.match(applied.body.skipped[0].message, /changed since the preview \(version 1, now 2\)/);

    for (const a of applied.body.applied as Array<{ articleId: number; revisionId: number }>) {
      const shown = matches.find((m) => m.articleId === a.articleId)!;
      const revision = await t.db.revision.findUniqueOrThrow({ where: { id: a.revisionId } });
      assert.equal(revision.kind, 'bulk_replace');
      assert.equal(revision.note, 'bulk replace: Min river → Min River');
      assert.equal(revision.number, 2);
      const texts = revision.paragraphs as string[];
      for (const p of shown.paragraphs) assert.equal(texts[p.index], p.after);
      const current = await t.db.paragraph.findMany({ where: { articleId: a.articleId }, orderBy: { position: 'asc' } });
      assert.deepEqual(current.map((p) => p.text), texts);
      assert.equal((await t.db.article.findUniqueOrThrow({ where: { id: a.articleId } })).version, shown.version + 1);
    }
    // The untouched paragraph stays as it was.
    assert.equal((await t.db.paragraph.findFirstOrThrow({ where: { articleId: ids.draft, position: 1 } })).text, 'The ban has no exceptions.');
    // The MT draft starts being edited; the article in review stays in review.
    assert.equal((await t.db.article.findUniqueOrThrow({ where: { id: ids.draft } })).status, 'in_edit');
    assert.equal((await t.db.article.findUniqueOrThrow({ where: { id: ids.review } })).status, 'in_review');
    const change = await t.db.statusChange.findFirstOrThrow({ where: { articleId: ids.draft, toStatus: 'in_edit' } });
    assert.equal(change.fromStatus, 'mt_draft');
    // The colliding article keeps the editor's text.
    assert.equal((await t.db.paragraph.findFirstOrThrow({ where: { articleId: ids.collide } })).text, 'The Min river burst its banks.');

    // One audit event for the request, with every article's outcome, written with the revisions.
    const audits = await t.db.auditEvent.findMany({ where: { action: 'article.bulk_replace' }, orderBy: { id: 'asc' } });
    assert.equal(audits.length - auditsBefore, 1);
    const last = audits.at(-1)!;
    assert.equal(String(last.id), applied.body.auditEventId);
    assert.equal(last.actorName, 'rita');
    assert.equal(last.entity, 'article');
    assert.equal(last.entityId, null);
    const data = last.data as { applied: Array<Record<string, unknown>>; skipped: unknown[] } & Record<string, unknown>;
    assert.deepEqual({ ...data, applied: undefined }, {
      applied: undefined,
      find: 'Min river',
      replace: 'Min River',
      regex: false,
      caseSensitive: false,
      requested: 3,
      replacements: 3,
      skipped: [{ articleId: ids.collide, reason: 'version_conflict' }],
    });
    assert.deepEqual(
      data.applied.map((a) => ({ ...a, editRate: typeof a.editRate })),
      [
        { articleId: ids.draft, revisionId: applied.body.applied[0].revisionId, number: 2, replacements: 2, paragraphsChanged: 2, editRate: 'number', statusFrom: 'mt_draft', statusTo: 'in_edit' },
        { articleId: ids.review, revisionId: applied.body.applied[1].revisionId, number: 2, replacements: 1, paragraphsChanged: 1, editRate: 'number' },
      ],
    );
    // The article's audit report links its bulk-replace revision to the request's event.
    const report = await buildArticleReport(t.db, ids.draft);
    const entry = report.entries.find((e) => e.type === 'revision' && e.kind === 'bulk_replace');
    assert.equal(entry?.type === 'revision' ? entry.auditEventId : undefined, Number(last.id));
    // The revisions and the event are one transaction: they carry the same time.
    for (const a of applied.body.applied as Array<{ revisionId: number }>) {
      assert.equal((await t.db.revision.findUniqueOrThrow({ where: { id: a.revisionId } })).createdAt.getTime() <= last.at.getTime(), true);
    }

    // The reviewer who ran the bulk replace is now an author: the four-eyes rule stops them approving.
    const record = await rita.get(`/api/articles/${ids.review}`);
    assert.equal(record.body.approval.allowed, false);
  });

  test('applying again skips articles that no longer match', async () => {
    const current = await t.db.article.findUniqueOrThrow({ where: { id: ids.draft } });
    const res = await rita.post('/api/bulk-replace/apply').send({ find: 'Min river', replace: 'Min River', caseSensitive: true, articles: [{ id: ids.draft, version: current.version }, { id: 999999, version: 1 }, { id: ids.approved, version: 1 }] });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.applied, []);
    assert.deepEqual(res.body.skipped.map((s: { reason: string }) => s.reason), ['no_match', 'not_found', 'status']);
    // Nothing applied is still a request worth recording.
    const event = await t.db.auditEvent.findUniqueOrThrow({ where: { id: BigInt(res.body.auditEventId) } });
    assert.equal(event.action, 'article.bulk_replace');
    assert.deepEqual((event.data as { applied: unknown[] }).applied, []);
    assert.deepEqual((event.data as { skipped: unknown[] }).skipped, [
      { articleId: ids.draft, reason: 'no_match' },
      { articleId: 999999, reason: 'not_found' },
      { articleId: ids.approved, reason: 'status' },
    ]);
  });
});

describe('patterns', () => {
  before(async () => {
    await makeArticle(t.db, { title: 'Pattern article', paragraphs: ['It cost 5 ten thousand yuan and 12 ten thousand yuan.', 'Prices: $5 each.'], status: 'in_edit' });
  });

  test('a regex with capture groups, and a literal replacement that keeps "$" as typed', async () => {
    const regex = await rita.post('/api/bulk-replace/preview').send({ find: String.raw`(\d+) ten thousand`, replace: '$1万', regex: true });
    assert.equal(regex.status, 200, JSON.stringify(regex.body));
    assert.equal(regex.body.matches[0].paragraphs[0].after, 'It cost 5万 yuan and 12万 yuan.');
    assert.equal(regex.body.totalReplacements, 2);
    const literal = await rita.post('/api/bulk-replace/preview').send({ find: '$5', replace: '$1 and $$', regex: false });
    assert.equal(literal.body.matches[0].paragraphs[0].after, 'Prices: $1 and $$ each.');
    const sensitive = await rita.post('/api/bulk-replace/preview').send({ find: 'PRICES', replace: 'Costs', caseSensitive: true });
    assert.equal(sensitive.body.totalArticles, 0);
  });

  test('invalid, empty-matching, too long and catastrophic patterns are refused with 400', async () => {
    const invalid = await rita.post('/api/bulk-replace/preview').send({ find: '(unclosed', replace: 'x', regex: true });
    assert.equal(invalid.status, 400);
    assert.equal(invalid.body.error.code, 'invalid_regex');
    assert.match(invalid.body.error.message, /^find: not a valid regular expression/);
    const empty = await rita.post('/api/bulk-replace/preview').send({ find: 'x*', replace: 'y', regex: true });
    assert.equal(empty.status, 400);
    assert.match(empty.body.error.message, /matches empty text/);
    const long = await rita.post('/api/bulk-replace/preview').send({ find: 'a'.repeat(201), replace: 'y', regex: true });
    assert.match(long.body.error.message, /at most 200 characters/);

    await makeArticle(t.db, { title: 'Backtracking bait', paragraphs: [`${'a'.repeat(40)}!`], status: 'in_edit' });
    const slow = await rita.post('/api/bulk-replace/preview').send({ find: '(a+)+$', replace: 'b', regex: true });
    assert.equal(slow.status, 400);
    assert.equal(slow.body.error.code, 'regex_too_slow');
    // The server still answers.
    assert.equal((await rita.get('/api/glossary')).status, 200);
  });

  test('bad bodies name the field and write nothing; editors may not run bulk replace', async () => {
    const revisions = await t.db.revision.count();
    const noArticles = await rita.post('/api/bulk-replace/apply').send({ find: 'a', replace: 'b', articles: [] });
    assert.equal(noArticles.status, 400);
    assert.match(noArticles.body.error.message, /^articles: must list at least one article/);
    const status = await rita.post('/api/bulk-replace/preview').send({ find: 'a', replace: 'b', statuses: ['approved'] });
    assert.match(status.body.error.message, /^statuses\.0: must be one of: mt_draft, in_edit, in_review, changes_requested/);
    const twice = await rita.post('/api/bulk-replace/apply').send({ find: 'a', replace: 'b', articles: [{ id: 1, version: 1 }, { id: 1, version: 1 }] });
    assert.match(twice.body.error.message, /^articles\.1\.id: article 1 is listed twice/);
    assert.equal((await ed.post('/api/bulk-replace/preview').send({ find: 'a', replace: 'b' })).status, 403);
    assert.equal(await t.db.revision.count(), revisions);
  });
});

test('the preview lists at most 200 articles and says so', async () => {
  const stamp = 'Qwertyville';
  for (let i = 0; i < 201; i++) await makeArticle(t.db, { title: `Cap ${i}`, paragraphs: [`The ${stamp} council met on day ${i}.`] });
  const res = await rita.post('/api/bulk-replace/preview').send({ find: stamp, replace: 'Springfield', statuses: ['mt_draft'] });
  assert.equal(res.status, 200);
  assert.equal(res.body.matches.length, 200);
  assert.equal(res.body.truncated, true);
  assert.equal(res.body.limit, 200);
  assert.equal(res.body.totalArticles, 200);
});
