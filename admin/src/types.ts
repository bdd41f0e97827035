import type { DiffPart, ParagraphDiff } from '../../server/policy/textDiff';

export type { DiffPart, ParagraphDiff };

export type Role = 'editor' | 'reviewer' | 'auditor' | 'admin';

export type ArticleStatus = 'mt_draft' | 'in_edit' | 'in_review' | 'changes_requested' | 'approved' | 'exported' | 'archived';

/** A row of GET /api/articles. */
export interface ArticleRow {
  id: number;
  externalId: string | null;
  title: string;
  status: ArticleStatus;
  version: number;
  assigneeId: number | null;
  assigneeName: string | null;
  importBatchId: number | null;
  editRate: number;
  wordCount: number;
  mtWordCount: number;
  revisionCount: number;
  approvedRevisionId: number | null;
  sourceLang: string | null;
  targetLang: string | null;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ArticleParagraph {
  index: number;
  mt: string;
  text: string;
  source: string | null;
}

export interface MtStats {
  mtWords: number;
  words: number;
  inserted: number;
  deleted: number;
  substituted: number;
  editDistance: number;
  editRate: number;
  paragraphsChanged: number;
}

/** GET /api/articles/:id. */
export interface ArticleRecord extends ArticleRow {
  mtTitle: string;
  sourceTitle: string | null;
  paragraphs: ArticleParagraph[];
  stats: MtStats | null;
  approvedAt: string | null;
  approvedById: number | null;
  approvedByName: string | null;
  exportedAt: string | null;
  currentRevisionId: number | null;
  allowedTransitions: ArticleStatus[];
  approval: { allowed: boolean; reason?: string };
}

/** The form values of the editor: the record plus the optional revision note. */
export interface ArticleFormValues extends ArticleRecord {
  note?: string;
}

/** `details` of a 409 version_conflict. */
export interface VersionConflict {
  baseVersion: number;
  currentVersion: number;
  current: ArticleRecord;
  title: { base: string; current: string } | null;
  paragraphs: { index: number; base: string; current: string; diff: ParagraphDiff }[];
}

export interface RevisionRow {
  id: number;
  articleId: number;
  number: number;
  kind: 'import' | 'mt_update' | 'edit' | 'restore' | 'bulk_replace';
  authorId: number | null;
  authorName: string | null;
  note: string | null;
  editRate: number;
  wordsInserted: number;
  wordsDeleted: number;
  wordsSubstituted: number;
  restoredFromId: number | null;
  createdAt: string;
}

export interface CompareResult {
  from: RevisionRow;
  to: RevisionRow;
  title: ParagraphDiff;
  paragraphs: { index: number; diff: ParagraphDiff }[];
}

export interface StatusChangeRow {
  id: number;
  articleId: number;
  fromStatus: ArticleStatus | null;
  toStatus: ArticleStatus;
  actorId: number | null;
  actorName: string | null;
  note: string | null;
  revisionId: number | null;
  createdAt: string;
}

export interface CommentRow {
  id: number;
  articleId: number;
  paragraphIndex: number | null;
  body: string;
  authorId: number;
  authorName: string;
  resolved: boolean;
  resolvedById: number | null;
  resolvedByName: string | null;
  resolvedAt: string | null;
  createdAt: string;
}

export interface StatsSummary {
  countsByStatus: Record<ArticleStatus, number>;
  myQueue: number;
  awaitingReview: number;
  avgEditRateThisWeek: number | null;
  revisionsThisWeek: number;
}
