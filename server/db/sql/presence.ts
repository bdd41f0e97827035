// The presence statements (table presence): who has an article open. Each is
// one statement with the database's clock, so app instances agree.
import { Prisma, type Db } from '../client';
import { arrayOf, bool, execute, int, nullable, rowDecoder, selectRows, text, type RowOf } from './rows';

const presenceRow = { userId: int, displayName: text, editing: bool, secondsAgo: int };
const decodeEntry = rowDecoder('presence.others', presenceRow);
/** Someone else with the article open. */
export type PresenceRow = RowOf<typeof presenceRow>;

/** The others seen on `articleId` within the last `windowSeconds`, most recent first. */
function othersSql(articleId: number, actorId: number, windowSeconds: number): Prisma.Sql {
  return Prisma.sql`
    SELECT p."userId", u."displayName", p.editing, greatest(0, extract(epoch FROM now() - p."lastSeen"))::int AS "secondsAgo"
      FROM presence p JOIN users u ON u.id = p."userId"
     WHERE p."articleId" = ${articleId} AND p."userId" <> ${actorId} AND NOT u.disabled
       AND p."lastSeen" > now() - make_interval(secs => ${windowSeconds})
     ORDER BY p."lastSeen" DESC, p."userId"`;
}

const decodeBeat = rowDecoder('presence.beat', { found: bool, others: nullable(arrayOf((v) => decodeEntry(v))) });

/**
 * Records `actorId`'s heartbeat on `articleId` and answers who else has it
 * open; null when the article does not exist (nothing is written then).
 */
export async function beatAndListOthers(db: Db, articleId: number, actorId: number, editing: boolean, windowSeconds: number): Promise<PresenceRow[] | null> {
  const [row] = await selectRows(
    db,
    Prisma.sql`
    WITH art AS (SELECT id FROM articles WHERE id = ${articleId}),
    beat AS (
      INSERT INTO presence ("userId", "articleId", editing, "lastSeen")
      SELECT ${actorId}, art.id, ${editing}, now() FROM art
      ON CONFLICT ("userId", "articleId") DO UPDATE SET editing = EXCLUDED.editing, "lastSeen" = EXCLUDED."lastSeen"
      RETURNING 1)
    SELECT (SELECT count(*) FROM art) > 0 AS found, (SELECT count(*) FROM beat) AS beats,
           (SELECT json_agg(o) FROM (${othersSql(articleId, actorId, windowSeconds)}) o) AS others`,
    decodeBeat,
  );
  return row?.found ? (row.others ?? []) : null;
}

/** The others on `articleId` within the window. */
export async function othersOnArticle(db: Db, articleId: number, actorId: number, windowSeconds: number): Promise<PresenceRow[]> {
  return selectRows(db, othersSql(articleId, actorId, windowSeconds), decodeEntry);
}

/**
 * Deletes up to 1000 rows older than `pruneSeconds`, skipping rows another
 * heartbeat holds: a prune never waits, so two heartbeats never deadlock.
 */
export async function pruneStalePresence(db: Db, pruneSeconds: number): Promise<void> {
  await execute(
    db,
    Prisma.sql`
    DELETE FROM presence WHERE ("userId", "articleId") IN (
      SELECT "userId", "articleId" FROM presence
       WHERE "lastSeen" < now() - make_interval(secs => ${pruneSeconds})
       LIMIT 1000 FOR UPDATE SKIP LOCKED)`,
  );
}
