/** The options of an import run and the context its parts share. */
import type { PrismaClient } from '../../db/client';
import { type Actor } from '../audit';
import { type ImportFormat } from './types';
import type { Overlay } from './fileState';
import { type ImportEvent, type ImportProgress } from './importReport';

/** Options of one import run. */
export interface ImportOptions {
  /** 'auto' (the default) detects each file's format from its extension and content. */
  format?: ImportFormat | 'auto';
  /** Default source / target language for articles that do not name theirs. */
  sourceLang?: string;
  targetLang?: string;
  /** Files larger than this fail (COPYDESK_IMPORT_MAX_BYTES). */
  maxBytes?: number;
  /** A name for the batch; defaults to the paths given. */
  batchName?: string;
  /** Parse and classify against the database, write nothing (no batch row either). */
  dryRun?: boolean;
  /** Articles per bulk statement (memory stays bounded by this on streamed NDJSON). Default 500. */
  chunkSize?: number;
  /** Longest a file's transaction may stay open. Default one hour. */
  fileTimeoutMs?: number;
  /**
   * Files written at the same time, each in its own transaction (COPYDESK_IMPORT_CONCURRENCY,
   * `--concurrency`). Default 1. The result does not depend on it: see {@link importPaths}.
   * Each holds a connection of the client's pool while it is written, so keep it at most the
   * pool's size. A dry run always reads its files one after the other.
   */
  concurrency?: number;
}

/** The most files one run writes at the same time (each holds a database connection). */
export const MAX_IMPORT_CONCURRENCY = 16;

export const DEFAULT_CHUNK = 500;

export const RETRIES = 3;

export interface RunContext {
  db: PrismaClient;
  options: Required<Pick<ImportOptions, 'format' | 'maxBytes' | 'chunkSize' | 'fileTimeoutMs' | 'dryRun' | 'concurrency'>> & Pick<ImportOptions, 'sourceLang' | 'targetLang'>;
  actor: Actor;
  batchId: number | null;
  /** Dry run only: what earlier files of the run would have created. */
  runOverlay: Overlay;
  progress: ImportProgress;
  emit: (event: ImportEvent) => void;
}
