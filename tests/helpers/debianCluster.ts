// A throwaway cluster of Debian's PostgreSQL for the tests that need a real
// server of their own: roles are a cluster's, and pg_dump must match its
// server. The cluster trusts loopback connections, so role passwords are not
// checked here, as a real server would check them.
import { chmodSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import pg from 'pg';
import { debianPostgres, startDebianCluster } from '../../scripts/lib/debianPostgres';
import { removeDir, stopAll } from './spawn';

export interface DebianCluster {
  /** Why the file's tests are skipped, or false when the cluster can run. */
  skip: string | false;
  /** The server's binaries (pg_dump, pg_restore…). */
  bin(): string;
  /** The throwaway folder the cluster lives in. */
  dir(): string;
  /** The cluster's URL as `user` on database `db`. */
  as(user: string, db: string): string;
  /** One statement (or several without parameters) on `url`, on a connection of its own. */
  sql(url: string, statement: string, values?: unknown[]): Promise<pg.QueryResult>;
}

/**
 * Starts a cluster before the file's tests and stops it, with every process
 * the spawn helpers started, after them. `tools` are binaries the tests need
 * besides the server; without them the tests are skipped, saying why.
 */
export function useDebianCluster(name: string, tools: readonly string[] = []): DebianCluster {
  const debian = debianPostgres();
  const usable = debian && tools.every((t) => existsSync(path.join(debian.bin, t))) ? debian : undefined;
  let dir = '';
  let cluster: { url: string; stop(): void } | undefined;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), `copydesk-${name}-`));
    chmodSync(dir, 0o755); // the cluster runs as the postgres user when the tests run as root
    if (usable) cluster = await startDebianCluster(usable.bin, dir);
  });
  after(async () => {
    await stopAll();
    cluster?.stop();
    removeDir(dir);
  });
  return {
    skip: usable ? false : `Debian's PostgreSQL (server${tools.length ? `, ${tools.join(', ')}` : ''}) is not installed: apt-get install -y postgresql`,
    bin: () => usable!.bin,
    dir: () => dir,
    as(user, db) {
      const u = new URL(cluster!.url);
      u.username = user;
      u.pathname = `/${db}`;
      return u.toString();
    },
    async sql(url, statement, values = []) {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        return await c.query(statement, values);
      } finally {
        await c.end();
      }
    },
  };
}
