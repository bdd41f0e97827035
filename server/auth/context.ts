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

/** The client address as Express sees it (honours the trust-proxy setting). */
export function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
