/** Writes the files of a run, several at a time, with the outcome of writing them one after the other. */
import { sqlTransaction, type SqlTx } from '../../db/client';
import { awaitImportFile, lockImportFile } from '../../db/sql/locks';
import { recordAuditMany } from '../audit';
import { type Outcome } from './classifyArticle';
import { ImportInputError } from './types';
import { type Incoming } from './articleWrites';
import { type InputFile, formatOf } from './collectFiles';
import { FileState, incoming, keysOf, writeChunk } from './fileState';
import { type FileReport, addCounts, failedFile } from './importReport';
import { RETRIES, type RunContext } from './runContext';

// ---------------------------------------------------------------------------------------------
// Writing several files at once.
//
// Each file is still one transaction, and the run must come out as if the files had been
// written one after the other, in order: same classification, same report, audit events in
// file order. Three rules give that:
//  1. Gate: a file classifies its first chunk only once every earlier file still running has
//     classified all of its articles, so their keys (externalIds, content hashes, and the old
//     hash of each article they update) are known.
//  2. Collisions: before classifying a chunk, a file waits for every earlier, unfinished file
//     that holds one of the chunk's keys to commit or fail. An article can only be found
//     through those keys, so a file with none in common sees what it would have seen had the
//     earlier files committed already.
//  3. Order: a file appends its audit events and commits only after every earlier file has
//     committed or failed.
// Waiting for another file inside a transaction goes through PostgreSQL (an advisory lock that
// each file's transaction holds, key (batch id, file index)), so that a cycle with another
// process's transactions is a deadlock PostgreSQL detects and breaks (the file is retried),
// never a silent hang. A file only waits for JavaScript signals while it holds no row lock:
// at the gate, before its first write, or outside its transaction.
// ---------------------------------------------------------------------------------------------

// SQLSTATEs after which a file's transaction is simply run again: a deadlock or serialization
// failure, and a unique violation from a concurrent import that committed the same article
// between our lookup and our write (the retry classifies it as skipped).
const RETRYABLE = new Set(['40P01', '40001', '23505', 'P2002', 'P2034']);

/** The SQLSTATE (or Prisma code) of a database error, wherever the driver put it. */
function sqlState(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let e: unknown = error;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const o = e as { code?: unknown; originalCode?: unknown; meta?: { code?: unknown; driverAdapterError?: unknown }; cause?: unknown };
    for (const c of [o.originalCode, o.meta?.code, o.code]) if (typeof c === 'string' && RETRYABLE.has(c)) return c;
    e = o.meta?.driverAdapterError ?? o.cause;
  }
  return undefined;
}

/** A promise with its resolver, and whether it has resolved. */
class Signal {
  done = false;
  readonly promise: Promise<void>;
  private release!: () => void;
  constructor() {
    this.promise = new Promise((resolve) => (this.release = resolve));
  }
  resolve(): void {
    this.done = true;
    this.release();
  }
}

type SlotOutcome = { kind: 'ok'; report: FileReport; counts: Record<Outcome, number> } | { kind: 'failed'; report: FileReport } | { kind: 'fatal'; error: unknown } | { kind: 'aborted' };

/** One input file's place in a run that writes files concurrently. */
export class Slot {
  /** `e:<externalId>` and `h:<content hash>` of the articles this file reads or changes (every attempt). */
  readonly keys = new Set<string>();
  /** Attempts started; a later file that classified against an earlier attempt starts again. */
  attempt = 0;
  /** The current attempt holds its advisory lock (so waiting for the lock waits for the attempt). */
  locked = false;
  /** Settles when the current attempt's transaction has ended and the outcome (if any) is set. */
  attemptEnded: Promise<void> = Promise.resolve();
  /** The current attempt has classified every article of the file. */
  classified = new Signal();
  /** The file's final outcome. */
  outcome: SlotOutcome | undefined;
  readonly settled = new Signal();

  constructor(
    readonly index: number,
    readonly input: InputFile,
  ) {}

  finish(outcome: SlotOutcome): void {
    this.outcome = outcome;
    this.settled.resolve();
    this.classified.resolve();
  }
}

