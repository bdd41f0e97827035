import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import compression from 'compression';
import express, { type ErrorRequestHandler, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Config } from './config';
import { createLogger } from './logger';
import { Prisma, type PrismaClient } from './db/client';
import { PROJECT_ROOT } from './projectRoot';
import { ForbiddenError, HttpError, NotFoundError, TooManyRequestsError, uniqueViolation } from './errors';
import { authenticate, makeGuard } from './auth/middleware';
import { resolveSessionSecret } from './auth/secret';
import type { SessionPolicy } from './auth/sessions';
import { bodyParserError, isTsvectorTooLong, refuseUnstorableText } from './http/inputGuards';
import type { RouteSpec, Routes } from './http/routes';
import { serveAdmin } from './http/staticAdmin';
import { makeLoginLimiters } from './services/auth';
import { articleExportRoutes } from './routes/articleExport';
import { auditEventRoutes } from './routes/auditEvents';
import { authRoutes } from './routes/auth';
import { healthRoutes } from './routes/health';
import { userRoutes } from './routes/users';
import { articleRoutes } from './routes/articles';
import { revisionRoutes } from './routes/revisions';
import { statusChangeRoutes } from './routes/statusChanges';
import { commentRoutes } from './routes/comments';
import { assigneeRoutes } from './routes/assignees';
import { statsRoutes } from './routes/stats';
import { batchRoutes } from './routes/batches';
import { qaRoutes } from './routes/qa';
import { confirmationRoutes } from './routes/confirmations';
import { glossaryRoutes } from './routes/glossary';
import { analyticsRoutes } from './routes/analytics';
import { bulkReplaceRoutes } from './routes/bulkReplace';
import { tmRoutes } from './routes/tm';
import { presenceRoutes } from './routes/presence';
import { qaErrorsFor } from './services/qa';

export interface AppDeps {
  db: PrismaClient;
  config: Readonly<Config>;
  logger?: Logger;
  /** Folder of the built admin UI; defaults to admin/dist. */
  adminDist?: string;
  /** The login rate limit's clock (milliseconds); tests pass a fake one instead of sleeping. */
  clock?: () => number;
}

export type App = express.Express & { locals: { routeTable: RouteSpec[] } };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True when an error means the database cannot be reached (not that a query was wrong). */
export function isDatabaseUnavailable(err: unknown): boolean {
  const codes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006', 'P1001', 'P1002', 'P1017']);
  const patterns = /timeout exceeded when trying to connect|Connection terminated|connection (?:refused|closed)|Can't reach database|the database system is (?:shutting down|starting up)|terminating connection due to administrator command|Client has encountered a connection error/i;
  for (let e: unknown = err, depth = 0; e && depth < 6; depth++) {
    const o = e as { code?: unknown; message?: unknown; cause?: unknown; originalCode?: unknown };
    if (typeof o.code === 'string' && codes.has(o.code)) return true;
    if (typeof o.originalCode === 'string' && codes.has(o.originalCode)) return true;
    if (typeof o.message === 'string' && patterns.test(o.message)) return true;
    e = o.cause;
  }
  return false;
}

/**
 * Builds the Express application. It does not listen: server/index.ts does,
 * and tests drive it with supertest.
 */
