// npm run maintenance -- recompute-stats, run as a user would, on revisions stored
// the way the former wall-clock diff budget stored them on a busy machine: every
// paragraph as a whole replacement once the 30 ms were spent.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Prisma } from '../../server/db/client';
import { SYSTEM_ACTOR } from '../../server/services/audit';
import { verifyAuditChain } from '../../server/services/auditVerify';
import { buildRevisionData, type RevisionData } from '../../server/services/revisionData';
import { recomputePending, recomputeRevisionStats, RECOMPUTE_ACTION, runQueuedRecompute } from '../../server/services/recomputeStats';
import { createTestContext, type TestContext } from '../helpers/app';
import { makeArticle } from '../helpers/factories';
import { runScript, type ScriptRun } from '../helpers/runScript';

let t: TestContext;
let editor: Awaited<ReturnType<TestContext['loginAs']>>;
let auditor: Awaited<ReturnType<TestContext['loginAs']>>;

function cli(...args: string[]): Promise<ScriptRun> {
  return runScript('maintenance', t.url, ...args);
}

const MT = [
  'The city council approved the new budget on Monday evening after a long debate about transport and housing.',
  'Opposition members said that the plan lacked detail on how the new metro line would be financed over the next decade.',
  'The mayor promised to publish the full figures before the end of the month.',
];

type Stored = Pick<RevisionData, 'diffs' | 'stats' | 'editRate' | 'wordsInserted' | 'wordsDeleted' | 'wordsSubstituted'>;

async function stored(revisionId: number): Promise<Stored> {
  const r = await t.db.revision.findUniqueOrThrow({ where: { id: revisionId } });
  return {
    diffs: r.diffs as unknown as RevisionData['diffs'],
    stats: r.stats as unknown as RevisionData['stats'],
    editRate: r.editRate,
    wordsInserted: r.wordsInserted,
    wordsDeleted: r.wordsDeleted,
    wordsSubstituted: r.wordsSubstituted,
  };
}

/** Saves `paragraphs` through the API; returns the new revision's id. */
async function save(articleId: number, paragraphs: string[]): Promise<number> {
  const { version } = await t.db.article.findUniqueOrThrow({ where: { id: articleId } });
  const res = await editor.put(`/api/articles/${articleId}`).send({ version, paragraphs: paragraphs.map((text, index) => ({ index, text })) });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.currentRevisionId as number;
}

/** Overwrites a revision with what the clock-bounded code stored once its budget was spent: every diff a whole replacement. */
async function storeAsTimedOut(revisionId: number): Promise<void> {
  const r = await t.db.revision.findUniqueOrThrow({ where: { id: revisionId } });
  const prev = await t.db.revision.findUniqueOrThrow({ where: { articleId_number: { articleId: r.articleId, number: r.number - 1 } } });
  const a = await t.db.article.findUniqueOrThrow({ where: { id: r.articleId }, include: { paragraphs: { orderBy: { position: 'asc' } } } });
  const spent = buildRevisionData(
    { title: prev.title, paragraphs: prev.paragraphs as string[] },
    { title: r.title, paragraphs: r.paragraphs as string[] },
    { title: a.mtTitle, paragraphs: a.paragraphs.map((p) => p.mt) },
    0,
  );
  const { title: _t, paragraphs: _p, ...figures } = spent;
  await t.db.revision.update({ where: { id: revisionId }, data: { ...figures, diffs: figures.diffs as unknown as Prisma.InputJsonValue, stats: figures.stats as unknown as Prisma.InputJsonValue } });
  if (a.revisionCount === r.number) await t.db.article.update({ where: { id: a.id }, data: { editRate: spent.editRate } });
}

const auditCount = (action?: string) => t.db.auditEvent.count({ where: action ? { action } : {} });

let timedOut: number[];
let exact: Stored[];
let untouched: { id: number; before: Stored };
let articleA: number;

before(async () => {
  t = await createTestContext();
  await t.makeUser('edna', 'editor');
  await t.makeUser('audrey', 'auditor');
  editor = await t.loginAs('edna');
  auditor = await t.loginAs('audrey');

  // Article A: two saves of small fixes, both stored as timed out.
  const a = await makeArticle(t.db, { title: 'Budget approved', paragraphs: MT });
  articleA = a.id;
  const r2 = await save(a.id, [MT[0].replace('Monday evening', 'Monday night'), MT[1], MT[2].replace('full figures', 'complete figures')]);
  const r3 = await save(a.id, [MT[0].replace('Monday evening', 'Monday night'), MT[1].replace('next decade', 'coming decade'), MT[2].replace('full figures', 'complete figures')]);
  timedOut = [r2, r3];
  exact = [await stored(r2), await stored(r3)];
  for (const id of timedOut) await storeAsTimedOut(id);

  // Article B: a save nobody's clock cut short; it has no truncated diff and is never touched.
  const b = await makeArticle(t.db, { title: 'Metro line', paragraphs: MT });
  const rb = await save(b.id, [MT[0], MT[1].replace('financed', 'paid for'), MT[2]]);
  untouched = { id: rb, before: await stored(rb) };
});
after(() => t.drop());