interface Run {
  slots: Slot[];
  /** The first file that failed with an unexpected error: later files are rolled back, as if never started. */
  fatalIndex: number;
}

/** Thrown inside a file's transaction to roll it back and start it again once `after` has finished. */
class Requeue extends Error {
  constructor(readonly after: Slot | null) {
    super('requeued behind an earlier file');
  }
}

/** Thrown inside a file's transaction when an earlier file ended the run. */
class RunAborted extends Error {
  constructor() {
    super('an earlier file failed; the run stops');
  }
}

/**
 * Waits, inside `tx`, until the earlier file `other` has its outcome. The wait itself is an
 * advisory lock that `other`'s transaction holds, so PostgreSQL sees it; when `other` is between
 * attempts (retrying) the caller is rolled back and requeued instead of waiting with its locks.
 */
async function outcomeOf(ctx: RunContext, tx: SqlTx, run: Run, self: Slot, other: Slot): Promise<SlotOutcome> {
  if (!other.outcome) {
    if (!other.locked) throw new Requeue(other);
    const ended = other.attemptEnded;
    await awaitImportFile(tx, ctx.batchId, other.index);
    await ended;
    if (!other.outcome) throw new Requeue(other);
  }
  if (other.outcome.kind === 'fatal' || other.outcome.kind === 'aborted' || run.fatalIndex < self.index) throw new RunAborted();
  return other.outcome;
}

/** Rule 1: every earlier unfinished file has classified all its articles. Returns their attempt numbers. */
async function passGate(run: Run, self: Slot): Promise<number[]> {
  for (const other of run.slots.slice(0, self.index)) {
    while (!other.outcome && !other.classified.done) await Promise.race([other.classified.promise, other.settled.promise]);
  }
  if (run.fatalIndex < self.index) throw new RunAborted();
  return run.slots.slice(0, self.index).map((s) => s.attempt);
}

/** Rule 2: earlier unfinished files that hold any key of the chunk have committed or failed. */
async function awaitCollisions(ctx: RunContext, tx: SqlTx, run: Run, self: Slot, chunk: readonly Incoming[]): Promise<void> {
  if (run.fatalIndex < self.index) throw new RunAborted();
  const keys = chunk.flatMap(keysOf);
  for (let i = self.index - 1; i >= 0; i--) {
    const other = run.slots[i];
    if (!other.outcome && keys.some((k) => other.keys.has(k))) await outcomeOf(ctx, tx, run, self, other);
  }
}

/** Rule 3: every earlier file has committed or failed (a committed one waited for those before it). */
async function awaitEarlierFiles(ctx: RunContext, tx: SqlTx, run: Run, self: Slot): Promise<void> {
  for (let i = self.index - 1; i >= 0; i--) {
    if ((await outcomeOf(ctx, tx, run, self, run.slots[i])).kind === 'ok') break;
  }
}

/**
 * Writes the files, up to `concurrency` at a time, and reports each one, in input order, to
 * `done` as soon as it and every file before it have finished. Returns after every started file
 * has ended; throws the error of the first file that failed unexpectedly (the files after it are
 * rolled back and not reported, as if the run had stopped there).
 */
export async function writeFiles(ctx: RunContext, inputs: readonly InputFile[], done: (report: FileReport) => void): Promise<void> {
  const run: Run = { slots: inputs.map((input, i) => new Slot(i, input)), fatalIndex: Infinity };
  let reported = 0;
  const report = (): void => {
    for (let slot = run.slots[reported]; slot?.outcome; slot = run.slots[reported]) {
      const outcome = slot.outcome;
      if (outcome.kind !== 'ok' && outcome.kind !== 'failed') break;
      if (outcome.kind === 'ok') addCounts(ctx.progress, outcome.counts);
      reported++;
      ctx.progress.currentFile = run.slots[reported]?.input.path ?? null;
      done(outcome.report);
    }
  };
  ctx.progress.currentFile = run.slots[0]?.input.path ?? null;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < run.slots.length && next <= run.fatalIndex) {
      const slot = run.slots[next++];
      if (slot.input.error) slot.finish({ kind: 'failed', report: failedFile(slot.input.path, null, slot.input.error) });
      else await writeSlot(ctx, run, slot);
      report();
    }
  };
  await Promise.all(Array.from({ length: Math.min(ctx.options.concurrency, Math.max(1, inputs.length)) }, worker));
  const fatal = run.slots.find((s) => s.outcome?.kind === 'fatal')?.outcome;
  if (fatal?.kind === 'fatal') throw fatal.error;
}

