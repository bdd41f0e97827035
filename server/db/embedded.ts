import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { redactUrl, type Config } from '../config';
import { APP_ROLE, ensureRoles, externalGrant, grantAppRole, OWNER_ROLE, rolePassword, urlAs } from './roles';
import { assertPortFree, DatabaseStartError, hydrateSymlinks, loadEmbeddedPostgres, readJson, stopPostmaster, withTimeout } from './postgresProcess';
import { isProcessAlive } from './processAlive';
import { runningServers, type RunningServerEntry } from './serverRegistry';

export { DatabaseStartError };

/** Who opens the database: the long-running server, or a one-shot CLI command. */
export type DatabaseRole = 'server' | 'cli';

export interface DatabaseHandle {
  /**
   * Connection URL for the application (Prisma and pg). With the embedded
   * database this is the `copydesk_app` role, which owns nothing and cannot
   * disable the audit log's triggers (server/db/roles.ts).
   */
  url: string;
  /** Connection URL that runs the migrations: the role owning the tables. */
  ownerUrl: string;
  /** A superuser's URL (the embedded cluster's), for creating databases; the external DATABASE_URL otherwise. */
  adminUrl: string;
  /** After migrating: grants the application role what it needs (embedded); nothing for an external server. */
  grant(): Promise<void>;
  /** True when Copydesk runs PostgreSQL itself. */
  embedded: boolean;
  /** True when this process started the embedded cluster and must stop it. */
  owned: boolean;
  /** Stops the embedded cluster if this process owns it; otherwise does nothing. */
  stop(): Promise<void>;
}

interface LockInfo {
  pid: number;
  role: DatabaseRole;
  port: number;
  command: string;
  startedAt: string;
}

const DB_USER = 'copydesk';
const DB_NAME = 'copydesk';

/** Checks that a server answers at `url`, with a clear error when it does not. */
export async function probeDatabase(url: string, timeoutMs: number): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const reason = e.code === 'ECONNREFUSED' ? 'connection refused (is the server running?)' : e.code === 'ENOTFOUND' ? 'host not found' : e.message;
    throw new DatabaseStartError(`Cannot connect to the database at ${redactUrl(url)}: ${reason}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** How a command may treat a data directory that holds no database yet. */
export interface NewDataDirPolicy {
  /** Where running servers note their data directory (Config.runtimeDir); without it nothing is checked. */
  runtimeDir?: string;
  /** `--new-data-dir`: the user means to create a new database there. */
  allowNewDataDir?: boolean;
}

/**
 * The refusal (or, with `--new-data-dir`, the warning) for a command about to
 * create a new, empty embedded database while a Copydesk server runs on
 * another: almost always a mistyped or missing COPYDESK_DATA_DIR, and the
 * command's work (an import, a new user) would land where the server never
 * looks. Null when no such server runs.
 */
export function newDataDirWarning(dataDir: string, servers: readonly RunningServerEntry[]): string | null {
  const others = servers.filter((s) => !s.embedded || path.resolve(s.dataDir) !== path.resolve(dataDir));
  if (others.length === 0) return null;
  const lines = others.map((s) =>
    s.embedded
      ? `  - process ${s.pid} (${s.url}, started ${s.startedAt}) uses the data directory ${s.dataDir}: run the command with COPYDESK_DATA_DIR=${s.dataDir}`
      : `  - process ${s.pid} (${s.url}, started ${s.startedAt}) uses an external database (DATABASE_URL): run the command with the same DATABASE_URL`,
  );
  return (
    `This command would create a new, empty database in ${dataDir}, but a Copydesk server is running with another database:\n${lines.join('\n')}\n` +
    `To work on the server's data, point the command at it as shown. To create a new database in ${dataDir} anyway, add --new-data-dir.`
  );
}

function describeHolder(lock: LockInfo): string {
  return `process ${lock.pid} (${lock.command}, started ${lock.startedAt})`;
}

