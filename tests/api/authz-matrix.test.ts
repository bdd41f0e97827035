import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { createTestContext, type TestContext } from '../helpers/app';
import { makeArticle } from '../helpers/factories';
import type { RouteSpec } from '../../server/http/routes';
import { ACTIONS, can, isAction } from '../../shared/permissions';
import { ROLES, type Role } from '../../shared/roles';

// The authorization matrix: every route × every caller gets the answer the
// hand-written table below says, and the route table's own access rules must
// agree with it. A route missing from the hand table, or one whose access rule
// was changed without the table, fails.

/**
 * Who may call each route, written out by hand from the product's rules
 * (docs/security.md): never derived from the permission module under test.
 * 'public' needs no login; 'authenticated' is any logged-in user.
 */
const ALLOWED: Readonly<Record<string, 'public' | 'authenticated' | readonly Role[]>> = {
  'GET /healthz': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'authenticated',
  'GET /api/auth/me': 'authenticated',
  'GET /api/users': ['auditor', 'admin'],
  'GET /api/users/:id': ['auditor', 'admin'],
  'POST /api/users': ['admin'],
  'PUT /api/users/:id': ['admin'],
  'DELETE /api/users/:id': ['admin'],
  'GET /api/audit-events': ['auditor', 'admin'],
  'GET /api/audit-events/verify': ['auditor', 'admin'],
  'GET /api/audit-events/vocabulary': ['auditor', 'admin'],
  'GET /api/audit-events/:id': ['auditor', 'admin'],
  'GET /api/articles/:id/export': ['editor', 'reviewer', 'auditor', 'admin'],
  'GET /api/articles/:id/qa': ['editor', 'reviewer', 'auditor', 'admin'],
  'GET /api/articles': ['editor', 'reviewer', 'auditor', 'admin'],
  'GET /api/articles/:id': ['editor', 'reviewer', 'auditor', 'admin'],
  'PUT /api/articles/:id': ['editor', 'reviewer', 'admin'],
  'POST /api/articles/:id/transitions': ['editor', 'reviewer', 'admin'],
  'POST /api/articles/:id/restore': ['editor', 'reviewer', 'admin'],
  'GET /api/articles/:id/compare': ['editor', 'reviewer', 'auditor', 'admin'],
  'GET /api/articles/:id/paragraphs/:index/tm': ['editor', 'reviewer', 'auditor', 'admin'],
  'GET /api/concordance': ['editor', 'reviewer', 'auditor', 'admin'],
  'POST /api/articles/:id/presence': ['editor', 'reviewer', 'admin'],
  'GET /api/articles/:id/presence': ['editor', 'reviewer', 'auditor', 'admin'],
  'GET /api/articles/:id/confirmations': ['editor', 'reviewer', 'auditor', 'admin'],
  'POST /api/articles/:id/confirmations': ['editor', 'reviewer', 'admin'],
  'GET /api/articles/:id/review': ['editor', 'reviewer', 'auditor', 'admin'],
  'POST /api/articles/:id/review': ['reviewer', 'admin'],
  'DELETE /api/articles/:id/presence': ['editor', 'reviewer', 'admin'],
  'GET /api/revisions': ['editor', 'reviewer', 'auditor', 'admin'],
  'GET /api/revisions/:id': ['editor', 'reviewer', 'auditor', 'admin'],
  'GET /api/status-changes': ['editor', 'reviewer', 'auditor', 'admin'],
  'GET /api/comments': ['editor', 'reviewer', 'auditor', 'admin'],
  'GET /api/comments/:id': ['editor', 'reviewer', 'auditor', 'admin'],
  'POST /api/comments': ['editor', 'reviewer', 'admin'],
  'PUT /api/comments/:id': ['editor', 'reviewer', 'admin'],
  'GET /api/assignees': ['editor', 'reviewer', 'auditor', 'admin'],
  'GET /api/assignees/:id': ['editor', 'reviewer', 'auditor', 'admin'],
  'GET /api/stats/summary': ['editor', 'reviewer', 'auditor', 'admin'],
  'GET /api/import-batches': ['auditor', 'admin'],
  'GET /api/import-batches/:id': ['auditor', 'admin'],
  'GET /api/export-batches': ['auditor', 'admin'],
  'GET /api/export-batches/:id': ['auditor', 'admin'],
  'GET /api/glossary': ['editor', 'reviewer', 'auditor', 'admin'],
  'GET /api/glossary/export.csv': ['editor', 'reviewer', 'auditor', 'admin'],
  'POST /api/glossary/import': ['reviewer', 'admin'],
  'GET /api/glossary/:id': ['editor', 'reviewer', 'auditor', 'admin'],
  'POST /api/glossary': ['reviewer', 'admin'],
  'PUT /api/glossary/:id': ['reviewer', 'admin'],
  'DELETE /api/glossary/:id': ['reviewer', 'admin'],
  'GET /api/analytics/summary': ['editor', 'reviewer', 'auditor', 'admin'],
  'GET /api/analytics/corrections': ['editor', 'reviewer', 'auditor', 'admin'],
  'POST /api/bulk-replace/preview': ['reviewer', 'admin'],
  'POST /api/bulk-replace/apply': ['reviewer', 'admin'],
};

