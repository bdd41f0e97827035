// /api/users: who may read and change accounts, the last-admin rule, input
// checks, and the effects a user notices (sessions ended, nothing leaked).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { createTestContext, TEST_PASSWORD, type TestContext } from '../helpers/app';

type Agent = ReturnType<typeof request.agent>;

let t: TestContext;
let rootId: number;
let editorId: number;
const agents: Record<string, Agent> = {};

before(async () => {
  t = await createTestContext();
  rootId = await t.makeUser('root', 'admin');
  editorId = await t.makeUser('eddie', 'editor');
  await t.makeUser('rita', 'reviewer');
  await t.makeUser('audrey', 'auditor');
  for (const u of ['root', 'eddie', 'rita', 'audrey']) agents[u] = await t.loginAs(u);
});
after(() => t.drop());

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await t.query<{ n: number }>(`select count(*)::int as n from (${sql}) x`, params);
  return rows[0].n;
}

describe('the last active admin', () => {
  test('cannot be demoted, disabled or deleted (409 last_admin) and stays an active admin', async () => {
    const attempts = [
      agents.root.put(`/api/users/${rootId}`).send({ role: 'editor' }),
      agents.root.put(`/api/users/${rootId}`).send({ disabled: true }),
      agents.root.delete(`/api/users/${rootId}`).set('X-Requested-With', 'XMLHttpRequest'),
    ];
    for (const a of attempts) {
      const res = await a;
      assert.equal(res.status, 409);
      assert.equal(res.body.error.code, 'last_admin');
      assert.equal(res.body.error.message, 'This is the last active admin; make another user admin first.');
    }
    const { rows } = await t.query<{ role: string; disabled: boolean }>(`select role, disabled from users where id = $1`, [rootId]);
    assert.deepEqual(rows[0], { role: 'admin', disabled: false });
    assert.equal(await count(`select 1 from audit_events where action like 'user.%' and "entityId" = $1`, [String(rootId)]), 0);
  });

  test('a disabled admin does not count: with only a disabled second admin, the rule still holds', async () => {
    await t.makeUser('sleepy', 'admin', { disabled: true });
    const res = await agents.root.put(`/api/users/${rootId}`).send({ role: 'auditor' });
    assert.equal(res.status, 409);
  });
});

