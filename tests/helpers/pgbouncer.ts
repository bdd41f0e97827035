// A throwaway PgBouncer (Debian's package) in transaction pooling mode in
// front of the test PostgreSQL, as docs/deployment.md configures it for
// several app instances. It runs as the `postgres` system user when the tests
// run as root (PgBouncer refuses to run as root).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, removeDir, waitUntil } from './spawn';
import pg from 'pg';

/** Where Debian installs PgBouncer; undefined when it is not installed. */
export function pgbouncerBinary(): string | undefined {
  for (const p of ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer']) if (existsSync(p)) return p;
  return undefined;
}

export interface Pooler {
  /** `databaseUrl` with its host and port replaced by PgBouncer's. */
  url(databaseUrl: string): string;
  /** PgBouncer's log so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts PgBouncer with pool_mode = transaction on a free loopback port,
 * forwarding every database of the server at `serverUrl` with that URL's
 * user and password (clients are trusted: the test server is loopback-only).
 */
export async function startPgBouncer(serverUrl: string, opts: { poolSize?: number } = {}): Promise<Pooler> {
  const bin = pgbouncerBinary();
  if (!bin) throw new Error('PgBouncer is not installed: apt-get install -y pgbouncer');
  const server = new URL(serverUrl);
  const user = decodeURIComponent(server.username);
  const password = decodeURIComponent(server.password);
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'copydesk-pgbouncer-'));
  chmodSync(dir, 0o755);
  const quote = (v: string) => `'${v.replace(/'/g, "''")}'`;
  const ini = [
    '[databases]',
    `* = host=${server.hostname === 'localhost' ? '127.0.0.1' : server.hostname} port=${server.port || '5432'} user=${user}${password ? ` password=${quote(password)}` : ''}`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    'unix_socket_dir =',
    'auth_type = trust',
    `auth_file = ${path.join(dir, 'userlist.txt')}`,
    'pool_mode = transaction',
    `default_pool_size = ${opts.poolSize ?? 10}`,
    'max_client_conn = 500',
    'server_reset_query =',
    'ignore_startup_parameters = extra_float_digits,options',
    `logfile = ${path.join(dir, 'pgbouncer.log')}`,
    `pidfile = ${path.join(dir, 'pgbouncer.pid')}`,
    '',
  ].join('\n');
  writeFileSync(path.join(dir, 'pgbouncer.ini'), ini, { mode: 0o600 });
  writeFileSync(path.join(dir, 'userlist.txt'), `"${user}" ""\n`, { mode: 0o600 });
  const ids: { uid?: number; gid?: number } = {};
  if (process.getuid?.() === 0) {
    ids.uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    ids.gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    for (const f of ['', 'pgbouncer.ini', 'userlist.txt']) chownSync(path.join(dir, f), ids.uid, ids.gid);
  }
  const child: ChildProcess = spawn(bin, [path.join(dir, 'pgbouncer.ini')], { stdio: ['ignore', 'pipe', 'pipe'], ...ids });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((r) => child.on('close', () => r()));
  const log = () => output + (existsSync(path.join(dir, 'pgbouncer.log')) ? readFileSync(path.join(dir, 'pgbouncer.log'), 'utf8') : '');
  const url = (databaseUrl: string) => {
    const u = new URL(databaseUrl);
    u.hostname = '127.0.0.1';
    u.port = String(port);
    return u.toString();
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    }
    removeDir(dir);
  };
  try {
    await waitUntil(async () => {
      if (child.exitCode !== null) throw new Error(`PgBouncer exited with code ${child.exitCode}:\n${log()}`);
      const c = new pg.Client({ connectionString: url(serverUrl), connectionTimeoutMillis: 2000 });
      try {
        await c.connect();
        await c.query('select 1');
        return true;
      } catch {
        return false;
      } finally {
        await c.end().catch(() => undefined);
      }
    }, `PgBouncer accepts connections on port ${port}`, 20_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, log, stop };
}
