import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isProcessAlive } from './processAlive';

/** What a running Copydesk server notes about itself in the runtime folder. */
export interface RunningServerEntry {
  pid: number;
  /** Absolute data directory (COPYDESK_DATA_DIR). */
  dataDir: string;
  /** False when the server uses DATABASE_URL rather than the embedded PostgreSQL. */
  embedded: boolean;
  url: string;
  startedAt: string;
}

const serversDir = (runtimeDir: string) => path.join(runtimeDir, 'servers');

/**
 * Notes a running server in `<runtimeDir>/servers/<pid>.json` (a per-user
 * folder, see Config.runtimeDir) and returns the function that removes the
 * note. The note is also removed when the process exits; a crash leaves it
 * behind, and readers skip notes whose process is gone.
 */
export function registerServer(runtimeDir: string, entry: Omit<RunningServerEntry, 'pid' | 'startedAt'>): () => void {
  const dir = serversDir(runtimeDir);
  const file = path.join(dir, `${process.pid}.json`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(file, JSON.stringify({ ...entry, pid: process.pid, startedAt: new Date().toISOString() } satisfies RunningServerEntry), { mode: 0o600 });
  } catch {
    // Only a convenience for the commands' warning: a server must not fail to start over it.
    return () => undefined;
  }
  const remove = () => rmSync(file, { force: true });
  process.once('exit', remove);
  return () => {
    process.removeListener('exit', remove);
    remove();
  };
}

/** The other Copydesk servers running for this user; notes of dead processes are ignored and cleared. */
export function runningServers(runtimeDir: string): RunningServerEntry[] {
  const dir = serversDir(runtimeDir);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const found: RunningServerEntry[] = [];
  for (const name of names) {
    let e: RunningServerEntry;
    try {
      e = JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as RunningServerEntry;
    } catch {
      continue;
    }
    if (e.pid === process.pid) continue;
    if (!isProcessAlive(e.pid)) {
      rmSync(path.join(dir, name), { force: true });
      continue;
    }
    if (typeof e.dataDir === 'string') found.push(e);
  }
  return found;
}