describe('role checks', () => {
  test('editors and reviewers get 403 on every /api/users route; anonymous callers get 401', async () => {
    for (const who of ['eddie', 'rita']) {
      const a = agents[who];
      const responses = await Promise.all([
        a.get('/api/users'),
        a.get(`/api/users/${rootId}`),
        a.post('/api/users').send({ username: 'mallory', role: 'admin', password: 'long enough pw' }),
        a.put(`/api/users/${editorId}`).send({ role: 'admin' }),
        a.delete(`/api/users/${rootId}`).set('X-Requested-With', 'XMLHttpRequest'),
      ]);
      for (const [i, r] of responses.entries()) {
        assert.equal(r.status, 403, `${who}, request ${i}`);
        assert.equal(r.body.error.code, 'forbidden');
      }
      assert.match(responses[0].body.error.message, new RegExp(`Your role \\(${who === 'eddie' ? 'editor' : 'reviewer'}\\) does not allow this: it needs the "user.read" permission\\.`));
    }
    const anon = await request(t.app).get('/api/users');
    assert.equal(anon.status, 401);
    assert.equal(await count(`select 1 from users where username = 'mallory'`), 0);
    const { rows } = await t.query<{ role: string }>(`select role from users where id = $1`, [editorId]);
    assert.equal(rows[0].role, 'editor');
  });

  test('auditors can list and read users but not create, change or disable them; refused writes are audited', async () => {
    const a = agents.audrey;
    const list = await a.get('/api/users');
    assert.equal(list.status, 200);
    assert.ok(list.body.some((u: { username: string }) => u.username === 'root'));
    assert.equal((await a.get(`/api/users/${editorId}`)).status, 200);

    const before = await count(`select 1 from audit_events where action = 'permission.denied' and "actorName" = 'audrey'`);
    const writes = await Promise.all([
      a.post('/api/users').send({ username: 'mallory', role: 'admin', password: 'long enough pw' }),
      a.put(`/api/users/${editorId}`).send({ role: 'admin' }),
      a.delete(`/api/users/${editorId}`).set('X-Requested-With', 'XMLHttpRequest'),
    ]);
    for (const r of writes) {
      assert.equal(r.status, 403);
      assert.match(r.body.error.message, /needs the "user\.manage" permission/);
    }
    assert.equal(await count(`select 1 from audit_events where action = 'permission.denied' and "actorName" = 'audrey'`), before + 3);
    assert.equal(await count(`select 1 from users where username = 'mallory'`), 0);
    const { rows } = await t.query<{ role: string; disabled: boolean }>(`select role, disabled from users where id = $1`, [editorId]);
    assert.deepEqual(rows[0], { role: 'editor', disabled: false });
  });

  test('admins list with react-admin paging (Content-Range) and never see password hashes', async () => {
    const res = await agents.root.get('/api/users').query({ sort: JSON.stringify(['username', 'ASC']), range: JSON.stringify([0, 1]) });
    assert.equal(res.status, 200);
    const total = await count('select 1 from users');
    assert.equal(res.headers['content-range'], `users 0-1/${total}`);
    assert.deepEqual(
      res.body.map((u: { username: string }) => u.username),
      ['audrey', 'eddie'],
    );
    for (const u of res.body) assert.equal('passwordHash' in u, false);
    const one = await agents.root.get(`/api/users/${editorId}`);
    assert.deepEqual(Object.keys(one.body).sort(), ['createdAt', 'disabled', 'displayName', 'id', 'lastLoginAt', 'role', 'updatedAt', 'username']);

    const filtered = await agents.root.get('/api/users').query({ filter: JSON.stringify({ role: 'auditor' }) });
    assert.deepEqual(
      filtered.body.map((u: { username: string }) => u.username),
      ['audrey'],
    );
  });
});

