import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { ensureAdminBuilt } from '../lib/prepare';
import { IMMUTABLE } from '../../server/http/staticAdmin';
import { startInProcessServer } from './benchServer';
import { round } from './measure';
import type { Bench, BenchContext } from './types';

/** A bare react-admin app's initial JavaScript, gzipped: the figure the target was set against. */
const BARE_REACT_ADMIN_KB = 374;

interface Fetched {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as sent on the wire (still compressed). */
  body: Buffer;
}

/** A GET over raw HTTP, so that nothing decompresses the body before it is counted. */
function get(base: string, urlPath: string, acceptEncoding: string): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = http.get(new URL(urlPath, base), { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
  });
}

function decoded(f: Fetched): string {
  const enc = f.headers['content-encoding'];
  return (enc === 'br' ? brotliDecompressSync(f.body) : enc === 'gzip' ? gunzipSync(f.body) : f.body).toString('utf8');
}

/** The initial files index.html names: entry scripts, modulepreloads and stylesheets, each once. */
export function initialAssets(html: string): { js: string[]; css: string[] } {
  const js = new Set<string>();
  const css = new Set<string>();
  for (const [tag] of html.matchAll(/<(?:script|link)\b[^>]*>/g)) {
    const attr = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
    if (tag.startsWith('<script')) {
      const src = attr('src');
      if (src) js.add(src);
    } else if (attr('rel') === 'modulepreload' && attr('href')) js.add(attr('href')!);
    else if (attr('rel') === 'stylesheet' && attr('href')) css.add(attr('href')!);
  }
  return { js: [...js], css: [...css] };
}

/** What a browser downloads on a first visit with `acceptEncoding`: bytes on the wire per kind, and the cache policies seen. */
async function firstVisit(base: string, acceptEncoding: string) {
  const index = await get(base, '/', acceptEncoding);
  if (index.status !== 200) throw new Error(`bundle bench: GET / answered ${index.status}`);
  const { js, css } = initialAssets(decoded(index));
  if (js.length === 0) throw new Error('bundle bench: index.html names no script');
  const problems: string[] = [];
  if (index.headers['cache-control'] !== 'no-cache') problems.push(`index.html is served with Cache-Control ${index.headers['cache-control']}, not no-cache`);
  const sum = async (paths: string[]) => {
    let wire = 0;
    let plain = 0;
    for (const p of paths) {
      const f = await get(base, p, acceptEncoding);
      if (f.status !== 200) throw new Error(`bundle bench: GET ${p} answered ${f.status}`);
      if (f.headers['cache-control'] !== IMMUTABLE) problems.push(`${p} is served with Cache-Control ${f.headers['cache-control']}, not "${IMMUTABLE}"`);
      wire += f.body.length;
      plain += Buffer.byteLength(decoded(f));
    }
    return { wire, plain };
  };
  return { html: index.body.length, js: await sum(js), css: await sum(css), files: js.length + css.length, encoding: String(index.headers['content-encoding'] ?? 'identity'), problems };
}

/**
 * The admin's initial JavaScript and CSS as the running server sends them:
 * index.html fetched from the real app over HTTP, then every script,
 * modulepreload and stylesheet it names, counting the bytes on the wire
 * (the precompressed copies the static handler picks for the Accept-Encoding).
 * Also checks the cache policy a browser gets: index.html no-cache, hashed
 * assets immutable for a year.
 */
export const bundleBench: Bench = {
  id: 'bundle',
  needsDb: false,
  async run(ctx: BenchContext) {
    ensureAdminBuilt();
    // Static files need no database: the app's pool connects only on a first query.
    const server = await startInProcessServer(ctx.databaseUrl || 'postgresql://unused@127.0.0.1:1/unused', ctx.config);
    try {
      const br = await firstVisit(server.url, 'gzip, deflate, br, zstd');
      const gz = await firstVisit(server.url, 'gzip, deflate');
      const kb = (b: number) => round(b / 1024, 1);
      const jsKb = br.js.wire / 1024;
      const problems = [...new Set([...br.problems, ...gz.problems])];
      return {
        id: 'bundle',
        measure: `initial JS and CSS of the admin as the server sends them (${br.files} file(s) named by index.html, Accept-Encoding with br: ${br.encoding})`,
        baseline: `a bare react-admin app's initial JS is about ${BARE_REACT_ADMIN_KB} KB gzipped`,
        figures: {
          js_br_kb: kb(br.js.wire),
          css_br_kb: kb(br.css.wire),
          html_br_kb: kb(br.html),
          total_br_kb: kb(br.html + br.js.wire + br.css.wire),
          js_gzip_kb: kb(gz.js.wire),
          total_gzip_kb: kb(gz.html + gz.js.wire + gz.css.wire),
          js_uncompressed_kb: kb(br.js.plain),
          files: br.files,
        },
        ratio: round(jsKb / BARE_REACT_ADMIN_KB),
        target: '≤ 400 KB of initial JS on the wire (br); index.html no-cache, hashed assets immutable',
        pass: jsKb <= 400 && gz.js.wire / 1024 <= 400 && problems.length === 0,
        ...(problems.length ? { notes: problems.join('; ') } : {}),
      };
    } finally {
      await server.close();
    }
  },
};