/**
 * Opens Copydesk's database: the external server in DATABASE_URL, or else the
 * embedded PostgreSQL in `<dataDir>/postgres`.
 *
 * The embedded cluster is guarded by `<dataDir>/postgres.lock`. A CLI command
 * run while the server holds the cluster connects to it; otherwise it starts
 * the cluster itself. Two processes never start the same data directory: the
 * second gets a DatabaseStartError naming the holder.
 */
export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'embeddedPgPort' | 'dbConnectTimeoutMs'> & Partial<Pick<Config, 'migrateDatabaseUrl'>>,
  role: DatabaseRole,
  log: (msg: string) => void = () => undefined,
  newDataDir: NewDataDirPolicy = {},
): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    await probeDatabase(config.databaseUrl, config.dbConnectTimeoutMs);
    const ownerUrl = config.migrateDatabaseUrl ?? config.databaseUrl;
    if (ownerUrl !== config.databaseUrl) await probeDatabase(ownerUrl, config.dbConnectTimeoutMs);
    return { url: config.databaseUrl, ownerUrl, adminUrl: ownerUrl, grant: externalGrant(config.databaseUrl, ownerUrl), embedded: false, owned: false, stop: async () => undefined };
  }

  const dataDir = config.dataDir;
  const pgData = path.join(dataDir, 'postgres');
  const lockFile = path.join(dataDir, 'postgres.lock');
  const passwordFile = path.join(dataDir, 'postgres.password');
  // Checked before anything is created: a refused command leaves no empty data directory behind.
  if (role === 'cli' && newDataDir.runtimeDir && !existsSync(path.join(pgData, 'PG_VERSION'))) {
    const warning = newDataDirWarning(dataDir, runningServers(newDataDir.runtimeDir));
    if (warning && !newDataDir.allowNewDataDir) throw new DatabaseStartError(warning);
    if (warning) log(`warning: ${warning.split('\n')[0]} (--new-data-dir given: creating it)`);
  }
  await fs.mkdir(dataDir, { recursive: true, mode: 0o755 });

  const existing = await readJson<LockInfo>(lockFile);
  if (existing && isProcessAlive(existing.pid) && existing.pid !== process.pid) {
    if (existing.role === 'server' && role === 'cli') {
      const password = (await fs.readFile(passwordFile, 'utf8')).trim();
      const adminUrl = `postgresql://${DB_USER}:${encodeURIComponent(password)}@127.0.0.1:${existing.port}/${DB_NAME}`;
      const roles = roleUrls(adminUrl, password);
      await probeDatabase(roles.url, config.dbConnectTimeoutMs);
      return { ...roles, adminUrl, embedded: true, owned: false, stop: async () => undefined };
    }
    throw new DatabaseStartError(
      `The embedded database in ${pgData} is in use by ${describeHolder(existing)}. ` +
        (existing.role === 'server'
          ? 'Copydesk is already running with this data directory; stop it first or set COPYDESK_DATA_DIR.'
          : role === 'server'
            ? 'Wait for that command to finish, then start Copydesk again.'
            : 'Wait for that command to finish, or start the server (npm start) so that several commands can share the database.'),
    );
  }

  // Take the lock: exclusive create, so two racing processes cannot both win.
  if (existing) await fs.rm(lockFile, { force: true });
  const lock: LockInfo = {
    pid: process.pid,
    role,
    port: config.embeddedPgPort,
    command: process.argv.slice(1).map((a) => path.basename(a)).join(' ').slice(0, 200),
    startedAt: new Date().toISOString(),
  };
  try {
    await fs.writeFile(lockFile, JSON.stringify(lock), { flag: 'wx', mode: 0o644 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      const holder = await readJson<LockInfo>(lockFile);
      throw new DatabaseStartError(
        `The embedded database in ${pgData} is being started by ${holder ? describeHolder(holder) : 'another process'}; try again in a moment.`,
      );
    }
    throw err;
  }
  const releaseLock = () => {
    try {
      const current = JSON.parse(readFileSync(lockFile, 'utf8')) as LockInfo;
      if (current.pid === process.pid) unlinkSync(lockFile);
    } catch {
      /* already gone */
    }
  };
  // A crash or exit without stop() must not leave a lock that looks held.
  process.once('exit', releaseLock);

  try {
    await hydrateSymlinks();
    // A previous owner died without stopping its cluster: shut that down first.
    await stopPostmaster(pgData);
    await assertPortFree(config.embeddedPgPort);
    const EmbeddedPostgresClass = await loadEmbeddedPostgres();
    let password: string;
    const initialised = existsSync(path.join(pgData, 'PG_VERSION'));
    if (initialised) {
      password = (await fs.readFile(passwordFile, 'utf8')).trim();
    } else {
      password = randomBytes(24).toString('base64url');
      await fs.rm(pgData, { recursive: true, force: true });
      await fs.writeFile(passwordFile, password + '\n', { mode: 0o600 });
    }

    const messages: string[] = [];
    const collect = (m: unknown) => {
      const text = String(m instanceof Error ? m.message : m).trim();
      if (text) messages.push(text);
      if (messages.length > 200) messages.shift();
    };
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    const cluster = new EmbeddedPostgresClass({
      databaseDir: pgData,
      port: config.embeddedPgPort,
      user: DB_USER,
      password,
      persistent: true,
      createPostgresUser: isRoot,
      initdbFlags: ['--encoding=UTF8'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
      onLog: collect,
      onError: collect,
    });

    if (!initialised) {
      log(`Creating the embedded PostgreSQL cluster in ${pgData}`);
      await cluster.initialise();
    }
    try {
      await withTimeout(cluster.start(), 60_000, 'PostgreSQL did not become ready within 60 s');
    } catch (err) {
      const all = messages.join('\n');
      if (/Address already in use|could not create any TCP\/IP sockets/.test(all)) {
        throw new DatabaseStartError(
          `The embedded PostgreSQL cannot listen on 127.0.0.1:${config.embeddedPgPort}: the port is already in use by another program. Set COPYDESK_PG_PORT to a free port.`,
        );
      }
      if (/lock file .* already exists/.test(all)) {
        throw new DatabaseStartError(`The embedded database in ${pgData} is locked by another PostgreSQL process.`);
      }
      const reason = err instanceof Error ? err.message : 'PostgreSQL exited during start-up';
      throw new DatabaseStartError(`The embedded PostgreSQL failed to start: ${reason}\n${messages.slice(-8).join('\n')}`);
    }

    const postmaster = Number((await fs.readFile(path.join(pgData, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]) || undefined;
    const adminUrl = `postgresql://${DB_USER}:${encodeURIComponent(password)}@127.0.0.1:${config.embeddedPgPort}/${DB_NAME}`;
    const admin = new pg.Client({ connectionString: adminUrl.replace(/\/copydesk$/, '/postgres') });
    await admin.connect();
    try {
      const found = await admin.query('select 1 from pg_database where datname = $1', [DB_NAME]);
      if (found.rowCount === 0) await admin.query(`create database ${DB_NAME}`);
    } finally {
      await admin.end();
    }
    await ensureRoles(adminUrl, { owner: rolePassword(password, OWNER_ROLE), app: rolePassword(password, APP_ROLE) });

    let stopped = false;
    return {
      ...roleUrls(adminUrl, password),
      adminUrl,
      embedded: true,
      owned: true,
      async stop() {
        if (stopped) return;
        stopped = true;
        try {
          await stopPostmaster(pgData, postmaster);
        } finally {
          releaseLock();
          process.removeListener('exit', releaseLock);
        }
      },
    };
  } catch (err) {
    releaseLock();
    process.removeListener('exit', releaseLock);
    throw err;
  }
}

/** The application's and the owner's URLs on the embedded cluster whose superuser URL is `adminUrl`. */
function roleUrls(adminUrl: string, password: string): Pick<DatabaseHandle, 'url' | 'ownerUrl' | 'grant'> {
  const ownerUrl = urlAs(adminUrl, OWNER_ROLE, rolePassword(password, OWNER_ROLE));
  return { url: urlAs(adminUrl, APP_ROLE, rolePassword(password, APP_ROLE)), ownerUrl, grant: () => grantAppRole(ownerUrl) };
}
