import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, Prisma } from './generated/client';
import type { Config } from '../config';

export { PrismaClient, Prisma };

/** The client of an open transaction. */
export type Tx = Prisma.TransactionClient;
/** A client or an open transaction: what services take first. */
export type Db = PrismaClient | Tx;

/**
 * Creates the Prisma client over @prisma/adapter-pg. The pool gets an explicit
 * connection timeout: pg waits forever by default, which would turn a
 * database outage into hung requests instead of 503s.
 */
export function createDb(url: string, config: Pick<Config, 'dbPoolSize' | 'dbConnectTimeoutMs'>): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: url,
    max: config.dbPoolSize,
    connectionTimeoutMillis: config.dbConnectTimeoutMs,
    idleTimeoutMillis: 30_000,
  });
  return new PrismaClient({ adapter });
}
