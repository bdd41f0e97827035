import { createHash } from 'node:crypto';
import { articleStats, compareWithMt, diffParagraph, type EditStats, type ParagraphDiff } from '../policy/textDiff';

/** What one revision stores per paragraph: the diff against the previous revision and against the MT. */
export interface ParagraphDiffs {
  /** Against the same paragraph of the previous revision; null for revision 1. */
  prev: ParagraphDiff | null;
  /** Against the paragraph's MT. */
  mt: ParagraphDiff;
}

export interface RevisionStats {
  /** The whole article against its MT (HTER-like; see README, "Edit rate"). */
  mt: EditStats & { paragraphsChanged: number };
  /** This revision against the previous one; null for revision 1. */
  prev: (EditStats & { paragraphsChanged: number }) | null;
  titleChanged: boolean;
}

/** The computed columns of a Revision row (everything but ids, author, note and kind). */
export interface RevisionData {
  title: string;
  paragraphs: string[];
  diffs: { title: { prev: ParagraphDiff | null; mt: ParagraphDiff }; paragraphs: ParagraphDiffs[] };
  stats: RevisionStats;
  editRate: number;
  wordsInserted: number;
  wordsDeleted: number;
  wordsSubstituted: number;
}

export interface Snapshot {
  title: string;
  paragraphs: readonly string[];
}

/**
 * Computes the diffs and statistics a revision stores: per paragraph, a
 * bounded word diff against the previous revision and against the MT, plus
 * article-level statistics. `mt` is the imported machine translation; a
 * paragraph count never changes after import, so the arrays align.
 */
export function buildRevisionData(prev: Snapshot | null, next: Snapshot, mt: Snapshot): RevisionData {
  if (next.paragraphs.length !== mt.paragraphs.length) {
    throw new Error(`paragraph count changed: ${mt.paragraphs.length} in the MT, ${next.paragraphs.length} in the revision`);
  }
  const paragraphs: ParagraphDiffs[] = next.paragraphs.map((text, i) => ({
    prev: prev ? diffParagraph(prev.paragraphs[i] ?? '', text) : null,
    mt: compareWithMt(mt.paragraphs[i], text).diff,
  }));
  const mtStats = articleStats(next.paragraphs.map((text, i) => ({ mt: mt.paragraphs[i], text })));
  const prevStats = prev ? articleStats(next.paragraphs.map((text, i) => ({ mt: prev.paragraphs[i] ?? '', text }))) : null;
  return {
    title: next.title,
    paragraphs: [...next.paragraphs],
    diffs: {
      title: { prev: prev ? diffParagraph(prev.title, next.title) : null, mt: diffParagraph(mt.title, next.title) },
      paragraphs,
    },
    stats: { mt: mtStats, prev: prevStats, titleChanged: prev ? prev.title !== next.title : false },
    editRate: mtStats.editRate,
    wordsInserted: mtStats.inserted,
    wordsDeleted: mtStats.deleted,
    wordsSubstituted: mtStats.substituted,
  };
}

/** The text searched by the q filter: title plus current paragraphs. */
export function searchTextOf(s: Snapshot): string {
  return [s.title, ...s.paragraphs].join('\n');
}

/** Identity of an article without an externalId: sha256 over its MT title and paragraphs. */
export function contentHash(title: string, paragraphs: readonly string[]): string {
  const h = createHash('sha256').update(title.normalize('NFC'));
  for (const p of paragraphs) h.update('\u0000').update(p.normalize('NFC'));
  return h.digest('hex');
}
