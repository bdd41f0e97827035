// The export's database commit: claim the articles on their locked state,
// write the manifest of exactly what is claimed, record the batch and its
// audit events, all in one transaction. The files are already written
// (exportFiles.ts); nothing here runs before they are.
import path from 'node:path';
import { sqlTransaction, type PrismaClient, type SqlTx } from '../../db/client';
import { insertExportBatch, lockArticlesForExport } from '../../db/sql/export';
import { ConflictError } from '../../errors';
import { decideExport } from '../../../shared/workflow';
import { recordAuditMany, type Actor } from '../audit';
import { chainHead } from '../auditCheckpoints';
import type { AuditHead, ExportedItem } from './exportBatch';
import { restoreManifest } from './exportFiles';
import { MANIFEST_NAME, sha256Hex, type Manifest, type ManifestEntry } from './manifest';
import type { ExportFormat } from './render';
import { writeFileAtomic } from './writeFileAtomic';

/** The note on an export of an approved revision that is no longer the current text. */
export function pinnedNote(revisionNumber: number): string {
  return `exported the approved revision ${revisionNumber}; the article has unapproved edits since`;
}

/** The audit chain's newest event, or null for an empty log. */
export async function auditHead(db: PrismaClient): Promise<AuditHead | null> {
  const head = await chainHead(db);
  return head ? { id: head.id.toString(), hash: head.hash } : null;
}

/** What a batch records besides its items. */
export interface CommitInput {
  batchId: number;
  startedAt: Date;
  format: ExportFormat;
  outDir: string;
  all: boolean;
  since: Date | undefined;
  ids: readonly number[] | undefined;
  actor: Actor;
  /** The folder's manifest before this run (null: none, undefined: not read). */
  previous: Manifest | null | undefined;
}

/** The outcome of a commit: what the batch kept, what another export took, and the manifest written. */
export interface CommitOutcome {
  kept: ExportedItem[];
  taken: ExportedItem[];
  manifestSha256: string | null;
  superseded: ManifestEntry[];
}

/**
 * Commits a batch whose files are written: in ONE transaction, claims the
 * articles (claimArticles), writes the manifest of the kept ones (inside the
 * transaction, after the lock, so it lists exactly what the batch records)
 * and records the batch and its audit events. When the transaction fails,
 * the previous manifest is put back.
 */
export async function commitBatch(db: PrismaClient, exported: ExportedItem[], input: CommitInput): Promise<CommitOutcome> {
  const ext = path.extname(exported[0].file);
  let wroteManifest = false;
  try {
    return await sqlTransaction(
      db,
      async (tx) => {
        const claim = await claimArticles(tx, exported, input.all);
        if (claim.kept.length === 0) return { ...claim, manifestSha256: null, superseded: [] };
        const built = buildManifest(input.previous, claim.kept, input.batchId, input.format, ext, input.actor, await auditHead(db));
        await writeFileAtomic(input.outDir, MANIFEST_NAME, built.bytes, true);
        wroteManifest = true;
        const manifestSha256 = sha256Hex(built.bytes);
        await recordBatch(tx, input, claim.kept, manifestSha256);
        return { ...claim, manifestSha256, superseded: built.superseded };
      },
      10 * 60_000,
    );
  } catch (err) {
    if (wroteManifest) await restoreManifest(input.outDir, input.previous);
    throw err;
  }
}

