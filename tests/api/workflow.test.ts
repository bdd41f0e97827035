import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ArticleStatus } from '../../shared/workflow';
import type { UserActor } from '../../server/auth/context';
import { transitionArticle, type ApprovalQaCheck } from '../../server/services/transitions';
import { createTestContext, type TestContext } from '../helpers/app';
import { makeArticle } from '../helpers/factories';

let t: TestContext;
type Agent = Awaited<ReturnType<TestContext['loginAs']>>;
type Role = 'editor' | 'reviewer' | 'auditor' | 'admin';
const users: Record<string, number> = {};
const agents = {} as Record<Role | 'reviewer2', Agent>;

before(async () => {
  t = await createTestContext();
  users.editor = await t.makeUser('edna', 'editor');
  users.reviewer = await t.makeUser('rita', 'reviewer');
  users.reviewer2 = await t.makeUser('rex', 'reviewer');
  users.auditor = await t.makeUser('audrey', 'auditor');
  users.admin = await t.makeUser('ada', 'admin');
  agents.editor = await t.loginAs('edna');
  agents.reviewer = await t.loginAs('rita');
  agents.reviewer2 = await t.loginAs('rex');
  agents.auditor = await t.loginAs('audrey');
  agents.admin = await t.loginAs('ada');
});
after(() => t.drop());

async function history(articleId: number) {
  const [sc, audit, art] = await Promise.all([
    t.db.statusChange.findMany({ where: { articleId }, orderBy: { id: 'asc' } }),
    t.db.auditEvent.findMany({ where: { entity: 'article', entityId: String(articleId) }, orderBy: { id: 'asc' } }),
    t.db.article.findUniqueOrThrow({ where: { id: articleId } }),
  ]);
  return { sc, audit, art };
}

interface Case {
  role: Role;
  from: ArticleStatus;
  to: string;
  note?: string;
  status: number;
  code?: string;
  message?: RegExp;
  allowed?: ArticleStatus[];
}

// Representative from × to × role cases through the HTTP API; the policy module's unit test covers all 7×7×4.
const CASES: Case[] = [
  { role: 'editor', from: 'in_edit', to: 'in_review', status: 200 },
  { role: 'editor', from: 'changes_requested', to: 'in_review', status: 200 },
  { role: 'editor', from: 'mt_draft', to: 'in_review', status: 409, code: 'invalid_transition', message: /An MT draft must be edited before it is submitted\. Allowed from mt_draft: none\./, allowed: [] },
  { role: 'editor', from: 'in_review', to: 'approved', status: 403, code: 'forbidden', message: /The editor role may not approve articles/, allowed: [] },
  { role: 'editor', from: 'in_edit', to: 'archived', status: 403, code: 'forbidden', message: /may not archive articles/, allowed: ['in_review'] },
  { role: 'editor', from: 'in_edit', to: 'in_edit', status: 409, code: 'invalid_transition', message: /already in_edit\. Allowed from in_edit: in_review\./, allowed: ['in_review'] },
  { role: 'reviewer', from: 'in_review', to: 'approved', status: 200 },
  { role: 'reviewer', from: 'in_review', to: 'changes_requested', note: 'Fix the quote in paragraph 2.', status: 200 },
  { role: 'reviewer', from: 'in_review', to: 'changes_requested', note: '   ', status: 400, code: 'note_required', message: /needs a note/, allowed: ['changes_requested', 'approved'] },
  { role: 'reviewer', from: 'in_edit', to: 'approved', status: 409, code: 'invalid_transition', message: /Cannot move an article from in_edit to approved\. Allowed from in_edit: in_review\./, allowed: ['in_review'] },
  { role: 'reviewer', from: 'approved', to: 'exported', status: 409, code: 'invalid_transition', message: /only through an export run/, allowed: [] },
  { role: 'reviewer', from: 'archived', to: 'in_edit', status: 403, code: 'forbidden', message: /may not unarchive/, allowed: [] },
  { role: 'admin', from: 'mt_draft', to: 'archived', status: 200 },
  { role: 'admin', from: 'approved', to: 'archived', status: 200 },
  { role: 'admin', from: 'exported', to: 'archived', status: 200 },
  { role: 'admin', from: 'archived', to: 'in_edit', status: 200 },
  { role: 'admin', from: 'archived', to: 'in_review', status: 409, code: 'invalid_transition', allowed: ['in_edit'] },
  { role: 'admin', from: 'in_review', to: 'approved', status: 200 },
  { role: 'auditor', from: 'in_review', to: 'approved', status: 403, code: 'forbidden', message: /needs the "article.submit" permission/ },
  { role: 'editor', from: 'in_edit', to: 'published', status: 400, code: 'validation_failed', message: /^to: must be one of: mt_draft, in_edit/ },
];

