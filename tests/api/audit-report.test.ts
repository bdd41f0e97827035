import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Prisma } from '../../server/db/client';
import { recordAudit, SYSTEM_ACTOR, type Actor } from '../../server/services/audit';
import { activity, buildArticleReport, findActivitySubject, findArticleForReport, type ActivityEntry } from '../../server/services/auditReport';
import { articleReportText } from '../../server/services/auditReportText';
import { summarize } from '../../server/services/auditSummary';
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
  assert.match(text, new RegExp(`comment\\.create by Eve \\(eve\\) \\[audit #\\d+\\]: comment on ¶1\\n`));

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

test('the article timeline reads confirmations, a review and an approval override in words', async () => {
  const a = await makeArticle(t.db, { title: 'Readable', paragraphs: ['The harbour reopened.', 'Ships wait outside.'] });
  await t.makeUser('rex', 'editor');
  const rex = await t.loginAs('rex');
  await rex.post(`/api/articles/${a.id}/confirmations`).send({ paragraphIndex: 1, confirmed: true, text: 'Ships wait outside.' }).expect(200);
  await rex.post(`/api/articles/${a.id}/confirmations`).send({ paragraphIndex: 1, confirmed: false }).expect(200);
  await rex.post(`/api/articles/${a.id}/confirmations`).send({ paragraphIndex: -1, confirmed: true, text: 'Readable' }).expect(200);
  const rexId = (await t.db.user.findUniqueOrThrow({ where: { username: 'rex' } })).id;
  const rexActor: Actor = { id: rexId, username: 'rex', role: 'editor', ip: null };
  // The events as the review and approval services write them (their own tests drive the routes).
  await t.db.$transaction(async (tx) => {
    await recordAudit(tx, rexActor, { action: 'article.review', entity: 'article', entityId: a.id, data: { since: 'submitted', baseRevisionId: 1, reviewedRevisionId: 7, accepted: 3, rejected: 0 } });
    await recordAudit(tx, rexActor, {
      action: 'article.review',
      entity: 'article',
      entityId: a.id,
      data: { since: 'approved', baseRevisionId: 1, reviewedRevisionId: 7, accepted: 2, rejected: 1, revisionId: 8, number: 4, rejectedChanges: ['p0:1'], statusFrom: 'in_review', statusTo: 'changes_requested', commentIds: [5] },
    });
    await recordAudit(tx, rexActor, { action: 'article.transition', entity: 'article', entityId: a.id, data: { from: 'in_review', to: 'approved', note: null, revisionId: 8, override: { reason: 'The figure is right.', openErrors: 2, openComments: 1 } } });
  });
  const lines = articleReportText(await buildArticleReport(t.db, a.id), { color: false }).split('\n');
  const after = (action: string) => lines.filter((l) => l.includes(` ${action} by `)).map((l) => l.replace(/^.*\] ?/, ''));
  assert.deepEqual(after('paragraph.confirm'), [': ¶2 confirmed', ': the title confirmed']);
  assert.deepEqual(after('paragraph.unconfirm'), [': ¶2 no longer confirmed']);
  assert.deepEqual(after('article.review'), [
    ': review of revision #7: 3 accepted, 0 rejected against the submitted revision',
    ': review of revision #7: 2 accepted, 1 rejected against the last approved revision; rejected changes reverted in revision 4, in_review → changes_requested, 1 comment written',
  ]);
  // The transition itself is shown from the status-change table; its event's line is in the activity report.
  const events = await collect(activity(t.db, { kind: 'user', id: rexId, username: 'rex', displayName: 'rex', role: 'editor' }));
  const override = events.find((e) => e.action === 'article.transition');
  assert.ok(override);
  assert.equal(summarize(override.action, override.data), ': in_review → approved; approved over 2 open error findings and 1 unresolved comment, reason "The figure is right."');
  assert.ok(events.every((e) => !/=/.test(summarize(e.action, e.data))), 'no event of these falls back to key=value');
});
