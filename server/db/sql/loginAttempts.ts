// The statements behind the login rate limit (table login_attempts). Each is
// one statement, so concurrent requests on any number of app instances see
// and change the counters atomically.
import { Prisma, queryRows, type Db } from '../client';

/** A counter as it stands after a statement. */
export interface AttemptRow {
  key: string;
  windowStart: Date;
  count: number;
}

function decode(r: { key: string; windowStart: Date | string; count: number | string }): AttemptRow {
  return { key: r.key, windowStart: new Date(r.windowStart), count: Number(r.count) };
}

/**
 * Adds one attempt to each key's counter and returns the counters after it.
 * A counter whose window started at or before `cutoff` restarts at 1 in a new
 * window starting `now`. Rows are locked in key order, so two requests
 * reserving the same pair of keys cannot deadlock.
 */
export async function incrementAttempts(db: Db, keys: readonly string[], now: Date, cutoff: Date): Promise<AttemptRow[]> {
  const sorted = [...new Set(keys)].sort();
  if (sorted.length === 0) return [];
  const rows = await queryRows<{ key: string; windowStart: Date; count: number }>(
    db,
    Prisma.sql`
      insert into login_attempts as a (key, "windowStart", count)
      values ${Prisma.join(sorted.map((k) => Prisma.sql`(${k}, ${now}::timestamptz, 1)`))}
      on conflict (key) do update set
        "windowStart" = case when a."windowStart" <= ${cutoff}::timestamptz then excluded."windowStart" else a."windowStart" end,
        count = case when a."windowStart" <= ${cutoff}::timestamptz then 1 else a.count + 1 end
      returning key, "windowStart", count`,
  );
  return rows.map(decode);
}

/** Gives back one attempt on each counter, provided it is still in the window the attempt was counted in. */
export async function decrementAttempts(db: Db, counted: ReadonlyArray<Pick<AttemptRow, 'key' | 'windowStart'>>): Promise<void> {
  if (counted.length === 0) return;
  await queryRows(
    db,
    Prisma.sql`
      update login_attempts set count = count - 1
      where count > 0 and (${Prisma.join(counted.map((c) => Prisma.sql`(key = ${c.key} and "windowStart" = ${c.windowStart}::timestamptz)`), ' or ')})`,
  );
}

/** Forgets a key's counter. */
export async function deleteAttempts(db: Db, key: string): Promise<void> {
  await queryRows(db, Prisma.sql`delete from login_attempts where key = ${key}`);
}

/** Deletes counters whose window started at or before `cutoff`; returns how many. */
export async function deleteExpiredAttempts(db: Db, cutoff: Date): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    db,
    Prisma.sql`with gone as (delete from login_attempts where "windowStart" <= ${cutoff}::timestamptz returning 1) select count(*)::int as n from gone`,
  );
  return rows[0]?.n ?? 0;
}