describe('POST /api/articles/:id/transitions: the state machine through the API', () => {
  for (const c of CASES) {
    test(`${c.role}: ${c.from} → ${c.to}${c.note !== undefined ? ` (note "${c.note}")` : ''} answers ${c.status}${c.code ? ` ${c.code}` : ''}`, async () => {
      const a = await makeArticle(t.db, { status: c.from });
      const before = await history(a.id);
      const res = await agents[c.role].post(`/api/articles/${a.id}/transitions`).send({ to: c.to, version: 1, ...(c.note !== undefined ? { note: c.note } : {}) });
      assert.equal(res.status, c.status, JSON.stringify(res.body));
      const afterwards = await history(a.id);
      if (c.status === 200) {
        assert.equal(res.body.status, c.to);
        assert.equal(res.body.version, 2);
        assert.equal(afterwards.art.status, c.to);
        const sc = afterwards.sc.at(-1)!;
        assert.equal(afterwards.sc.length, before.sc.length + 1);
        assert.deepEqual([sc.fromStatus, sc.toStatus, sc.actorId, sc.revisionId, sc.note], [c.from, c.to, users[c.role], a.revisionId, c.note ?? null]);
        assert.equal(afterwards.audit.length, 1);
        assert.equal(afterwards.audit[0].action, 'article.transition');
        assert.equal(afterwards.audit[0].actorId, users[c.role]);
        assert.deepEqual(afterwards.audit[0].data, { from: c.from, to: c.to, note: c.note ?? null, revisionId: a.revisionId });
        if (c.to === 'approved') {
          assert.equal(afterwards.art.approvedRevisionId, a.revisionId);
          assert.equal(afterwards.art.approvedById, users[c.role]);
          assert.ok(afterwards.art.approvedAt);
        }
        return;
      }
      assert.equal(res.body.error.code, c.code);
      if (c.message) assert.match(res.body.error.message, c.message);
      if (c.allowed) assert.deepEqual(res.body.error.details.allowed, c.allowed);
      // Nothing changed, and a 403 is on the audit log.
      assert.deepEqual(afterwards.sc, before.sc);
      assert.equal(afterwards.art.status, c.from);
      assert.equal(afterwards.art.version, 1);
      assert.deepEqual(afterwards.audit.map((e) => e.action), c.status === 403 && c.role !== 'auditor' ? ['permission.denied'] : []);
      if (c.role === 'auditor') {
        const ev = await t.db.auditEvent.findFirstOrThrow({ where: { action: 'permission.denied', actorId: users.auditor }, orderBy: { id: 'desc' } });
        assert.equal(ev.entityId, 'POST /api/articles/:id/transitions');
      }
    });
  }

  test('a stale version answers 409 version_conflict and changes nothing', async () => {
    const a = await makeArticle(t.db, { status: 'in_edit' });
    await t.query('update articles set version = 3 where id = $1', [a.id]);
    const res = await agents.editor.post(`/api/articles/${a.id}/transitions`).send({ to: 'in_review', version: 2 });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'version_conflict');
    assert.equal(res.body.error.details.currentVersion, 3);
    assert.equal((await history(a.id)).art.status, 'in_edit');
  });

  test('version is required', async () => {
    const a = await makeArticle(t.db, { status: 'in_edit' });
    const res = await agents.editor.post(`/api/articles/${a.id}/transitions`).send({ to: 'in_review' });
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /^version: is required/);
  });

  test('the GET record lists the transitions this user may request', async () => {
    const a = await makeArticle(t.db, { status: 'in_review' });
    const asEditor = await agents.editor.get(`/api/articles/${a.id}`);
    assert.deepEqual(asEditor.body.allowedTransitions, []);
    const asReviewer = await agents.reviewer.get(`/api/articles/${a.id}`);
    assert.deepEqual(asReviewer.body.allowedTransitions, ['changes_requested', 'approved']);
    assert.deepEqual(asReviewer.body.approval, { allowed: true });
    const asAdmin = await agents.admin.get(`/api/articles/${a.id}`);
    assert.deepEqual(asAdmin.body.allowedTransitions, ['changes_requested', 'approved', 'archived']);
  });
});

