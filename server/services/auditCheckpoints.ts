import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/client';
import { databaseName } from '../db/sql/auditGuards';

/**
 * One line of the checkpoint file: the audit chain's head at a moment, written
 * outside the database. `verify` checks that every checkpoint still lies on
 * the chain (the event exists with that hash) and that the chain has not
 * shrunk below it, so deleting the newest events, or rewriting the chain even
 * with the key, is caught up to the last checkpoint.
 */
export interface Checkpoint {
  /**
   * The database the chain lives in, `name@system identifier` (the cluster's
   * pg_control id), so one file can serve several databases and clusters.
   */
  db: string;
  /** The head event's id, as a decimal string. */
  id: string;
  hash: string;
  /** When the checkpoint was written (ISO 8601). */
  at: string;
  /** What wrote it: start, server, verify, export, a command's name. */
  source: string;
}

/** A checkpoint read back, with where it was found. */
export interface StoredCheckpoint extends Checkpoint {
  line: number;
}

/** The chain's newest event, or null for an empty log. */
export async function chainHead(db: Db): Promise<{ id: bigint; hash: string } | null> {
  return db.auditEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true, hash: true } });
}


/** The head as a checkpoint (not written anywhere); null for an empty log. */
export async function headCheckpoint(db: Db, source: string): Promise<Checkpoint | null> {
  const head = await chainHead(db);
  if (!head) return null;
  return { db: await databaseName(db), id: head.id.toString(), hash: head.hash, at: new Date().toISOString(), source };
}

/**
 * Appends the chain's head to `file` as one JSON line; null (and nothing
 * written) for an empty log. The line goes out in a single write on a file
 * opened with O_APPEND, so processes appending at the same time never
 * interleave or overwrite each other's lines.
 */
export async function writeCheckpoint(db: Db, file: string, source: string): Promise<Checkpoint | null> {
  const cp = await headCheckpoint(db, source);
  if (cp) await appendCheckpoint(file, cp);
  return cp;
}

/** Appends one checkpoint line to `file` (creating it and its folder when missing). */
export async function appendCheckpoint(file: string, cp: Checkpoint): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const line = JSON.stringify({ db: cp.db, id: cp.id, hash: cp.hash, at: cp.at, source: cp.source }) + '\n';
  await appendFile(file, line, { flag: 'a', mode: 0o644 });
}

/**
 * The checkpoints in `file` for the database `dbName`, oldest first, and a
 * sentence for each line that is not a checkpoint (naming the file and line).
 * A missing file is no checkpoints.
 */
export async function readCheckpoints(file: string, dbName: string): Promise<{ checkpoints: StoredCheckpoint[]; problems: string[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { checkpoints: [], problems: [] };
    throw err;
  }
  const checkpoints: StoredCheckpoint[] = [];
  const problems: string[] = [];

  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    let v: Partial<Checkpoint> | undefined;
    try {
      v = JSON.parse(raw) as Partial<Checkpoint>;
    } catch {
      v = undefined;
    }
    const ok =
      v && typeof v.db === 'string' && typeof v.id === 'string' && /^\d{1,19}$/.test(v.id) && typeof v.hash === 'string' && /^[0-9a-f]{64}$/.test(v.hash) && typeof v.at === 'string' && typeof v.source === 'string';
    if (!ok) {
      problems.push(`${file} line ${i + 1} is not a checkpoint (expected {"db","id","hash","at","source"} as JSON): ${JSON.stringify(raw.slice(0, 80))}`);
      return;
    }
    if (v!.db === dbName) checkpoints.push({ ...(v as Checkpoint), line: i + 1 });
  });
  return { checkpoints, problems };
}

/** The checkpoints `verify` needs: the database's name and the file's lines for it. */
export async function checkpointsFor(db: Db, file: string): Promise<{ dbName: string; checkpoints: StoredCheckpoint[]; problems: string[] }> {
  const dbName = await databaseName(db);
  return { dbName, ...(await readCheckpoints(file, dbName)) };
}

/** One line for people: `event #12 3f2a…` plus when and by what. */
export function describeCheckpoint(cp: Checkpoint): string {
  return `event #${cp.id} hash ${cp.hash} (${cp.source}, ${cp.at})`;
}
