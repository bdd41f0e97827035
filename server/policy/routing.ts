/**
 * Work routing: who an article is assigned to after a save or a workflow
 * step, so that "My queue" (articles assigned to me) shows what each person
 * has to do next. Pure: the save statement and the transition service apply
 * these decisions inside their own writes.
 */

/** The revision kinds a save can write (kept in step with `RevisionKind`). */
export type SaveKind = 'edit' | 'restore' | 'bulk_replace' | 'review';

/**
 * The assignee after a save.
 *
 * - An explicit assignment sent with the save wins (checked by the caller).
 * - An assigned article keeps its assignee: saving someone else's article
 *   (a reviewer polishing) does not take it from them.
 * - An unassigned article goes to whoever saved it in the editor (edit or
 *   restore): they started the work, so it lands in their queue.
 * - A bulk replace never claims articles: one admin touching hundreds of
 *   articles would otherwise fill their own queue with other people's work.
 *   Nor does a review's revision: it sends the article back to its editor.
 */
export function assigneeAfterSave(input: { kind: SaveKind; current: number | null; requested?: number | null; actorId: number }): number | null {
  if (input.requested !== undefined) return input.requested;
  if (input.current !== null) return input.current;
  return input.kind === 'bulk_replace' || input.kind === 'review' ? null : input.actorId;
}

/**
 * The assignee after a status transition. Requesting changes hands the
 * article back to its last editor (the author of the newest human-authored
 * revision), when that person can still edit; every other transition, or no
 * such editor, leaves the assignee as it is.
 */
export function assigneeAfterTransition(input: {
  transition: string;
  current: number | null;
  lastEditor: { id: number; canEdit: boolean } | null;
}): number | null {
  if (input.transition !== 'requestChanges' || !input.lastEditor?.canEdit) return input.current;
  return input.lastEditor.id;
}