/** A batch's manifest: earlier batches' files carried over, this batch's files, and the superseded files to remove after the commit. */
function buildManifest(previous: Manifest | null | undefined, items: readonly ExportedItem[], batchId: number, format: ExportFormat, ext: string, actor: Actor, head: AuditHead | null) {
  const inBatch = new Set(items.map((e) => e.articleId));
  const fresh: ManifestEntry[] = items.map(({ file, sha256, bytes, articleId, revisionId, revisionNumber, approver, approvedAt }) => ({
    file,
    sha256,
    bytes,
    articleId,
    revisionId,
    revisionNumber,
    approver,
    approvedAt,
    batchId,
  }));
  const names = new Set(fresh.map((e) => e.file));
  // Earlier batches' files stay listed, except those this batch supersedes
  // (same article, same format): those are removed once the batch commits.
  const carried: ManifestEntry[] = [];
  const superseded: ManifestEntry[] = [];
  for (const e of previous?.files ?? []) {
    if (names.has(e.file)) continue;
    if (inBatch.has(e.articleId) && path.extname(e.file) === ext) superseded.push(e);
    else carried.push({ ...e, batchId: e.batchId ?? previous?.batchId });
  }
  const manifest: Manifest = {
    batchId,
    format,
    createdAt: new Date().toISOString(),
    exporter: actor.username,
    // The chain's head before this batch's own events: a checkpoint that leaves the building with the files.
    auditHead: head,
    files: [...carried, ...fresh].sort((a, b) => a.articleId - b.articleId || a.file.localeCompare(b.file)),
  };
  return { bytes: Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8'), superseded };
}

/**
 * Locks the exported articles (row locks, in id order: no save, approval or
 * archive can interleave with the commit, and two exports queue here) and
 * claims them on their locked state: an article read as approved that is
 * now exported was taken by an export that committed first, and leaves this
 * batch (unless `all`, which re-exports on purpose). Among any number of
 * exports each approved article goes to exactly one batch.
 */
async function claimArticles(tx: SqlTx, exported: readonly ExportedItem[], all: boolean): Promise<{ kept: ExportedItem[]; taken: ExportedItem[] }> {
  const current = await lockArticlesForExport(
    tx,
    exported.map((e) => e.articleId),
  );
  const byId = new Map(current.map((r) => [r.id, r]));
  const kept: ExportedItem[] = [];
  const taken: ExportedItem[] = [];
  for (const item of exported) {
    const now = byId.get(item.articleId);
    if (!now) throw new ConflictError(`Article ${item.articleId} was deleted during the export; nothing was recorded. Run the export again.`, undefined, 'export_conflict');
    if (now.approvedRevisionId !== item.revisionId) {
      throw new ConflictError(`Article ${item.articleId} was re-approved during the export; nothing was recorded. Run the export again.`, undefined, 'export_conflict');
    }
    if (now.status === 'archived') throw new ConflictError(`Article ${item.articleId} was archived during the export; nothing was recorded. Run the export again.`, undefined, 'export_conflict');
    if (!all && item.from === 'approved' && now.status === 'exported') {
      taken.push(item);
      continue;
    }
    // Decide on the locked status, not the one read before the files were written.
    const decision = decideExport(now.status);
    item.from = now.status;
    item.to = decision.ok ? decision.to : now.status;
    if (decision.ok) delete item.note;
    else item.note = pinnedNote(item.revisionNumber);
    kept.push(item);
  }
  return { kept, taken };
}

/**
 * Every database write of a batch, after claimArticles: the batch, its
 * items, the status changes (one statement, insertExportBatch), then an
 * `article.export` audit event per article and one `export.batch`, chained
 * in one `audit_append` call as the transaction's last write.
 */
async function recordBatch(tx: SqlTx, input: CommitInput, exported: readonly ExportedItem[], manifestSha256: string): Promise<void> {
  const { batchId, actor } = input;
  const moved = exported.filter((e) => e.from === 'approved' && e.to === 'exported').length;
  const again = exported.filter((e) => e.from === 'exported').length;
  const ids = input.ids ? [...input.ids] : null;
  const since = input.since?.toISOString() ?? null;
  await insertExportBatch(tx, {
    batchId,
    exporterId: actor.id,
    actorName: actor.username,
    format: input.format,
    outDir: input.outDir,
    startedAt: input.startedAt,
    finishedAt: new Date(),
    manifestSha256,
    options: { all: input.all, ids, since, counts: { exported: exported.length, approvedToExported: moved, reexported: again, pinnedOnly: exported.length - moved - again } },
    items: exported,
  });
  await recordAuditMany(tx, actor, [
    ...exported.map((e) => ({
      action: 'article.export',
      entity: 'article',
      entityId: e.articleId,
      data: { batchId, revisionId: e.revisionId, revisionNumber: e.revisionNumber, file: e.file, sha256: e.sha256, from: e.from, to: e.to, ...(e.note ? { note: e.note } : {}) },
    })),
    {
      action: 'export.batch',
      entity: 'export_batch',
      entityId: batchId,
      data: { format: input.format, outDir: input.outDir, articleCount: exported.length, manifestSha256, all: input.all, ids, since },
    },
  ]);
}
