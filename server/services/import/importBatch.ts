/** The import_batches row of a run: opened first, closed at the end, or closed for a run whose process died. */
import { hostname } from 'node:os';
import { type PrismaClient } from '../../db/client';
import { decodeJson, importBatchOptions } from '../../db/json';
import { isProcessAlive } from '../../db/processAlive';
import { recordAudit, type Actor } from '../audit';
import { type FileReport, totalsOf } from './importReport';
import { type RunContext } from './runContext';

export async function finishBatch(ctx: RunContext, files: FileReport[], status: 'completed' | 'failed', options: Record<string, unknown>): Promise<void> {
  const batchId = ctx.batchId as number;
  const totals = totalsOf(files);
  const failures = files.flatMap((f) => (f.status === 'failed' ? [{ path: f.path, error: f.error ?? 'failed' }] : []));
  // JSON columns get plain data: the per-file entries without undefined members.
  const fileEntries = JSON.parse(JSON.stringify(files)) as object[];
  await ctx.db.$transaction(async (tx) => {
    await tx.importBatch.update({
      where: { id: batchId },
      data: {
        status,
        finishedAt: new Date(),
        fileCount: files.length,
        imported: totals.imported,
        updated: totals.updated,
        skipped: totals.skipped,
        conflicts: totals.conflicts,
        failed: totals.failedFiles,
        files: fileEntries,
        failures,
      },
    });
    await recordAudit(tx, ctx.actor, {
      action: 'import.batch',
      entity: 'import_batch',
      entityId: batchId,
      data: { status, files: totals.files, failedFiles: totals.failedFiles, articles: totals.articles, imported: totals.imported, updated: totals.updated, skipped: totals.skipped, conflicts: totals.conflicts, options },
    });
  });
}

/**
 * Marks as failed the batches left `running` by an import process on this
 * host that no longer exists (killed, or the machine restarted). The files it
 * had committed stay imported (each file is its own transaction); the batch
 * records how many articles it brought, and the closing is audited. Batches
 * of other hosts are left alone: their processes cannot be checked from here.
 */
export async function closeAbandonedBatches(db: PrismaClient, actor: Actor): Promise<number[]> {
  const running = await db.importBatch.findMany({ where: { status: 'running' }, select: { id: true, options: true } });
  const here = hostname();
  const dead = running.flatMap((b) => {
    const runner = decodeJson(importBatchOptions, b.options, b.id).runner;
    return runner?.host === here && runner.pid !== process.pid && !isProcessAlive(runner.pid) ? [{ id: b.id, pid: runner.pid }] : [];
  });
  for (const { id, pid } of dead) {
    await db.$transaction(async (tx) => {
      const imported = await tx.article.count({ where: { importBatchId: id } });
      const closed = await tx.importBatch.updateMany({
        where: { id, status: 'running' },
        data: { status: 'failed', finishedAt: new Date(), imported, failures: [{ path: null, error: `the import process (pid ${pid}) ended before finishing; the ${imported} article(s) of the files it had committed stay imported` }] },
      });
      if (closed.count === 1) {
        await recordAudit(tx, actor, { action: 'import.batch', entity: 'import_batch', entityId: id, data: { status: 'failed', abandoned: true, pid, imported } });
      }
    });
  }
  return dead.map((b) => b.id);
}
