import { PrismaPg } from '@prisma/adapter-pg';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { PrismaClient, Prisma } from './generated/client';
import type { Config } from '../config';

export { PrismaClient, Prisma };

/** The client of an open transaction. */
export type Tx = Prisma.TransactionClient;
/** A client or an open transaction: what services take first. */
export type Db = PrismaClient | Tx;

/** The connection pool under each client made by createDb. */
const pools = new WeakMap<object, pg.Pool>();

/**
 * Creates the Prisma client over @prisma/adapter-pg, on a pool it owns (ended
 * by `$disconnect`). The pool gets an explicit connection timeout: pg waits
 * forever by default, which would turn a database outage into hung requests
 * instead of 503s.
 */
export function createDb(
  url: string,
  config: Pick<Config, 'dbPoolSize' | 'dbConnectTimeoutMs'>,
  onPoolError: (err: Error) => void = (err) => process.stderr.write(`${JSON.stringify({ level: 'warn', msg: 'database pool: idle connection failed', err: err.message })}\n`),
): PrismaClient {
  const pool = new pg.Pool({
    connectionString: url,
    max: config.dbPoolSize,
    connectionTimeoutMillis: config.dbConnectTimeoutMs,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection that dies (the server restarts, a network cut) is an 'error' event on the pool,
  // which crashes the process when nobody listens. Prisma's adapter listens only once it has connected,
  // and queryRows may use the pool before that; the next query reports the outage (503). The event is
  // logged, not dropped, so an outage seen first on an idle connection leaves a line in the log.
  pool.on('error', onPoolError);
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(db, pool);
  return db;
}

/** The pool under a client made by createDb; throws for any other client, whose raw statements would take a slower, untested path. */
function requirePool(db: PrismaClient): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error('This PrismaClient was not made by createDb; raw statements run only on the pool createDb gives each client.');
  return pool;
}

/**
 * Lets a client that wraps one made by createDb (a Proxy that fails one model
 * on purpose, in a test) run its raw statements on the same pool.
 */
export function sharePool(wrapper: PrismaClient, of: PrismaClient): void {
  pools.set(wrapper, requirePool(of));
}

/** The connection pool under a client made by createDb (undefined for a transaction or another client): for measurements. */
export function poolOf(db: Db): pg.Pool | undefined {
  return pools.get(db);
}

/** True for the client of an open interactive transaction (it has no `$transaction` of its own). */
function isTransaction(db: Db): db is Tx {
  return !('$transaction' in db);
}

/**
 * Runs one `Prisma.sql` statement and returns its rows: on a client made by
 * createDb, straight on its connection pool; in an open transaction, on that
 * transaction's own connection (through its `$queryRaw`, the only way to
 * reach it). Any other client is refused rather than served another way.
 *
 * The pool, because for the statements every request or save sends (the
 * session lookup, the article read, the list page) `$queryRaw` hands each
 * statement and its parameters to Prisma's query compiler (WebAssembly) and
 * request pipeline, which cost about 0.5 ms per statement and more with
 * large parameters, such as a save's diffs.
 *
 * The two drivers map column types alike only for int4, float8, text, bool,
 * timestamptz, json/jsonb and arrays of them; int8 and numeric are strings
 * here and BigInt/Decimal through Prisma. Cast them in SQL, and give every
 * statement a row decoder (server/db/sql/) so a row has one type whichever
 * connection ran it.
 */
export async function queryRows<T>(db: Db, statement: Prisma.Sql, opts: QueryOptions = {}): Promise<T[]> {
  if (isTransaction(db)) return db.$queryRaw<T[]>(statement);
  const pool = requirePool(db);
  if (opts.prepare && !unprepared.has(pool)) {
    try {
      const result = await pool.query({ name: statementName(statement.text), text: statement.text, values: statement.values as unknown[] });
      return result.rows as T[];
    } catch (err) {
      if (!isPreparedStatementMismatch(err)) throw err;
      // A transaction-mode pooler (PgBouncer before 1.21) hands each statement to any server
      // connection, where this name is unknown or names another text. Nothing ran: the
      // statement is sent again unnamed, and so is every later one on this pool.
      unprepared.add(pool);
    }
  }
  const result = await pool.query(statement.text, statement.values as unknown[]);
  return result.rows as T[];
}

/**
 * Runs one `Prisma.sql` statement whose rows are not read (a write, or a
 * function returning void such as pg_advisory_xact_lock, whose column
 * Prisma's `$queryRaw` cannot read) and returns the row count; on the same
 * connection as queryRows would use.
 */
export async function executeStatement(db: Db, statement: Prisma.Sql): Promise<number> {
  if (isTransaction(db)) return db.$executeRaw(statement);
  const result = await requirePool(db).query(statement.text, statement.values as unknown[]);
  return result.rowCount ?? 0;
}

export interface QueryOptions {
  /**
   * Run as a named prepared statement, parsed and planned once per pooled
   * connection instead of at every call. For a hot statement whose planning
   * costs more than its execution: the article read that precedes a save takes
   * about 1.1 ms unnamed and 0.4 ms prepared (docs/benchmarks.md). Falls back to
   * unnamed statements for good when the server does not keep the name (a
   * transaction-mode pooler).
   */
  prepare?: boolean;
}

/** Pools whose connections did not keep a prepared statement: they get unnamed ones only. */
const unprepared = new WeakSet<pg.Pool>();
const names = new Map<string, string>();

/** A name per statement text (PostgreSQL names hold 63 bytes); node-postgres refuses one name for two texts. */
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `cd_${createHash('sha256').update(text).digest('base64url').slice(0, 32)}`;
    // Only opted-in statements get here, a handful of texts; the bound is a guard, not a cache policy.
    if (names.size >= 1000) names.clear();
    names.set(text, name);
  }
  return name;
}

