import type { Db } from '../db/client';
import { eventHash, GENESIS_HASH, type StoredAuditEvent } from './audit';

/** What is wrong at the first broken event of the chain. */
export type ChainProblem = 'changed' | 'missing' | 'reordered';

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

/** The hash a stored event should have, recomputed from its columns and its prevHash. */
export function recomputeHash(e: StoredAuditEvent): string {
  // eventHash reads only the hashed fields, so the stored row can be passed as it is.
  return eventHash(e.prevHash, e);
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
 * Deleting the newest events leaves a valid, shorter chain: compare the count
 * and last hash with a copy kept elsewhere to catch that.
 */
export async function verifyAuditChain(db: Db, opts: { pageSize?: number } = {}): Promise<VerifyResult> {
  const pageSize = opts.pageSize ?? VERIFY_PAGE_SIZE;
  let count = 0;
  let prev: { id: bigint; hash: string } | null = null;
  for (;;) {
    const page: StoredAuditEvent[] = await db.auditEvent.findMany({
      where: prev ? { id: { gt: prev.id } } : {},
      orderBy: { id: 'asc' },
      take: pageSize,
    });
    for (const e of page) {
      count++;
      const broken = await checkEvent(db, e, prev);
      if (broken) return { ok: false, count, lastHash: e.hash, lastId: Number(e.id), firstBroken: broken, warnings: await guardWarnings(db) };
      prev = { id: e.id, hash: e.hash };
    }
    if (page.length < pageSize) break;
  }
  return { ok: true, count, lastHash: prev?.hash ?? null, lastId: prev ? Number(prev.id) : null, warnings: await guardWarnings(db) };
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
  const rows = await db.$queryRaw<Array<{ name: string; enabled: string }>>`
    select tgname::text as name, tgenabled::text as enabled from pg_trigger where tgrelid = 'audit_events'::regclass and not tgisinternal`;
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

async function checkEvent(db: Db, e: StoredAuditEvent, prev: { id: bigint; hash: string } | null): Promise<BrokenEvent | null> {
  const id = Number(e.id);
  const expected = recomputeHash(e);
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
