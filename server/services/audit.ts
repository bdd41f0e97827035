import { createHash, createHmac } from 'node:crypto';
import type { Prisma, SqlTx, Tx } from '../db/client';
import { appendAuditEvents, auditAppendCall } from '../db/sql/audit';

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
  /** The key the event is keyed with (see `AuditKey`); null for a legacy, unkeyed event. */
  keyId: string | null;
}

/**
 * The audit chain's HMAC key. It lives outside the database (config or a key
 * file, see auditKey.ts) and never reaches it: the application computes each
 * event's tag and the database only chains it in.
 */
export interface AuditKey {
  /** 16 hex characters naming the key, stored with each event it keys. */
  readonly id: string;
  readonly secret: Buffer;
}

/** The key from its 64 hex characters. */
export function auditKeyFromHex(hex: string): AuditKey {
  const secret = Buffer.from(hex, 'hex');
  return Object.freeze({ id: createHmac('sha256', secret).update('copydesk audit key id').digest('hex').slice(0, 16), secret });
}

let processKey: AuditKey | undefined;

/** Sets the key every event appended by this process is keyed with (at start-up, once the key is loaded). */
export function useAuditKey(key: AuditKey | undefined): void {
  processKey = key;
}

/** The key loaded at start-up; undefined before. */
export function currentAuditKey(): AuditKey | undefined {
  return processKey;
}

/**
 * An event's tag: hex(HMAC-SHA256(key, "copydesk audit event\n" ||
 * canonicalJson of the event without its id and time)). Only the
 * application knows it; the hash chains it in, so nobody without the key can
 * recompute a hash after changing anything before it.
 */
export function eventTag(key: AuditKey, e: Omit<HashedEventFields, 'id' | 'at'>): string {
  const content = canonicalJson({ action: e.action, actorId: e.actorId, actorName: e.actorName, data: e.data ?? {}, entity: e.entity, entityId: e.entityId, ip: e.ip });
  return createHmac('sha256', key.secret).update('copydesk audit event\n').update(content).digest('hex');
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
 * hash = hex(sha256(prevHash || tag || canonicalJson(body))), where tag is the
 * event's `eventTag` (empty for the legacy, unkeyed events), prevHash is the
 * previous event's hash as 64 lower-case hex characters (64 zeros for the
 * first event) and body is, keys in this (sorted) order:
 * `{"action","actorId","actorName","at","data","entity","entityId","id","ip"}`
 * with `at` as ISO 8601 UTC with milliseconds (`2026-11-21T14:30:05.123Z`), `id`
 * as a decimal string, `actorId`/`entityId`/`ip` possibly null, and `data` the
 * stored JSON object (`{}` when empty). See docs/audit-log.md.
 */
export function eventHash(prevHash: string, e: HashedEventFields, tag = ''): string {
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
  return createHash('sha256').update(prevHash).update(tag).update(body).digest('hex');
}

// Lone UTF-16 surrogates and NUL cannot be stored: PostgreSQL rejects them in
// JSONB ("\u0000", unpaired "\ud800") and the driver rewrites unpaired
// surrogates to U+FFFD in text columns, which would make the stored row hash
// differently from what was hashed. Replace them before hashing.
const UNSTORABLE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\u0000/g;

function storable(s: string): string {
  return s.replace(UNSTORABLE, '\uFFFD');
}

/**
 * `value` as JSONB will store and return it: a JSON round trip (undefined
 * members dropped, dates as ISO strings, bigints as decimal strings) with
 * unstorable characters replaced in strings and in keys alike.
 */
function storableJson(value: unknown): unknown {
  const plain = JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as unknown;
  const clean = (v: unknown): unknown => {
    if (typeof v === 'string') return storable(v);
    if (Array.isArray(v)) return v.map(clean);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [storable(k), clean(x)]));
    return v;
  };
  return clean(plain);
}

/**
 * One element of the `audit_append(events jsonb)` argument (see the
 * audit_append_function migration): the columns to store, plus the event's
 * canonical body cut around the two values only the database knows once the
 * chain's lock is held, so that
 * `body = pre + <at, ISO 8601> + mid + <id, decimal> + post` is exactly
 * `canonicalJson` of the fields `eventHash` hashes.
 */
