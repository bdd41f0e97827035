import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createApp } from '../../server/app';
import { precompressDir } from '../../scripts/lib/precompress';
import { createTestContext, TEST_PASSWORD, type TestContext } from '../helpers/app';
import { makeArticle } from '../helpers/factories';

// The admin's files as a browser gets them: a fixture dist precompressed by
// the build's own function, served by the real app, read over raw HTTP so
// that nothing decompresses the bodies before the test looks at them.

let t: TestContext;
let server: Server;
let port: number;
let dist: string;
const SCRIPT = `/* app */\n${'export const greeting = "hello from the admin bundle";\n'.repeat(400)}`;
const INDEX = `<!doctype html><html><head><title>Copydesk</title><script type="module" src="/assets/index-AbCd12_-.js"></script></head><body><div id="root"></div>${'<!-- padding -->'.repeat(100)}</body></html>`;
const SMALL_CSS = 'body{margin:0}';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function get(urlPath: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

before(async () => {
  dist = mkdtempSync(path.join(tmpdir(), 'copydesk-dist-'));
  mkdirSync(path.join(dist, 'assets'));
  writeFileSync(path.join(dist, 'index.html'), INDEX);
  writeFileSync(path.join(dist, 'assets', 'index-AbCd12_-.js'), SCRIPT);
  writeFileSync(path.join(dist, 'assets', 'small-Zz99Yy88.css'), SMALL_CSS);
  writeFileSync(path.join(dist, 'assets', 'logo-Qq11Ww22.png'), Buffer.alloc(4096, 7));
  writeFileSync(path.join(dist, 'robots.txt'), `User-agent: *\n${'Disallow: /private\n'.repeat(80)}`);
  precompressDir(dist);
  t = await createTestContext();
  const app = createApp({ db: t.db, config: t.config, adminDist: dist });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  port = (server.address() as AddressInfo).port;
});

after(async () => {
  await new Promise((r) => server.close(r));
  await t.drop();
  rmSync(dist, { recursive: true, force: true });
});

test('the build writes .br and .gz copies of text files over 1 KB, and none of images or tiny files', () => {
  assert.ok(existsSync(path.join(dist, 'assets', 'index-AbCd12_-.js.br')));
  assert.ok(existsSync(path.join(dist, 'assets', 'index-AbCd12_-.js.gz')));
  assert.ok(existsSync(path.join(dist, 'index.html.br')));
  assert.ok(!existsSync(path.join(dist, 'assets', 'small-Zz99Yy88.css.br')), 'under 1 KB');
  assert.ok(!existsSync(path.join(dist, 'assets', 'logo-Qq11Ww22.png.gz')), 'images are compressed already');
});

test('a hashed script: brotli when accepted, gzip otherwise, identity when neither; one year, immutable, Vary', async () => {
  const br = await get('/assets/index-AbCd12_-.js', { 'accept-encoding': 'gzip, deflate, br' });
  assert.equal(br.status, 200);
  assert.equal(br.headers['content-encoding'], 'br');
  assert.match(String(br.headers['content-type']), /^(text|application)\/javascript; charset=utf-8$/);
  assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.match(String(br.headers.vary), /Accept-Encoding/i);
  assert.equal(brotliDecompressSync(br.body).toString(), SCRIPT);
  assert.ok(br.body.length < SCRIPT.length / 10, `compressed to ${br.body.length} bytes`);

  const gz = await get('/assets/index-AbCd12_-.js', { 'accept-encoding': 'gzip' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gunzipSync(gz.body).toString(), SCRIPT);
  assert.equal(gz.headers['content-length'], String(gz.body.length));

  const refusedBr = await get('/assets/index-AbCd12_-.js', { 'accept-encoding': 'br;q=0, gzip;q=0.5' });
  assert.equal(refusedBr.headers['content-encoding'], 'gzip');

  const plain = await get('/assets/index-AbCd12_-.js');
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.body.toString(), SCRIPT);
  assert.match(String(plain.headers.vary), /Accept-Encoding/i);

  const head = await get('/assets/index-AbCd12_-.js', { 'accept-encoding': 'br' }, 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.headers['content-encoding'], 'br');
  assert.equal(head.body.length, 0);
});

test('files without a precompressed copy are sent as they are, with their own type and cache policy', async () => {
  const css = await get('/assets/small-Zz99Yy88.css', { 'accept-encoding': 'br, gzip' });
  assert.equal(css.headers['content-encoding'], undefined);
  assert.match(String(css.headers['content-type']), /^text\/css/);
  assert.equal(css.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(css.body.toString(), SMALL_CSS);
  const png = await get('/assets/logo-Qq11Ww22.png', { 'accept-encoding': 'br, gzip' });
  assert.equal(png.headers['content-type'], 'image/png');
  assert.equal(png.headers['content-encoding'], undefined);
  const robots = await get('/robots.txt', { 'accept-encoding': 'gzip' });
  assert.equal(robots.headers['content-encoding'], 'gzip');
  assert.match(String(robots.headers['content-type']), /^text\/plain/);
  assert.equal(robots.headers['cache-control'], 'public, max-age=3600', 'not hashed: an hour, not forever');
});

test('index.html, at / and at any page path, is no-cache and compressed', async () => {
  for (const p of ['/', '/index.html', '/articles/12']) {
    const res = await get(p, { 'accept-encoding': 'br' });
    assert.equal(res.status, 200, p);
    assert.equal(res.headers['cache-control'], 'no-cache', p);
    assert.match(String(res.headers['content-type']), /^text\/html; charset=utf-8$/, p);
    assert.equal(res.headers['content-encoding'], 'br', p);
    assert.equal(brotliDecompressSync(res.body).toString(), INDEX, p);
  }
});

test('a missing build file is a 404, not the page; paths outside the dist are never served', async () => {
  assert.equal((await get('/assets/gone-12345678.js')).status, 404);
  for (const p of ['/..%2f..%2f..%2fetc%2fpasswd', '/assets/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/etc/passwd']) {
    const res = await get(p);
    assert.ok(res.status === 404 || res.body.toString() === INDEX, `${p}: ${res.status}`);
    assert.ok(!res.body.toString().includes('root:'), p);
  }
  const post = await get('/assets/index-AbCd12_-.js', {}, 'POST');
  assert.equal(post.status, 404);
});

test('API JSON is compressed when the client accepts it', async () => {
  await t.makeUser('gzip', 'editor');
  const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'gzip', password: TEST_PASSWORD }) });
  assert.equal(login.status, 200);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  for (let i = 0; i < 30; i++) await makeArticle(t.db, { title: `Compressed list article ${i}` });
  const res = await get('/api/articles?range=%5B0%2C49%5D', { 'accept-encoding': 'gzip', cookie });
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-encoding'], 'gzip');
  assert.match(String(res.headers['content-type']), /^application\/json/);
  assert.equal((JSON.parse(gunzipSync(res.body).toString()) as unknown[]).length, 30);
  const plain = await get('/api/articles?range=%5B0%2C49%5D', { cookie });
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal((JSON.parse(plain.body.toString()) as unknown[]).length, 30);
});
