/**
 * Revision kinds and which of them people write. One definition: the four-eyes
 * rule, the importer's "edited since import" check and the audit report's
 * "every person's revision has an audit event" check all read it, and the SQL
 * they need is built from it (server/db/sql/revisionKinds.ts).
 */

/** Every revision kind, kept in step with the `RevisionKind` enum in prisma/schema.prisma. */
export const REVISION_KINDS = ['import', 'mt_update', 'edit', 'restore', 'bulk_replace', 'review'] as const;

export type RevisionKind = (typeof REVISION_KINDS)[number];

/**
 * Kinds written by a person: a save, a restore, a bulk replace, a review that
 * reverts rejected changes (the reviewer chooses a text nobody else wrote as a
 * whole, so another reviewer approves it). The import and
 * MT updates are written by the system; they never make an article "edited"
 * and never count against a reviewer under the four-eyes rule.
 */
export const HUMAN_AUTHORED_KINDS = ['edit', 'restore', 'bulk_replace', 'review'] as const satisfies readonly RevisionKind[];

export function isHumanAuthored(kind: string): boolean {
  return (HUMAN_AUTHORED_KINDS as readonly string[]).includes(kind);
}

/** A revision as the four-eyes rule sees it: its position, kind and author. */
export interface AuthoredRevision {
  number: number;
  createdAt: Date;
  kind: string;
  authorId: number | null;
}

/** The last approval of an article: the revision it approved (its number) when recorded, else its time. */
export interface LastApproval {
  revisionNumber: number | null;
  createdAt: Date;
}

/**
 * Whether `rev` counts as authored since the last approval (or since import
 * when never approved): a person's revision, with an author, written after the
 * approved revision. Revisions are ordered by number rather than by clock, so
 * two writes in the same millisecond cannot slip past the rule; an approval
 * recorded without a revision falls back to its time.
 */
export function authoredSinceApproval(rev: AuthoredRevision, last: LastApproval | null): boolean {
  if (!isHumanAuthored(rev.kind) || rev.authorId === null) return false;
  if (last === null) return true;
  return last.revisionNumber !== null ? rev.number > last.revisionNumber : rev.createdAt > last.createdAt;
}

/** The distinct authors of revisions counted by `authoredSinceApproval`. */
export function authorsSinceApproval(revisions: readonly AuthoredRevision[], last: LastApproval | null): number[] {
  const ids = new Set<number>();
  for (const r of revisions) if (authoredSinceApproval(r, last) && r.authorId !== null) ids.add(r.authorId);
  return [...ids];
}

/**
 * The four-eyes rule: with it on, nobody (admins included) may approve an
 * article they authored a revision of since the last approval.
 */
export function fourEyesBlocks(actorId: number, authorsSinceLastApproval: readonly number[], fourEyes: boolean): boolean {
  return fourEyes && authorsSinceLastApproval.includes(actorId);
}
