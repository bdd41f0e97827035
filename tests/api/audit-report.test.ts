import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Prisma } from '../../server/db/client';
import { recordAudit, SYSTEM_ACTOR, type Actor } from '../../server/services/audit';
import { activity, buildArticleReport, findActivitySubject, findArticleForReport, type ActivityEntry } from '../../server/services/auditReport';
import { articleReportText } from '../../server/services/auditReportText';
import { buildRevisionData } from '../../server/services/revisionData';
import { createTestContext, type TestContext } from '../helpers/app';
import { makeArticle } from '../helpers/factories';

let t: TestContext;
let eve: Actor & { id: number };

before(async () => {
  t = await createTestContext();
  const id = await t.makeUser('eve', 'editor');
  eve = { id, username: 'eve', role: 'editor', ip: '10.1.1.1' };
});
after(() => t.drop());

async function collect(it: AsyncIterable<ActivityEntry>): Promise<ActivityEntry[]> {
  const out: ActivityEntry[] = [];
  for await (const e of it) out.push(e);
  return out;
}

test('a revision written without its audit event is flagged in the article timeline', async () => {
  const a = await makeArticle(t.db, { title: 'Quiet edit', paragraphs: ['The bridge is closed.'] });
  const mt = { title: 'Quiet edit', paragraphs: ['The bridge is closed.'] };
  const next = { title: 'Quiet edit', paragraphs: ['The bridge is shut.'] };
  const d = buildRevisionData(mt, next, mt);
  // Straight into the table, as a bypass of the application would: no audit event.
  await t.db.revision.create({
    data: {
      articleId: a.id,
      number: 2,
      articleVersion: 2,
      kind: 'edit',
      authorId: eve.id,
      note: 'sneaky',
      title: d.title,
      paragraphs: d.paragraphs,
      diffs: d.diffs as unknown as Prisma.InputJsonValue,
      stats: d.stats as unknown as Prisma.InputJsonValue,
      editRate: d.editRate,
    },
  });
  const report = await buildArticleReport(t.db, a.id);
  const text = articleReportText(report, { color: false });
  assert.match(text, /UTC {2}Saved revision 2 by Eve \(eve\) \[NO AUDIT EVENT\]\n {4}note: sneaky\n {4}edit rate 20% against the MT; this save: 0 inserted, 0 deleted, 1 substituted words\n {4}¶1: The bridge is \[-closed-\]\[\+shut\+\]\./);
});

test('a bulk-replace revision written without its audit event is flagged too', async () => {
  const a = await makeArticle(t.db, { title: 'Quiet bulk', paragraphs: ['The road is closed.'] });
  const mt = { title: 'Quiet bulk', paragraphs: ['The road is closed.'] };
  const d = buildRevisionData(mt, { title: 'Quiet bulk', paragraphs: ['The road is shut.'] }, mt);
  await t.db.revision.create({
    data: {
      articleId: a.id, number: 2, articleVersion: 2, kind: 'bulk_replace', authorId: eve.id, note: 'bulk',
      title: d.title, paragraphs: d.paragraphs, diffs: d.diffs as unknown as Prisma.InputJsonValue, stats: d.stats as unknown as Prisma.InputJsonValue, editRate: d.editRate,
    },
  });
  const text = articleReportText(await buildArticleReport(t.db, a.id), { color: false });
  assert.match(text, /UTC {2}Bulk replace wrote revision 2 by Eve \(eve\) \[NO AUDIT EVENT\]/);
});

test('the article timeline shows other audited actions on it (comments), and honours the window and --user', async () => {
  const a = await makeArticle(t.db, { title: 'Windowed', externalId: 'win-1' });
  assert.deepEqual(await findArticleForReport(t.db, 'win-1'), { id: a.id });
  assert.deepEqual(await findArticleForReport(t.db, String(a.id)), { id: a.id });
  await assert.rejects(findArticleForReport(t.db, 'nope'), /No article has the id or external id "nope"/);
  const importedAt = (await t.db.revision.findFirstOrThrow({ where: { articleId: a.id } })).createdAt;
  const comment = await t.db.comment.create({ data: { articleId: a.id, body: 'Check the name', authorId: eve.id } });
  await t.db.$transaction((tx) => recordAudit(tx, eve, { action: 'comment.create', entity: 'comment', entityId: comment.id, data: { articleId: a.id, paragraphIndex: 0 } }));

  const all = await buildArticleReport(t.db, a.id);
  assert.deepEqual(all.entries.map((e) => (e.type === 'event' ? e.action : e.type)), ['import', 'comment.create']);
  const text = articleReportText(all, { color: false });
  assert.match(text, new RegExp(`comment\\.create by Eve \\(eve\\) \\[audit #\\d+\\]: paragraphIndex=0\\n`));

  const later = await buildArticleReport(t.db, a.id, { since: new Date(importedAt.getTime() + 1) });
  assert.deepEqual(later.entries.map((e) => e.type), ['event']);
  const before = await buildArticleReport(t.db, a.id, { until: new Date(importedAt.getTime() - 1) });
  assert.deepEqual(before.entries, []);
  assert.match(articleReportText(before, { color: false }), /\(nothing in this window\)/);
  const bySystem = await buildArticleReport(t.db, a.id, {}, 'system');
  assert.deepEqual(bySystem.entries.map((e) => e.type), ['import']);
});

test('activity streams a user\'s events in id order across pages, with the article and revision they concern', async () => {
  const a = await makeArticle(t.db, { title: 'Paged' });
  const first = await t.db.$transaction((tx) => recordAudit(tx, eve, { action: 'article.assign', entity: 'article', entityId: a.id, data: { from: null, to: eve.id } }));
  for (let i = 0; i < 6; i++) await t.db.$transaction((tx) => recordAudit(tx, eve, { action: 'test.step', entity: 'thing', entityId: i, data: { i } }));
  await t.db.$transaction((tx) => recordAudit(tx, SYSTEM_ACTOR, { action: 'test.system', entity: 'thing' }));
  await t.db.$transaction((tx) => recordAudit(tx, eve, { action: 'article.save', entity: 'article', entityId: a.id, data: { revisionId: a.revisionId, number: 1, editRate: 0, inserted: 0, deleted: 0, substituted: 0 } }));

  const subject = await findActivitySubject(t.db, 'EVE');
  assert.equal(subject.kind, 'user');
  const mine = (await collect(activity(t.db, subject, {}, 3))).filter((e) => e.id >= Number(first));
  assert.deepEqual(mine.map((e) => e.action), ['article.assign', ...Array(6).fill('test.step'), 'article.save']);
  assert.deepEqual(mine[0].article, { id: a.id, title: 'Paged' });
  assert.deepEqual(mine.at(-1)!.revision, { id: a.revisionId, number: 1, note: null });
  assert.ok(mine.every((e, i) => i === 0 || e.id > mine[i - 1].id));

  const system = await collect(activity(t.db, await findActivitySubject(t.db, 'system')));
  assert.deepEqual(system.map((e) => e.action), ['test.system']);
  await assert.rejects(findActivitySubject(t.db, 'ghost'), /No user is called "ghost"/);

  const at = mine[3].at;
  const windowed = await collect(activity(t.db, subject, { since: at, until: at }, 2));
  assert.ok(windowed.length >= 1 && windowed.every((e) => e.at.getTime() === at.getTime()));
});