describe('admins manage users', () => {
  test('create: 201 with the record, audited, and the new user can log in', async () => {
    const res = await agents.root.post('/api/users').send({ username: 'Nina', displayName: 'Nina N.', role: 'reviewer', password: 'nina password 1' });
    assert.equal(res.status, 201);
    assert.equal(res.body.username, 'nina');
    assert.equal(res.body.role, 'reviewer');
    assert.equal(res.body.disabled, false);
    assert.equal(await count(`select 1 from audit_events where action = 'user.create' and "actorName" = 'root' and "entityId" = $1`, [String(res.body.id)]), 1);
    const login = await request(t.app).post('/api/auth/login').send({ username: 'nina', password: 'nina password 1' });
    assert.equal(login.status, 200);
  });

  test('create refuses a taken username, an unknown role, a short password and a bad username, naming the field; nothing is written', async () => {
    const users = await count('select 1 from users');
    const events = await count('select 1 from audit_events');
    const cases: Array<[Record<string, unknown>, number, string, RegExp]> = [
      [{ username: 'EDDIE', role: 'editor', password: 'long enough pw' }, 409, 'username_taken', /^username: "eddie" is already taken\.$/],
      [{ username: 'zed', role: 'superuser', password: 'long enough pw' }, 400, 'validation_failed', /^role: must be one of: editor, reviewer, auditor, admin$/],
      [{ username: 'zed', role: 'editor', password: 'short' }, 400, 'validation_failed', /^password: must be at least 10 characters long$/],
      [{ username: 'no spaces', role: 'editor', password: 'long enough pw' }, 400, 'validation_failed', /^username: must be 2–64 characters/],
      [{ username: 'system', role: 'editor', password: 'long enough pw' }, 400, 'validation_failed', /^username: is reserved$/],
    ];
    for (const [body, status, code, message] of cases) {
      const res = await agents.root.post('/api/users').send(body);
      assert.equal(res.status, status, JSON.stringify(body));
      assert.equal(res.body.error.code, code);
      assert.match(res.body.error.message, message);
    }
    assert.equal(await count('select 1 from users'), users);
    assert.equal(await count('select 1 from audit_events'), events);
  });

  test('PUT with the whole record (as react-admin sends it) changes the role; a second admin makes demoting the first possible', async () => {
    const record = (await agents.root.get(`/api/users/${editorId}`)).body;
    const res = await agents.root.put(`/api/users/${editorId}`).send({ ...record, role: 'admin', password: '' });
    assert.equal(res.status, 200);
    assert.equal(res.body.role, 'admin');
    assert.equal(await count(`select 1 from audit_events where action = 'user.role_change' and "entityId" = $1`, [String(editorId)]), 1);
    const me = await agents.eddie.get('/api/auth/me');
    assert.equal(me.body.role, 'admin', 'the new role applies to the running session');

    const demote = await agents.eddie.put(`/api/users/${rootId}`).send({ role: 'auditor' });
    assert.equal(demote.status, 200);
    assert.equal(demote.body.role, 'auditor');
    const back = await agents.eddie.put(`/api/users/${rootId}`).send({ role: 'admin' });
    assert.equal(back.status, 200);
  });

  test('disabling a user (PUT disabled or DELETE) ends their sessions and blocks login; users are never deleted', async () => {
    const id = await t.makeUser('victor', 'editor');
    const victor = await t.loginAs('victor');
    assert.equal((await victor.get('/api/auth/me')).status, 200);
    const res = await agents.root.delete(`/api/users/${id}`).set('X-Requested-With', 'XMLHttpRequest');
    assert.equal(res.status, 200);
    assert.equal(res.body.disabled, true);
    assert.equal((await victor.get('/api/auth/me')).status, 401);
    assert.equal(await count(`select 1 from sessions where "userId" = $1`, [id]), 0);
    assert.equal(await count(`select 1 from users where id = $1`, [id]), 1);
    assert.equal((await request(t.app).post('/api/auth/login').send({ username: 'victor', password: TEST_PASSWORD })).status, 401);
    assert.equal(await count(`select 1 from audit_events where action = 'user.disable' and "entityId" = $1`, [String(id)]), 1);

    const enable = await agents.root.put(`/api/users/${id}`).send({ disabled: false });
    assert.equal(enable.body.disabled, false);
    assert.equal((await request(t.app).post('/api/auth/login').send({ username: 'victor', password: TEST_PASSWORD })).status, 200);
  });

  test('a password reset ends the sessions and only the new password works', async () => {
    const id = await t.makeUser('wendy', 'reviewer');
    const wendy = await t.loginAs('wendy');
    const res = await agents.root.put(`/api/users/${id}`).send({ password: 'a brand new password' });
    assert.equal(res.status, 200);
    assert.equal((await wendy.get('/api/auth/me')).status, 401);
    assert.equal((await request(t.app).post('/api/auth/login').send({ username: 'wendy', password: TEST_PASSWORD })).status, 401);
    assert.equal((await request(t.app).post('/api/auth/login').send({ username: 'wendy', password: 'a brand new password' })).status, 200);
    assert.equal(await count(`select 1 from audit_events where action = 'user.password_reset' and "entityId" = $1`, [String(id)]), 1);
  });

  test('an unknown user id is a 404, a non-numeric one a 400', async () => {
    assert.equal((await agents.root.get('/api/users/999999')).status, 404);
    assert.equal((await agents.root.put('/api/users/999999').send({ role: 'editor' })).status, 404);
    assert.equal((await agents.root.get('/api/users/abc')).status, 400);
  });
});
