import assert from 'node:assert/strict';
import { auditKeyFromHex, eventHash, eventTag, GENESIS_HASH } from '../../server/services/audit';
import { TEST_AUDIT_KEY, type TestDatabase } from './db';

/**
 * Asserts that the whole audit log of `db` is one unbroken chain, re-hashing
 * every event from its stored columns; keyed events with the run's audit key.
 */
export async function assertAuditChain(db: Pick<TestDatabase, 'query'>): Promise<void> {
  const key = auditKeyFromHex(TEST_AUDIT_KEY);
  const { rows } = await db.query(`select id, at, "actorId", "actorName", action, entity, "entityId", ip, data, "keyId", "prevHash", hash from audit_events order by id`);
  let prev = GENESIS_HASH;
  for (const e of rows) {
    assert.equal(e.prevHash, prev, `event ${e.id} follows the one before`);
    const fields = { ...e, id: BigInt(e.id) } as Parameters<typeof eventHash>[1];
    assert.equal(eventHash(prev, fields, e.keyId === null ? '' : eventTag(key, fields)), e.hash, `event ${e.id} hash`);
    prev = e.hash;
  }
}