describe('npm run maintenance -- recompute-stats', () => {
  test('bad usage is refused before the database is opened', async () => {
    const unknown = await cli('recompute');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "recompute"/);
    const flag = await cli('recompute-stats', '--force');
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /unknown option --force/);
  });

  test('--dry-run reports the timed-out revisions and writes nothing', async () => {
    const events = await auditCount();
    const r = await cli('recompute-stats', '--dry-run', '--json');
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.dryRun, true);
    assert.equal(report.checked, 2, 'only revisions with a truncated diff are checked');
    assert.deepEqual(report.revisionIds, timedOut);
    assert.equal(report.before.meanEditRate > report.after.meanEditRate, true);
    assert.equal(report.auditEventId, null);
    assert.equal(await auditCount(), events);
    assert.equal(await t.db.revisionCorrection.count(), 0);
    assert.notDeepEqual(await stored(timedOut[0]), exact[0]);
    assert.equal(await recomputePending(t.db), true, 'the migration queued the task, and a dry run leaves it queued');
  });

  test('corrects them in one audited maintenance event; analytics and the dashboard show the corrected figures', async () => {
    const inflated = (await auditor.get('/api/analytics/summary')).body.editRate.mean as number;
    const inflatedWeek = (await auditor.get('/api/stats/summary')).body.avgEditRateThisWeek as number;
    const events = await auditCount();
    const timedOutFigures = [await stored(timedOut[0]), await stored(timedOut[1])];

    const r = await cli('recompute-stats');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Checked 2 revisions \(those with a truncated diff\)\.$/m);
    assert.match(r.stdout, new RegExp(`^Corrected 2 revisions: ${timedOut.join(', ')}$`, 'm'));
    assert.match(r.stdout, /^Audit event #\d+ \(maintenance\.recompute_stats\)/m);

    // Each revision now holds exactly what an unhurried save stored.
    assert.deepEqual(await stored(timedOut[0]), exact[0]);
    assert.deepEqual(await stored(timedOut[1]), exact[1]);
    assert.deepEqual(await stored(untouched.id), untouched.before);
    const article = await t.db.article.findUniqueOrThrow({ where: { id: articleA } });
    assert.equal(article.editRate, exact[1].editRate, "the article's current edit rate follows its latest revision");

    // ONE audit event, with counts, ids and totals, and the former figures kept beside it.
    assert.equal(await auditCount(), events + 1);
    const event = await t.db.auditEvent.findFirstOrThrow({ where: { action: RECOMPUTE_ACTION } });
    const data = event.data as Record<string, unknown> & { before: { meanEditRate: number; truncatedDiffs: number }; after: { meanEditRate: number; truncatedDiffs: number } };
    assert.equal(event.actorName, 'system');
    assert.deepEqual(data.revisionIds, timedOut);
    assert.equal(data.changed, 2);
    assert.equal(data.articlesUpdated, 1);
    assert.equal(data.after.truncatedDiffs, 0);
    assert.ok(data.before.truncatedDiffs > 0);
    assert.equal(data.after.meanEditRate, Math.round(((exact[0].editRate + exact[1].editRate) / 2) * 10_000) / 10_000);
    const corrections = await t.db.revisionCorrection.findMany({ orderBy: { revisionId: 'asc' } });
    assert.deepEqual(corrections.map((c) => c.revisionId), timedOut);
    for (const [i, c] of corrections.entries()) {
      assert.equal(c.auditEventId, event.id);
      assert.deepEqual(c.before, JSON.parse(JSON.stringify(timedOutFigures[i])));
    }
    const task = await t.db.maintenanceTask.findUniqueOrThrow({ where: { name: 'recompute-revision-stats' } });
    assert.ok(task.doneAt);
    assert.equal(task.auditEventId, event.id);
    assert.equal((await verifyAuditChain(t.db)).ok, true);

    const corrected = (await auditor.get('/api/analytics/summary')).body.editRate.mean as number;
    const correctedWeek = (await auditor.get('/api/stats/summary')).body.avgEditRateThisWeek as number;
    assert.ok(corrected < inflated, `analytics mean ${inflated} → ${corrected}`);
    assert.ok(correctedWeek < inflatedWeek, `dashboard ${inflatedWeek} → ${correctedWeek}`);
  });

  test('a second run changes nothing and writes no audit event', async () => {
    const events = await auditCount();
    const r = await cli('recompute-stats', '--all');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /nothing to correct/);
    assert.equal(await auditCount(), events);
    assert.equal(await t.db.revisionCorrection.count(), 2);
    assert.equal(await runQueuedRecompute(t.db, SYSTEM_ACTOR, () => undefined), null, 'start-up finds nothing queued');
  });

  test('two runs at once correct each revision once, under one audit event', async () => {
    const c = await makeArticle(t.db, { title: 'Harbour storm', paragraphs: MT });
    const rc = await save(c.id, [MT[0].replace('long debate', 'short debate'), MT[1], MT[2]]);
    const expected = await stored(rc);
    await storeAsTimedOut(rc);
    const events = await auditCount(RECOMPUTE_ACTION);
    const reports = await Promise.all([recomputeRevisionStats(t.db, SYSTEM_ACTOR), recomputeRevisionStats(t.db, SYSTEM_ACTOR)]);
    assert.deepEqual(reports.map((r) => r.changed).sort(), [0, 1]);
    assert.equal(await auditCount(RECOMPUTE_ACTION), events + 1);
    assert.deepEqual(await stored(rc), expected);
    assert.equal(await t.db.revisionCorrection.count({ where: { revisionId: rc } }), 1);
  });
});