async function save(agent: Agent, id: number, index: number, text: string) {
  const cur = await agent.get(`/api/articles/${id}`);
  const res = await agent.put(`/api/articles/${id}`).send({ version: cur.body.version, paragraphs: [{ index, text }] });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}
async function move(agent: Agent, id: number, to: ArticleStatus, note?: string) {
  const cur = await agent.get(`/api/articles/${id}`);
  return agent.post(`/api/articles/${id}/transitions`).send({ to, version: cur.body.version, note });
}

describe('four-eyes rule and approval pinning', () => {
  test('a reviewer who edited cannot approve (403 four_eyes, audited); another reviewer can; the approval pins the revision', async () => {
    const a = await makeArticle(t.db, { paragraphs: ['Our city will strike hard against illegal fishing.', 'Boats were seized.'] });
    await save(agents.editor, a.id, 0, 'The city will crack down on illegal fishing.');
    await save(agents.reviewer, a.id, 1, 'Boats were impounded.');
    assert.equal((await move(agents.editor, a.id, 'in_review')).status, 200);

    const view = await agents.reviewer.get(`/api/articles/${a.id}`);
    assert.equal(view.body.approval.allowed, false);
    assert.match(view.body.approval.reason, /four-eyes/);
    assert.ok(view.body.allowedTransitions.includes('approved'));

    const refused = await move(agents.reviewer, a.id, 'approved');
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'four_eyes');
    assert.match(refused.body.error.message, /you edited it since the last approval \(four-eyes rule\)\. Another reviewer must approve it\./);
    assert.deepEqual(refused.body.error.details.allowed, ['changes_requested', 'approved']);
    const denied = await t.db.auditEvent.findFirstOrThrow({ where: { action: 'permission.denied', actorId: users.reviewer, entityId: String(a.id) } });
    assert.equal((denied.data as { code: string }).code, 'four_eyes');
    assert.equal((await t.db.article.findUniqueOrThrow({ where: { id: a.id } })).status, 'in_review');

    // An admin is held to the same rule; one who did not edit may approve.
    assert.deepEqual((await agents.reviewer2.get(`/api/articles/${a.id}`)).body.approval, { allowed: true });
    const ok = await move(agents.reviewer2, a.id, 'approved');
    assert.equal(ok.status, 200);
    assert.equal(ok.body.status, 'approved');
    assert.equal(ok.body.approvedRevisionId, ok.body.currentRevisionId);
    assert.equal(ok.body.approvedById, users.reviewer2);
    assert.equal(ok.body.approvedByName, 'Rex');
    const pinned = ok.body.approvedRevisionId as number;
    const approvedText = ['The city will crack down on illegal fishing.', 'Boats were impounded.'];
    assert.deepEqual((await t.db.revision.findUniqueOrThrow({ where: { id: pinned } })).paragraphs, approvedText);

    // A save after approval goes back to in_edit; the approved revision stays pinned for export.
    const edited = await save(agents.editor, a.id, 1, 'Three boats were impounded.');
    assert.equal(edited.status, 'in_edit');
    assert.equal(edited.approvedRevisionId, pinned);
    assert.notEqual(edited.currentRevisionId, pinned);
    const art = await t.db.article.findUniqueOrThrow({ where: { id: a.id }, include: { approvedRevision: true } });
    assert.equal(art.approvedRevisionId, pinned);
    assert.equal(art.approvedById, users.reviewer2);
    // What export takes: the pinned revision's text, not the newer edit.
    assert.deepEqual(art.approvedRevision!.paragraphs, approvedText);
    const sc = await t.db.statusChange.findFirstOrThrow({ where: { articleId: a.id }, orderBy: { id: 'desc' } });
    assert.deepEqual([sc.fromStatus, sc.toStatus, sc.actorId], ['approved', 'in_edit', users.editor]);
    assert.match(sc.note!, /approved revision stays pinned/);

    // Rita's edit came before the last approval, so she may approve the new round; the pin moves.
    assert.equal((await move(agents.editor, a.id, 'in_review')).status, 200);
    const again = await move(agents.reviewer, a.id, 'approved');
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.notEqual(again.body.approvedRevisionId, pinned);
    assert.equal(again.body.approvedRevisionId, again.body.currentRevisionId);
  });

  test('restores count as authorship for four-eyes; the admin is not exempt', async () => {
    const a = await makeArticle(t.db, { paragraphs: ['One two three.'] });
    await save(agents.editor, a.id, 0, 'One two four.');
    const rev1 = a.revisionId;
    const cur = await agents.admin.get(`/api/articles/${a.id}`);
    const restored = await agents.admin.post(`/api/articles/${a.id}/restore`).send({ revisionId: rev1, version: cur.body.version });
    assert.equal(restored.status, 200);
    assert.equal((await move(agents.editor, a.id, 'in_review')).status, 200);
    const refused = await move(agents.admin, a.id, 'approved');
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'four_eyes');
  });

  test('exported articles edited go back to in_edit with the pin kept', async () => {
    const a = await makeArticle(t.db, { status: 'exported', approvedById: users.reviewer });
    const edited = await save(agents.editor, a.id, 0, 'Changed after export.');
    assert.equal(edited.status, 'in_edit');
    assert.equal(edited.approvedRevisionId, a.revisionId);
  });
});

