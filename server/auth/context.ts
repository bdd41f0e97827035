import { isIP } from 'node:net';
import type { Request, Response } from 'express';
import type { Actor } from '../services/audit';
import { UnauthorizedError } from '../errors';

export type UserRole = 'editor' | 'reviewer' | 'auditor' | 'admin';

/** A logged-in user acting through the API. */
export interface UserActor extends Actor {
  id: number;
  role: UserRole;
  displayName: string;
}

/** The logged-in user of this request; 401 when there is none. */
export function actorOf(res: Response): UserActor {
  const actor = res.locals.actor as UserActor | undefined;
  if (!actor) throw new UnauthorizedError();
  return actor;
}

/** Longest address stored (sessions, audit events, login limits): an IPv6 address with a zone fits. */
export const MAX_CLIENT_IP = 64;

/**
 * The client address as Express sees it (honours the trust-proxy setting).
 * Behind a trusted proxy it comes from X-Forwarded-For, which a client can
 * fill with anything: a value that is not an IP address is kept only as its
 * first MAX_CLIENT_IP characters, marked, so it can neither break a write
 * nor pass for an address.
 */
export function clientIp(req: Request): string {
  const raw = req.ip ?? req.socket.remoteAddress ?? 'unknown';
  if (isIP(raw) !== 0 || raw === 'unknown') return raw;
  return `?${raw}`.slice(0, MAX_CLIENT_IP);
}