export function createApp(deps: AppDeps): App {
  const { db, config } = deps;
  const logger = deps.logger ?? createLogger(config);
  const app = express() as App;
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', 'simple');

  const policy: SessionPolicy = {
    secret: resolveSessionSecret(config.sessionSecret, config.dataDir),
    idleMs: config.sessionIdleMs,
    maxMs: config.sessionMaxMs,
  };
  const limiters = makeLoginLimiters(db, config, deps.clock);
  const guard = makeGuard(db);

  app.use(
    pinoHttp({
      logger,
      genReqId: (_req, res) => {
        const id = randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    }),
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          // MUI/emotion inject <style> elements at run time.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          scriptSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: null,
        },
      },
      strictTransportSecurity: config.secureCookies === 'always',
    }),
  );

  // CSRF: browsers cannot send a cross-site JSON body or a custom header
  // without a CORS preflight, which this server never grants. Together with
  // SameSite=Lax cookies this refuses forged form posts.
  app.use('/api', (req: Request, _res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method) || req.is('application/json') || req.get('x-requested-with')) return next();
    next(new ForbiddenError('State-changing requests must send a JSON body (Content-Type: application/json) or an X-Requested-With header.', 'csrf_rejected'));
  });
  // API answers (article records, lists, diffs) are JSON text that shrinks several times; the admin's static files are precompressed at build.
  app.use('/api', compression());
  app.use(express.json({ limit: config.bodyLimitBytes, strict: true }));
  app.use('/api', refuseUnstorableText);
  app.use(authenticate(db, policy));

  const routers: Routes[] = [
    healthRoutes({ db, guard }),
    authRoutes({ db, config, policy, limiters, guard }),
    userRoutes({ db, guard }),
    auditEventRoutes({ db, guard, checkpointFile: config.auditCheckpointFile, routeTable: () => app.locals.routeTable }),
    articleExportRoutes({ db, guard }),
    qaRoutes({ db, guard }),
    confirmationRoutes({ db, guard }),
    articleRoutes({ db, config, guard, qaCheck: qaErrorsFor }),
    revisionRoutes({ db, guard }),
    statusChangeRoutes({ db, guard }),
    commentRoutes({ db, guard }),
    assigneeRoutes({ db, guard }),
    statsRoutes({ db, guard }),
    ...batchRoutes({ db, guard }),
    glossaryRoutes({ db, guard }),
    analyticsRoutes({ db, guard }),
    bulkReplaceRoutes({ db, guard }),
    tmRoutes({ db, guard }),
    presenceRoutes({ db, guard }),
  ];
  app.locals.routeTable = routers.flatMap((r) => r.table);
  for (const r of routers) app.use(r.base, r.router);

  app.use('/api', (req: Request) => {
    throw new NotFoundError(`No API route ${req.method} ${req.originalUrl.split('?')[0]}.`, 'no_route');
  });

  const dist = deps.adminDist ?? path.join(PROJECT_ROOT, 'admin', 'dist');
  if (existsSync(path.join(dist, 'index.html'))) app.use(serveAdmin(dist));

  app.use(errorHandler(logger));
  return app;
}

function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const reqId = String((req as Request & { id?: unknown }).id ?? '');
    const send = (status: number, code: string, message: string, details?: unknown) => {
      if (res.headersSent) return;
      res.status(status).json({ error: { code, message, ...(details === undefined ? {} : { details }), requestId: reqId } });
    };
    if (err instanceof TooManyRequestsError) res.setHeader('Retry-After', String(err.retryAfterSeconds));
    if (err instanceof HttpError) {
      // A server-side failure behind a typed error (the database down for /healthz) is logged with its cause.
      if (err.status >= 500) logger.warn({ reqId, err: err.cause ?? err }, err.message);
      return send(err.status, err.code, err.message, err.details);
    }
    // Bad JSON, too large, bad encoding, a gzip body that is not gzip: the client's error, with its own status.
    const bodyError = bodyParserError(err, req);
    if (bodyError) return send(bodyError.status, bodyError.code, bodyError.message);
    if (isTsvectorTooLong(err)) {
      return send(413, 'text_too_long', "The article's text is too large to index for search (PostgreSQL's limit of 1 MB of search data per article); shorten or split it.");
    }
    // Prisma's P2002 and PostgreSQL's own 23505 (statements sent through the pool) alike.
    const unique = uniqueViolation(err);
    if (unique) return send(409, 'unique_violation', `A record with this ${unique.constraint ?? 'value'} already exists.`);
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2025') return send(404, 'not_found', 'The record does not exist.');
    if (isDatabaseUnavailable(err)) {
      logger.warn({ reqId, err }, 'database unavailable');
      res.setHeader('Retry-After', '5');
      return send(503, 'database_unavailable', 'The database is unavailable. Try again shortly.');
    }
    logger.error({ reqId, err }, 'unexpected error');
    send(500, 'internal', `Internal error. Quote request id ${reqId} to your administrator.`);
  };
}