type Caller = 'anonymous' | Role;
const CALLERS: readonly Caller[] = ['anonymous', ...ROLES];
const WRITES = new Set(['post', 'put', 'patch', 'delete']);
/** POST routes that compute without changing anything, so they record no audit event. */
/** Non-GET routes that write no audit event: a read-only POST and the presence heartbeat (see docs/audit-log.md). */
const READ_ONLY_POSTS = new Set(['/api/bulk-replace/preview', '/api/articles/:id/presence']);

let t: TestContext;
let agents: Record<Caller, request.Agent | ReturnType<typeof request>>;
/** Real ids per resource segment, so allowed callers reach the handler rather than a 404 where possible. */
const ids: Record<string, number | bigint> = {};

before(async () => {
  t = await createTestContext();
  const userIds: Record<Role, number> = {} as Record<Role, number>;
  for (const role of ROLES) userIds[role] = await t.makeUser(`${role}1`, role);
  // A separate user for the user-management routes, so disabling it locks nobody out.
  ids.users = await t.makeUser('target', 'editor');
  ids.assignees = userIds.editor;
  const article = await makeArticle(t.db, { title: 'Matrix article', paragraphs: ['First paragraph.', 'Second paragraph.'] });
  ids.articles = article.id;
  ids.revisions = article.revisionId;
  ids.comments = (await t.db.comment.create({ data: { articleId: article.id, body: 'A seeded comment.', authorId: userIds.editor } })).id;
  agents = { anonymous: request(t.app) } as typeof agents;
  for (const role of ROLES) agents[role] = await t.loginAs(`${role}1`);
  // The login above wrote audit events, so the audit log has a row to read.
  ids['audit-events'] = (await t.db.auditEvent.findFirstOrThrow({ orderBy: { id: 'asc' } })).id;
  // No batches exist: a nonexistent id, where 404 is an acceptable answer for an allowed caller.
  ids['import-batches'] = 999_999;
  ids['export-batches'] = 999_999;
  ids.glossary = (await t.db.glossaryEntry.create({ data: { term: 'matrix term', preferred: 'matrix term' } })).id;
});

after(() => t.drop());

function table(): RouteSpec[] {
  return t.app.locals.routeTable;
}

/** /api/articles/:id/compare → /api/articles/7/compare, using the id of the segment before `:id`. */
function concretePath(spec: RouteSpec): string {
  const parts = spec.path.split('/');
  return parts
    .map((part, i) => {
      if (!part.startsWith(':')) return part;
      const resource = parts[i - 1];
      // A resource added later without a seeded row gets a nonexistent id: allowed callers then see 404, still not 401/403.
      return String(ids[resource] ?? 999_999);
    })
    .join('/');
}

