import assert from 'node:assert/strict';
import { eventHash, GENESIS_HASH } from '../../server/services/audit';
import type { TestDatabase } from './db';

/** Asserts that the whole audit log of `db` is one unbroken chain, re-hashing every event from its stored columns. */
export async function assertAuditChain(db: Pick<TestDatabase, 'query'>): Promise<void> {
  const { rows } = await db.query(`select id, at, "actorId", "actorName", action, entity, "entityId", ip, data, "prevHash", hash from audit_events order by id`);
  let prev = GENESIS_HASH;
  for (const e of rows) {
    assert.equal(e.prevHash, prev, `event ${e.id} follows the one before`);
    assert.equal(eventHash(prev, { ...e, id: BigInt(e.id) } as Parameters<typeof eventHash>[1]), e.hash, `event ${e.id} hash`);
    prev = e.hash;
  }
}
