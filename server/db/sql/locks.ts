// Transaction-scoped advisory locks. Every key lives here so that two
// features can never pick the same one by accident. Transaction-scoped only:
// a session-level lock would outlive the transaction's connection under a
// pooler in transaction mode (PgBouncer) and be released on the wrong one.
import { Prisma, type Db, type SqlTx } from '../client';
import { execute, executeTx } from './rows';

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

/** Serialises runs of the maintenance task `task` (keyed by the hash of its name) until the transaction ends. */
export async function lockMaintenanceTask(tx: Db, task: string): Promise<void> {
  await execute(tx, Prisma.sql`SELECT pg_advisory_xact_lock(hashtext(${task}))`);
}

// An import run's files (two-int keys: the batch id and the file's index in the run). A file's
// transaction holds its own lock; a later file waits for its outcome by taking it shared.

/** Holds the lock of file `index` of import batch `batchId` until the transaction ends. */
export async function lockImportFile(tx: SqlTx, batchId: number | null, index: number): Promise<void> {
  await executeTx(tx, Prisma.sql`select pg_advisory_xact_lock(${batchId}::int, ${index}::int)`);
}

/** Waits until the transaction of file `index` of import batch `batchId` has ended (its lock, taken shared). */
export async function awaitImportFile(tx: SqlTx, batchId: number | null, index: number): Promise<void> {
  await executeTx(tx, Prisma.sql`select pg_advisory_xact_lock_shared(${batchId}::int, ${index}::int)`);
}
