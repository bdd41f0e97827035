import { userInfo } from 'node:os';
import { ConfigError, loadConfig, type Config } from '../../server/config';
import { createDb, type PrismaClient } from '../../server/db/client';
import { DatabaseStartError, openDatabase } from '../../server/db/embedded';
import { migrateIfNeeded, PrismaCliError } from '../../server/db/migrate';
import { HttpError } from '../../server/errors';
import { SYSTEM_ACTOR, type Actor } from '../../server/services/audit';
import { writeCheckpoint } from '../../server/services/auditCheckpoints';
import { AuditKeyError, prepareAudit } from '../../server/services/auditKey';

/**
 * `--new-data-dir`, accepted by every command that opens the database: create
 * a new database in COPYDESK_DATA_DIR even though a Copydesk server runs on
 * another (server/db/embedded.ts, newDataDirWarning). Taken out of argv here,
 * when this module loads, before a command parses its own options.
 */
export const NEW_DATA_DIR = takeFlag('--new-data-dir');

function takeFlag(flag: string): boolean {
  const i = process.argv.indexOf(flag, 2);
  if (i < 0) return false;
  process.argv.splice(i, 1);
  return true;
}

/** A usage or input error of a command: printed without a stack, exit code 2 unless given. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/**
 * Runs a command body with the database open: the server's embedded cluster
 * when it is running, else one started for this command, or DATABASE_URL.
 * Pending migrations are applied first, and the audit key is loaded. After a
 * successful command that may have written, the audit chain's head is
 * appended to the checkpoint file (`checkpoint`: what to call it there).
 * `readOnly` commands change nothing, not even the checkpoint file. Errors
 * meant for the user are printed plainly and set the exit code; the database
 * is always closed.
 */
export async function runWithDatabase(
  body: (ctx: { db: PrismaClient; config: Readonly<Config> }) => Promise<number | void>,
  opts: { readOnly?: boolean; checkpoint?: string | false } = {},
): Promise<void> {
  let code: number;
  let handle: Awaited<ReturnType<typeof openDatabase>> | undefined;
  let db: PrismaClient | undefined;
  const onSignal = () => {
    process.exitCode = 130;
    void (async () => {
      await db?.$disconnect().catch(() => undefined);
      await handle?.stop().catch(() => undefined);
      process.exit(130);
    })();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const config = loadConfig();
    handle = await openDatabase(config, 'cli', (m) => console.error(m), { runtimeDir: config.runtimeDir, allowNewDataDir: NEW_DATA_DIR });
    await migrateIfNeeded(handle.ownerUrl);
    await handle.grant();
    db = createDb(handle.url, config);
    await prepareAudit(db, config, { readOnly: opts.readOnly });
    code = (await body({ db, config })) ?? 0;
    if (code === 0 && !opts.readOnly && opts.checkpoint !== false) await writeCheckpoint(db, config.auditCheckpointFile, opts.checkpoint ?? `cli:${config.npmScript ?? 'command'}`);
  } catch (err) {
    code = reportCliError(err);
  } finally {
    await db?.$disconnect().catch(() => undefined);
    await handle?.stop().catch(() => undefined);
  }
  process.exitCode = code;
}

/** Prints an error the way a command should and returns its exit code. */
export function reportCliError(err: unknown): number {
  if (err instanceof CliError) {
    console.error(`error: ${err.message}`);
    return err.exitCode;
  }
  if (err instanceof HttpError) {
    console.error(`error: ${err.message}`);
    return 1;
  }
  if (err instanceof ConfigError || err instanceof DatabaseStartError || err instanceof AuditKeyError) {
    console.error(`error: ${err.message}`);
    return 1;
  }
  if (err instanceof PrismaCliError) {
    console.error(`error: ${err.message}\n${err.output}`);
    return 1;
  }
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  return 1;
}

/** Splits argv into positionals and --flags (`--flag value`, `--flag=value`, boolean `--flag`). */
export function parseArgs(argv: string[], spec: { booleans?: readonly string[]; strings?: readonly string[] }): { positionals: string[]; flags: Record<string, string | boolean> } {
  const positionals: string[] = [];
  const flags: Record<string, string | boolean> = {};
  const booleans = new Set(spec.booleans ?? []);
  const strings = new Set(spec.strings ?? []);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--')) {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (booleans.has(name)) {
      if (eq > 0) throw new CliError(`--${name} takes no value`);
      flags[name] = true;
    } else if (strings.has(name)) {
      const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new CliError(`--${name} needs a value`);
      flags[name] = value;
    } else {
      throw new CliError(`unknown option --${name}`);
    }
  }
  return { positionals, flags };
}

export { ConfigError };

/** The actor of a command run without --as: the system, tagged with the operating-system user who ran it. */
export function cliActor(): Actor {
  let os = 'unknown';
  try {
    os = userInfo().username;
  } catch {
    /* no passwd entry */
  }
  return { ...SYSTEM_ACTOR, ip: `cli:${os}` };
}
