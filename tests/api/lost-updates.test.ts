import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createTestContext, TEST_PASSWORD, type TestContext } from '../helpers/app';
import { makeArticle } from '../helpers/factories';

// Lost updates under real concurrency: the app listens on an ephemeral port and
// the saves race over HTTP, so PostgreSQL, not the event loop, decides the winner.

interface Para {
  index: number;
  text: string;
}
interface ArticleRec {
  id: number;
  version: number;
  title: string;
  revisionCount: number;
  paragraphs: Para[];
}

let t: TestContext;
let server: Server;
let base: string;

async function agentFor(username: string) {
  const agent = request.agent(base);
  const res = await agent.post('/api/auth/login').send({ username, password: TEST_PASSWORD });
  assert.equal(res.status, 200);
  return agent;
}

before(async () => {
  // Enough pool connections that 50 concurrent saves really reach the database together.
  t = await createTestContext({ COPYDESK_DB_POOL_SIZE: '20' });
  await t.makeUser('ann', 'editor');
  await t.makeUser('bob', 'editor');
  server = t.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise((r) => server.close(r));
  await t.drop();
});

/** A minimal cookie-keeping client over fetch: cheaper per request than supertest, which matters for 1,000 loops. */
async function fetchAgentFor(username: string) {
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: TEST_PASSWORD }) });
  assert.equal(login.status, 200);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const call = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(base + url, { method, headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, body: (await res.json()) as { error?: { code: string; details: { current: unknown } } } & globalThis.Record<string, unknown> };
  };
  return { get: (url: string) => call('GET', url), put: (url: string) => ({ send: (body: unknown) => call('PUT', url, body) }) };
}

function withText(rec: ArticleRec, index: number, text: string) {
  return { id: rec.id, version: rec.version, title: rec.title, paragraphs: rec.paragraphs.map((p) => ({ index: p.index, text: p.index === index ? text : p.text })) };
}

describe('50 parallel saves of one version', () => {
  test('exactly one 200; 49 × 409 version_conflict, each carrying the current version and texts to reapply on', async () => {
    const made = await makeArticle(t.db, { title: 'Race article', paragraphs: ['Alpha paragraph.', 'Beta paragraph.', 'Gamma paragraph.'] });
    const ann = await agentFor('ann');
    const rec = (await ann.get(`/api/articles/${made.id}`)).body as ArticleRec;
    assert.equal(rec.version, 1);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => ann.put(`/api/articles/${made.id}`).send(withText(rec, i % 3, `Attempt ${i} rewrote this paragraph.`))),
    );
    const ok = results.filter((r) => r.status === 200);
    const conflicts = results.filter((r) => r.status === 409);
    assert.equal(ok.length, 1, `statuses: ${results.map((r) => r.status).join(',')}`);
    assert.equal(conflicts.length, 49);
    const winner = ok[0].body as ArticleRec;
    assert.equal(winner.version, 2);
    assert.equal(winner.revisionCount, 2);
    for (const c of conflicts) {
      const e = c.body.error;
      assert.equal(e.code, 'version_conflict');
      assert.equal(e.details.baseVersion, 1);
      assert.equal(e.details.currentVersion, 2);
      assert.equal(e.details.current.version, 2);
      assert.deepEqual(
        e.details.current.paragraphs.map((p: Para) => p.text),
        winner.paragraphs.map((p) => p.text),
      );
      // The paragraph the winner changed is listed with its before/after, so the loser can merge.
      assert.equal(e.details.paragraphs.length, 1);
      const changed = e.details.paragraphs[0];
      assert.equal(changed.current, winner.paragraphs[changed.index].text);
      assert.equal(changed.base, rec.paragraphs[changed.index].text);
      assert.ok(Array.isArray(changed.diff.parts));
    }
    // The database agrees: one new revision, one audit event, nothing else.
    const revs = await t.db.revision.findMany({ where: { articleId: made.id }, orderBy: { number: 'asc' } });
    assert.deepEqual(revs.map((r) => r.number), [1, 2]);
    assert.deepEqual(revs[1].paragraphs, winner.paragraphs.map((p) => p.text));
    assert.equal(await t.db.auditEvent.count({ where: { action: 'article.save', entityId: String(made.id) } }), 1);
  });
});

