import assert from 'node:assert/strict';
import type { PrismaClient } from '../../server/db/client';
import { verifyAuditChain } from '../../server/services/auditVerify';

/**
 * Asserts that the whole audit log of `t.db` is one unbroken, keyed chain, by
 * the same check `npm run audit -- verify` runs (re-hashing every event with
 * the run's audit key).
 */
export async function assertAuditChain(t: { db: PrismaClient }): Promise<void> {
  const r = await verifyAuditChain(t.db);
  assert.ok(r.ok, `audit chain broken: ${JSON.stringify(r.firstBroken)}`);
  assert.equal(r.unkeyedCount ?? 0, 0, 'every event is keyed');
}
