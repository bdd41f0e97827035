import type { Db } from '../db/client';
import { auditTriggers, connectionRole } from '../db/sql/auditGuards';
import { currentAuditKey, eventHash, eventTag, GENESIS_HASH, type AuditKey, type StoredAuditEvent } from './audit';
import { checkpointsFor, describeCheckpoint, type StoredCheckpoint } from './auditCheckpoints';

/**
 * What is wrong at the first broken event of the chain:
 * `unkeyed` an unkeyed event after a keyed one, or an unkeyed newest event;
 * `wrong_key` keyed with another key than the loaded one (or none is loaded);
 * `checkpoint` the chain disagrees with a checkpoint written outside the database.
 */
export type ChainProblem = 'changed' | 'missing' | 'reordered' | 'unkeyed' | 'wrong_key' | 'checkpoint';

export interface BrokenEvent {
  /** The event's id (a number, as in the API; ids stay far below 2^53). */
  id: number;
  problem: ChainProblem;
  /** A sentence for people: what was expected and what was found. */
  detail: string;
}

export interface VerifyResult {
  ok: boolean;
  /** Events checked: all of them when ok, else those before the broken one plus it. */
  count: number;
  /** The hash of the last event checked (the chain's head when ok); null for an empty log. */
  lastHash: string | null;
  /** The id of the last event checked; null for an empty log. */
  lastId: number | null;
  firstBroken?: BrokenEvent;
  /** The key the keyed events were checked with; null when none was loaded. */
  keyId: string | null;
  /** How many of the checked events are unkeyed (the legacy prefix written before the keyed chain). */
  unkeyedCount: number;
  /** The checkpoint file compared against, how many of its checkpoints are for this database, and the newest. */
  checkpoints: { file: string; count: number; latest: StoredCheckpoint | null } | null;
  /**
   * Problems with the database's append-only guards (a trigger dropped or
   * disabled). They do not break the chain, but while they last the log can
   * be rewritten without the application noticing until the next verify.
   */
  warnings: string[];
}

export type { StoredAuditEvent };

/** Rows read per query while walking the chain: the log is never loaded whole. */
export const VERIFY_PAGE_SIZE = 5000;

/**
 * The hash a stored event should have, recomputed from its columns and its
 * prevHash: keyed with `key` when the event is keyed, plain sha256 for a
 * legacy (unkeyed) event.
 */
export function recomputeHash(e: StoredAuditEvent, key: AuditKey | null = currentAuditKey() ?? null): string {
  // eventHash reads only the hashed fields, so the stored row can be passed as it is.
  if (e.keyId === null || !key) return eventHash(e.prevHash, e);
  return eventHash(e.prevHash, e, eventTag(key, e));
}

const short = (h: string) => `${h.slice(0, 12)}…`;

/**
 * Walks the audit chain in id order, a page at a time, and reports the first
 * event where it breaks:
 *
 * - `changed`: the event's stored hash does not match its contents and prevHash
 *   (a column was edited after it was written);
 * - `reordered`: its prevHash is the hash of another event than the one before
 *   it (events were moved, or two writers chained to the same event);
 * - `missing`: its prevHash is the hash of no event at all (events before it
 *   were deleted).
 *
 * and, for the keyed chain: `unkeyed` (an unkeyed event after a keyed one, or
 * an unkeyed newest event while a key is loaded) and `wrong_key`. With
 * `checkpointFile`, every checkpoint recorded there for this database must
 * still lie on the chain (`checkpoint`): deleting the newest events, which
 * leaves a valid shorter chain, is caught against the newest checkpoint.
 */
