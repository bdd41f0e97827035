// One decoder per JSON column of prisma/schema.prisma. Prisma types every
// Json column as JsonValue, which says nothing of its shape; reading one with
// `as` would turn a row written by an older version, or by hand, into a wrong
// value far from where it was read. Each decoder states the shape the writers
// produce, and `decodeJson` fails with the table, column and row named.
//
// Objects are loose (keys a later version adds pass through) but every key a
// reader relies on is checked.
import { z } from 'zod';

/** A stored JSON value that does not have the shape its column holds. */
export class StoredJsonError extends Error {
  override name = 'StoredJsonError';
  constructor(
    readonly table: string,
    readonly column: string,
    readonly row: string | number | bigint,
    readonly reason: string,
  ) {
    super(`${table}.${column} of row ${String(row)} is not what that column holds: ${reason}`);
  }
}

/** A JSON column's decoder, named after the column it reads. */
export interface JsonColumn<T> {
  table: string;
  column: string;
  schema: z.ZodType<T>;
}

const column = <T>(table: string, name: string, schema: z.ZodType<T>): JsonColumn<T> => ({ table, column: name, schema });

/**
 * Decodes `value`, read from `col` of the row `row`; throws StoredJsonError
 * naming the table, column, row and the first bad path otherwise.
 */
export function decodeJson<T>(col: JsonColumn<T>, value: unknown, row: string | number | bigint): T {
  const r = col.schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const at = issue.path.length ? `at ${issue.path.join('.')}: ` : '';
  throw new StoredJsonError(col.table, col.column, row, `${at}${issue.message}`);
}

const jsonObject = z.record(z.string(), z.unknown());
const count = z.number().int().min(0);

// paragraphs.codes / paragraphs.meta (shared/inlineCodes.ts)
const inlineCode = z.looseObject({
  id: z.string(),
  kind: z.enum(['open', 'close', 'standalone']),
  element: z.string(),
  family: z.enum(['1', '2']),
  xml: z.string(),
  label: z.string(),
  pair: z.number().int().min(0).optional(),
});
const paragraphNote = z.looseObject({ text: z.string(), from: z.string().optional(), priority: z.number().optional(), category: z.string().optional() });
const paragraphMeta = z.looseObject({
  fileId: z.string().optional(),
  original: z.string().optional(),
  unitId: z.string().optional(),
  segmentId: z.string().optional(),
  resname: z.string().optional(),
  state: z.string().optional(),
  notes: z.array(paragraphNote).optional(),
  locked: z.boolean().optional(),
  emptyTarget: z.boolean().optional(),
});
export const paragraphCodes = column('paragraphs', 'codes', z.array(inlineCode).nullable());
export const paragraphMetaColumn = column('paragraphs', 'meta', paragraphMeta.nullable());

// revisions.paragraphs / diffs / stats (server/services/revisionData.ts)
const paragraphDiff = z.looseObject({ parts: z.array(z.object({ op: z.enum(['eq', 'ins', 'del']), text: z.string() })), truncated: z.boolean() });
const editStats = z.looseObject({
  mtWords: count,
  words: count,
  inserted: count,
  deleted: count,
  substituted: count,
  editDistance: count,
  editRate: z.number().min(0),
  paragraphsChanged: count,
});
export const revisionParagraphs = column('revisions', 'paragraphs', z.array(z.string()));
const revisionDiffsSchema = z.looseObject({
  title: z.looseObject({ prev: paragraphDiff.nullable(), mt: paragraphDiff }),
  paragraphs: z.array(z.looseObject({ prev: paragraphDiff.nullable(), mt: paragraphDiff })),
});
export const revisionDiffs = column('revisions', 'diffs', revisionDiffsSchema);
/** revisions.diffs reduced to its paragraphs' diffs against the MT (`diffs->'paragraphs'`, each element's `mt`), as the analytics read it. */
export const revisionMtDiffs = column('revisions', 'diffs', z.array(paragraphDiff.nullable()).nullable());
const revisionStatsSchema = z.looseObject({ mt: editStats, prev: editStats.nullable(), titleChanged: z.boolean() });
export const revisionStats = column('revisions', 'stats', revisionStatsSchema);
/** revisions.stats reduced to its statistics against the MT (`stats->'mt'`), as the article record reads them. */
export const revisionMtStats = column('revisions', 'stats', editStats);
/** revision_corrections.before: what a recomputation replaced (see services/recomputeStats.ts). */
export const revisionCorrectionBefore = column(
  'revision_corrections',
  'before',
  z.looseObject({ diffs: revisionDiffsSchema, stats: revisionStatsSchema, editRate: z.number().min(0), wordsInserted: count, wordsDeleted: count, wordsSubstituted: count }),
);

/** articles.metadata: what the imported file carried beyond the article's fields, kept for the export. */
export const articleMetadata = column('articles', 'metadata', z.record(z.string(), z.json()));

/** audit_events.data: any JSON object (services/audit.ts canonicalises it); readers look up keys such as revisionId. */
export const auditEventData = column('audit_events', 'data', jsonObject);

// import_batches.files / failures / options (services/import/importReport.ts, importBatch.ts)
const listed = z.looseObject({ articleId: z.number().int().nullable(), externalId: z.string().nullable(), line: z.number().int().nullable() });
const fileReport = z.looseObject({
  path: z.string(),
  format: z.string().nullable(),
  status: z.enum(['ok', 'failed']),
  articles: count,
  imported: count,
  updated: count,
  skipped: count,
  conflicts: count,
  error: z.string().optional(),
  notes: z.array(z.string()),
  conflictList: z.array(listed.extend({ reason: z.string() })),
  updatedList: z.array(listed),
});
export const importBatchFiles = column('import_batches', 'files', z.array(fileReport));
export const importBatchFailures = column('import_batches', 'failures', z.array(z.looseObject({ path: z.string().nullable(), error: z.string() })));
export const importBatchOptions = column(
  'import_batches',
  'options',
  z.looseObject({ runner: z.looseObject({ host: z.string(), pid: z.number().int().positive() }).optional() }),
);

/** export_batches.options: the options the export ran with. */
export const exportBatchOptions = column('export_batches', 'options', jsonObject);
