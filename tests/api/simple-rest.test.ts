import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { fetchUtils, type DataProvider } from 'ra-core';
import simpleRestProvider from 'ra-data-simple-rest';
import { createTestContext, TEST_PASSWORD, type TestContext } from '../helpers/app';
import { makeArticle, type MadeArticle } from '../helpers/factories';

// The stock react-admin client, unchanged, is the judge of the API contract.
let t: TestContext;
let server: Server;
let provider: DataProvider;
let editorId: number;
const arts: MadeArticle[] = [];

before(async () => {
  t = await createTestContext();
  editorId = await t.makeUser('edna', 'editor');
  arts.push(await makeArticle(t.db, { title: 'Alpha story', paragraphs: ['Our city will strike hard against illegal fishing', 'Second.'] }));
  arts.push(await makeArticle(t.db, { title: 'Beta story', status: 'in_edit', assigneeId: editorId }));
  arts.push(await makeArticle(t.db, { title: 'Gamma story', status: 'in_review' }));
  server = t.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'edna', password: TEST_PASSWORD }) });
  assert.equal(login.status, 200);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  assert.ok(cookie.includes('='));
  // What a browser does with the session cookie, done by hand for Node's fetch.
  const httpClient = (url: string, options: fetchUtils.Options = {}) => {
    const headers = new Headers(options.headers instanceof Headers ? options.headers : { Accept: 'application/json', ...(options.headers as Record<string, string> | undefined) });
    headers.set('Cookie', cookie);
    return fetchUtils.fetchJson(url, { ...options, headers });
  };
  provider = simpleRestProvider(`${base}/api`, httpClient);
});
after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.drop();
});

test('getList: filters, sort and pagination through ra-data-simple-rest, total from Content-Range', async () => {
  const res = await provider.getList('articles', { pagination: { page: 1, perPage: 2 }, sort: { field: 'title', order: 'ASC' }, filter: {} });
  assert.equal(res.total, 3);
  assert.deepEqual(res.data.map((r) => r.title), ['Alpha story', 'Beta story']);
  const page2 = await provider.getList('articles', { pagination: { page: 2, perPage: 2 }, sort: { field: 'title', order: 'ASC' }, filter: {} });
  assert.deepEqual(page2.data.map((r) => r.title), ['Gamma story']);
  const mine = await provider.getList('articles', { pagination: { page: 1, perPage: 10 }, sort: { field: 'updatedAt', order: 'DESC' }, filter: { assigneeId: 'me', status: ['in_edit', 'in_review'] } });
  assert.deepEqual(mine.data.map((r) => r.title), ['Beta story']);
  assert.equal(mine.total, 1);
  const q = await provider.getList('articles', { pagination: { page: 1, perPage: 10 }, sort: { field: 'id', order: 'ASC' }, filter: { q: 'fishing' } });
  assert.deepEqual(q.data.map((r) => r.id), [arts[0].id]);
});

test('getOne, getMany and getManyReference', async () => {
  const one = await provider.getOne('articles', { id: arts[0].id });
  assert.equal(one.data.title, 'Alpha story');
  assert.equal(one.data.paragraphs.length, 2);
  const many = await provider.getMany('articles', { ids: [arts[2].id, arts[0].id] });
  assert.deepEqual(many.data.map((r) => r.id).sort(), [arts[0].id, arts[2].id].sort());
  const revs = await provider.getManyReference('revisions', { target: 'articleId', id: arts[0].id, pagination: { page: 1, perPage: 25 }, sort: { field: 'number', order: 'DESC' }, filter: {} });
  assert.equal(revs.total, 1);
  assert.equal(revs.data[0].kind, 'import');
  const who = await provider.getMany('assignees', { ids: [editorId] });
  assert.equal(who.data[0].displayName, 'Edna');
});

test('update sends the whole record back and gets the saved record; a stale one is a 409 with details', async () => {
  const { data: record } = await provider.getOne('articles', { id: arts[0].id });
  const edited = { ...record, paragraphs: record.paragraphs.map((p: { index: number; text: string }) => (p.index === 0 ? { ...p, text: 'The city will crack down on illegal fishing' } : p)) };
  const saved = await provider.update('articles', { id: arts[0].id, data: edited, previousData: record });
  assert.equal(saved.data.version, 2);
  assert.equal(saved.data.status, 'in_edit');
  assert.equal(saved.data.paragraphs[0].text, 'The city will crack down on illegal fishing');
  assert.deepEqual(saved.data.stats, { mtWords: 10, words: 10, inserted: 0, deleted: 0, substituted: 4, editDistance: 4, editRate: 0.4, paragraphsChanged: 1 });

  // Saving the stale record again must not overwrite silently.
  await assert.rejects(
    provider.update('articles', { id: arts[0].id, data: { ...edited, paragraphs: [{ index: 1, text: 'Stale.' }] }, previousData: record }),
    (err: { status: number; body: { error: { code: string; details: { currentVersion: number } } } }) => {
      assert.equal(err.status, 409);
      assert.equal(err.body.error.code, 'version_conflict');
      assert.equal(err.body.error.details.currentVersion, 2);
      return true;
    },
  );
  const after = await provider.getOne('articles', { id: arts[0].id });
  assert.equal(after.data.paragraphs[1].text, 'Second.');
});

test('create and update a comment', async () => {
  const created = await provider.create('comments', { data: { articleId: arts[1].id, paragraphIndex: 0, body: 'Please check.' } });
  assert.ok(created.data.id);
  const { data } = await provider.getOne('comments', { id: created.data.id });
  const resolved = await provider.update('comments', { id: data.id, data: { ...data, resolved: true }, previousData: data });
  assert.equal(resolved.data.resolved, true);
  assert.equal(resolved.data.resolvedById, editorId);
});
