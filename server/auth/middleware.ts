import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { PrismaClient } from '../db/client';
import { ForbiddenError, UnauthorizedError } from '../errors';
import type { Guard, RouteSpec } from '../http/routes';
import { can } from '../../shared/permissions';
import { recordAudit } from '../services/audit';
import { clientIp, type UserActor } from './context';
import { resolveSession, SESSION_COOKIE, type SessionPolicy } from './sessions';

/** Reads one cookie from the Cookie header without pulling in a cookie parser for one value. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Resolves the session cookie into `res.locals.actor` and `res.locals.sessionId` when it is valid. */
export function authenticate(db: PrismaClient, policy: SessionPolicy): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const token = readCookie(req, SESSION_COOKIE);
    if (token) {
      const s = await resolveSession(db, token, policy);
      if (s) {
        const actor: UserActor = { ...s.user, ip: clientIp(req) };
        res.locals.actor = actor;
        res.locals.sessionId = s.sessionId;
      }
    }
    next();
  };
}

const WRITE_METHODS = new Set(['post', 'put', 'patch', 'delete']);

/**
 * The per-route access guard. Refusals of write routes are audited (in their
 * own transaction, since the refused change writes nothing).
 */
export function makeGuard(db: PrismaClient): Guard {
  return (spec: RouteSpec) => async (req: Request, res: Response, next: NextFunction) => {
    if (spec.access === 'public') return next();
    const actor = res.locals.actor as UserActor | undefined;
    if (!actor) throw new UnauthorizedError();
    if (spec.access === 'authenticated' || can(actor.role, spec.access)) return next();
    if (WRITE_METHODS.has(spec.method)) {
      await db.$transaction((tx) =>
        recordAudit(tx, actor, {
          action: 'permission.denied',
          entity: 'route',
          entityId: `${spec.method.toUpperCase()} ${spec.path}`,
          data: { permission: spec.access, role: actor.role, url: req.originalUrl.slice(0, 300) },
        }),
      );
    }
    throw new ForbiddenError(`Your role (${actor.role}) does not allow this: it needs the "${spec.access}" permission.`);
  };
}
