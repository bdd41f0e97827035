import type { PrismaClient } from '../../server/db/client';
import type { Config } from '../../server/config';

/** How much work each database bench does; `sizesOf(ctx)` fills in the defaults. */
export interface BenchSizes {
  /** Articles per timed import run (one feed file each). */
  importArticles: number;
  importRuns: number;
  /** Approved articles per timed export run. */
  exportArticles: number;
  exportRuns: number;
  /** Articles in the table the list bench pages through. */
  listArticles: number;
  /** Timed list requests per side (API and raw SQL). */
  listRequests: number;
  /** Concurrent connections of the save bench (each its own articles). */
  saveConnections: number;
  saveArticlesPerConnection: number;
  /** Seconds per timed save round, per side. */
  saveSeconds: number;
  /** Timed rounds per side, alternating API and raw SQL. */
  saveRounds: number;
  /** Approved paragraphs in the translation memory. */
  tmParagraphs: number;
  /** Timed TM lookups per side (API and raw SQL). */
  tmRequests: number;
  /** The corpus sizes (articles) the scale bench grows through, measuring at each. */
  scaleSteps: number[];
  /** Timed requests per operation and size in the scale bench. */
  scaleRequests: number;
}

export interface BenchContext {
  quick: boolean;
  seed: number;
  /** A fresh, migrated database for this run. */
  databaseUrl: string;
  db: PrismaClient;
  config: Readonly<Config>;
  tmpDir: string;
  log(line: string): void;
  /** When set, the spawned commands and the child server write V8 CPU profiles here (`--cpu-prof`). */
  cpuProfDir?: string;
  /** Overrides of the sizes `quick` selects (tests use tiny ones). */
  sizes?: Partial<BenchSizes>;
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