/** 26000: the name is not prepared on this server connection; 42P05: it is already, by another client of a pooler. */
function isPreparedStatementMismatch(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '26000' || code === '42P05';
}

/** The raw statements of a transaction (`$queryRaw` / `$executeRaw`, tagged or with a `Prisma.Sql`); Prisma's own transaction client is one. */
export interface SqlTx {
  $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<T>;
  $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<number>;
}

const toSql = (query: TemplateStringsArray | Prisma.Sql, values: unknown[]): Prisma.Sql =>
  query instanceof Prisma.Sql ? query : Prisma.sql(query, ...(values as Prisma.Sql[]));

/**
 * Runs `fn` in one READ COMMITTED transaction on a connection of the
 * client's pool, for a write made only of raw statements with large
 * parameters (an import file's bulk inserts: Prisma's request pipeline costs
 * about ten times the CPU of `pg` for a statement with a 760 KB parameter).
 * Commits when `fn` resolves, rolls back when it throws. Past `timeoutMs`,
 * every further statement fails and the transaction is rolled back, as with
 * Prisma's interactive-transaction timeout. Only for a client made by
 * createDb.
 */
export async function sqlTransaction<T>(db: PrismaClient, fn: (tx: SqlTx) => Promise<T>, timeoutMs: number): Promise<T> {
  const client = await requirePool(db).connect();
  let expired = false;
  const timer = setTimeout(() => (expired = true), timeoutMs);
  const run = async (query: TemplateStringsArray | Prisma.Sql, values: unknown[]) => {
    if (expired) throw new Error(`Transaction expired: it ran for more than ${timeoutMs} ms and was rolled back.`);
    const s = toSql(query, values);
    return client.query(s.text, s.values as unknown[]);
  };
  const tx: SqlTx = {
    $queryRaw: async <R>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => (await run(query, values)).rows as R,
    $executeRaw: async (query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => (await run(query, values)).rowCount ?? 0,
  };
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(tx);
    if (expired) throw new Error(`Transaction expired: it ran for more than ${timeoutMs} ms and was rolled back.`);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A connection whose rollback fails is dropped rather than handed to the next caller.
    await client.query('ROLLBACK').catch((e: unknown) => (broken = e instanceof Error ? e : new Error(String(e))));
    throw error;
  } finally {
    clearTimeout(timer);
    client.release(broken);
  }
}
