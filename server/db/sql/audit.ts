// The audit chain's append (server/services/audit.ts builds its argument:
// the events, canonicalised). The database function audit_append takes the
// chain's lock, reads the head, hashes and inserts in one call.
import { Prisma, type SqlTx } from '../client';
import { arrayOf, bigint, rowDecoder, selectTxRows } from './rows';

/** The `audit_append(…)` call for `events` (a JSON array), for a write that appends inside its own statement; evaluates to the new ids. */
export function auditAppendCall(events: string): Prisma.Sql {
  return Prisma.sql`audit_append(${events}::jsonb)`;
}

const decodeIds = rowDecoder('audit.append', { ids: arrayOf(bigint) });

/** Appends `events` (a JSON array) in the open transaction `tx`; the new events' ids, in order. */
export async function appendAuditEvents(tx: SqlTx, events: string): Promise<bigint[]> {
  const [row] = await selectTxRows(tx, Prisma.sql`select ${auditAppendCall(events)} as ids`, decodeIds);
  return row.ids;
}
