/** One file's articles: read in chunks, classified against the database, counted and written. */
import type { SqlTx } from '../../db/client';
import { type AuditInput } from '../audit';
import { contentHash } from '../revisionData';
import { checkStorable, classifyArticle, NoteCollector, OUTCOME_OF, type Decision, type KnownArticle, type Outcome } from './classifyArticle';
import { parseFile } from './parseFile';
import { ImportInputError, type ImportFormat, type ParsedArticle } from './types';
import { type Incoming, type Lookup, insertArticles, lookupKnown, sameDocument, updateArticle } from './articleWrites';
import { formatOf } from './collectFiles';
import { type ConflictEntry, type FileReport, MAX_LISTED_CONFLICTS, type UpdateEntry, addCounts, failedFile } from './importReport';
import type { Slot } from './orderedWriter';
import { RETRIES, type RunContext } from './runContext';

/**
 * Articles created or updated earlier in the current chunk (or, in a dry run, the run), which
 * the database does not show yet: later articles are classified against them too.
 */
export class Overlay {
  readonly byExt = new Map<string, KnownArticle>();
  readonly byHash = new Map<string, KnownArticle>();

  record(item: Incoming, id: number | null): void {
    const known: KnownArticle = {
      id,
      externalId: item.article.externalId ?? null,
      contentHash: item.hash,
      status: 'mt_draft',
      edited: false,
      revisionCount: 1,
      origin: where(item.article),
    };
    if (known.externalId !== null) this.byExt.set(known.externalId, known);
    this.byHash.set(item.hash, known);
  }

  mergeInto(target: Overlay): void {
    for (const [k, v] of this.byExt) target.byExt.set(k, v);
    for (const [k, v] of this.byHash) target.byHash.set(k, v);
  }
}

export function where(a: ParsedArticle): string {
  return a.location.line !== undefined ? `${a.location.file}:${a.location.line}` : a.location.file;
}

function decide(item: Incoming, lookup: Lookup, overlays: readonly Overlay[]): Decision {
  const ext = item.article.externalId;
  const pick = (key: string | undefined, map: (o: Overlay | Lookup) => Map<string, KnownArticle>): KnownArticle | undefined => {
    if (key === undefined) return undefined;
    for (const o of overlays) {
      const hit = map(o).get(key);
      if (hit) return hit;
    }
    return map(lookup).get(key);
  };
  return classifyArticle(
    { externalId: ext, contentHash: item.hash },
    pick(ext, (o) => o.byExt),
    pick(item.hash, (o) => o.byHash),
  );
}

/** Per-file state of one attempt; thrown away when the file fails or is retried. */
export class FileState {
  read = 0;
  /** Written runs: the file's place in the run, where its keys are registered for later files. */
  slot: Slot | null = null;
  readonly counts: Record<Outcome, number> = { imported: 0, updated: 0, skipped: 0, conflict: 0 };
  readonly conflicts: ConflictEntry[] = [];
  readonly updates: UpdateEntry[] = [];
  readonly notes = new NoteCollector();
  readonly audit: AuditInput[] = [];
  /** Dry run: what this file would have created, merged into the run's overlay on success. */
  readonly overlay = new Overlay();
  /** Chunks whose articles have all been classified, and who is told each time. */
  classifiedChunks = 0;
  onClassified: () => void = () => undefined;

  constructor(
    readonly file: string,
    readonly format: ImportFormat | null,
  ) {}

  /**
   * Makes the keys an article reads or changes known to later files of the run: its own
   * externalId and hash, and the old hash of the article it updates (which stops matching).
   */
  register(item: Incoming, decision: Decision, lookup: Lookup): void {
    if (!this.slot) return;
    for (const key of keysOf(item)) this.slot.keys.add(key);
    const ext = item.article.externalId;
    const target = decision.action === 'update' && ext !== undefined ? lookup.byExt.get(ext) : undefined;
    if (target) this.slot.keys.add(`h:${target.contentHash}`);
  }

  count(item: Incoming, decision: Decision): void {
    this.counts[OUTCOME_OF[decision.action]]++;
    if (decision.action === 'update' && this.updates.length < MAX_LISTED_CONFLICTS) {
      this.updates.push({ articleId: decision.articleId, externalId: item.article.externalId ?? null, line: item.article.location.line ?? null });
    }
    if (decision.action === 'conflict' && this.conflicts.length < MAX_LISTED_CONFLICTS) {
      this.conflicts.push({ articleId: decision.articleId, externalId: item.article.externalId ?? null, line: item.article.location.line ?? null, reason: decision.reason });
    }
  }

  report(): FileReport {
    return {
      path: this.file,
      format: this.format,
      status: 'ok',
      articles: this.read,
      imported: this.counts.imported,
      updated: this.counts.updated,
      skipped: this.counts.skipped,
      conflicts: this.counts.conflict,
      notes: this.notes.list(),
      conflictList: this.conflicts,
      updatedList: this.updates,
    };
  }
}

