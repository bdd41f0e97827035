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

/** The stored columns of an audit event, as Prisma returns them. */
export interface StoredAuditEvent extends HashedEventFields {
  prevHash: string;
  hash: string;
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

/**
 * hash = hex(sha256(prevHash || canonicalJson(body))), where prevHash is the
 * previous event's hash as 64 lower-case hex characters (64 zeros for the
 * first event) and body is, keys in this (sorted) order:
 * `{"action","actorId","actorName","at","data","entity","entityId","id","ip"}`
 * with `at` as ISO 8601 UTC with milliseconds (`2026-11-21T14:30:05.123Z`), `id`
 * as a decimal string, `actorId`/`entityId`/`ip` possibly null, and `data` the
 * stored JSON object (`{}` when empty). See README, "Audit log".
 */
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

/** Rows per INSERT when appending many events (11 parameters each). */
const INSERT_CHUNK = 1000;

/** Any fixed key works: it only has to be the same for every writer of the chain. */
const AUDIT_CHAIN_LOCK = 0x636f7079; // "copy"

// Lone UTF-16 surrogates and NUL cannot be stored: PostgreSQL rejects them in
// JSONB ("\u0000", unpaired "\ud800") and the driver rewrites unpaired
// surrogates to U+FFFD in text columns, which would make the stored row hash
// differently from what was hashed. Replace them before hashing.
const UNSTORABLE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\u0000/g;

function storable(s: string): string {
  return s.replace(UNSTORABLE, '\uFFFD');
}

/** Thrown when recordAudit is called where it cannot keep the chain linear. */
export class AuditUsageError extends Error {
  override name = 'AuditUsageError';
}

/**
 * Appends one event to the audit log inside the caller's transaction; returns its id.
 *
 * The transaction-scoped advisory lock is held until commit, so events are
 * chained in commit order even with concurrent writers: the next writer reads
 * the previous hash only after this transaction has committed or rolled back.
 * The id and the time are taken after the lock, so ids and times follow the
 * chain order too. Call it as the last write of the transaction to hold the
 * lock briefly.
 *
 * It refuses (AuditUsageError) to run outside an interactive transaction
 * (each statement would commit alone and release the lock at once) or in a
 * REPEATABLE READ / SERIALIZABLE transaction, whose snapshot predates the lock
 * and could miss the latest event, forking the chain.
 */
export async function recordAudit(tx: Tx, actor: Actor, input: AuditInput): Promise<bigint> {
  const [id] = await recordAuditMany(tx, actor, [input]);
  return id;
}

/**
 * Appends several events by one actor in one go (e.g. one per article of an
 * export batch), chained in the order given, with the same guarantees as
 * `recordAudit` and a fixed number of statements whatever the count.
 */
export async function recordAuditMany(tx: Tx, actor: Actor, inputs: readonly AuditInput[]): Promise<bigint[]> {
  if (inputs.length === 0) return [];
  // A PrismaClient is structurally a TransactionClient; only the real one lacks $transaction.
  if (typeof (tx as { $transaction?: unknown }).$transaction === 'function') {
    throw new AuditUsageError('recordAudit needs the transaction client of db.$transaction(async (tx) => …), not the PrismaClient.');
  }
  // Two statements on purpose: under READ COMMITTED the second one takes its
  // snapshot after the lock is granted, so it sees the last committed event.
  const [{ iso }] = await tx.$queryRaw<Array<{ iso: string }>>`
    select current_setting('transaction_isolation') as iso from (select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})) as locked`;
  if (iso !== 'read committed') {
    throw new AuditUsageError(`recordAudit needs a READ COMMITTED transaction, not ${iso.toUpperCase()}: its snapshot could miss the latest audit event.`);
  }
  const heads = await tx.$queryRaw<Array<{ prev: string | null; id: bigint; at: Date }>>`
    select (select hash from audit_events order by id desc limit 1) as prev,
           nextval(pg_get_serial_sequence('audit_events', 'id')) as id,
           clock_timestamp()::timestamptz(3) as at
    from generate_series(1, ${inputs.length}::int)`;
  const ids = heads.map((h) => BigInt(h.id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const at = new Date(heads[0].at);
  let prevHash = heads[0].prev ?? GENESIS_HASH;
  const rows = inputs.map((input, i) => {
    // Round-trip through JSON so the hash covers exactly what JSONB stores and returns.
    const data = JSON.parse(
      JSON.stringify(input.data ?? {}, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : typeof v === 'string' ? storable(v) : v)),
    ) as Prisma.InputJsonObject;
    const fields: HashedEventFields = {
      id: ids[i],
      at,
      actorId: actor.id,
      actorName: storable(actor.username),
      action: storable(input.action),
      entity: storable(input.entity),
      entityId: input.entityId === undefined || input.entityId === null ? null : storable(String(input.entityId)),
      ip: actor.ip == null ? null : storable(actor.ip),
      data,
    };
    const hash = eventHash(prevHash, fields);
    const row = { ...fields, data, prevHash, hash };
    prevHash = hash;
    return row;
  });
  // One parameter per chunk (a JSON array of rows) instead of eleven per row:
  // an export or import of thousands of articles stays a handful of fast statements.
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK).map((r) => ({ ...r, id: r.id.toString(), at: r.at.toISOString() }));
    await tx.$executeRaw`
      insert into audit_events (id, at, "actorId", "actorName", action, entity, "entityId", ip, data, "prevHash", hash)
      select id, at, "actorId", "actorName", action, entity, "entityId", ip, data, "prevHash", hash
        from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as x(
          id bigint, at timestamptz, "actorId" int, "actorName" text, action text, entity text, "entityId" text,
          ip text, data jsonb, "prevHash" text, hash text)
       order by id`;
  }
  return ids;
}
