import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/** The OS user's id (or name where there are no ids), to keep users' runtime folders apart in a shared temp dir. */
function userId(): string {
  if (typeof process.getuid === 'function') return String(process.getuid());
  try {
    return userInfo().username;
  } catch {
    return 'user';
  }
}

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : ['true', '1', 'yes', 'on'].includes(v)));

const int = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

// Minutes that may be fractional ("0.5" is 30 s), for windows short enough to test.
const minutes = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (!Number.isFinite(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be a number of minutes from ${min} to ${max}, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const databaseUrl = optionalString.superRefine((v, ctx) => {
  if (v === undefined) return;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'is not a URL; expected postgresql://user:password@host:5432/database' });
    return;
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') {
    ctx.addIssue({ code: 'custom', message: `must start with postgresql:// (got "${url.protocol}//")` });
  } else if (!url.hostname) {
    ctx.addIssue({ code: 'custom', message: 'names no host; expected postgresql://user:password@host:5432/database' });
  } else if (url.pathname.replace(/^\//, '') === '') {
    ctx.addIssue({ code: 'custom', message: 'names no database; expected postgresql://user:password@host:5432/database' });
  }
});

const trustProxy = z
  .string()
  .optional()
  .transform((v): boolean | number | string => {
    if (v === undefined || v.trim() === '' || v === 'false' || v === '0') return false;
    if (v === 'true') return true;
    if (/^\d+$/.test(v)) return Number(v);
    return v; // an address list such as "loopback, 10.0.0.0/8", passed to Express as is
  });

/** Every environment variable Copydesk reads. docs/configuration.md documents each. */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).optional().default('development'),
  HOST: z.string().optional().default('127.0.0.1'),
  PORT: int(3000, 0, 65535),
  DATABASE_URL: databaseUrl,
  COPYDESK_DATA_DIR: optionalString,
  COPYDESK_RUNTIME_DIR: optionalString,
  COPYDESK_PG_PORT: int(54329, 1, 65535),
  COPYDESK_DB_POOL_SIZE: int(20, 1, 200),
  COPYDESK_DB_CONNECT_TIMEOUT_MS: int(5000, 100, 120000),
  // The same minimum as every other password (server/auth/passwords.ts), so the first admin's is no weaker.
  COPYDESK_ADMIN_PASSWORD: optionalString.refine((v) => v === undefined || v.length >= 10, 'must be at least 10 characters long'),
  // Empty means unset (as in a copied .env.example): read the password from stdin. Never trimmed.
  COPYDESK_PASSWORD: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
  COPYDESK_SESSION_SECRET: optionalString.refine((v) => v === undefined || v.length >= 16, 'must be at least 16 characters long (use e.g. `openssl rand -base64 48`)'),
  COPYDESK_SESSION_IDLE_MINUTES: int(60, 1, 60 * 24 * 30),
  COPYDESK_SESSION_MAX_HOURS: int(12, 1, 24 * 90),
  COPYDESK_SECURE_COOKIES: z.enum(['auto', 'true', 'false']).optional().default('auto'),
  COPYDESK_TRUST_PROXY: trustProxy,
  COPYDESK_LOGIN_LIMIT_PER_IP: int(30, 1, 100000),
  COPYDESK_LOGIN_LIMIT_PER_USER: int(5, 1, 100000),
  COPYDESK_LOGIN_WINDOW_MINUTES: minutes(15, 0.01, 24 * 60),
  COPYDESK_BODY_LIMIT_KB: int(2048, 16, 1024 * 100),
  COPYDESK_FOUR_EYES: bool(true),
  COPYDESK_QA_BLOCKS_APPROVAL: bool(false),
  COPYDESK_IMPORT_MAX_BYTES: int(1_000_000, 1, 1024 * 1024 * 1024),
  // Files `npm run import` writes at once; same upper bound as MAX_IMPORT_CONCURRENCY in the importer.
  COPYDESK_IMPORT_CONCURRENCY: int(3, 1, 16),
  // The audit chain's HMAC key: 64 hex characters (32 bytes). Never stored in the database.
  COPYDESK_AUDIT_KEY: optionalString.refine((v) => v === undefined || /^[0-9a-fA-F]{64}$/.test(v), 'must be 64 hexadecimal characters (32 bytes, e.g. `openssl rand -hex 32`)'),
  COPYDESK_AUDIT_KEY_FILE: optionalString,
  COPYDESK_AUDIT_CHECKPOINTS: optionalString,
  COPYDESK_AUDIT_CHECKPOINT_MINUTES: minutes(15, 0.01, 24 * 60),
  COPYDESK_MIGRATE_DATABASE_URL: databaseUrl,
  // Set by npm itself for `npm run <script>`, which runs scripts in the package root:
  // the folder the user started from, and the script's name.
  INIT_CWD: optionalString,
  npm_lifecycle_event: optionalString,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional().default('info'),
});

