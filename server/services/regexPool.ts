import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * Runs user-supplied regular expressions off the main thread.
 *
 * JavaScript's regex engine backtracks: a pattern such as `(a+)+$` takes
 * exponential time on a line of a's, and while it runs nothing else on that
 * thread does. Run on the server's event loop (even with `vm`'s timeout),
 * twenty such patterns sent at once stall every other request for seconds.
 * Here each job runs in a worker thread with a hard time limit: a job over
 * the limit has its worker terminated (V8 stops it mid-match) and a fresh
 * worker takes its place. At most `workers` jobs run at once and at most
 * `maxQueued` wait; a job beyond that is refused at once (RegexPoolBusy), so a
 * burst cannot build an unbounded backlog.
 *
 * A linear-time engine (RE2 ported to JavaScript or WebAssembly) was the
 * alternative. It was not chosen because it changes what users may write:
 * no lookbehind or lookahead, no backreferences, and different Unicode
 * classes, and bulk replace documents JavaScript regex syntax.
 */

/** One find/replace over many texts. */
export interface RegexJob {
  source: string;
  flags: string;
  replacement: string;
  texts: string[];
}

/** What the pattern does to each text (null when it does not match), or that it matches empty text. */
export type RegexJobResult = { empty: true } | { empty: false; out: Array<{ count: number; after: string } | null> };

/** The job ran past the time limit; its worker was terminated. */
export class RegexTimeout extends Error {
  override name = 'RegexTimeout';
  constructor(readonly timeoutMs: number) {
    super(`the pattern ran longer than ${timeoutMs} ms`);
  }
}

/** Every worker is busy and the queue is full. */
export class RegexPoolBusy extends Error {
  override name = 'RegexPoolBusy';
  constructor(readonly capacity: number) {
    super(`all ${capacity} places for pattern jobs are taken`);
  }
}

/** The worker failed (for example out of memory building a huge replacement). */
export class RegexWorkerFailed extends Error {
  override name = 'RegexWorkerFailed';
}

export interface RegexPoolOptions {
  /** Jobs that run at once, one per worker thread. */
  workers: number;
  /** Jobs that may wait for a worker; more are refused. */
  maxQueued: number;
  /** Hard limit per job, from when a worker starts it. */
  timeoutMs: number;
  /** Heap limit of each worker. */
  maxHeapMb?: number;
}

