// The shapes the admin receives are the server's own types, as JSON makes
// them (dates travel as ISO strings). Importing them type-only keeps one
// definition of every API record; Vite erases these imports.
import type { ArticleParagraph as ServerParagraph, ArticleRecord as ServerRecord, ArticleRow as ServerRow } from '../../server/services/articleRecord';
import type { CommentRecord } from '../../server/services/comments';
import type { RevisionComparison, RevisionSummary } from '../../server/services/revisions';
import type { VersionConflictDetails } from '../../server/services/saveRevision';
import type { StatsSummary as ServerStatsSummary } from '../../server/services/stats';
import type { StatusChangeRow as ServerStatusChangeRow } from '../../server/services/transitions';
import type { EditStats, DiffPart, ParagraphDiff } from '../../shared/textDiff';
import type { Role } from '../../shared/roles';
import type { ArticleStatus } from '../../shared/workflow';

export type { ArticleStatus, DiffPart, ParagraphDiff, Role };

/** A server type as it arrives over JSON: Date becomes an ISO string. */
export type Wire<T> = T extends Date ? string : T extends readonly (infer U)[] ? Wire<U>[] : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;

/** A row of GET /api/articles. */
export type ArticleRow = Wire<ServerRow>;
export type ArticleParagraph = Wire<ServerParagraph>;
export type MtStats = EditStats & { paragraphsChanged: number };
/** GET /api/articles/:id. */
export type ArticleRecord = Wire<ServerRecord>;

/** The form values of the editor: the record plus the optional revision note. */
export type ArticleFormValues = ArticleRecord & { note?: string };

/** `details` of a 409 version_conflict. */
export type VersionConflict = Wire<VersionConflictDetails>;
export type RevisionRow = Wire<RevisionSummary>;
export type CompareResult = Wire<RevisionComparison>;
export type StatusChangeRow = Wire<ServerStatusChangeRow>;
export type CommentRow = Wire<CommentRecord>;
export type StatsSummary = ServerStatsSummary;