export async function verifyAuditChain(db: Db, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const pageSize = opts.pageSize ?? VERIFY_PAGE_SIZE;
  const key = opts.key === undefined ? (currentAuditKey() ?? null) : opts.key;
  const cps = opts.checkpointFile ? await checkpointsFor(db, opts.checkpointFile) : null;
  const wanted = new Map<string, StoredCheckpoint[]>();
  for (const cp of cps?.checkpoints ?? []) wanted.set(cp.id, [...(wanted.get(cp.id) ?? []), cp]);
  const seen = new Set<string>();
  let count = 0;
  let unkeyedCount = 0;
  let lastKeyed: bigint | null = null;
  let prev: { id: bigint; hash: string; keyId: string | null } | null = null;
  const result = async (ok: boolean, last: { id: bigint; hash: string } | null, firstBroken?: BrokenEvent): Promise<VerifyResult> => ({
    ok,
    count,
    lastHash: last?.hash ?? null,
    lastId: last ? Number(last.id) : null,
    ...(firstBroken ? { firstBroken } : {}),
    keyId: key?.id ?? null,
    unkeyedCount,
    checkpoints: cps && opts.checkpointFile ? { file: opts.checkpointFile, count: cps.checkpoints.length, latest: cps.checkpoints.at(-1) ?? null } : null,
    warnings: [...(cps?.problems ?? []), ...(await guardWarnings(db))],
  });
  for (;;) {
    const page: StoredAuditEvent[] = await db.auditEvent.findMany({
      where: prev ? { id: { gt: prev.id } } : {},
      orderBy: { id: 'asc' },
      take: pageSize,
    });
    for (const e of page) {
      count++;
      if (e.keyId === null) unkeyedCount++;
      const broken = (await checkEvent(db, e, prev, key, lastKeyed)) ?? checkpointAt(e, wanted.get(e.id.toString()));
      if (wanted.has(e.id.toString())) seen.add(e.id.toString());
      if (broken) return result(false, e, broken);
      if (e.keyId !== null) lastKeyed = e.id;
      prev = { id: e.id, hash: e.hash, keyId: e.keyId };
    }
    if (page.length < pageSize) break;
  }
  if (prev && prev.keyId === null && key) {
    return result(false, prev, {
      id: Number(prev.id),
      problem: 'unkeyed',
      detail:
        'it is the newest event and it is unkeyed (plain sha256), while a key is in use: either the newest events were rewritten without the key, or Copydesk has not started since the upgrade to the keyed chain (starting it appends the audit.keyed event that marks the switch)',
    });
  }
  // A checkpointed event that is gone from inside the chain: deleted, and the rest re-linked (which needs the key).
  const gone = (cps?.checkpoints ?? []).filter((cp) => prev !== null && BigInt(cp.id) <= prev.id && !seen.has(cp.id)).sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1))[0];
  if (gone) {
    return result(false, prev, {
      id: Number(gone.id),
      problem: 'checkpoint',
      detail: `the checkpoint on line ${gone.line} of ${opts.checkpointFile} recorded ${describeCheckpoint(gone)}, and there is no such event any more: it was deleted and the events after it re-linked`,
    });
  }
  // Checkpoints beyond the head: the chain has moved backwards.
  const beyond = (cps?.checkpoints ?? []).filter((cp) => prev === null || BigInt(cp.id) > prev.id).sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1))[0];
  if (beyond) {
    return result(false, prev, {
      id: Number(beyond.id),
      problem: 'checkpoint',
      detail: `the chain ends at ${prev ? `event #${prev.id}` : 'no event (the log is empty)'}, but the checkpoint on line ${beyond.line} of ${opts.checkpointFile} recorded ${describeCheckpoint(beyond)}: the newest events were deleted`,
    });
  }
  return result(true, prev);
}

export interface VerifyOptions {
  pageSize?: number;
  /** The key to check keyed events with; default: the one loaded at start-up. null: none. */
  key?: AuditKey | null;
  /** Compare the chain against the checkpoints in this file (see auditCheckpoints.ts). */
  checkpointFile?: string;
}

/** A checkpoint that recorded this event with another hash: the chain was rewritten up to here. */
function checkpointAt(e: StoredAuditEvent, cps: StoredCheckpoint[] | undefined): BrokenEvent | null {
  const bad = cps?.find((cp) => cp.hash !== e.hash);
  if (!bad) return null;
  return {
    id: Number(e.id),
    problem: 'checkpoint',
    detail: `its hash ${short(e.hash)} is not the one the checkpoint on line ${bad.line} recorded (${describeCheckpoint(bad)}): the chain was rewritten up to this event`,
  };
}

