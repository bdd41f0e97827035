import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { createTestContext, type TestContext } from '../helpers/app';
import { makeArticle } from '../helpers/factories';

type Agent = Awaited<ReturnType<TestContext['loginAs']>>;

let t: TestContext;
let admin: Agent;
let editor: Agent;
let articleId: number;

before(async () => {
  // A small body limit so the 413 case needs only a 20 KB body.
  t = await createTestContext({ COPYDESK_BODY_LIMIT_KB: '16' });
  await t.makeUser('root', 'admin');
  await t.makeUser('eve', 'editor');
  admin = await t.loginAs('root');
  editor = await t.loginAs('eve');
  articleId = (await makeArticle(t.db, { title: 'Council approves budget', paragraphs: ['The council approved the budget.', 'Critics objected.'] })).id;
});

after(() => t.drop());

/** Every GET route of the route table that answers a ra-data-simple-rest list (it sends Content-Range). */
async function listRoutes(): Promise<string[]> {
  const paths = t.app.locals.routeTable.filter((r) => r.method === 'get' && !r.path.includes(':')).map((r) => r.path);
  const lists: string[] = [];
  for (const p of paths) {
    const res = await admin.get(p);
    if (res.headers['content-range']) lists.push(p);
  }
  return lists;
}

describe('security headers', () => {
  test('API and health answers carry CSP with frame-ancestors none, nosniff, X-Frame-Options and Referrer-Policy', async () => {
    for (const res of [await request(t.app).get('/healthz'), await request(t.app).get('/api/auth/me'), await admin.get('/api/articles')]) {
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.match(csp, /object-src 'none'/);
      assert.match(csp, /script-src 'self'(;|$)/, 'scripts only from our own origin, no inline scripts');
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
      assert.equal(res.headers['referrer-policy'], 'no-referrer');
      assert.equal(res.headers['x-powered-by'], undefined);
      assert.match(String(res.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    }
  });
});

describe('CSRF', () => {
  test('a cross-site form post with the session cookie is refused and writes nothing', async () => {
    const before = await t.query('select count(*)::int as n from comments');
    const res = await editor
      .post('/api/comments')
      .set('Origin', 'https://evil.example')
      .type('form')
      .send({ articleId: String(articleId), body: 'forged' });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'csrf_rejected');
    const afterCount = await t.query('select count(*)::int as n from comments');
    assert.equal(afterCount.rows[0].n, before.rows[0].n);
  });

  test('a form-encoded logout and a text/plain PUT are refused; the session survives', async () => {
    const logout = await editor.post('/api/auth/logout').type('form').send('x=1');
    assert.equal(logout.status, 403);
    const put = await editor.put(`/api/articles/${articleId}`).set('Content-Type', 'text/plain').send('{"title":"x","version":1}');
    assert.equal(put.status, 403);
    assert.equal(put.body.error.code, 'csrf_rejected');
    const me = await editor.get('/api/auth/me');
    assert.equal(me.status, 200);
    const a = await t.db.article.findUniqueOrThrow({ where: { id: articleId } });
    assert.equal(a.version, 1);
  });

  test('the same request as JSON is accepted (the check is not blocking everything)', async () => {
    const res = await editor.post('/api/comments').send({ articleId, body: 'A genuine comment.' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  });
});

describe('body size', () => {
  test('a JSON body over COPYDESK_BODY_LIMIT_KB gets 413 body_too_large and writes nothing', async () => {
    const res = await editor.post('/api/comments').send({ articleId, body: 'x'.repeat(20 * 1024) });
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, 'body_too_large');
    const n = await t.query(`select count(*)::int as n from comments where length(body) > 1000`);
    assert.equal(n.rows[0].n, 0);
  });

  test('malformed JSON gets 400 malformed_json', async () => {
    const res = await editor.post('/api/comments').set('Content-Type', 'application/json').send('{"articleId": 1, "body": ');
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'malformed_json');
  });
});

describe('list parameters', () => {
  const MALFORMED: Array<[string, string]> = [
    ['sort', 'id'],
    ['sort', '["id"]'],
    ['sort', '["id","SIDEWAYS"]'],
    ['sort', '["no_such_column","ASC"]'],
    ['sort', '[1,2]'],
    ['sort', '["id\\"; drop table users; --","ASC"]'],
    ['range', '[0'],
    ['range', '[5]'],
    ['range', '[-1,10]'],
    ['range', '["a","b"]'],
    ['range', '[10,2]'],
    ['range', '[0,1e9]'],
    ['range', '[0.5,2]'],
    ['filter', '{'],
    ['filter', '[1,2]'],
    ['filter', '"text"'],
    ['filter', '{"no_such_field":1}'],
    ['filter', '{"id":{"$ne":0}}'],
    ['filter', '{"id":"1 or 1=1"}'],
    ['filter', '{"__proto__":{"admin":true}}'],
  ];

  test('every list route answers 400 (never 500) to malformed sort, range and filter', async () => {
    const routes = await listRoutes();
    // The contract's list resources, at least: a route that lost its Content-Range would shrink this.
    for (const p of ['/api/users', '/api/articles', '/api/revisions', '/api/status-changes', '/api/comments', '/api/assignees', '/api/audit-events']) {
      assert.ok(routes.includes(p), `${p} is not a list route (no Content-Range)`);
    }
    const failures: string[] = [];
    for (const p of routes) {
      for (const [param, value] of MALFORMED) {
        const res = await admin.get(p).query({ [param]: value });
        if (res.status !== 400 || res.body?.error?.code === undefined) failures.push(`${p}?${param}=${value} → ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
      }
      const twice = await admin.get(`${p}?sort=${encodeURIComponent('["id","ASC"]')}&sort=${encodeURIComponent('["id","DESC"]')}`);
      if (twice.status !== 400) failures.push(`${p} with sort given twice → ${twice.status}`);
    }
    assert.deepEqual(failures, []);
  });
});

describe('SQL injection', () => {
  const PAYLOADS = [
    "'; drop table articles; --",
    "budget' OR '1'='1",
    '") OR 1=1 --',
    "1; delete from users where '1'='1",
    "' union select \"passwordHash\" from users --",
    '\\x00\u0000',
    '!!! ((( & | :* <-> <2>',
    "$$; drop table revisions; $$",
  ];

  test('hostile full-text searches and filters are harmless: 200 or 400, tables and rows intact', async () => {
    const counts = async () => (await t.query(`select (select count(*) from articles)::int a, (select count(*) from users)::int u, (select count(*) from revisions)::int r`)).rows[0];
    const before = await counts();
    for (const q of PAYLOADS) {
      const res = await admin.get('/api/articles').query({ filter: JSON.stringify({ q }) });
      assert.ok(res.status === 200 || res.status === 400, `q=${q} → ${res.status} ${JSON.stringify(res.body)}`);
      if (res.status === 200) {
        assert.ok(Array.isArray(res.body));
        assert.ok(!JSON.stringify(res.body).includes('argon2'), 'a password hash leaked into the result');
      }
      for (const [path, filter] of [
        ['/api/articles', { status: q }],
        ['/api/articles', { assigneeId: q }],
        ['/api/users', { q }],
        ['/api/assignees', { q }],
        ['/api/comments', { articleId: q }],
        ['/api/audit-events', { action: q }],
      ] as const) {
        const r = await admin.get(path).query({ filter: JSON.stringify(filter) });
        assert.ok(r.status === 200 || r.status === 400, `${path} ${JSON.stringify(filter)} → ${r.status} ${JSON.stringify(r.body)}`);
      }
    }
    const found = await admin.get('/api/articles').query({ filter: JSON.stringify({ q: 'budget' }) });
    assert.equal(found.status, 200);
    assert.deepEqual(found.body.map((a: { id: number }) => a.id), [articleId], 'search still works after the payloads');
    assert.deepEqual(await counts(), before);
  });

  test('a search for a payload does not match every article (it is not interpreted as SQL)', async () => {
    const res = await admin.get('/api/articles').query({ filter: JSON.stringify({ q: "zzz' OR '1'='1" }) });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, []);
  });
});

describe('NUL characters', () => {
  test('a U+0000 in a body, a query parameter or a JSON filter is a 400 naming where, never a 500', async () => {
    const comment = await editor.post('/api/comments').send({ articleId, body: 'a\u0000b' });
    assert.equal(comment.status, 400);
    assert.equal(comment.body.error.code, 'nul_character');
    assert.equal(comment.body.error.details.field, 'body.body');
    const put = await editor.put(`/api/articles/${articleId}`).send({ version: 1, title: 'T', paragraphs: [{ index: 0, text: 'x\u0000' }] });
    assert.equal(put.status, 400);
    assert.equal(put.body.error.details.field, 'body.paragraphs.0.text');
    const login = await request(t.app).post('/api/auth/login').send({ username: 'e\u0000ve', password: 'x' });
    assert.equal(login.status, 400);
    const filter = await admin.get('/api/articles').query({ filter: JSON.stringify({ q: 'budget\u0000' }) });
    assert.equal(filter.status, 400);
    assert.equal(filter.body.error.code, 'nul_character');
    const raw = await admin.get('/api/articles/1/compare?from=%00&to=1');
    assert.equal(raw.status, 400);
    assert.equal((await t.db.article.findUniqueOrThrow({ where: { id: articleId } })).version, 1);
    assert.equal((await t.query(`select count(*)::int n from comments where body like 'a%b'`)).rows[0].n, 0);
  });
});

describe('internal errors', () => {
  test('a 500 carries only { code: internal, message, requestId }: no stack, no SQL, no table names', async () => {
    // Rename a table under the running app: the next query fails inside Prisma with an unexpected error.
    await t.query('alter table comments rename to comments_hidden');
    try {
      const res = await admin.get('/api/comments');
      assert.equal(res.status, 500);
      assert.deepEqual(Object.keys(res.body), ['error']);
      assert.deepEqual(Object.keys(res.body.error).sort(), ['code', 'message', 'requestId']);
      assert.equal(res.body.error.code, 'internal');
      assert.equal(res.body.error.requestId, res.headers['x-request-id']);
      assert.equal(res.body.error.message, `Internal error. Quote request id ${res.body.error.requestId} to your administrator.`);
      const text = res.text.toLowerCase();
      for (const leak of ['comments', 'select', 'prisma', 'relation', ' at ', '.ts:', 'postgres']) assert.ok(!text.includes(leak), `the body leaks "${leak}": ${res.text}`);
    } finally {
      await t.query('alter table comments_hidden rename to comments');
    }
    const ok = await admin.get('/api/comments');
    assert.equal(ok.status, 200);
  });

  test('an unknown API route is a JSON 404, not the HTML app or a stack', async () => {
    const res = await admin.get('/api/../../etc/passwd');
    assert.ok([404, 400].includes(res.status), String(res.status));
    const res2 = await admin.get('/api/no-such-thing');
    assert.equal(res2.status, 404);
    assert.equal(res2.body.error.code, 'no_route');
  });
});
