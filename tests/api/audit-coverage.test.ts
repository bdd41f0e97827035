// Every state-changing route writes exactly one audit event, named by its
// route spec. The routes come from the app's own route table, so a new route
// cannot slip past: it must declare its `audit` action, and it must get a
// fixture below that calls it successfully.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import request from 'supertest';
import type { RouteSpec } from '../../server/http/routes';
import { createTestContext, TEST_PASSWORD, type TestContext } from '../helpers/app';
import { makeArticle } from '../helpers/factories';

type Agent = ReturnType<typeof request.agent>;
type Call = () => Promise<request.Response>;

let t: TestContext;
let admin: Agent;
let editor: Agent;
let reviewer: Agent;
let seq = 0;
const unique = (prefix: string) => `${prefix}${++seq}`;

/** A user made for one fixture, so fixtures do not depend on each other. */
async function freshUser(role: 'editor' | 'reviewer' | 'auditor' | 'admin'): Promise<{ id: number; username: string }> {
  const username = unique(`cov-${role}-`);
  return { id: await t.makeUser(username, role), username };
}

/**
 * Per route ("METHOD /path" as in the route table): prepares what the call
 * needs (which may write audit events of its own) and returns the call, which
 * must succeed and write exactly one event with the route's audit action.
 */
const FIXTURES: Record<string, () => Promise<Call>> = {
  'POST /api/auth/login': async () => {
    const u = await freshUser('editor');
    return () => request.agent(t.app).post('/api/auth/login').send({ username: u.username, password: TEST_PASSWORD });
  },
  'POST /api/auth/logout': async () => {
    const u = await freshUser('editor');
    const agent = await t.loginAs(u.username);
    return () => agent.post('/api/auth/logout').send({});
  },
  'POST /api/users': async () => () => admin.post('/api/users').send({ username: unique('cov-new-'), role: 'editor', password: 'a long enough password' }),
  'PUT /api/users/:id': async () => {
    const u = await freshUser('editor');
    return () => admin.put(`/api/users/${u.id}`).send({ displayName: 'Renamed', role: 'reviewer' });
  },
  'DELETE /api/users/:id': async () => {
    const u = await freshUser('editor');
    return () => admin.delete(`/api/users/${u.id}`).set('X-Requested-With', 'XMLHttpRequest');
  },
  'PUT /api/articles/:id': async () => {
    const a = await makeArticle(t.db, { title: unique('Coverage save '), paragraphs: ['The mayor opened the bridge.'] });
    return () => editor.put(`/api/articles/${a.id}`).send({ paragraphs: [{ index: 0, text: 'The mayor opened the new bridge.' }], version: a.version });
  },
  'POST /api/articles/:id/transitions': async () => {
    const a = await makeArticle(t.db, { title: unique('Coverage transition '), status: 'in_edit' });
    return () => editor.post(`/api/articles/${a.id}/transitions`).send({ to: 'in_review', note: 'done', version: a.version });
  },
  'POST /api/articles/:id/confirmations': async () => {
    const a = await makeArticle(t.db, { title: unique('Coverage confirm '), paragraphs: ['The mayor opened the bridge.'] });
    return () => editor.post(`/api/articles/${a.id}/confirmations`).send({ paragraphIndex: 0, confirmed: true, text: 'The mayor opened the bridge.' });
  },
  'POST /api/articles/:id/restore': async () => {
    const a = await makeArticle(t.db, { title: unique('Coverage restore '), paragraphs: ['The port closed early.'] });
    const saved = await editor.put(`/api/articles/${a.id}`).send({ paragraphs: [{ index: 0, text: 'The port shut early.' }], version: a.version });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    return () => editor.post(`/api/articles/${a.id}/restore`).send({ revisionId: a.revisionId, version: saved.body.version });
  },
  'POST /api/articles/:id/review': async () => {
    const a = await makeArticle(t.db, { title: unique('Coverage review '), paragraphs: ['The fair opens on Friday.'] });
    const saved = await editor.put(`/api/articles/${a.id}`).send({ paragraphs: [{ index: 0, text: 'The fair opens on Saturday.' }], version: a.version });
    const sub = await editor.post(`/api/articles/${a.id}/transitions`).send({ to: 'in_review', version: saved.body.version });
    assert.equal(sub.status, 200, JSON.stringify(sub.body));
    const view = await reviewer.get(`/api/articles/${a.id}/review?since=approved`);
    const decisions = view.body.paragraphs[0].changes.map((c: { id: string }) => ({ changeId: c.id, decision: 'reject', note: 'Friday, per the source.' }));
    return () => reviewer.post(`/api/articles/${a.id}/review`).send({ since: 'approved', version: view.body.version, decisions });
  },
  'POST /api/comments': async () => {
    const a = await makeArticle(t.db, { title: unique('Coverage comment ') });
    return () => editor.post('/api/comments').send({ articleId: a.id, paragraphIndex: 0, body: 'Check this name.' });
  },
  'PUT /api/comments/:id': async () => {
    const a = await makeArticle(t.db, { title: unique('Coverage resolve ') });
    const c = await editor.post('/api/comments').send({ articleId: a.id, body: 'Is the date right?' });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    return () => reviewer.put(`/api/comments/${c.body.id}`).send({ resolved: true });
  },
  'POST /api/glossary/import': async () => () => reviewer.post('/api/glossary/import').send({ csv: `term,preferred\n${unique('cov-term-')},preferred term\n`, mode: 'merge' }),
  'POST /api/glossary': async () => () => reviewer.post('/api/glossary').send({ term: unique('cov-gl-'), preferred: 'the preferred' }),
  'PUT /api/glossary/:id': async () => {
    const g = await reviewer.post('/api/glossary').send({ term: unique('cov-gl-'), preferred: 'before' });
    assert.equal(g.status, 201, JSON.stringify(g.body));
    return () => reviewer.put(`/api/glossary/${g.body.id}`).send({ ...g.body, preferred: 'after' });
  },
  'DELETE /api/glossary/:id': async () => {
    const g = await reviewer.post('/api/glossary').send({ term: unique('cov-gl-'), preferred: 'doomed' });
    assert.equal(g.status, 201, JSON.stringify(g.body));
    return () => reviewer.delete(`/api/glossary/${g.body.id}`).set('X-Requested-With', 'XMLHttpRequest');
  },
  'POST /api/bulk-replace/apply': async () => {
    const word = unique('Zorblax');
    const a = await makeArticle(t.db, { title: unique('Coverage bulk '), paragraphs: [`The ${word} festival starts today.`] });
    return () => reviewer.post('/api/bulk-replace/apply').send({ find: word, replace: 'Harvest', articles: [{ id: a.id, version: a.version }] });
  },
};