const keyOf = (spec: RouteSpec) => `${spec.method.toUpperCase()} ${spec.path}`;

/** What the hand-written table says a caller gets from the guard. */
function expected(spec: RouteSpec, caller: Caller): 'pass' | 401 | 403 {
  const allowed = ALLOWED[keyOf(spec)];
  assert.ok(allowed !== undefined, `${keyOf(spec)} is missing from the hand-written ALLOWED table`);
  if (allowed === 'public') return 'pass';
  if (caller === 'anonymous') return 401;
  if (allowed === 'authenticated') return 'pass';
  return allowed.includes(caller) ? 'pass' : 403;
}

async function send(spec: RouteSpec, caller: Caller) {
  const agent = agents[caller];
  const url = concretePath(spec);
  // A logout ends the session the rest of the matrix needs: log out a second session of the same user instead.
  if (spec.path === '/api/auth/logout') return (caller === 'anonymous' ? agent : await t.loginAs(`${caller}1`)).post(url).send({});
  // Any login attempt ends the caller's current session, so it goes out without the agent's cookie.
  if (spec.path === '/api/auth/login') return request(t.app).post(url).send({ username: 'nobody', password: 'wrong password' });
  if (spec.method === 'get') return agent.get(url);
  // Minimal bodies: enough to pass the CSRF check, never enough to change anything valuable.
  return agent[spec.method](url).send({});
}

describe('route table', () => {
  test('the hand-written table lists exactly the mounted routes, and each route access admits exactly its roles', () => {
    const mounted = table().map(keyOf).sort();
    assert.deepEqual(mounted, Object.keys(ALLOWED).sort(), 'routes mounted but not in ALLOWED, or listed but not mounted');
    for (const spec of table()) {
      const allowed = ALLOWED[keyOf(spec)];
      const declared = spec.access === 'public' || spec.access === 'authenticated' ? spec.access : ROLES.filter((r) => can(r, spec.access as Parameters<typeof can>[1]));
      assert.deepEqual(declared, allowed, `${keyOf(spec)}: the route's access "${spec.access}" admits ${JSON.stringify(declared)}, the table says ${JSON.stringify(allowed)}`);
    }
  });

  test('every route declares a known access rule; every action in the table is in ACTIONS', () => {
    assert.ok(table().length >= 20, `only ${table().length} routes in the table`);
    for (const spec of table()) {
      assert.ok(spec.access !== undefined, `${spec.method} ${spec.path} has no access rule`);
      assert.ok(spec.access === 'public' || spec.access === 'authenticated' || isAction(spec.access), `${spec.method.toUpperCase()} ${spec.path}: unknown access "${String(spec.access)}"`);
    }
    // Only the login and health routes may be public.
    assert.deepEqual(table().filter((s) => s.access === 'public').map((s) => `${s.method} ${s.path}`).sort(), ['get /healthz', 'post /api/auth/login']);
  });

  test('every state-changing route names the audit action it records', () => {
    const missing = table().filter((s) => WRITES.has(s.method) && !s.audit && !READ_ONLY_POSTS.has(s.path)).map((s) => `${s.method.toUpperCase()} ${s.path}`);
    assert.deepEqual(missing, []);
  });

  test('the auditor holds only read permissions, and no write route is open to it', () => {
    const auditorWrites = ACTIONS.filter((a) => can('auditor', a) && !a.endsWith('.read'));
    assert.deepEqual(auditorWrites, []);
    const open = table().filter((s) => WRITES.has(s.method) && s.access !== 'public' && s.access !== 'authenticated' && can('auditor', s.access));
    assert.deepEqual(open.map((s) => s.path), []);
  });

  test('the express router serves no route that is missing from the table', async () => {
    // Every mounted /api path that the table does not list must fall through to the JSON no_route 404.
    const admin = agents.admin;
    for (const [method, url] of [
      ['delete', `/api/articles/${ids.articles}`],
      ['delete', `/api/revisions/${ids.revisions}`],
      ['put', `/api/revisions/${ids.revisions}`],
      ['delete', `/api/audit-events/${ids['audit-events']}`],
      ['put', `/api/audit-events/${ids['audit-events']}`],
      ['post', '/api/audit-events'],
      ['post', '/api/articles'],
      ['delete', `/api/comments/${ids.comments}`],
    ] as const) {
      const res = await admin[method](url).send({});
      assert.equal(res.status, 404, `${method.toUpperCase()} ${url} → ${res.status}`);
      assert.equal(res.body.error.code, 'no_route');
    }
  });
});