describe('four-eyes switched off', () => {
  let t2: TestContext;
  before(async () => {
    t2 = await createTestContext({ COPYDESK_FOUR_EYES: 'false' });
    await t2.makeUser('rita', 'reviewer');
  });
  after(() => t2.drop());

  test('with COPYDESK_FOUR_EYES=false a reviewer may approve their own edit', async () => {
    const rita = await t2.loginAs('rita');
    const a = await makeArticle(t2.db, { paragraphs: ['Some text.'] });
    const saved = await rita.put(`/api/articles/${a.id}`).send({ version: 1, paragraphs: [{ index: 0, text: 'Some better text.' }] });
    assert.equal(saved.status, 200);
    assert.equal((await rita.post(`/api/articles/${a.id}/transitions`).send({ to: 'in_review', version: 2 })).status, 200);
    assert.deepEqual((await rita.get(`/api/articles/${a.id}`)).body.approval, { allowed: true });
    const ok = await rita.post(`/api/articles/${a.id}/transitions`).send({ to: 'approved', version: 3 });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.status, 'approved');
  });
});

describe('QA blocking approval (COPYDESK_QA_BLOCKS_APPROVAL)', () => {
  test('with the setting on, the real QA checks refuse approval of an article with error findings and let a clean one through', async () => {
    const tq = await createTestContext({ COPYDESK_QA_BLOCKS_APPROVAL: 'true' });
    try {
      await tq.makeUser('rita', 'reviewer');
      const rita = await tq.loginAs('rita');
      // Leftover source script is an error finding.
      const bad = await makeArticle(tq.db, { status: 'in_review', paragraphs: ['The city will 严厉打击 illegal fishing.'] });
      const res = await rita.post(`/api/articles/${bad.id}/transitions`).send({ to: 'approved', version: 1 });
      assert.equal(res.status, 409);
      assert.equal(res.body.error.code, 'qa_failed');
      assert.ok(Array.isArray(res.body.error.details.issues) && res.body.error.details.issues.length > 0);
      assert.equal((await tq.db.article.findUniqueOrThrow({ where: { id: bad.id } })).status, 'in_review');
      // Other transitions are not affected.
      assert.equal((await rita.post(`/api/articles/${bad.id}/transitions`).send({ to: 'changes_requested', note: 'Translate the rest.', version: 1 })).status, 200);
      const clean = await makeArticle(tq.db, { status: 'in_review', paragraphs: ['The city will crack down on illegal fishing this spring.'] });
      const ok = await rita.post(`/api/articles/${clean.id}/transitions`).send({ to: 'approved', version: 1 });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.status, 'approved');
    } finally {
      await tq.drop();
    }
  });

  test('the ApprovalQaCheck hook blocks approval with its issues (409 qa_failed) and lets a clean article through', async () => {
    const a = await makeArticle(t.db, { status: 'in_review' });
    const actor: UserActor = { id: users.reviewer, username: 'rita', displayName: 'Rita', role: 'reviewer', ip: null };
    let issues: Awaited<ReturnType<ApprovalQaCheck>> = [{ paragraphIndex: 0, message: 'Forbidden term "strike hard".' }];
    const qaCheck: ApprovalQaCheck = async (_db, articleId) => (articleId === a.id ? issues : []);
    const opts = { fourEyes: true, qaBlocksApproval: true, qaCheck };
    await assert.rejects(transitionArticle(t.db, a.id, { to: 'approved', note: null, version: 1 }, actor, opts), (err: { status: number; code: string; details: { issues: unknown } }) => {
      assert.equal(err.status, 409);
      assert.equal(err.code, 'qa_failed');
      assert.deepEqual(err.details.issues, issues);
      return true;
    });
    assert.equal((await t.db.article.findUniqueOrThrow({ where: { id: a.id } })).status, 'in_review');
    issues = [];
    const ok = await transitionArticle(t.db, a.id, { to: 'approved', note: null, version: 1 }, actor, opts);
    assert.equal(ok.status, 'approved');
  });
});