/**
 * Non-GET routes that write no audit event: POSTs that only read (their input
 * is too large or too sensitive for a query string) and presence heartbeats.
 */
const READ_ONLY: Record<string, { why: string; fixture: () => Promise<Call> }> = {
  'POST /api/bulk-replace/preview': {
    why: 'the pattern travels in the body; it changes nothing',
    fixture: async () => () => reviewer.post('/api/bulk-replace/preview').send({ find: 'the', replace: 'a' }),
  },
  'POST /api/articles/:id/presence': {
    why: 'a presence heartbeat every 20 s per open tab; advisory, not a change to any record (docs/audit-log.md)',
    fixture: async () => {
      const a = await makeArticle(t.db, { title: unique('Coverage presence ') });
      return () => editor.post(`/api/articles/${a.id}/presence`).send({ editing: true });
    },
  },
  'DELETE /api/articles/:id/presence': {
    why: 'the end of a presence heartbeat (the editor closed the article)',
    fixture: async () => {
      const a = await makeArticle(t.db, { title: unique('Coverage leave ') });
      return () => editor.delete(`/api/articles/${a.id}/presence`).set('X-Requested-With', 'XMLHttpRequest');
    },
  },
};

const key = (r: RouteSpec) => `${r.method.toUpperCase()} ${r.path}`;

before(async () => {
  t = await createTestContext();
  await t.makeUser('cov-admin', 'admin');
  await t.makeUser('cov-editor', 'editor');
  await t.makeUser('cov-reviewer', 'reviewer');
  admin = await t.loginAs('cov-admin');
  editor = await t.loginAs('cov-editor');
  reviewer = await t.loginAs('cov-reviewer');
});
after(() => t.drop());

test('every state-changing route declares the audit action it records', () => {
  const writes = t.app.locals.routeTable.filter((r) => r.method !== 'get');
  assert.ok(writes.length >= 5, 'the route table lists the write routes');
  const undeclared = writes.filter((r) => !r.audit && !(key(r) in READ_ONLY)).map(key);
  assert.deepEqual(undeclared, [], `these routes change state but declare no audit action: ${undeclared.join(', ')}`);
  const auditedReadOnly = writes.filter((r) => r.audit && key(r) in READ_ONLY).map(key);
  assert.deepEqual(auditedReadOnly, [], 'a route listed as read-only declares an audit action; take it off READ_ONLY');
});

