/** What an import run reports: per file, in totals and as progress. */
import type { Outcome } from './classifyArticle';
import type { ImportFormat } from './types';

/** A conflict: an article whose new MT text was not applied. */
export interface ConflictEntry {
  articleId: number | null;
  externalId: string | null;
  line: number | null;
  reason: string;
}

/** What happened to one input file. */
export interface FileReport {
  path: string;
  /** The format it was read as; null when it could not be told (unknown extension, unreadable). */
  format: ImportFormat | null;
  /** 'ok': its articles were classified and written together; 'failed': nothing of it was written. */
  status: 'ok' | 'failed';
  /** Articles the file holds (0 when it failed). */
  articles: number;
  imported: number;
  updated: number;
  skipped: number;
  conflicts: number;
  /** The reason, naming the file and line, when it failed. */
  error?: string;
  /** The parser's normalisation notes ("line 3: collapsed repeated spaces in 2 paragraphs"). */
  notes: string[];
  /** The first conflicts of the file (at most {@link MAX_LISTED_CONFLICTS}). */
  conflictList: ConflictEntry[];
  /** The first articles whose MT text the file replaced (at most {@link MAX_LISTED_CONFLICTS}), so no update goes unnamed. */
  updatedList: UpdateEntry[];
}

/** An article whose MT text an import replaced. */
export interface UpdateEntry {
  articleId: number | null;
  externalId: string | null;
  line: number | null;
}

export interface ImportTotals {
  files: number;
  failedFiles: number;
  articles: number;
  imported: number;
  updated: number;
  skipped: number;
  conflicts: number;
}

/** The result of {@link importPaths}. */
export interface ImportReport {
  /** The import_batches row; null for a dry run. */
  batchId: number | null;
  batchName: string;
  dryRun: boolean;
  importer: { id: number | null; username: string };
  startedAt: string;
  finishedAt: string;
  totals: ImportTotals;
  files: FileReport[];
  failures: Array<{ path: string; error: string }>;
  /** Paths met but not read: symbolic links inside folders, never followed. */
  ignored: Array<{ path: string; reason: string }>;
}

/** A snapshot of a running import for progress displays. */
export interface ImportProgress {
  filesTotal: number;
  filesDone: number;
  currentFile: string | null;
  /** Articles read so far, from every file (including ones that later fail). */
  articlesRead: number;
  imported: number;
  updated: number;
  skipped: number;
  conflicts: number;
  failedFiles: number;
}

/** Progress events; `article` names the file the article was read from (several may be read at once). */
export type ImportEvent = { type: 'start' } | { type: 'article'; file: string } | { type: 'file'; file: FileReport } | { type: 'done' };

export type ProgressListener = (progress: Readonly<ImportProgress>, event: ImportEvent) => void;

export const MAX_LISTED_CONFLICTS = 1000;

export function failedFile(file: string, format: ImportFormat | null, error: string): FileReport {
  return { path: file, format, status: 'failed', articles: 0, imported: 0, updated: 0, skipped: 0, conflicts: 0, error, notes: [], conflictList: [], updatedList: [] };
}

export function totalsOf(files: readonly FileReport[]): ImportTotals {
  const ok = files.filter((f) => f.status === 'ok');
  const sum = (k: 'articles' | 'imported' | 'updated' | 'skipped' | 'conflicts') => ok.reduce((n, f) => n + f[k], 0);
  return {
    files: files.length,
    failedFiles: files.length - ok.length,
    articles: sum('articles'),
    imported: sum('imported'),
    updated: sum('updated'),
    skipped: sum('skipped'),
    conflicts: sum('conflicts'),
  };
}

export function addCounts(progress: ImportProgress, counts: Readonly<Record<Outcome, number>>): void {
  progress.imported += counts.imported;
  progress.updated += counts.updated;
  progress.skipped += counts.skipped;
  progress.conflicts += counts.conflict;
}

/** 0 when no file failed, else 1. Conflicts are listed but are not failures. */
export function importExitCode(report: Pick<ImportReport, 'totals'>): number {
  return report.totals.failedFiles > 0 ? 1 : 0;
}