describe('status changes and the dashboard summary', () => {
  test('GET /api/status-changes lists an article\'s workflow history with actor names, and recent activity newest first', async () => {
    const a = await makeArticle(t.db, { paragraphs: ['Text.'] });
    await save(agents.editor, a.id, 0, 'Text!');
    await move(agents.editor, a.id, 'in_review');
    await move(agents.reviewer, a.id, 'changes_requested', 'Say more.');
    const res = await agents.auditor.get('/api/status-changes').query({ filter: JSON.stringify({ articleId: a.id }), sort: JSON.stringify(['id', 'ASC']) });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-range'], 'status-changes 0-3/4');
    assert.deepEqual(
      res.body.map((r: { fromStatus: string | null; toStatus: string; actorName: string | null; note: string | null }) => [r.fromStatus, r.toStatus, r.actorName, r.note]),
      [
        [null, 'mt_draft', null, null],
        ['mt_draft', 'in_edit', 'Edna', null],
        ['in_edit', 'in_review', 'Edna', null],
        ['in_review', 'changes_requested', 'Rita', 'Say more.'],
      ],
    );
    assert.deepEqual(Object.keys(res.body[0]).sort(), ['actorId', 'actorName', 'articleId', 'createdAt', 'fromStatus', 'id', 'note', 'revisionId', 'toStatus']);
    const recent = await agents.editor.get('/api/status-changes').query({ range: '[0,0]' });
    assert.equal(recent.body[0].toStatus, 'changes_requested');
    assert.equal(recent.body[0].articleId, a.id);
    const bad = await agents.editor.get('/api/status-changes').query({ filter: JSON.stringify({ article: a.id }) });
    assert.equal(bad.status, 400);
  });

  test('GET /api/stats/summary counts by status, my queue, awaiting review and this week\'s edits', async () => {
    const tc = await createTestContext();
    try {
      const me = await tc.makeUser('edna', 'editor');
      const agent = await tc.loginAs('edna');
      const a = await makeArticle(tc.db, { paragraphs: ['Our city will strike hard against illegal fishing'], assigneeId: me });
      await makeArticle(tc.db, { status: 'in_review', assigneeId: me });
      await makeArticle(tc.db, { status: 'in_review' });
      await makeArticle(tc.db, { status: 'approved', assigneeId: me });
      const empty = await agent.get('/api/stats/summary');
      assert.equal(empty.body.avgEditRateThisWeek, null);
      assert.equal(empty.body.revisionsThisWeek, 0);
      assert.equal((await agent.put(`/api/articles/${a.id}`).send({ version: 1, paragraphs: [{ index: 0, text: 'The city will crack down on illegal fishing' }] })).status, 200);
      assert.equal((await agent.put(`/api/articles/${a.id}`).send({ version: 2, paragraphs: [{ index: 0, text: 'Our city will strike hard against illegal fishing' }] })).status, 200);
      const res = await agent.get('/api/stats/summary');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, {
        countsByStatus: { mt_draft: 0, in_edit: 1, in_review: 2, changes_requested: 0, approved: 1, exported: 0, archived: 0 },
        myQueue: 2,
        awaitingReview: 2,
        avgEditRateThisWeek: 0.25, // (0.5 + 0) / 2
        revisionsThisWeek: 2,
      });
    } finally {
      await tc.drop();
    }
  });
});
