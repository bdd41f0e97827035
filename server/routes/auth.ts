import type { CookieOptions, Request, Response } from 'express';
import type { PrismaClient } from '../db/client';
import { actorOf, clientIp } from '../auth/context';
import { SESSION_COOKIE, type SessionPolicy } from '../auth/sessions';
import { Routes, type Guard } from '../http/routes';
import type { Config } from '../config';
import { login, loginInput, logout, type LoginLimiters } from '../services/auth';

/** Session cookie flags: HttpOnly, SameSite=Lax, and Secure over TLS (or always/never by configuration). */
export function cookieOptions(req: Request, config: Pick<Config, 'secureCookies' | 'sessionMaxMs'>): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies === 'always' ? true : config.secureCookies === 'never' ? false : req.secure,
    path: '/',
    maxAge: config.sessionMaxMs,
  };
}

export function authRoutes(deps: { db: PrismaClient; config: Config; policy: SessionPolicy; limiters: LoginLimiters; guard: Guard }): Routes {
  const { db, config, policy, limiters } = deps;
  const r = new Routes('/api/auth', deps.guard);

  r.post('/login', { access: 'public', audit: 'auth.login', body: loginInput }, async (req: Request, res: Response, { body }) => {
    const { token, user } = await login(db, limiters, policy, body, {
      ip: clientIp(req),
      userAgent: req.get('user-agent'),
      previousSessionId: res.locals.sessionId as string | undefined,
    });
    res.cookie(SESSION_COOKIE, token, cookieOptions(req, config));
    res.json({ id: user.id, username: user.username, displayName: user.displayName, role: user.role });
  });

  r.post('/logout', { access: 'authenticated', audit: 'auth.logout' }, async (req: Request, res: Response) => {
    await logout(db, res.locals.sessionId as string, actorOf(res));
    const { maxAge: _maxAge, ...opts } = cookieOptions(req, config);
    res.clearCookie(SESSION_COOKIE, opts);
    res.status(204).end();
  });

  r.get('/me', { access: 'authenticated' }, (_req: Request, res: Response) => {
    const a = actorOf(res);
    res.json({ id: a.id, username: a.username, displayName: a.displayName, role: a.role });
  });

  return r;
}
