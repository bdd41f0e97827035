// Inputs the API accepts at the edge: text PostgreSQL cannot store, paragraphs
// too large to index, and bodies the parser cannot read all answer 4xx naming
// the field or the problem, never 500, and write nothing.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { MAX_PARAGRAPH_CHARS } from '../../server/http/inputGuards';
import { createTestContext, TEST_PASSWORD, type TestContext } from '../helpers/app';
import { makeArticle } from '../helpers/factories';

type Agent = ReturnType<typeof request.agent>;
let t: TestContext;
let rita: Agent;
let articleId: number;

before(async () => {
  t = await createTestContext();
  await t.makeUser('rita', 'reviewer');
  rita = await t.loginAs('rita');
  articleId = (await makeArticle(t.db, { title: 'Edge article', paragraphs: ['First paragraph.', 'Second paragraph.'] })).id;
});
after(() => t.drop());

const version = async (id: number) => (await t.db.article.findUniqueOrThrow({ where: { id } })).version;

describe('lone UTF-16 surrogates are refused with a 400 naming the field', () => {
  test('in a paragraph, a title, a comment, a glossary term, a bulk-replace pattern and a list filter', async () => {
    const events = await t.db.auditEvent.count();
    const cases: Array<[string, () => Promise<request.Response>, string]> = [
      ['paragraph', () => rita.put(`/api/articles/${articleId}`).send({ version: 1, paragraphs: [{ index: 1, text: 'broken \ud800 text' }] }), 'body.paragraphs.0.text'],
      ['title', () => rita.put(`/api/articles/${articleId}`).send({ version: 1, title: 'low \udc00 half' }), 'body.title'],
      ['comment', () => rita.post('/api/comments').send({ articleId, body: 'x\udbff' }), 'body.body'],
      ['glossary', () => rita.post('/api/glossary').send({ term: '\ud83d', preferred: 'x' }), 'body.term'],
      ['bulk', () => rita.post('/api/bulk-replace/preview').send({ find: 'a\ud800', replace: 'b' }), 'body.find'],
    ];
    for (const [what, send, field] of cases) {
      const res = await send();
      assert.equal(res.status, 400, `${what}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, 'lone_surrogate', what);
      assert.equal(res.body.error.details.field, field, what);
      assert.match(res.body.error.message, new RegExp(`^${field.replace(/\./g, '\\.')} contains a lone UTF-16 surrogate \\(\\\\u[0-9A-F]{4} at character \\d+\\)`), what);
    }
    const filter = await rita.get('/api/articles').query({ filter: '{"q":"budget \\ud800"}' });
    assert.equal(filter.status, 400);
    assert.equal(filter.body.error.code, 'lone_surrogate');
    assert.equal(filter.body.error.details.param, 'filter');
    assert.match(filter.body.error.message, /^Query parameter "filter" contains a lone UTF-16 surrogate/);
    assert.equal(await version(articleId), 1);
    assert.equal(await t.db.comment.count(), 0);
    assert.equal(await t.db.glossaryEntry.count(), 0);
    assert.equal(await t.db.auditEvent.count(), events);
  });

  test('a well-formed pair (an emoji) is text like any other', async () => {
    const res = await rita.put(`/api/articles/${articleId}`).send({ version: 1, paragraphs: [{ index: 1, text: 'Pandas \ud83d\udc3c are back.' }] });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.paragraphs[1].text, 'Pandas 🐼 are back.');
  });
});

describe('paragraph and article size', () => {
  test(`a paragraph over ${MAX_PARAGRAPH_CHARS} characters is a 400 naming it; one at the limit saves`, async () => {
    const v = await version(articleId);
    const long = await rita.put(`/api/articles/${articleId}`).send({ version: v, paragraphs: [{ index: 0, text: 'ok' }, { index: 1, text: 'x'.repeat(MAX_PARAGRAPH_CHARS + 1) }] });
    assert.equal(long.status, 400, JSON.stringify(long.body).slice(0, 300));
    assert.equal(long.body.error.code, 'paragraph_too_long');
    assert.equal(long.body.error.details.field, 'paragraphs.1.text');
    assert.equal(long.body.error.message, `paragraphs.1.text: paragraph 1 is ${MAX_PARAGRAPH_CHARS + 1} characters long; a paragraph may hold at most ${MAX_PARAGRAPH_CHARS}. Split it.`);
    assert.equal(await version(articleId), v);
    const words = 'budget '.repeat(MAX_PARAGRAPH_CHARS / 7).padEnd(MAX_PARAGRAPH_CHARS, 'x');
    const atLimit = await rita.put(`/api/articles/${articleId}`).send({ version: v, paragraphs: [{ index: 1, text: words }] });
    assert.equal(atLimit.status, 200, JSON.stringify(atLimit.body).slice(0, 300));
  });

  test('an article whose text is beyond the search index limit is a 413 text_too_long, not a 500, and nothing is written', async () => {
    // About 1.2 million characters: under the 2 MB body limit, far over the search index's limit.
    const count = Math.ceil(1_200_000 / MAX_PARAGRAPH_CHARS);
    const made = await makeArticle(t.db, { title: 'Huge', paragraphs: Array.from({ length: count }, (_, i) => `Paragraph ${i}.`) });
    // Distinct made-up words: each is its own lexeme, so the search data outgrows PostgreSQL's 1 MB tsvector.
    let n = 0;
    const paragraph = () => {
      let s = '';
      while (s.length < MAX_PARAGRAPH_CHARS - 10) s += `q${(n++).toString(36)} `;
      return s.trim();
    };
    const paragraphs = Array.from({ length: count }, (_, index) => ({ index, text: paragraph() }));
    const revisions = await t.db.revision.count({ where: { articleId: made.id } });
    const res = await rita.put(`/api/articles/${made.id}`).send({ version: 1, paragraphs });
    assert.equal(res.status, 413, JSON.stringify(res.body).slice(0, 300));
    assert.equal(res.body.error.code, 'text_too_long');
    assert.match(res.body.error.message, /too large to index for search/);
    assert.equal(await version(made.id), 1);
    assert.equal(await t.db.revision.count({ where: { articleId: made.id } }), revisions);
  });
});

describe('bodies the parser cannot read keep their 4xx', () => {
  /** Posts `body` byte for byte (supertest would serialise a Buffer as JSON). */
  async function rawPost(path: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; body: { error: { code: string; message: string; requestId: string } }; requestId: string | null }> {
    const server = t.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: new Uint8Array(body) });
      return { status: res.status, body: (await res.json()) as never, requestId: res.headers.get('x-request-id') };
    } finally {
      await new Promise((r) => server.close(r));
    }
  }

  test('Content-Encoding: gzip with a body that is not gzip is a 400 saying so', async () => {
    const res = await rawPost('/api/auth/login', { 'Content-Encoding': 'gzip' }, Buffer.from('this is not gzip at all'));
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'body_unreadable');
    assert.match(res.body.error.message, /^The request body could not be decoded as Content-Encoding gzip: /);
    assert.equal(res.body.error.requestId, res.requestId);
    // Truncated gzip too.
    const whole = gzipSync(JSON.stringify({ username: 'rita', password: TEST_PASSWORD }));
    const cut = await rawPost('/api/auth/login', { 'Content-Encoding': 'gzip' }, whole.subarray(0, whole.length - 8));
    assert.equal(cut.status, 400, JSON.stringify(cut.body));
    assert.equal(cut.body.error.code, 'body_unreadable');
    // A real gzip body is read.
    const ok = await rawPost('/api/auth/login', { 'Content-Encoding': 'gzip' }, whole);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  });

  test('an unknown Content-Encoding is a 415, bad JSON a 400 and too large a 413, each with its own code', async () => {
    const unknown = await request(t.app).post('/api/auth/login').set('Content-Type', 'application/json').set('Content-Encoding', 'compress').send('{}');
    assert.equal(unknown.status, 415);
    assert.equal(unknown.body.error.code, 'unsupported_encoding');
    const bad = await request(t.app).post('/api/auth/login').set('Content-Type', 'application/json').send('{"a":');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'malformed_json');
    const big = await request(t.app).post('/api/auth/login').set('Content-Type', 'application/json').send(JSON.stringify({ username: 'x'.repeat(t.config.bodyLimitBytes) }));
    assert.equal(big.status, 413);
    assert.equal(big.body.error.code, 'body_too_large');
  });
});
