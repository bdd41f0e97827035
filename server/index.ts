import type { Server } from 'node:http';
import { createApp } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { createDb } from './db/client';
import { DatabaseStartError, openDatabase } from './db/embedded';
import { registerServer } from './db/serverRegistry';
import { migrateIfNeeded, PrismaCliError } from './db/migrate';
import { ensureFirstAdmin } from './services/auth';
import { SYSTEM_ACTOR } from './services/audit';
import { runQueuedRecompute } from './services/recomputeStats';
import { createLogger } from './logger';
import { writeCheckpoint } from './services/auditCheckpoints';
import { AuditKeyError, prepareAudit } from './services/auditKey';
import { connectionWarnings } from './services/auditVerify';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

function listen(app: ReturnType<typeof createApp>, config: Config): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(config.port, config.host);
    server.once('listening', () => resolve(server));
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new StartError(`Port ${config.port} on ${config.host} is already in use. Stop the other program or set PORT.`));
      else if (err.code === 'EACCES') reject(new StartError(`Not allowed to listen on port ${config.port}. Choose a port above 1023 with PORT.`));
      else reject(err);
    });
  });
}

/** A start-up failure with a message meant for the operator. */
export class StartError extends Error {
  override name = 'StartError';
}

/**
 * Starts Copydesk: opens (or starts) the database, applies pending
 * migrations, creates the first admin if there is none, and serves the API
 * and the admin UI.
 */
export async function startServer(config: Readonly<Config>, say: (line: string) => void = console.log): Promise<RunningServer> {
  const logger = createLogger(config);
  const handle = await openDatabase(config, 'server', (m) => say(m));
  let db: ReturnType<typeof createDb> | undefined;
  try {
    const applied = await migrateIfNeeded(handle.ownerUrl);
    if (applied.length) say(`Applied ${applied.length} migration(s): ${applied.join(', ')}`);
    await handle.grant();
    db = createDb(handle.url, config, (err) => logger.warn({ err }, 'database pool: idle connection failed'));
    const { checkpoint: started } = await prepareAudit(db, config, { source: 'start' });
    for (const w of await connectionWarnings(db)) logger.warn(`warning: ${w}`);
    const first = await ensureFirstAdmin(db, config.adminPassword);
    if (first?.generatedPassword) {
      say('');
      say('  First start: created the admin account.');
      say(`    username: ${first.username}`);
      say(`    password: ${first.generatedPassword}`);
      say('  This password is shown only once. Change it under Users after logging in.');
      say('');
    } else if (first) {
      say(`First start: created the admin account "${first.username}" with the password from COPYDESK_ADMIN_PASSWORD.`);
    }
    const app = createApp({ db, config, logger });
    const server = await listen(app, config);
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host}:${port}`;
    // Lets a command started with another (new, empty) data directory warn instead of silently using an empty database.
    const unregister = registerServer(config.runtimeDir, { dataDir: config.dataDir, embedded: handle.embedded, url });
    say(`Copydesk is running at ${url} (database: ${handle.embedded ? 'embedded PostgreSQL in ' + config.dataDir : 'DATABASE_URL'})`);
    const dbRef = db;
    // Maintenance a migration queued runs while the server already answers; a
    // failure leaves it queued for the next start or the command.
    const maintenance = runQueuedRecompute(dbRef, SYSTEM_ACTOR, say).catch((err: unknown) => {
      logger.error({ err }, 'queued maintenance failed');
      say('The queued recomputation of revision statistics failed; it stays queued. Run: npm run maintenance -- recompute-stats');
    });
    // A checkpoint of the audit chain's head outside the database, whenever it moved.
    let lastHead = started?.hash;
    const checkpoint = async (source: string) => {
      const head = await dbRef.auditEvent.findFirst({ orderBy: { id: 'desc' }, select: { hash: true } });
      if (!head || head.hash === lastHead) return;
      lastHead = head.hash;
      await writeCheckpoint(dbRef, config.auditCheckpointFile, source);
    };
    const timer = setInterval(() => {
      checkpoint('server').catch((err: unknown) => logger.error({ err }, 'could not write the audit checkpoint'));
    }, config.auditCheckpointMs);
    timer.unref();
    return {
      url,
      async close() {
        clearInterval(timer);
        await checkpoint('stop').catch((err: unknown) => logger.error({ err }, 'could not write the audit checkpoint'));
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          setTimeout(() => server.closeAllConnections(), 5000).unref();
        });
        unregister();
        await maintenance;
        await dbRef.$disconnect();
        await handle.stop();
      },
    };
  } catch (err) {
    await db?.$disconnect().catch(() => undefined);
    await handle.stop().catch(() => undefined);
    throw err;
  }
}

/** Formats a start-up error for the console: operator errors plainly, others with their stack. */
export function describeStartError(err: unknown): string {
  if (err instanceof ConfigError || err instanceof DatabaseStartError || err instanceof StartError || err instanceof AuditKeyError) return err.message;
  if (err instanceof PrismaCliError) return `${err.message}\n${err.output.trim()}`;
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/** The `npm start` entry: start, then shut down cleanly on SIGINT, SIGTERM or SIGHUP. */
export async function main(): Promise<void> {
  let running: RunningServer | undefined;
  let stopping = false;
  const stop = async (reason: string, repeatForcesExit = true) => {
    if (stopping) {
      if (!repeatForcesExit) return;
      console.error(`${reason} again: exiting now.`);
      process.exit(1);
    }
    stopping = true;
    clearInterval(parentWatch);
    if (!running) {
      // Still starting (creating the cluster, migrating): exit at once. The
      // exit handlers release the data-directory lock and send the embedded
      // PostgreSQL its fast-shutdown signal; a migration is transactional.
      console.error(`${reason} during start-up: stopping.`);
      process.exit(1);
    }
    console.log(`${reason}: shutting down…`);
    try {
      await running.close();
      process.exit(0);
    } catch (err) {
      console.error(`Shutdown failed: ${describeStartError(err)}`);
      process.exit(1);
    }
  };
  // Whoever read our output may be gone (a stopped supervisor): a failed
  // write must not crash the shutdown that is about to close the database.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  // `npm start` runs us under `sh -c`, and npm forwards SIGTERM only to that
  // shell, which dies without passing it on (dash does not exec). Being
  // re-parented is then the only sign that we were asked to stop: without
  // this check the server (and its PostgreSQL) would run on, orphaned.
  const parentPid = process.ppid;
  const parentWatch = setInterval(() => {
    if (process.ppid !== parentPid) void stop('Parent process exited', false);
  }, 500);
  parentWatch.unref();
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGHUP', () => void stop('SIGHUP'));

  try {
    running = await startServer(loadConfig());
  } catch (err) {
    console.error(`Copydesk could not start: ${describeStartError(err)}`);
    process.exit(1);
  }
}