// Plain JavaScript evaluated in the worker, so it needs no TypeScript loader.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ source, flags, replacement, texts }) => {
  let result;
  try {
    const re = new RegExp(source, flags);
    const out = [];
    result = { empty: false, out };
    for (const t of texts) {
      let count = 0;
      for (const m of t.matchAll(re)) {
        if (m[0] === '') { result = { empty: true }; break; }
        count++;
      }
      if (result.empty) break;
      out.push(count === 0 ? null : { count, after: t.replace(re, replacement) });
    }
  } catch (err) {
    result = { error: String((err && err.message) || err) };
  }
  parentPort.postMessage(result);
});
`;

interface Pending {
  job: RegexJob;
  resolve(r: RegexJobResult): void;
  reject(e: Error): void;
}

interface Slot {
  worker: Worker;
  current: Pending | null;
  timer: NodeJS.Timeout | null;
  /** False until the worker's thread has started: its start-up does not count against a job's limit. */
  online: boolean;
}

/** A fixed set of worker threads that run regex jobs with a time limit each. */
export class RegexPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private closed = false;
  /** Workers terminated for running over the limit (for tests and diagnostics). */
  killed = 0;

  constructor(readonly options: RegexPoolOptions) {
    if (options.workers < 1 || options.maxQueued < 0 || options.timeoutMs <= 0) throw new RangeError('RegexPool: workers ≥ 1, maxQueued ≥ 0 and timeoutMs > 0');
  }

  /** Jobs running and waiting now. */
  stats(): { running: number; queued: number; workers: number } {
    return { running: this.slots.filter((s) => s.current).length, queued: this.queue.length, workers: this.slots.length };
  }

  /**
   * Runs a job. Rejects with RegexTimeout when it runs past the limit,
   * RegexPoolBusy at once when no worker is free and the queue is full, and
   * RegexWorkerFailed when the worker dies; an invalid pattern rejects with
   * a SyntaxError (callers compile it first to give a better message).
   */
  run(job: RegexJob): Promise<RegexJobResult> {
    return new Promise<RegexJobResult>((resolve, reject) => {
      if (this.closed) return reject(new RegexWorkerFailed('the regex pool is closed'));
      const pending: Pending = { job, resolve, reject };
      const slot = this.freeSlot();
      if (slot) return this.start(slot, pending);
      if (this.queue.length >= this.options.maxQueued) return reject(new RegexPoolBusy(this.options.workers + this.options.maxQueued));
      this.queue.push(pending);
    });
  }

  /** Terminates every worker; waiting and running jobs are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new RegexWorkerFailed('the regex pool is closed'));
    await Promise.all(
      this.slots.splice(0).map((s) => {
        if (s.timer) clearTimeout(s.timer);
        s.current?.reject(new RegexWorkerFailed('the regex pool is closed'));
        s.current = null;
        return s.worker.terminate();
      }),
    );
  }

  private freeSlot(): Slot | null {
    const idle = this.slots.find((s) => s.current === null);
    if (idle) return idle;
    if (this.slots.length < this.options.workers) return this.spawn();
    return null;
  }

  private spawn(): Slot {
    const mb = this.options.maxHeapMb ?? 256;
    const worker = new Worker(WORKER_SOURCE, { eval: true, resourceLimits: { maxOldGenerationSizeMb: mb, maxYoungGenerationSizeMb: Math.min(64, mb) } });
    const slot: Slot = { worker, current: null, timer: null, online: false };
    worker.once('online', () => {
      slot.online = true;
      if (slot.current && !slot.timer) this.arm(slot);
    });
    worker.on('message', (msg: RegexJobResult | { error: string }) => {
      const p = this.finish(slot);
      if (!p) return;
      if ('error' in msg) p.reject(new SyntaxError(msg.error));
      else p.resolve(msg);
      this.next(slot);
    });
    const died = (err: Error) => {
      const p = this.finish(slot);
      this.replace(slot);
      p?.reject(new RegexWorkerFailed(`the pattern could not be run: ${err.message}`));
    };
    worker.on('error', died);
    worker.on('exit', (code) => {
      if (this.slots.includes(slot)) died(new Error(`worker exited with code ${code}`));
    });
    // Idle workers must not keep a finishing process (a CLI, a test) alive. After
    // the listeners: attaching a 'message' listener refs the worker's port again.
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private start(slot: Slot, p: Pending): void {
    slot.current = p;
    // A worker with a job keeps the process alive until the job ends; an idle one does not.
    slot.worker.ref();
    slot.worker.postMessage(p.job);
    if (slot.online) this.arm(slot);
  }

  /** Starts the time limit of the slot's job. */
  private arm(slot: Slot): void {
    slot.timer = setTimeout(() => {
      const timedOut = this.finish(slot);
      this.killed++;
      // Terminating stops the match in the middle; the replacement takes the slot.
      this.replace(slot);
      timedOut?.reject(new RegexTimeout(this.options.timeoutMs));
    }, this.options.timeoutMs);
  }

  /** Clears the slot's job and timer and returns the job, or null when it had none. */
  private finish(slot: Slot): Pending | null {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    const p = slot.current;
    slot.current = null;
    slot.worker.unref();
    return p;
  }

  /** Throws a worker away, spawns its replacement and starts the next waiting job on it. */
  private replace(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i === -1) return;
    this.slots.splice(i, 1);
    void slot.worker.terminate();
    if (this.closed) return;
    // Spawned at once, so the next job does not wait for a thread to start.
    const fresh = this.spawn();
    const next = this.queue.shift();
    if (next) this.start(fresh, next);
  }

  private next(slot: Slot): void {
    const p = this.queue.shift();
    if (p) this.start(slot, p);
  }
}

/** Jobs running at once in the server's pool: leave a core to the event loop. */
export const REGEX_WORKERS = Math.max(1, Math.min(4, availableParallelism() - 1));
/** Jobs that may wait for a worker before new ones are refused. */
export const REGEX_MAX_QUEUED = 16;

let shared: RegexPool | undefined;

/** The process's pool, created on first use and shared by every app in the process. */
export function sharedRegexPool(timeoutMs: number): RegexPool {
  shared ??= new RegexPool({ workers: REGEX_WORKERS, maxQueued: REGEX_MAX_QUEUED, timeoutMs });
  return shared;
}
