import { statSync } from 'node:fs';
import path from 'node:path';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Vite's output names: `assets/<name>-<8-character content hash>.<ext>`. */
const HASHED = /^\/assets\/.+-[A-Za-z0-9_-]{8}\.[a-z0-9]+$/;
/** A hashed file never changes under its name: cache it for a year, without revalidating. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The precompressed copies the build writes (scripts/lib/precompress.ts), best first. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The q-value `header` gives `name` (0 when absent; `*` covers names not listed). */
export function acceptQ(header: string, name: string): number {
  let star: number | undefined;
  for (const part of header.split(',')) {
    const [token, ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    const value = Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : 0;
    if (token.trim() === name) return value;
    if (token.trim() === '*') star = value;
  }
  return star ?? 0;
}

/**
 * The best offered encoding the client accepts. Browsers list gzip before br
 * with equal weight ("gzip, deflate, br"); the server's preference (br,
 * smaller) breaks such ties, as RFC 9110 allows. Express's own negotiation
 * would follow the client's order and always pick gzip.
 */
function chooseEncoding<E extends { name: string }>(header: string | undefined, offered: readonly E[]): E | undefined {
  if (!header) return undefined;
  let best: E | undefined;
  let bestQ = 0;
  for (const e of offered) {
    const q = acceptQ(header, e.name);
    if (q > bestQ) [best, bestQ] = [e, q];
  }
  return best;
}

/**
 * Sends `file` (a path inside the admin dist): its `.br` or `.gz` copy when
 * the client accepts that encoding and the build wrote one, with the
 * original's Content-Type, `Vary: Accept-Encoding` so shared caches keep the
 * encodings apart, and the cache policy of the file's name.
 */
function sendAsset(req: Request, res: Response, next: NextFunction, file: string, urlPath: string): void {
  res.vary('Accept-Encoding');
  res.setHeader('Cache-Control', HASHED.test(urlPath) ? IMMUTABLE : urlPath.endsWith('.html') || urlPath === '/' ? 'no-cache' : 'public, max-age=3600');
  res.type(path.extname(file) || '.html');
  let chosen = file;
  const offered = ENCODINGS.filter((e) => isFile(file + e.suffix));
  if (offered.length > 0) {
    const encoding = chooseEncoding(req.get('accept-encoding'), offered);
    if (encoding) {
      chosen = file + encoding.suffix;
      res.setHeader('Content-Encoding', encoding.name);
    }
  }
  res.sendFile(chosen, { cacheControl: false, dotfiles: 'deny' }, (err) => {
    if (err && !res.headersSent) next(err);
  });
}

/**
 * Serves the built admin UI from `dist`: files by path, and index.html for
 * every other GET outside /api and /healthz (the UI routes by URL hash, but a
 * bookmarked path must still load it). Only GET and HEAD; paths that leave
 * `dist` are not served.
 */
export function serveAdmin(dist: string): RequestHandler {
  const root = path.resolve(dist);
  const index = path.join(root, 'index.html');
  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.path.startsWith('/api/') || req.path === '/api' || req.path === '/healthz') return next();
    let decoded: string;
    try {
      decoded = decodeURIComponent(req.path);
    } catch {
      return next();
    }
    const file = path.resolve(root, `.${path.posix.normalize(decoded)}`);
    if (decoded !== '/' && !decoded.includes('\0') && file.startsWith(root + path.sep) && !path.basename(file).startsWith('.') && isFile(file)) {
      return sendAsset(req, res, next, file, decoded);
    }
    // A missing build file is a 404, not the page: a browser would try to run index.html as a script.
    if (decoded.startsWith('/assets/')) return next();
    sendAsset(req, res, next, index, '/index.html');
  };
}