/** Imports one file atomically, retrying the whole file after a deadlock or a concurrent insert. */
async function writeSlot(ctx: RunContext, run: Run, slot: Slot): Promise<void> {
  const file = slot.input.path;
  const format = await formatOf(file, ctx.options.format);
  for (let failures = 0; ; ) {
    if (run.fatalIndex < slot.index) return slot.finish({ kind: 'aborted' });
    slot.attempt++;
    const state = new FileState(file, format);
    state.slot = slot;
    let ended!: () => void;
    slot.attemptEnded = new Promise((resolve) => (ended = resolve));
    let after: Slot | null = null;
    try {
      // Raw statements straight on a pooled connection: a file's bulk statements carry parameters of
      // hundreds of KB, which cost ten times the CPU through Prisma's request pipeline (see sqlTransaction).
      await sqlTransaction(ctx.db, (tx) => writeFile(ctx, run, slot, tx, state), ctx.options.fileTimeoutMs);
      return slot.finish({ kind: 'ok', report: state.report(), counts: state.counts });
    } catch (error) {
      if (error instanceof ImportInputError) return slot.finish({ kind: 'failed', report: failedFile(file, format, error.message) });
      if (error instanceof RunAborted) return slot.finish({ kind: 'aborted' });
      if (error instanceof Requeue) after = error.after;
      else if (++failures >= RETRIES || sqlState(error) === undefined) {
        run.fatalIndex = Math.min(run.fatalIndex, slot.index);
        return slot.finish({ kind: 'fatal', error });
      }
      // Starting again: its articles will be read again, and files waiting for its
      // classification wait for the next attempt's.
      ctx.progress.articlesRead -= state.read;
      const stale = slot.classified;
      slot.classified = new Signal();
      stale.resolve();
    } finally {
      slot.locked = false;
      ended();
    }
    if (after) await after.settled.promise;
  }
}

/** One file's transaction: every chunk of articles, then the file's audit events (the last writes). */
async function writeFile(ctx: RunContext, run: Run, slot: Slot, tx: SqlTx, state: FileState): Promise<void> {
  // Held to the end of the transaction: later files of the run wait for this file by waiting for
  // it. One file at a time, every earlier file has finished before this one starts: no one waits.
  if (ctx.options.concurrency > 1) await lockImportFile(tx, ctx.batchId, slot.index);
  slot.locked = true;
  let earlierAttempts: number[] | undefined;
  let issued = 0;
  let parsed = false;
  const classifiedOne = (): void => {
    if (parsed && state.classifiedChunks === issued) slot.classified.resolve();
  };
  state.onClassified = classifiedOne;
  // The next chunk is parsed while the database works on the previous one; chunks are still
  // written one after the other, so each is classified against everything written before it.
  let writing: Promise<void> | undefined;
  try {
    for await (const chunk of incoming(ctx, state)) {
      await writing;
      issued++;
      writing = (async () => {
        earlierAttempts ??= await passGate(run, slot);
        await awaitCollisions(ctx, tx, run, slot, chunk);
        await writeChunk(ctx, tx, state, chunk);
      })();
      writing.catch(() => undefined); // rejections are awaited below; this only stops an unhandled-rejection crash meanwhile
    }
    parsed = true;
    classifiedOne();
    await writing;
  } catch (error) {
    // A parse error may arrive while a chunk is still being written: let it settle before rollback.
    await writing?.catch(() => undefined);
    throw error;
  }
  await awaitEarlierFiles(ctx, tx, run, slot);
  // An earlier file started again after this one classified against it: classify again.
  if (earlierAttempts?.some((n, i) => run.slots[i].attempt !== n)) throw new Requeue(null);
  await recordAuditMany(tx, ctx.actor, state.audit);
}
