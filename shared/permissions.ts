import { type Role } from './roles';

/**
 * Everything a user can ask Copydesk to do. Actions ending in `.read` only read;
 * every other action writes (the tests pin the auditor to read actions only).
 */
export const ACTIONS = [
  'article.read',
  'article.edit',
  'article.assign.self',
  'article.assign.any',
  'article.submit',
  'article.approve',
  'article.requestChanges',
  'article.archive',
  'article.unarchive',
  'article.restoreRevision',
  'article.export',
  'comment.create',
  'comment.resolve',
  'revision.read',
  'audit.read',
  'user.read',
  'user.manage',
  'import.read',
  'export.read',
  'glossary.read',
  'glossary.manage',
  'analytics.read',
  'bulkReplace.run',
] as const;

export type Action = (typeof ACTIONS)[number];

const EVERYONE = Object.freeze(['editor', 'reviewer', 'auditor', 'admin'] as const);
const WRITERS = Object.freeze(['editor', 'reviewer', 'admin'] as const);
const REVIEWERS = Object.freeze(['reviewer', 'admin'] as const);
const OVERSIGHT = Object.freeze(['auditor', 'admin'] as const);
const ADMIN = Object.freeze(['admin'] as const);

/**
 * The single role × action matrix; `can`, the API guards and the admin UI all read it,
 * so a rule changes here and nowhere else.
 *
 * - editor: reads articles and the glossary, edits, submits, comments and resolves
 *   comments, takes unassigned articles, restores revisions.
 * - reviewer: editor + approve, request changes, assign anyone, manage the glossary,
 *   run bulk replace.
 * - auditor: reads everything (audit log, users, imports, exports, analytics) and writes nothing.
 * - admin: everything, including archive/unarchive, export and user management.
 */
export const PERMISSIONS: Readonly<Record<Action, readonly Role[]>> = Object.freeze({
  'article.read': EVERYONE,
  'article.edit': WRITERS,
  'article.assign.self': WRITERS,
  'article.assign.any': REVIEWERS,
  'article.submit': WRITERS,
  'article.approve': REVIEWERS,
  'article.requestChanges': REVIEWERS,
  'article.archive': ADMIN,
  'article.unarchive': ADMIN,
  'article.restoreRevision': WRITERS,
  'article.export': ADMIN,
  'comment.create': WRITERS,
  'comment.resolve': WRITERS,
  'revision.read': EVERYONE,
  'audit.read': OVERSIGHT,
  'user.read': OVERSIGHT,
  'user.manage': ADMIN,
  'import.read': OVERSIGHT,
  'export.read': OVERSIGHT,
  'glossary.read': EVERYONE,
  'glossary.manage': REVIEWERS,
  'analytics.read': OVERSIGHT,
  'bulkReplace.run': REVIEWERS,
} satisfies Record<Action, readonly Role[]>);

/** Whether `role` may perform `action`. Unknown roles or actions (from untyped input) are denied. */
export function can(role: Role, action: Action): boolean {
  // Own-property check so a crafted action such as "constructor" cannot reach Object.prototype.
  if (!Object.hasOwn(PERMISSIONS, action)) return false;
  return PERMISSIONS[action].includes(role);
}

/** The roles that may perform `action` (for a query over users, such as "is anyone else still able to manage users?"). */
export function rolesAllowed(action: Action): readonly Role[] {
  return PERMISSIONS[action];
}

/** Every action `role` may perform, in `ACTIONS` order (for the admin UI and `/api/me`). */
export function actionsFor(role: Role): Action[] {
  return ACTIONS.filter((action) => can(role, action));
}

/** Narrows an untrusted string to an `Action`. */
export function isAction(value: unknown): value is Action {
  return typeof value === 'string' && (ACTIONS as readonly string[]).includes(value);
}
