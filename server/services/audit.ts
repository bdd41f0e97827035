import { createHash } from 'node:crypto';
import type { Prisma, Tx } from '../db/client';

/** The hash that stands before the first event of the chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** Who did something: a user, or the system itself (imports without --as, start-up). */
export interface Actor {
  id: number | null;
  username: string;
  role: 'editor' | 'reviewer' | 'auditor' | 'admin' | 'system';
  ip?: string | null;
}

export const SYSTEM_ACTOR: Actor = Object.freeze({ id: null, username: 'system', role: 'system' });

export interface AuditInput {
  action: string;
  entity: string;
  entityId?: string | number | bigint | null;
  data?: Record<string, unknown>;
}

/** The fields of an event that its hash covers. */
export interface HashedEventFields {
  id: bigint;
  at: Date;
  actorId: number | null;
  actorName: string;
  action: string;
  entity: string;
  entityId: string | null;
  ip: string | null;
  data: unknown;
}

/**
 * Canonical JSON: object keys sorted by UTF-16 code unit order at every depth,
 * no whitespace, arrays in order, `undefined` members dropped. Timestamps are
 * written before they get here as ISO 8601 UTC with exactly three fractional
 * digits (the column's precision), and bigint ids as decimal strings.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    if (typeof value === 'bigint') return JSON.stringify(value.toString());
    return JSON.stringify(value) ?? 'null';
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** hash = sha256(prevHash || canonical JSON of the event's fields), hex. */
export function eventHash(prevHash: string, e: HashedEventFields): string {
  const body = canonicalJson({
    id: e.id.toString(),
    at: e.at.toISOString(),
    actorId: e.actorId,
    actorName: e.actorName,
    action: e.action,
    entity: e.entity,
    entityId: e.entityId,
    ip: e.ip,
    data: e.data ?? {},
  });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

/** Any fixed key works: it only has to be the same for every writer of the chain. */
const AUDIT_CHAIN_LOCK = 0x636f7079; // "copy"

/**
 * Appends one event to the audit log inside the caller's transaction.
 *
 * The transaction-scoped advisory lock is held until commit, so events are
 * chained in commit order even with concurrent writers: the next writer reads
 * the previous hash only after this transaction has committed or rolled back.
 * Call it as the last write of the transaction to hold the lock briefly.
 */
export async function recordAudit(tx: Tx, actor: Actor, input: AuditInput): Promise<bigint> {
  await tx.$executeRaw`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`;
  const [last] = await tx.$queryRaw<Array<{ hash: string }>>`select hash from audit_events order by id desc limit 1`;
  const [{ id }] = await tx.$queryRaw<Array<{ id: bigint }>>`select nextval(pg_get_serial_sequence('audit_events', 'id')) as id`;
  const prevHash = last?.hash ?? GENESIS_HASH;
  // Round-trip through JSON so the hash covers exactly what JSONB stores and returns.
  const data = JSON.parse(JSON.stringify(input.data ?? {}, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))) as Prisma.InputJsonObject;
  const fields: HashedEventFields = {
    id: BigInt(id),
    at: new Date(),
    actorId: actor.id,
    actorName: actor.username,
    action: input.action,
    entity: input.entity,
    entityId: input.entityId === undefined || input.entityId === null ? null : String(input.entityId),
    ip: actor.ip ?? null,
    data,
  };
  const hash = eventHash(prevHash, fields);
  await tx.auditEvent.create({
    data: {
      id: fields.id,
      at: fields.at,
      actorId: fields.actorId,
      actorName: fields.actorName,
      action: fields.action,
      entity: fields.entity,
      entityId: fields.entityId,
      ip: fields.ip,
      data,
      prevHash,
      hash,
    },
  });
  return fields.id;
}
