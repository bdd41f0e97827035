import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Db, PrismaClient } from '../db/client';
import { TooManyRequestsError, UnauthorizedError } from '../errors';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { FailureLimiter } from '../auth/rateLimiter';
import { createSession, destroySession, type SessionPolicy } from '../auth/sessions';
import { recordAudit, SYSTEM_ACTOR, type Actor } from './audit';
import { lockAdmins } from '../db/sql/locks';
import { userSelect, type UserRecord } from './users';

export const loginInput = z.object({
  username: z.string().trim().toLowerCase().min(1).max(64),
  password: z.string().min(1).max(1024),
});

export interface LoginLimiters {
  /** The shared counters (table login_attempts). */
  attempts: FailureLimiter;
  /** Attempts per client address and window that reach the password check. */
  perIp: number;
  /** Attempts per username and window that reach the password check. */
  perUser: number;
}

/** The login limits of `c` over counters in `db`; `now` is the clock (tests pass a fake one). */
export function makeLoginLimiters(
  db: Db,
  c: { loginLimitPerIp: number; loginLimitPerUser: number; loginWindowMs: number },
  now: () => number = Date.now,
): LoginLimiters {
  return { attempts: new FailureLimiter(db, c.loginWindowMs, now), perIp: c.loginLimitPerIp, perUser: c.loginLimitPerUser };
}

export interface LoginResult {
  token: string;
  user: UserRecord;
}

const BAD_CREDENTIALS = 'Invalid username or password.';

/**
 * Checks credentials and opens a new session.
 *
 * Every attempt first reserves one count against its client address and its
 * username (one atomic statement on the shared counters), and only an attempt
 * within both limits reaches the password check: however many arrive at once,
 * on however many instances, at most `perUser` guesses per username and
 * `perIp` per address are ever verified in a window. A refused attempt gives
 * its count back to the key that did not refuse it, so a flood at one account
 * does not use up its address's allowance (or the other way round); a
 * successful login gives back its address count and clears the username's,
 * so only failures add up. The first refusal per key and window is audited
 * (`auth.login_rate_limited`); later ones in that window are only counted
 * (login_attempts.count - limit), so a flood cannot grow the audit log.
 *
 * A previous session of this browser (`previousSessionId`) is destroyed, so
 * the session id always changes on login.
 */
export async function login(
  db: PrismaClient,
  limiters: LoginLimiters,
  policy: SessionPolicy,
  input: z.output<typeof loginInput>,
  meta: { ip: string; userAgent?: string; previousSessionId?: string },
): Promise<LoginResult> {
  const userKey = `u:${input.username}`;
  // An address from a trusted X-Forwarded-For is not validated: keep an odd, long one within the key column.
  const ipKey = `ip:${meta.ip.length <= 64 ? meta.ip : createHash('sha256').update(meta.ip).digest('hex')}`;
  const r = await limiters.attempts.reserve([
    { key: ipKey, limit: limiters.perIp },
    { key: userKey, limit: limiters.perUser },
  ]);
  if (!r.allowed) {
    await limiters.attempts.release(r.counted.filter((c) => !r.refusedKeys.includes(c.key)));
    if (r.firstRefusals.length > 0) await auditRateLimited(db, limiters, input.username, meta.ip, r.firstRefusals.map((k) => (k === userKey ? 'username' : 'address')), r.retryAfter);
    const wait = r.retryAfter;
    throw new TooManyRequestsError(`Too many failed logins. Try again in ${wait < 60 ? `${wait} second(s)` : `${Math.ceil(wait / 60)} minute(s)`}.`, wait);
  }

  const found = await db.user.findUnique({ where: { username: input.username }, select: { ...userSelect, passwordHash: true } });
  const ok = await verifyPassword(found?.passwordHash ?? null, input.password);
  if (!ok || !found || found.disabled) {
    const actor: Actor = found ? { id: found.id, username: found.username, role: found.role, ip: meta.ip } : { ...SYSTEM_ACTOR, username: 'anonymous', ip: meta.ip };
    await db.$transaction((tx) =>
      recordAudit(tx, actor, {
        action: 'auth.login_failed',
        entity: 'user',
        entityId: found?.id ?? null,
        data: { username: input.username, reason: !found ? 'unknown_user' : found.disabled ? 'disabled' : 'bad_password' },
      }),
    );
    throw new UnauthorizedError(BAD_CREDENTIALS, 'invalid_credentials');
  }

  await limiters.attempts.reset(userKey);
  await limiters.attempts.release(r.counted.filter((c) => c.key === ipKey));
  const { passwordHash: _hash, ...user } = found;
  const token = await db.$transaction(async (tx) => {
    if (meta.previousSessionId) await destroySession(tx, meta.previousSessionId);
    const t = await createSession(tx, user.id, policy, meta);
    await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
    await recordAudit(tx, { id: user.id, username: user.username, role: user.role, ip: meta.ip }, { action: 'auth.login', entity: 'user', entityId: user.id });
    return t;
  });
  return { token, user };
}

/** One audit event for the first refusal of a window, naming which limit(s) refused it. */
async function auditRateLimited(db: PrismaClient, limiters: LoginLimiters, username: string, ip: string, limitedBy: Array<'username' | 'address'>, retryAfterSeconds: number): Promise<void> {
  const found = await db.user.findUnique({ where: { username }, select: { id: true, username: true, role: true } });
  const actor: Actor = found ? { ...found, ip } : { ...SYSTEM_ACTOR, username: 'anonymous', ip };
  await db.$transaction((tx) =>
    recordAudit(tx, actor, {
      action: 'auth.login_rate_limited',
      entity: 'user',
      entityId: found?.id ?? null,
      data: {
        username,
        limitedBy,
        limits: { perAddress: limiters.perIp, perUsername: limiters.perUser, windowSeconds: Math.round(limiters.attempts.windowMs / 1000) },
        retryAfterSeconds,
      },
    }),
  );
}

/** Ends a session on the server, audited. */
export async function logout(db: PrismaClient, sessionId: string, actor: Actor): Promise<void> {
  await db.$transaction(async (tx) => {
    await destroySession(tx, sessionId);
    await recordAudit(tx, actor, { action: 'auth.logout', entity: 'user', entityId: actor.id });
  });
}

/**
 * Creates the first admin account when the users table is empty. Its password
 * is COPYDESK_ADMIN_PASSWORD, or a generated one that is returned so the
 * caller can print it once. Returns null when users already exist.
 */
export async function ensureFirstAdmin(db: PrismaClient, configuredPassword: string | undefined): Promise<{ username: string; generatedPassword?: string } | null> {
  if ((await db.user.count()) > 0) return null;
  const password = configuredPassword ?? randomBytes(12).toString('base64url');
  const passwordHash = await hashPassword(password);
  return db.$transaction(async (tx) => {
    // Two processes starting at once: the advisory lock lets only one create it.
    await lockAdmins(tx);
    if ((await tx.user.count()) > 0) return null;
    const admin = await tx.user.create({ data: { username: 'admin', displayName: 'Administrator', role: 'admin', passwordHash }, select: { id: true } });
    await recordAudit(tx, SYSTEM_ACTOR, { action: 'user.create', entity: 'user', entityId: admin.id, data: { username: 'admin', role: 'admin', firstAdmin: true } });
    return { username: 'admin', generatedPassword: configuredPassword ? undefined : password };
  });
}
