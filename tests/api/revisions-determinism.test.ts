// The same edit stores the same diffs and statistics whether the machine is idle
// or saturated: diffs are bounded by a work count derived from the texts, never
// by wall-clock time. Under the former 30 ms clock budget, this very edit on a
// busy machine stored later paragraphs as rewritten whole (edit rate 100 %
// instead of 9 %).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { editWords, makeArticle as corpusArticle, prng } from '../../scripts/bench/corpus';
import { createTestContext, type TestContext } from '../helpers/app';
import { makeArticle } from '../helpers/factories';
import type { RevisionStats } from '../../server/services/revisionData';

let t: TestContext;
let editor: Awaited<ReturnType<TestContext['loginAs']>>;

before(async () => {
  t = await createTestContext();
  await t.makeUser('edna', 'editor');
  editor = await t.loginAs('edna');
});
after(() => t.drop());

// A long article (6 paragraphs of about 900 words, news prose over a small
// vocabulary, so most words recur): the first paragraph heavily rewritten (about
// half its words), three small fixes in each of the others.
const r = prng(20261203);
const MT = corpusArticle(r, 1, { minBytes: 36000, maxBytes: 36001, minParagraphs: 6, maxParagraphs: 6 }).paragraphs;
const fixed = (p: string, fixes: number) => {
  const words = p.split(' ');
  for (let i = 1; i <= fixes; i++) words[Math.floor((i * words.length) / (fixes + 1))] = `corrected${i}`;
  return words.join(' ');
};
const EDITED = MT.map((p, i) => (i === 0 ? editWords(p, 0.5, r) : fixed(p, 3)));

/** Saves EDITED over a fresh copy of MT through the API; returns everything the save stored that derives from the diff. */
async function saveEdit(title: string) {
  const a = await makeArticle(t.db, { title, paragraphs: MT });
  const res = await editor.put(`/api/articles/${a.id}`).send({ version: a.version, paragraphs: EDITED.map((text, index) => ({ index, text })) });
  assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 500));
  const rev = await t.db.revision.findFirstOrThrow({ where: { articleId: a.id, number: 2 } });
  const article = await t.db.article.findUniqueOrThrow({ where: { id: a.id }, select: { editRate: true, wordCount: true } });
  const event = await t.db.auditEvent.findFirstOrThrow({ where: { action: 'article.save', entityId: String(a.id) } });
  const { revisionId: _id, ...audited } = event.data as Record<string, unknown>;
  return {
    // The titles differ (two articles cannot share their content); everything else must not.
    paragraphDiffs: (rev.diffs as { paragraphs: unknown[] }).paragraphs,
    stats: rev.stats as unknown as RevisionStats,
    revision: { editRate: rev.editRate, wordsInserted: rev.wordsInserted, wordsDeleted: rev.wordsDeleted, wordsSubstituted: rev.wordsSubstituted },
    article,
    audited,
  };
}

/** Busy loops in child processes: more of them than the machine has cores. */
async function saturate(count: number): Promise<ChildProcess[]> {
  const children = Array.from({ length: count }, () => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
  await Promise.all(children.map((c) => once(c, 'spawn')));
  return children;
}

test('the same edit saved idle and under heavy CPU load stores identical diffs and statistics, none truncated', async () => {
  const idle = await saveEdit('Determinism idle');

  const children = await saturate(4);
  let loaded: Awaited<ReturnType<typeof saveEdit>>;
  try {
    // Let the busy loops get going before the save competes with them.
    await new Promise((resolve) => setTimeout(resolve, 300));
    loaded = await saveEdit('Determinism loaded');
    for (const c of children) assert.equal(c.exitCode, null, 'the load was running throughout the save');
  } finally {
    for (const c of children) c.kill('SIGKILL');
  }

  assert.deepEqual(loaded, idle);
  const diffs = idle.paragraphDiffs as Array<{ mt: { truncated: boolean } }>;
  assert.equal(diffs.length, 6);
  assert.deepEqual(
    diffs.map((d) => d.mt.truncated),
    [false, false, false, false, false, false],
    'no paragraph is recorded as rewritten whole',
  );
  const mt = idle.stats.mt;
  assert.equal(mt.paragraphsChanged, 6);
  // Half of one paragraph in six, plus 15 single-word fixes: about 9 %, far from a whole rewrite.
  assert.ok(mt.editRate > 0.05 && mt.editRate < 0.15, `edit rate ${mt.editRate}`);
  assert.equal(idle.article.editRate, mt.editRate);
  assert.equal(idle.audited.editRate, mt.editRate);
});