describe('authorization matrix: every route × anonymous, editor, reviewer, auditor, admin', () => {
  test('each answer matches the permission matrix', async () => {
    const failures: string[] = [];
    let cells = 0;
    let denials = 0;
    const deniedBefore = await t.db.auditEvent.count({ where: { action: 'permission.denied' } });
    // Reads first, then writes, and user deletion last: a disabled target must not affect other cells.
    const ordered = [...table()].sort((a, b) => Number(WRITES.has(a.method)) - Number(WRITES.has(b.method)) || Number(a.method === 'delete') - Number(b.method === 'delete'));
    for (const spec of ordered) {
      for (const caller of CALLERS) {
        const want = expected(spec, caller);
        const res = await send(spec, caller);
        cells++;
        const label = `${spec.method.toUpperCase()} ${spec.path} as ${caller} (access ${spec.access}): got ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`;
        if (want === 401) {
          if (res.status !== 401 || res.body.error?.code !== 'unauthorized') failures.push(`${label}; expected 401`);
        } else if (want === 403) {
          if (res.status !== 403 || res.body.error?.code !== 'forbidden' || !String(res.body.error.message).includes(`"${spec.access}"`)) failures.push(`${label}; expected 403 naming the permission`);
          if (WRITES.has(spec.method)) denials++;
        } else if (spec.path === '/api/auth/login') {
          // The handler's own answer to wrong credentials, distinct from the guard's "not logged in".
          if (res.status !== 401 || res.body.error?.code !== 'invalid_credentials') failures.push(`${label}; expected 401 invalid_credentials`);
        } else if (res.status === 401 || res.status === 403 || res.status >= 500) {
          failures.push(`${label}; expected the handler's answer (not 401/403/5xx)`);
        }
      }
    }
    assert.deepEqual(failures, []);
    assert.equal(cells, table().length * CALLERS.length);
    // Every refused write by a logged-in user left exactly one permission.denied audit event.
    const deniedAfter = await t.db.auditEvent.count({ where: { action: 'permission.denied' } });
    assert.equal(deniedAfter - deniedBefore, denials);
    assert.ok(denials > 0);
  });

  test('a disabled user’s session stops working at once', async () => {
    const victimId = await t.makeUser('shortlived', 'reviewer');
    const agent = await t.loginAs('shortlived');
    assert.equal((await agent.get('/api/articles')).status, 200);
    const res = await agents.admin.delete(`/api/users/${victimId}`).send({});
    assert.ok(res.status === 200 || res.status === 204, `disable → ${res.status} ${JSON.stringify(res.body)}`);
    assert.equal((await agent.get('/api/articles')).status, 401);
    assert.equal((await agent.put(`/api/articles/${ids.articles}`).send({ version: 1, title: 'hijacked' })).status, 401);
  });

  test('no answer to any role contains a password hash', async () => {
    for (const caller of ROLES) {
      for (const url of ['/api/users', `/api/users/${ids.users}`, '/api/auth/me', '/api/assignees', '/api/audit-events?range=[0,999]']) {
        const res = await agents[caller].get(url);
        assert.ok(!/passwordHash|\$argon2/i.test(res.text), `${url} as ${caller} leaks a password hash`);
      }
    }
  });
});
