// Transaction-scoped advisory locks. Every key lives here so that two
// features can never pick the same one by accident. Transaction-scoped only:
// a session-level lock would outlive the transaction's connection under a
// pooler in transaction mode (PgBouncer) and be released on the wrong one.
import { Prisma, type Db } from '../client';
import { execute } from './rows';

/** Serialises changes to the set of active admins (the last-admin rule) and the first admin's creation. */
const ADMINS_LOCK_KEY = 4242;
/** The audit chain's lock: the audit_append function (see its migration) takes the same one for every append. */
const AUDIT_CHAIN_LOCK_KEY = 1668247673;

/** Waits for the admins lock until the transaction ends. */
export async function lockAdmins(tx: Db): Promise<void> {
  await execute(tx, Prisma.sql`select pg_advisory_xact_lock(${ADMINS_LOCK_KEY}::bigint)`);
}

/** Waits for the audit chain's lock until the transaction ends: no event is appended meanwhile. */
export async function lockAuditChain(tx: Db): Promise<void> {
  await execute(tx, Prisma.sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY}::int)`);
}
