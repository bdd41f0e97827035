// What the bench's server measures of itself under load: how late its event
// loop runs (CPU work on the loop delays every request behind it) and how long
// requests wait for a pooled database connection.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type pg from 'pg';
import { summarize } from './measure';

/** Milliseconds, since the last reset. */
export interface ServerStats {
  loopDelayP50: number;
  loopDelayP99: number;
  loopDelayMax: number;
  /** Waits for a pooled connection (pool.connect, which pool.query also calls). */
  poolWaits: number;
  poolWaitP50: number;
  poolWaitP99: number;
  poolWaitMax: number;
  /** Share of the checkouts that had to wait more than 1 ms. */
  poolWaitedShare: number;
}

type ConnectCallback = (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void;

/** Starts measuring the process's event loop and `pool`'s checkouts; `take()` returns the figures since the last call and starts afresh. */
export function watchServer(pool: pg.Pool | undefined): { take(): ServerStats } {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let waits: number[] = [];
  if (pool) {
    // pg-pool's query() checks a client out through this.connect(callback), so wrapping the
    // instance's connect times every statement's wait, Prisma's transactions included.
    const connect = pool.connect.bind(pool) as (cb?: ConnectCallback) => Promise<pg.PoolClient> | undefined;
    const timed = (cb?: ConnectCallback) => {
      const t0 = performance.now();
      if (cb) {
        return connect((err, client, done) => {
          waits.push(performance.now() - t0);
          cb(err, client, done);
        });
      }
      return connect()!.then((client) => {
        waits.push(performance.now() - t0);
        return client;
      });
    };
    (pool as unknown as { connect: typeof timed }).connect = timed;
  }
  return {
    take() {
      const ns = (v: number) => Math.round(v / 1e4) / 100;
      const w = waits.length ? summarize(waits) : { median: 0, p99: 0 };
      const stats: ServerStats = {
        loopDelayP50: ns(loop.percentile(50)),
        loopDelayP99: ns(loop.percentile(99)),
        loopDelayMax: ns(loop.max),
        poolWaits: waits.length,
        poolWaitP50: Math.round(w.median * 100) / 100,
        poolWaitP99: Math.round(w.p99 * 100) / 100,
        poolWaitMax: Math.round(Math.max(0, ...waits) * 100) / 100,
        poolWaitedShare: waits.length ? Math.round((waits.filter((x) => x > 1).length / waits.length) * 1000) / 1000 : 0,
      };
      loop.reset();
      waits = [];
      return stats;
    },
  };
}