describe('two editors in interleaved loops', () => {
  test('1,000 read-modify-save iterations with conflict reapply: contiguous history, every save in exactly one revision, nothing lost', async () => {
    const made = await makeArticle(t.db, { title: 'Shared article', paragraphs: ['Ann works on this one.', 'Bob works on this one.', 'Both touch this one.'] });
    const url = `/api/articles/${made.id}`;
    // Per editor: 1,000 in all by default; COPYDESK_LOST_UPDATE_ITERATIONS overrides it on a slow machine.
    const ITERATIONS = Math.ceil(Number(process.env.COPYDESK_LOST_UPDATE_ITERATIONS ?? 1000) / 2);
    const saves: Array<{ who: string; index: number; text: string; record: ArticleRec }> = [];
    let conflictsSeen = 0;

    async function loop(who: string, ownIndex: number) {
      const agent = await fetchAgentFor(who);
      for (let i = 0; i < ITERATIONS; i++) {
        // Mostly the editor's own paragraph, every third save the shared one: conflicts then touch the same text.
        const index = i % 3 === 2 ? 2 : ownIndex;
        const text = `${who} save ${i}: the wording of paragraph ${index} was revised.`;
        let rec = (await agent.get(url)).body as unknown as ArticleRec;
        for (let attempt = 0; ; attempt++) {
          assert.ok(attempt < 50, `${who} could not save iteration ${i} after 50 attempts`);
          const res = await agent.put(url).send(withText(rec, index, text));
          if (res.status === 200) {
            saves.push({ who, index, text, record: res.body as unknown as ArticleRec });
            break;
          }
          assert.equal(res.status, 409, JSON.stringify(res.body));
          assert.equal(res.body.error?.code, 'version_conflict');
          conflictsSeen++;
          // Reapply the same change on top of what the other editor saved.
          rec = res.body.error.details.current as ArticleRec;
        }
      }
    }
    await Promise.all([loop('ann', 0), loop('bob', 1)]);

    assert.equal(saves.length, 2 * ITERATIONS);
    const n = 1 + saves.length;
    const article = await t.db.article.findUniqueOrThrow({ where: { id: made.id } });
    assert.equal(article.revisionCount, n);
    assert.equal(article.version, n);
    const revs = await t.db.revision.findMany({ where: { articleId: made.id }, orderBy: { number: 'asc' }, select: { number: true, articleVersion: true, paragraphs: true, kind: true, authorId: true } });
    assert.deepEqual(revs.map((r) => r.number), Array.from({ length: n }, (_, i) => i + 1), 'revision numbers 1..n without gaps');
    assert.deepEqual(revs.map((r) => r.articleVersion), Array.from({ length: n }, (_, i) => i + 1));

    // Each successful save introduced its text in exactly one revision, the one its answer names,
    // and that answer is a consistent snapshot: the texts of exactly that revision.
    const introducedBy = new Map<string, number[]>();
    for (let k = 1; k < revs.length; k++) {
      const prev = revs[k - 1].paragraphs as string[];
      (revs[k].paragraphs as string[]).forEach((p, i) => {
        if (p !== prev[i]) introducedBy.set(p, [...(introducedBy.get(p) ?? []), revs[k].number]);
      });
    }
    for (const s of saves) {
      const texts = s.record.paragraphs.map((p) => p.text);
      assert.equal(texts[s.index], s.text, 'the saved record holds the editor’s text');
      assert.deepEqual(introducedBy.get(s.text), [s.record.revisionCount], `save "${s.text}" is not in exactly one revision`);
      assert.deepEqual(texts, revs[s.record.revisionCount - 1].paragraphs, `the answer to "${s.text}" mixes the texts of another revision`);
      assert.equal(s.record.version, s.record.revisionCount);
    }
    assert.equal(introducedBy.size, saves.length);
    // No silent overwrite: every edit revision changes exactly the one paragraph its author meant to.
    for (let k = 1; k < revs.length; k++) {
      const prev = revs[k - 1].paragraphs as string[];
      const cur = revs[k].paragraphs as string[];
      const changed = cur.map((p, i) => (p === prev[i] ? -1 : i)).filter((i) => i >= 0);
      assert.equal(changed.length, 1, `revision ${revs[k].number} changed paragraphs ${changed.join(',')}`);
    }
    // Interleaving really happened (otherwise this test proves nothing about conflicts).
    assert.ok(conflictsSeen > 0, 'the two loops never conflicted');
    const final = (await t.db.paragraph.findMany({ where: { articleId: made.id }, orderBy: { position: 'asc' } })).map((p) => p.text);
    assert.deepEqual(final, revs[revs.length - 1].paragraphs);
    console.log(`# ${saves.length} saves, ${conflictsSeen} conflicts reapplied, ${n} revisions`);
  });
});
