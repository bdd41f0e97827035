import { createHmac, randomBytes } from 'node:crypto';
import { Prisma, queryRows, type Db } from '../db/client';

export const SESSION_COOKIE = 'copydesk_sid';

export interface SessionPolicy {
  secret: string;
  idleMs: number;
  maxMs: number;
}

/** The stored id of a session: an HMAC of the cookie token, so a leaked sessions table opens no session. */
export function sessionId(token: string, secret: string): string {
  return createHmac('sha256', secret).update(token).digest('hex');
}

/** Creates a session for `userId` and returns the cookie token. */
export async function createSession(db: Db, userId: number, policy: SessionPolicy, meta: { ip?: string; userAgent?: string }): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.session.create({
    data: {
      id: sessionId(token, policy.secret),
      userId,
      ip: meta.ip?.slice(0, 64) ?? null,
      userAgent: meta.userAgent?.slice(0, 512) ?? null,
    },
  });
  return token;
}

export interface SessionUser {
  sessionId: string;
  user: { id: number; username: string; displayName: string; role: 'editor' | 'reviewer' | 'auditor' | 'admin' };
}

// lastSeenAt is written at most this often, so reads do not turn into writes.
// With short idle limits it is written more often (a quarter of the limit):
// otherwise a session in steady use could expire because its last write was
// nearly a whole idle period ago.
const TOUCH_EVERY_MS = 60_000;

/**
 * Resolves a cookie token to its live session and user. Expired sessions
 * (idle too long or older than the maximum) and sessions of disabled users are
 * deleted and yield null.
 */
export async function resolveSession(db: Db, token: string, policy: SessionPolicy, now = new Date()): Promise<SessionUser | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const id = sessionId(token, policy.secret);
  // Raw: this runs on every request, and one join costs a fraction of Prisma's relation query.
  const [row] = await queryRows<{ createdAt: Date; lastSeenAt: Date; id: number; username: string; displayName: string; role: SessionUser['user']['role']; disabled: boolean }>(
    db,
    Prisma.sql`
    SELECT s."createdAt", s."lastSeenAt", u.id, u.username, u."displayName", u.role::text AS role, u.disabled
      FROM sessions s JOIN users u ON u.id = s."userId"
     WHERE s.id = ${id}`,
    { prepare: true },
  );
  if (!row) return null;
  const s = { createdAt: row.createdAt, lastSeenAt: row.lastSeenAt, user: { id: row.id, username: row.username, displayName: row.displayName, role: row.role, disabled: row.disabled } };
  const idle = now.getTime() - s.lastSeenAt.getTime();
  const age = now.getTime() - s.createdAt.getTime();
  if (idle > policy.idleMs || age > policy.maxMs || s.user.disabled) {
    await db.session.deleteMany({ where: { id } });
    return null;
  }
  if (idle > Math.min(TOUCH_EVERY_MS, policy.idleMs / 4)) await db.session.updateMany({ where: { id }, data: { lastSeenAt: now } });
  const { disabled: _disabled, ...user } = s.user;
  return { sessionId: id, user };
}

/** Deletes one session by its stored id. */
export async function destroySession(db: Db, id: string): Promise<void> {
  await db.session.deleteMany({ where: { id } });
}
