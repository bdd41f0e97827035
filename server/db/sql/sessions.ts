// The session lookup every authenticated request runs.
import { Prisma, type Db } from '../client';
import { ROLES } from '../../../shared/roles';
import { bool, date, int, oneOf, rowDecoder, selectRows, text, type RowOf } from './rows';

const sessionRow = { createdAt: date, lastSeenAt: date, id: int, username: text, displayName: text, role: oneOf(ROLES), disabled: bool };
const decode = rowDecoder('sessions.withUser', sessionRow);
/** A session with its user, as stored. */
export type SessionRow = RowOf<typeof sessionRow>;

/**
 * The session `id` joined to its user, or undefined when there is none. Raw:
 * this runs on every request, and one join costs a fraction of Prisma's relation query.
 */
export async function sessionWithUser(db: Db, id: string): Promise<SessionRow | undefined> {
  const [row] = await selectRows(
    db,
    Prisma.sql`
    SELECT s."createdAt", s."lastSeenAt", u.id, u.username, u."displayName", u.role::text AS role, u.disabled
      FROM sessions s JOIN users u ON u.id = s."userId"
     WHERE s.id = ${id}`,
    decode,
    // Prepared: planning this join costs more than running it (docs/benchmarks.md).
    { prepare: true },
  );
  return row;
}