interface AuditAppendEvent extends Omit<HashedEventFields, 'id' | 'at' | 'data'> {
  data: Prisma.InputJsonObject;
  tag: string;
  keyId: string;
  pre: string;
  mid: string;
  post: string;
}

/**
 * What `audit_append` needs to append `inputs` by `actor`, as the JSON text of
 * its `events` argument. Strings are made storable first and `data` goes
 * through a JSON round trip, so the hash covers exactly what JSONB stores and
 * returns. The body's keys are in canonicalJson's (sorted) order: action,
 * actorId, actorName, at | data, entity, entityId, id | ip.
 */
function auditAppendArgument(actor: Actor, inputs: readonly AuditInput[]): string {
  const key = processKey;
  if (!key) throw new AuditUsageError('The audit key is not loaded: call loadAuditKey (server/services/auditKey.ts) at start-up before writing audit events.');
  const j = canonicalJson;
  const events = inputs.map((input): AuditAppendEvent => {
    const data = storableJson(input.data ?? {}) as Prisma.InputJsonObject;
    const e = {
      actorId: actor.id,
      actorName: storable(actor.username),
      action: storable(input.action),
      entity: storable(input.entity),
      entityId: input.entityId === undefined || input.entityId === null ? null : storable(String(input.entityId)),
      ip: actor.ip == null ? null : storable(actor.ip),
      data,
    };
    return {
      ...e,
      tag: eventTag(key, e),
      keyId: key.id,
      pre: `{"action":${j(e.action)},"actorId":${j(e.actorId)},"actorName":${j(e.actorName)},"at":"`,
      mid: `","data":${j(e.data)},"entity":${j(e.entity)},"entityId":${j(e.entityId)},"id":"`,
      post: `","ip":${j(e.ip)}}`,
    };
  });
  return JSON.stringify(events);
}

/**
 * The SQL expression that appends `inputs` to the chain, for a write that
 * records its audit event inside its own statement (e.g. a save:
 * `… SELECT rev.id, ${auditAppendSql(…)} FROM rev`, called once per row, so
 * not at all when the write matched nothing). Evaluates to the new ids.
 */
export function auditAppendSql(actor: Actor, inputs: readonly AuditInput[]): Prisma.Sql {
  return auditAppendCall(auditAppendArgument(actor, inputs));
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
 * chain order too. The lock, the head read, the hashes and the insert are
 * one call of the database function `audit_append` (one round trip); call it
 * as the last write of the transaction to hold the lock briefly.
 *
 * `tx` is the client of an open transaction: Prisma's (`db.$transaction(async
 * (tx) => …)`) or `sqlTransaction`'s. It refuses (AuditUsageError) the plain
 * PrismaClient (each statement would commit alone, apart from the change it
 * records) or a REPEATABLE READ / SERIALIZABLE transaction, whose snapshot
 * predates the lock and could miss the latest event, forking the chain.
 */
export async function recordAudit(tx: Tx | SqlTx, actor: Actor, input: AuditInput): Promise<bigint> {
  const [id] = await recordAuditMany(tx, actor, [input]);
  return id;
}

/**
 * Appends several events by one actor in one go (e.g. one per article of an
 * export batch), chained in the order given, with the same guarantees as
 * `recordAudit` and a fixed number of statements whatever the count.
 */
export async function recordAuditMany(tx: Tx | SqlTx, actor: Actor, inputs: readonly AuditInput[]): Promise<bigint[]> {
  if (inputs.length === 0) return [];
  // A PrismaClient is structurally a TransactionClient; only the real one lacks $transaction.
  if (typeof (tx as { $transaction?: unknown }).$transaction === 'function') {
    throw new AuditUsageError('recordAudit needs the transaction client of db.$transaction(async (tx) => …), not the PrismaClient.');
  }
  try {
    return await appendAuditEvents(tx, auditAppendArgument(actor, inputs));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const refused = /the audit log needs a READ COMMITTED transaction, not ([A-Z ]+):/.exec(message);
    if (refused) throw new AuditUsageError(`recordAudit needs a READ COMMITTED transaction, not ${refused[1]}: its snapshot could miss the latest audit event.`);
    throw error;
  }
}