/**
 * What the application's own database connection could do to the audit log
 * beyond appending: a superuser, or the owner of audit_events (or a member of
 * the owner role), can disable the append-only triggers. docs/security.md,
 * "Database roles", says which roles to use instead.
 */
export async function connectionWarnings(db: Db): Promise<string[]> {
  const r = await connectionRole(db);
  if (!r) return [];
  if (r.superuser) return [`the application connects as the superuser "${r.user}", which can disable the audit log's append-only triggers (see docs/security.md, "Database roles")`];
  if (r.owner) return [`the application connects as "${r.user}", which owns audit_events and can disable its append-only triggers (see docs/security.md, "Database roles")`];
  return [];
}

/** The append-only triggers the migrations install, and what each refuses. */
const GUARDS: ReadonlyArray<[name: string, refuses: string]> = [
  ['audit_events_no_update_delete', 'UPDATE and DELETE'],
  ['audit_events_no_truncate', 'TRUNCATE'],
];

/**
 * Checks that the append-only triggers exist and fire ALWAYS. `tgenabled` is
 * 'A' as the migrations leave it; 'O' after a DISABLE/ENABLE TRIGGER round
 * trip (then `session_replication_role = replica` skips it again); 'D' when
 * disabled.
 */
export async function guardWarnings(db: Db): Promise<string[]> {
  const rows = await auditTriggers(db);
  const state = new Map(rows.map((r) => [r.name, r.enabled]));
  const out: string[] = [];
  for (const [name, refuses] of GUARDS) {
    const enabled = state.get(name);
    const fix = `ALTER TABLE audit_events ENABLE ALWAYS TRIGGER ${name}`;
    if (enabled === undefined) out.push(`the trigger ${name} is missing: ${refuses} of audit events is not refused (re-run the audit_append_only migrations)`);
    else if (enabled === 'D') out.push(`the trigger ${name} is disabled: ${refuses} of audit events is not refused (${fix})`);
    else if (enabled !== 'A') out.push(`the trigger ${name} does not fire ALWAYS: a session with session_replication_role = replica bypasses it (${fix})`);
  }
  return out;
}

async function checkEvent(db: Db, e: StoredAuditEvent, prev: { id: bigint; hash: string } | null, key: AuditKey | null, lastKeyed: bigint | null): Promise<BrokenEvent | null> {
  const id = Number(e.id);
  let expected: string;
  if (e.keyId === null) {
    if (lastKeyed !== null) {
      return {
        id,
        problem: 'unkeyed',
        detail: `it is unkeyed (plain sha256) but comes after keyed event #${lastKeyed}: unkeyed events only precede the keyed chain, so the events from here on were rewritten without the key`,
      };
    }
    expected = recomputeHash(e);
  } else {
    if (!key || key.id !== e.keyId) {
      return {
        id,
        problem: 'wrong_key',
        detail: key
          ? `it is keyed with key ${e.keyId}, not with the loaded audit key ${key.id}: the key id was altered, or the wrong key is configured`
          : `it is keyed with key ${e.keyId}, and no audit key is loaded to check it (set COPYDESK_AUDIT_KEY or restore the key file)`,
      };
    }
    expected = eventHash(e.prevHash, e, eventTag(key, e));
  }
  if (expected !== e.hash) {
    return {
      id,
      problem: 'changed',
      detail: `its stored hash ${short(e.hash)} does not match its contents (recomputed ${short(expected)}): the event was altered after it was written`,
    };
  }
  const expectedPrev = prev?.hash ?? GENESIS_HASH;
  if (e.prevHash === expectedPrev) return null;
  const expectedText = prev ? `the hash of event #${prev.id}` : 'the genesis hash (64 zeros), as it is the first event';
  const other = await db.auditEvent.findFirst({ where: { hash: e.prevHash, id: { not: e.id } }, select: { id: true } });
  if (other) {
    return {
      id,
      problem: 'reordered',
      detail: `its prevHash is the hash of event #${other.id}, not ${expectedText}: the events are out of order`,
    };
  }
  return {
    id,
    problem: 'missing',
    detail: `its prevHash ${short(e.prevHash)} matches no event; it should be ${expectedText}: an event before it was deleted`,
  };
}
