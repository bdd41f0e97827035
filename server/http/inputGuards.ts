import type { NextFunction, Request, Response } from 'express';
import { BadRequestError, HttpError } from '../errors';

/** Longest paragraph text (in UTF-16 code units, JavaScript's string length) a save or bulk replace may write. */
export const MAX_PARAGRAPH_CHARS = 100_000;

/**
 * A UTF-16 surrogate that is not half of a pair. In `u` mode a well-formed
 * pair is one code point outside this range, so only lone halves match.
 */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Why `s` cannot be stored as text, or null when it can. */
export function unstorableText(s: string): { code: 'nul_character' | 'lone_surrogate'; reason: string } | null {
  if (s.includes('\u0000')) return { code: 'nul_character', reason: 'contains a NUL character (U+0000), which text cannot hold' };
  const m = LONE_SURROGATE.exec(s);
  if (m) {
    const unit = m[0].charCodeAt(0).toString(16).toUpperCase();
    return { code: 'lone_surrogate', reason: `contains a lone UTF-16 surrogate (\\u${unit} at character ${m.index}), which is not Unicode text; send the whole character or remove it` };
  }
  return null;
}

/** The path of the first string in `value` that cannot be stored, and why; undefined when all can. */
function findUnstorable(value: unknown, path: string, depth = 0): { path: string; code: string; reason: string } | undefined {
  if (typeof value === 'string') {
    const bad = unstorableText(value);
    return bad ? { path, ...bad } : undefined;
  }
  if (depth > 64 || value === null || typeof value !== 'object') return undefined;
  for (const [k, v] of Object.entries(value)) {
    const key = path ? `${path}.${k}` : k;
    const badKey = unstorableText(k);
    if (badKey) return { path: key, ...badKey };
    const found = findUnstorable(v, key, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Refuses, with a 400 naming the field, any query parameter or JSON string
 * that PostgreSQL cannot store: U+0000 (text cannot hold it) and lone UTF-16
 * surrogates (JSON's `"\ud800"` parses to one; PostgreSQL's jsonb refuses its
 * escape and UTF-8 cannot encode it, so it would otherwise fail deep in a
 * query as a 500 or be silently replaced). Refusing rather than replacing
 * keeps what is stored exactly what the client sent.
 */
export function refuseUnstorableText(req: Request, _res: Response, next: NextFunction): void {
  const bad = findUnstorable(req.query, 'query') ?? findUnstorable(req.body, 'body');
  if (bad === undefined) return next();
  next(new BadRequestError(`${bad.path} ${bad.reason}.`, { field: bad.path }, bad.code));
}

/** body-parser's error types that the error middleware names itself. */
const BODY_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  'entity.parse.failed': { status: 400, code: 'malformed_json', message: 'The request body is not valid JSON.' },
  'entity.too.large': { status: 413, code: 'body_too_large', message: 'The request body is larger than the server accepts.' },
  'encoding.unsupported': { status: 415, code: 'unsupported_encoding', message: 'The request body encoding is not supported; send UTF-8 JSON, uncompressed or with Content-Encoding gzip, deflate or br.' },
  'charset.unsupported': { status: 415, code: 'unsupported_encoding', message: 'The request body encoding is not supported; send UTF-8 JSON.' },
  'request.aborted': { status: 400, code: 'request_aborted', message: 'The client closed the connection before the request body was complete.' },
  'request.size.invalid': { status: 400, code: 'body_length_mismatch', message: 'The request body is not as long as its Content-Length says.' },
};

/**
 * The HttpError for an error the body parser raised, or null when `err` is
 * not one. Every 4xx error it raises (http-errors with `expose`) keeps its
 * status: a known type gets its own code and message, anything else (a gzip
 * body that is not gzip) a 400 that says the body could not be read and why.
 */
export function bodyParserError(err: unknown, req: Request): HttpError | null {
  if (!err || typeof err !== 'object' || err instanceof HttpError) return null;
  const e = err as { status?: unknown; statusCode?: unknown; expose?: unknown; type?: unknown; message?: unknown };
  const known = typeof e.type === 'string' ? BODY_ERRORS[e.type] : undefined;
  if (known) return new HttpError(known.status, known.code, known.message);
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : NaN;
  if (!(status >= 400 && status < 500) || e.expose !== true) return null;
  const encoding = req.get('content-encoding');
  const why = typeof e.message === 'string' && e.message ? `: ${e.message}` : '';
  return new HttpError(
    status,
    'body_unreadable',
    encoding ? `The request body could not be decoded as Content-Encoding ${encoding}${why}.` : `The request body could not be read${why}.`,
  );
}

/** True when PostgreSQL refused an article's text as too large to index for search (tsvector's 1 MB limit). */
export function isTsvectorTooLong(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    const o = e as { message?: unknown; cause?: unknown };
    if (typeof o.message === 'string' && /too long for tsvector/.test(o.message)) return true;
    e = o.cause;
  }
  return false;
}