/** The name of every environment variable Copydesk reads (the keys of the schema above). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

/** Variables npm sets for `npm run <script>`, never an operator. */
export const NPM_VARIABLES: readonly string[] = ['INIT_CWD', 'npm_lifecycle_event'];

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** An external PostgreSQL server; when undefined, Copydesk runs its embedded one. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Per-user folder where running servers note their data directory, so a command can tell a mistyped COPYDESK_DATA_DIR (server/db/serverRegistry.ts). */
  runtimeDir: string;
  embeddedPgPort: number;
  dbPoolSize: number;
  dbConnectTimeoutMs: number;
  adminPassword: string | undefined;
  /** Password for `npm run user -- add/reset-password`, instead of standard input. */
  cliPassword: string | undefined;
  sessionSecret: string | undefined;
  sessionIdleMs: number;
  sessionMaxMs: number;
  secureCookies: 'auto' | 'always' | 'never';
  trustProxy: boolean | number | string;
  loginLimitPerIp: number;
  loginLimitPerUser: number;
  loginWindowMs: number;
  bodyLimitBytes: number;
  fourEyes: boolean;
  qaBlocksApproval: boolean;
  importMaxBytes: number;
  /** Files `npm run import` writes at the same time, each in its own transaction (`--concurrency`). */
  importConcurrency: number;
  /** The audit chain's HMAC key as 64 hex characters, when given by COPYDESK_AUDIT_KEY. */
  auditKey: string | undefined;
  /** Where the audit key is read from (and, when absent and the chain holds no keyed event, generated into). */
  auditKeyFile: string;
  /** The append-only file of audit chain checkpoints (head id, hash, time), outside the database. */
  auditCheckpointFile: string;
  /** The server appends a checkpoint this often (when the head moved). */
  auditCheckpointMs: number;
  /**
   * An external database's owner role (runs the migrations); DATABASE_URL is
   * then the application role. Undefined: DATABASE_URL does both.
   */
  migrateDatabaseUrl: string | undefined;
  /** The folder `npm run …` was started from (npm's INIT_CWD); undefined outside npm. */
  npmInitCwd: string | undefined;
  /** The npm script being run (npm_lifecycle_event), such as "export"; undefined outside npm. */
  npmScript: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

/** A configuration value that cannot be used; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses the environment once into a frozen, typed configuration.
 * Throws ConfigError naming every bad variable and why.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Readonly<Config> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(cwd, e.COPYDESK_DATA_DIR ?? 'data');
  if (e.COPYDESK_AUDIT_KEY && e.COPYDESK_AUDIT_KEY_FILE) throw new ConfigError('Invalid configuration:\n  COPYDESK_AUDIT_KEY_FILE: give the audit key either inline (COPYDESK_AUDIT_KEY) or as a file, not both');
  if (e.COPYDESK_MIGRATE_DATABASE_URL && !e.DATABASE_URL) throw new ConfigError('Invalid configuration:\n  COPYDESK_MIGRATE_DATABASE_URL: only used with DATABASE_URL (the embedded database creates its own roles)');
  return Object.freeze({
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir,
    runtimeDir: path.resolve(cwd, e.COPYDESK_RUNTIME_DIR ?? path.join(tmpdir(), `copydesk-${userId()}`)),
    embeddedPgPort: e.COPYDESK_PG_PORT,
    dbPoolSize: e.COPYDESK_DB_POOL_SIZE,
    dbConnectTimeoutMs: e.COPYDESK_DB_CONNECT_TIMEOUT_MS,
    adminPassword: e.COPYDESK_ADMIN_PASSWORD,
    cliPassword: e.COPYDESK_PASSWORD,
    sessionSecret: e.COPYDESK_SESSION_SECRET,
    sessionIdleMs: e.COPYDESK_SESSION_IDLE_MINUTES * 60_000,
    sessionMaxMs: e.COPYDESK_SESSION_MAX_HOURS * 3_600_000,
    secureCookies: e.COPYDESK_SECURE_COOKIES === 'true' ? 'always' : e.COPYDESK_SECURE_COOKIES === 'false' ? 'never' : 'auto',
    trustProxy: e.COPYDESK_TRUST_PROXY,
    loginLimitPerIp: e.COPYDESK_LOGIN_LIMIT_PER_IP,
    loginLimitPerUser: e.COPYDESK_LOGIN_LIMIT_PER_USER,
    loginWindowMs: Math.round(e.COPYDESK_LOGIN_WINDOW_MINUTES * 60_000),
    bodyLimitBytes: e.COPYDESK_BODY_LIMIT_KB * 1024,
    fourEyes: e.COPYDESK_FOUR_EYES,
    qaBlocksApproval: e.COPYDESK_QA_BLOCKS_APPROVAL,
    importMaxBytes: e.COPYDESK_IMPORT_MAX_BYTES,
    importConcurrency: e.COPYDESK_IMPORT_CONCURRENCY,
    auditKey: e.COPYDESK_AUDIT_KEY?.toLowerCase(),
    auditKeyFile: path.resolve(cwd, e.COPYDESK_AUDIT_KEY_FILE ?? path.join(dataDir, 'audit.key')),
    auditCheckpointFile: path.resolve(cwd, e.COPYDESK_AUDIT_CHECKPOINTS ?? path.join(dataDir, 'audit-checkpoints.log')),
    auditCheckpointMs: Math.round(e.COPYDESK_AUDIT_CHECKPOINT_MINUTES * 60_000),
    migrateDatabaseUrl: e.COPYDESK_MIGRATE_DATABASE_URL,
    npmInitCwd: e.INIT_CWD,
    npmScript: e.npm_lifecycle_event,
    logLevel: e.LOG_LEVEL,
  });
}

/** The password-free form of a database URL, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
