// Debian's PostgreSQL server packages (/usr/lib/postgresql/<major>/bin), for
// running tests on a second major version and for the backup/restore drill,
// whose pg_dump and pg_restore must match the server's major version.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './freePort';

/** Debian's PostgreSQL server binaries, newest major first, if installed. */
export function debianPostgres(): { major: string; bin: string } | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const major = readdirSync(base)
    .filter((m) => existsSync(path.join(base, m, 'bin', 'pg_ctl')) && existsSync(path.join(base, m, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))[0];
  return major ? { major, bin: path.join(base, major, 'bin') } : undefined;
}

/** Starts a throwaway Debian PostgreSQL cluster (as the postgres user when we are root); returns its URL and a stop function. */
export async function startDebianCluster(bin: string, dir: string): Promise<{ url: string; stop(): void }> {
  const port = await freePort();
  const data = path.join(dir, 'pg');
  mkdirSync(data, { mode: 0o700 });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(data, uid, gid);
  }
  const sh = (cmd: string[]) => {
    const r = asRoot ? spawnSync('su', ['postgres', '-s', '/bin/sh', '-c', cmd.map((c) => `'${c.replace(/'/g, `'\\''`)}'`).join(' ')], { encoding: 'utf8' }) : spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${path.basename(cmd[0])} failed: ${r.stderr || r.stdout}`);
  };
  sh([path.join(bin, 'initdb'), '-D', data, '-U', 'copydesk', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  sh([path.join(bin, 'pg_ctl'), '-D', data, '-l', path.join(data, 'server.log'), '-w', '-o', `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off`, 'start']);
  return {
    url: `postgresql://copydesk@127.0.0.1:${port}/postgres`,
    stop: () => sh([path.join(bin, 'pg_ctl'), '-D', data, '-m', 'fast', '-w', 'stop']),
  };
}

