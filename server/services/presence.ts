import { z } from 'zod';
import type { Db } from '../db/client';
import { beatAndListOthers, othersOnArticle, pruneStalePresence } from '../db/sql/presence';
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
 * `POST /api/articles/:id/presence`: records that `actor` has the article
 * open (and whether they are editing), prunes stale rows, and answers who else
 * has it open. One statement, no session state (no advisory locks, no
 * LISTEN), so it works across app instances and through a transaction-mode
 * pooler. Not audited: a heartbeat every 20 s per open tab would bury the
 * audit log, and presence is advisory; the saves it warns about are audited.
 */
export async function heartbeat(db: Db, articleId: number, input: z.output<typeof heartbeatInput>, actor: UserActor): Promise<PresenceEntry[]> {
  const others = await beatAndListOthers(db, articleId, actor.id, input.editing, PRESENCE_WINDOW_SECONDS);
  if (others === null) throw new NotFoundError(`Article ${articleId} does not exist.`);
  await pruneStalePresence(db, PRESENCE_PRUNE_SECONDS);
  return others;
}

/** `GET /api/articles/:id/presence`: who else has the article open now. */
export async function listPresence(db: Db, articleId: number, actor: UserActor): Promise<PresenceEntry[]> {
  const exists = await db.article.findUnique({ where: { id: articleId }, select: { id: true } });
  if (!exists) throw new NotFoundError(`Article ${articleId} does not exist.`);
  return othersOnArticle(db, articleId, actor.id, PRESENCE_WINDOW_SECONDS);
}

/** `DELETE /api/articles/:id/presence`: the editor closed the article. Idempotent. */
export async function leave(db: Db, articleId: number, actor: UserActor): Promise<void> {
  await db.presence.deleteMany({ where: { articleId, userId: actor.id } });
}