export function keysOf(item: Incoming): string[] {
  return item.article.externalId !== undefined ? [`e:${item.article.externalId}`, `h:${item.hash}`] : [`h:${item.hash}`];
}

export async function* incoming(ctx: RunContext, state: FileState): AsyncGenerator<Incoming[]> {
  let chunk: Incoming[] = [];
  for await (const article of parseFile(state.file, {
    format: ctx.options.format,
    maxBytes: ctx.options.maxBytes,
    sourceLang: ctx.options.sourceLang,
    targetLang: ctx.options.targetLang,
  })) {
    checkStorable(article);
    state.notes.add(article);
    state.read++;
    ctx.progress.articlesRead++;
    ctx.emit({ type: 'article', file: state.file });
    chunk.push({ article, hash: contentHash(article.title, article.paragraphs) });
    if (chunk.length >= ctx.options.chunkSize) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** Dry run: classify against the database and what earlier files and articles would have created. */
async function classifyFile(ctx: RunContext, state: FileState): Promise<void> {
  for await (const chunk of incoming(ctx, state)) {
    const lookup = await lookupKnown(ctx.db, chunk);
    for (const item of chunk) {
      let decision = decide(item, lookup, [state.overlay, ctx.runOverlay]);
      // The same unit-id test as the write (updateArticle), so a dry run reports the conflict too.
      if (decision.action === 'update' && decision.articleId !== null) decision = (await sameDocument(ctx.db, item, decision.articleId)) ?? decision;
      if (decision.action === 'import' || decision.action === 'update') state.overlay.record(item, decision.action === 'update' ? decision.articleId : null);
      state.count(item, decision);
    }
  }
}

/** Dry run of one file: classified against the database and what earlier files would create. */
export async function classifyOnly(ctx: RunContext, file: string): Promise<FileReport> {
  const format = await formatOf(file, ctx.options.format);
  const state = new FileState(file, format);
  try {
    await classifyFile(ctx, state);
  } catch (error) {
    if (error instanceof ImportInputError) return failedFile(file, format, error.message);
    throw error;
  }
  addCounts(ctx.progress, state.counts);
  state.overlay.mergeInto(ctx.runOverlay);
  return state.report();
}

export async function writeChunk(ctx: RunContext, tx: SqlTx, state: FileState, chunk: Incoming[]): Promise<void> {
  let pending = chunk;
  for (let round = 0; pending.length > 0; round++) {
    const lookup = await lookupKnown(tx, pending);
    const overlay = new Overlay();
    const toInsert: Incoming[] = [];
    const toUpdate: Array<{ item: Incoming; articleId: number }> = [];
    for (const item of pending) {
      const decision = decide(item, lookup, [overlay]);
      state.register(item, decision, lookup);
      if (decision.action === 'import') {
        toInsert.push(item);
        overlay.record(item, null);
      } else if (decision.action === 'update' && decision.articleId !== null) {
        toUpdate.push({ item, articleId: decision.articleId });
        overlay.record(item, decision.articleId);
      } else {
        state.count(item, decision);
      }
    }
    if (round === 0) {
      state.classifiedChunks++;
      state.onClassified();
    }
    const inserted = await insertArticles(ctx, tx, toInsert);
    const retry: Incoming[] = [];
    for (const item of toInsert) {
      const done = inserted.get(item.hash);
      if (!done) {
        retry.push(item); // another import committed it meanwhile: classify it again
        continue;
      }
      state.count(item, { action: 'import' });
      state.audit.push({
        action: 'article.import',
        entity: 'article',
        entityId: done.articleId,
        data: { batchId: ctx.batchId, externalId: item.article.externalId ?? null, revisionId: done.revisionId, paragraphs: item.article.paragraphs.length, file: state.file, line: item.article.location.line ?? null },
      });
    }
    for (const { item, articleId } of toUpdate) {
      const result = await updateArticle(ctx, tx, item, articleId);
      if ('decision' in result) {
        state.count(item, result.decision);
        continue;
      }
      state.count(item, { action: 'update', articleId });
      state.audit.push({
        action: 'article.mt_update',
        entity: 'article',
        entityId: articleId,
        data: { batchId: ctx.batchId, externalId: item.article.externalId ?? null, revisionId: result.revisionId, number: result.number, paragraphs: item.article.paragraphs.length, file: state.file, line: item.article.location.line ?? null },
      });
    }
    // Each round settles at least the articles it inserted; a row that keeps vanishing is a bug.
    if (round >= RETRIES && retry.length > 0) throw new Error(`articles of ${state.file} kept conflicting with concurrent imports`);
    pending = retry;
  }
}
