import type { Db } from '../db/client';
import { decrementAttempts, deleteAttempts, deleteExpiredAttempts, incrementAttempts, type AttemptRow } from '../db/sql/loginAttempts';

/** One counter to reserve an attempt on, and how many attempts its window allows. */
export interface LimitedKey {
  key: string;
  limit: number;
}

/** The outcome of `reserve`. */
export interface Reservation {
  /** True when every key was within its limit: the attempt may go ahead. */
  allowed: boolean;
  /** Seconds until the refusing keys' windows end (0 when allowed). */
  retryAfter: number;
  /** Keys over their limit for this attempt. */
  refusedKeys: string[];
  /** Refused keys for which this was the first refusal of their window (each key appears here once per window). */
  firstRefusals: string[];
  /** Counters reserved by this attempt (for `release`). */
  counted: AttemptRow[];
}

/**
 * Fixed-window attempt counters per key (an address or a username), kept in
 * PostgreSQL (table login_attempts) so that every app instance on one
 * database shares them.
 *
 * An attempt is reserved before it is checked: one statement increments every
 * key's counter and returns the new counts, so among any number of parallel
 * attempts at most `limit` per key and window see a count within the limit;
 * the rest are refused before any password is verified. The window starts
 * with the first attempt and is never extended, so a blocked key always
 * unlocks by itself: nobody can lock an account out for good. Counts above
 * the limit keep growing, which both tells the first refusal of a window
 * (count = limit + 1) from the others and records how many were refused.
 *
 * `now` is the clock (milliseconds); tests pass a fake one instead of sleeping.
 */
export class FailureLimiter {
  private lastPrune = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: Db,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one attempt against every key and says whether it may go ahead. */
  async reserve(keys: readonly LimitedKey[]): Promise<Reservation> {
    const t = this.now();
    await this.pruneNow(t);
    const rows = await incrementAttempts(
      this.db,
      keys.map((k) => k.key),
      new Date(t),
      new Date(t - this.windowMs),
    );
    const limitOf = new Map(keys.map((k) => [k.key, k.limit]));
    const refused = rows.filter((r) => r.count > (limitOf.get(r.key) ?? Number.POSITIVE_INFINITY));
    // A parallel attempt may have opened the window a moment after this one read the clock: never more than one window.
    const secondsLeft = (r: AttemptRow) => Math.min(Math.ceil(this.windowMs / 1000), Math.max(1, Math.ceil((r.windowStart.getTime() + this.windowMs - t) / 1000)));
    const retryAfter = refused.reduce((w, r) => Math.max(w, secondsLeft(r)), 0);
    return {
      allowed: refused.length === 0,
      retryAfter,
      refusedKeys: refused.map((r) => r.key),
      firstRefusals: refused.filter((r) => r.count === (limitOf.get(r.key) ?? 0) + 1).map((r) => r.key),
      counted: rows,
    };
  }

  /** Gives back the attempt counted on these keys (an attempt that should not count against them). */
  async release(counted: ReadonlyArray<Pick<AttemptRow, 'key' | 'windowStart'>>): Promise<void> {
    await decrementAttempts(this.db, counted);
  }

  /** Forgets every attempt of `key` (after a successful login). */
  async reset(key: string): Promise<void> {
    await deleteAttempts(this.db, key);
  }

  /** Deletes counters whose window has ended; returns how many. */
  async prune(): Promise<number> {
    const t = this.now();
    this.lastPrune = t;
    return deleteExpiredAttempts(this.db, new Date(t - this.windowMs));
  }

  // At most once per window per instance: old rows cost nothing but space,
  // and an expired row is restarted in place by the next attempt anyway.
  private async pruneNow(t: number): Promise<void> {
    if (t - this.lastPrune < this.windowMs && t >= this.lastPrune) return;
    await this.prune();
  }
}
