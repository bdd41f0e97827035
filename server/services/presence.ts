import { z } from 'zod';
import { Prisma, queryRows, type Db } from '../db/client';
import { NotFoundError } from '../errors';
import type { UserActor } from '../auth/context';

/** A user counts as "also open" while their last heartbeat is younger than this (the editor beats every 20 s). */
export const PRESENCE_WINDOW_SECONDS = 60;
/** Rows older than this are deleted by the next heartbeat of anyone: a closed tab that never said goodbye. */
export const PRESENCE_PRUNE_SECONDS = 300;

/** Someone else with the article open. */
export interface PresenceEntry {
  userId: number;
  displayName: string;
  /** True while they have unsaved changes. */
  editing: boolean;
  /** Seconds since their last heartbeat, by the database's clock. */
  secondsAgo: number;
}

/** A heartbeat's body; a request with no body at all is a heartbeat that is not editing. */
export const heartbeatInput = z.preprocess(
  (v) => v ?? {},
  z.object({ editing: z.boolean({ error: () => 'must be true or false' }).optional().default(false) }).strict(),
);

/**
 * The others seen on `articleId` within the window. Times are
 * the database's clock, so app instances with drifting clocks agree. Most
 * recent first.
 */
function othersSql(articleId: number, actorId: number): Prisma.Sql {
  return Prisma.sql`
    SELECT p."userId", u."displayName", p.editing, greatest(0, extract(epoch FROM now() - p."lastSeen"))::int AS "secondsAgo"
      FROM presence p JOIN users u ON u.id = p."userId"
     WHERE p."articleId" = ${articleId} AND p."userId" <> ${actorId} AND NOT u.disabled
       AND p."lastSeen" > now() - make_interval(secs => ${PRESENCE_WINDOW_SECONDS})
     ORDER BY p."lastSeen" DESC, p."userId"`;
}

/**
 * `POST /api/articles/:id/presence`: records that `actor` has the article
 * open (and whether they are editing), prunes stale rows, and answers who else
 * has it open. One statement, no session state (no advisory locks, no
 * LISTEN), so it works across app instances and through a transaction-mode
 * pooler. Not audited: a heartbeat every 20 s per open tab would bury the
 * audit log, and presence is advisory; the saves it warns about are audited.
 */
export async function heartbeat(db: Db, articleId: number, input: z.output<typeof heartbeatInput>, actor: UserActor): Promise<PresenceEntry[]> {
  const rows = await queryRows<{ found: boolean; others: PresenceEntry[] | null }>(
    db,
    Prisma.sql`
    WITH art AS (SELECT id FROM articles WHERE id = ${articleId}),
    beat AS (
      INSERT INTO presence ("userId", "articleId", editing, "lastSeen")
      SELECT ${actor.id}, art.id, ${input.editing}, now() FROM art
      ON CONFLICT ("userId", "articleId") DO UPDATE SET editing = EXCLUDED.editing, "lastSeen" = EXCLUDED."lastSeen"
      RETURNING 1)
    SELECT (SELECT count(*) FROM art) > 0 AS found, (SELECT count(*) FROM beat) AS beats,
           (SELECT json_agg(o) FROM (${othersSql(articleId, actor.id)}) o) AS others`,
  );
  if (!rows[0]?.found) throw new NotFoundError(`Article ${articleId} does not exist.`);
  await pruneStale(db);
  return rows[0].others ?? [];
}

/**
 * Deletes the rows of tabs that closed without saying so, set-based. Its own
 * statement, after the heartbeat's, and skipping rows another heartbeat holds:
 * a prune never waits, so two heartbeats can never deadlock on each other's rows.
 */
async function pruneStale(db: Db): Promise<void> {
  await db.$executeRaw`
    DELETE FROM presence WHERE ("userId", "articleId") IN (
      SELECT "userId", "articleId" FROM presence
       WHERE "lastSeen" < now() - make_interval(secs => ${PRESENCE_PRUNE_SECONDS})
       LIMIT 1000 FOR UPDATE SKIP LOCKED)`;
}

/** `GET /api/articles/:id/presence`: who else has the article open now. */
export async function listPresence(db: Db, articleId: number, actor: UserActor): Promise<PresenceEntry[]> {
  const exists = await db.article.findUnique({ where: { id: articleId }, select: { id: true } });
  if (!exists) throw new NotFoundError(`Article ${articleId} does not exist.`);
  return queryRows<PresenceEntry>(db, othersSql(articleId, actor.id));
}

/** `DELETE /api/articles/:id/presence`: the editor closed the article. Idempotent. */
export async function leave(db: Db, articleId: number, actor: UserActor): Promise<void> {
  await db.presence.deleteMany({ where: { articleId, userId: actor.id } });
}
