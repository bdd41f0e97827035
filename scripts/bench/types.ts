import type { PrismaClient } from '../../server/db/client';
import type { Config } from '../../server/config';

export interface BenchContext {
  quick: boolean;
  seed: number;
  /** A fresh, migrated database for this run. */
  databaseUrl: string;
  db: PrismaClient;
  config: Readonly<Config>;
  tmpDir: string;
  log(line: string): void;
}

export interface BenchResult {
  id: string;
  measure: string;
  baseline: string;
  /** Every figure measured, with its unit in the key (e.g. median_ms). */
  figures: Record<string, number>;
  /** Copydesk's figure divided by the baseline's, where there is a baseline. */
  ratio?: number;
  target: string;
  pass: boolean;
  notes?: string;
}

export interface Bench {
  id: string;
  /** Whether the bench needs a database (the pure ones do not). */
  needsDb: boolean;
  run(ctx: BenchContext): Promise<BenchResult>;
}