test('every state-changing route has a fixture in this test', () => {
  const missing = t.app.locals.routeTable.filter((r) => r.method !== 'get' && !(key(r) in FIXTURES) && !(key(r) in READ_ONLY)).map(key);
  assert.deepEqual(missing, [], `write a fixture in tests/api/audit-coverage.test.ts for: ${missing.join(', ')}`);
});

test('each audited route, called successfully, writes exactly one audit event with its action', async () => {
  const problems: string[] = [];
  let ran = 0;
  for (const route of t.app.locals.routeTable) {
    const k = key(route);
    const fixture = FIXTURES[k];
    if (route.method === 'get' || !route.audit || !fixture) continue;
    ran++;
    const call = await fixture();
    const before = await t.db.auditEvent.aggregate({ _max: { id: true } });
    const res = await call();
    if (res.status >= 300) {
      problems.push(`${k}: the fixture's call failed with ${res.status} ${JSON.stringify(res.body)}`);
      continue;
    }
    const events = await t.db.auditEvent.findMany({ where: { id: { gt: before._max.id ?? 0n } }, orderBy: { id: 'asc' } });
    const actions = events.map((e) => e.action);
    if (actions.length !== 1 || actions[0] !== route.audit) problems.push(`${k}: expected exactly one "${route.audit}" event, got [${actions.join(', ')}]`);
    const stray = actions.filter((a) => a !== route.audit && !(route.auditVariants ?? []).includes(a));
    if (stray.length) problems.push(`${k}: wrote actions it does not declare: ${stray.join(', ')}`);
  }
  assert.deepEqual(problems, []);
  assert.equal(ran, t.app.locals.routeTable.filter((r) => r.method !== 'get' && r.audit).length, 'every audited route was called');
});

test('read-only POST routes write no audit event', async () => {
  for (const [k, { fixture }] of Object.entries(READ_ONLY)) {
    if (!t.app.locals.routeTable.some((r) => key(r) === k)) continue;
    const call = await fixture();
    const before = await t.db.auditEvent.count();
    const res = await call();
    assert.ok(res.status < 300, `${k}: ${res.status} ${JSON.stringify(res.body)}`);
    assert.equal(await t.db.auditEvent.count(), before, k);
  }
});

/** Requests that change several things at once still write exactly one event, of a declared action. */
const COMBINED: Array<{ route: string; call: () => Promise<Call>; action: string }> = [
  {
    route: 'PUT /api/articles/:id',
    action: 'article.save',
    call: async () => {
      const a = await makeArticle(t.db, { title: unique('Coverage save and assign '), paragraphs: ['The ferry left late.'] });
      const me = await t.db.user.findUniqueOrThrow({ where: { username: 'cov-reviewer' } });
      return () => reviewer.put(`/api/articles/${a.id}`).send({ paragraphs: [{ index: 0, text: 'The ferry sailed late.' }], assigneeId: me.id, version: a.version });
    },
  },
  {
    route: 'PUT /api/comments/:id',
    action: 'comment.update',
    call: async () => {
      const a = await makeArticle(t.db, { title: unique('Coverage edit and resolve ') });
      const c = await editor.post('/api/comments').send({ articleId: a.id, body: 'Spelling of the name?' });
      assert.equal(c.status, 201, JSON.stringify(c.body));
      return () => editor.put(`/api/comments/${c.body.id}`).send({ body: 'Spelling of the mayor\'s name?', resolved: true });
    },
  },
  {
    route: 'PUT /api/users/:id',
    action: 'user.update',
    call: async () => {
      const u = await freshUser('editor');
      return () => admin.put(`/api/users/${u.id}`).send({ role: 'reviewer', disabled: true });
    },
  },
];

test('a request that changes several things writes one audit event of a declared action', async () => {
  for (const c of COMBINED) {
    const spec = t.app.locals.routeTable.find((r) => key(r) === c.route);
    assert.ok(spec, c.route);
    const call = await c.call();
    const before = await t.db.auditEvent.aggregate({ _max: { id: true } });
    const res = await call();
    assert.ok(res.status < 300, `${c.route}: ${res.status} ${JSON.stringify(res.body)}`);
    const events = await t.db.auditEvent.findMany({ where: { id: { gt: before._max.id ?? 0n } } });
    assert.deepEqual(events.map((e) => e.action), [c.action], c.route);
    assert.ok([spec.audit, ...(spec.auditVariants ?? [])].includes(c.action), `${c.route} declares ${c.action}`);
  }
});
