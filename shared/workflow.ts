import { can, type Action } from './permissions';
import { type Role } from './roles';
import { fourEyesBlocks } from './revisionKinds';

/** Article statuses in workflow order. Kept in step with the `ArticleStatus` enum in prisma/schema.prisma. */
export const STATUSES = [
  'mt_draft',
  'in_edit',
  'in_review',
  'changes_requested',
  'approved',
  'exported',
  'archived',
] as const;

export type ArticleStatus = (typeof STATUSES)[number];

/** Names of the transitions a user may request through `POST /api/articles/:id/transitions`. */
export type TransitionName = 'submit' | 'approve' | 'requestChanges' | 'archive' | 'unarchive';

/** One user-requestable transition: from any of `from` to `to`, for holders of `action`. */
export interface TransitionRule {
  name: TransitionName;
  from: readonly ArticleStatus[];
  to: ArticleStatus;
  action: Action;
}

const RULES: TransitionRule[] = [
  { name: 'submit', from: ['in_edit', 'changes_requested'], to: 'in_review', action: 'article.submit' },
  { name: 'requestChanges', from: ['in_review'], to: 'changes_requested', action: 'article.requestChanges' },
  { name: 'approve', from: ['in_review'], to: 'approved', action: 'article.approve' },
  {
    name: 'archive',
    from: ['mt_draft', 'in_edit', 'in_review', 'changes_requested', 'approved', 'exported'],
    to: 'archived',
    action: 'article.archive',
  },
  { name: 'unarchive', from: ['archived'], to: 'in_edit', action: 'article.unarchive' },
];

/**
 * Every user-requestable transition. `approved → exported` is deliberately absent: only
 * the export process makes it (see `decideExport`). `mt_draft → in_review` is absent
 * because an untouched MT draft must be edited first; the first save moves it to `in_edit`.
 */
export const TRANSITIONS: readonly Readonly<TransitionRule>[] = Object.freeze(
  RULES.map((rule) => Object.freeze({ ...rule, from: Object.freeze([...rule.from]) })),
);

export interface TransitionContext {
  role: Role;
  actorId: number;
  from: ArticleStatus;
  to: ArticleStatus;
  note?: string | null;
  /** ids of users who authored any revision since the last approval (or since import); the importer/system revision does not count */
  authorsSinceLastApproval: readonly number[];
  fourEyes: boolean; // config switch, on by default
}

/**
 * Why a transition is refused, as a domain outcome; the HTTP layer maps each to a
 * status (server/http/outcomes.ts).
 * - `invalid_transition`: no such move from this status.
 * - `forbidden`: the role may not make it.
 * - `note_required`: it needs a note and got none.
 * - `four_eyes`: the four-eyes rule stops this user approving.
 */
export type TransitionRefusal = 'invalid_transition' | 'forbidden' | 'note_required' | 'four_eyes';

export type TransitionDecision =
  | { ok: true; name: TransitionName }
  | { ok: false; code: TransitionRefusal; message: string; allowed: ArticleStatus[] };

/** Narrows an untrusted string (a request body, a query parameter) to an `ArticleStatus`. */
export function isArticleStatus(value: unknown): value is ArticleStatus {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}

function ruleFor(from: ArticleStatus, to: ArticleStatus): Readonly<TransitionRule> | undefined {
  return TRANSITIONS.find((rule) => rule.to === to && rule.from.includes(from));
}

/**
 * The statuses `role` may request from `from`, in `STATUSES` order. Ignores the
 * four-eyes rule and the note requirement, which depend on the request.
 */
export function allowedTransitions(from: ArticleStatus, role: Role): ArticleStatus[] {
  return STATUSES.filter((to) => {
    const rule = ruleFor(from, to);
    return rule !== undefined && can(role, rule.action);
  });
}

function listOrNone(statuses: readonly ArticleStatus[]): string {
  return statuses.length === 0 ? 'none' : statuses.join(', ');
}

/**
 * Decides a user-requested status change. Checks run in this order, and the first
 * failure wins:
 *
 * 1. `from → to` must be a transition in `TRANSITIONS` (and `to !== from`), else `invalid_transition`.
 * 2. The role must hold the transition's action, else `forbidden`.
 * 3. Requesting changes needs a note that is not blank, else `note_required`.
 * 4. With `fourEyes` on, nobody (admins included) may approve an article they authored
 *    a revision of since the last approval, else `four_eyes`.
 *
 * Every refusal carries `allowed`: what this role may request from `from`.
 */
export function decideTransition(ctx: TransitionContext): TransitionDecision {
  const { role, from, to } = ctx;
  const allowed = allowedTransitions(from, role);
  const refuse = (code: TransitionRefusal, message: string): TransitionDecision => ({
    ok: false,
    code,
    message,
    allowed,
  });

  if (to === from) {
    return refuse('invalid_transition', `The article is already ${from}. Allowed from ${from}: ${listOrNone(allowed)}.`);
  }
  const rule = ruleFor(from, to);
  if (rule === undefined) {
    const why =
      from === 'approved' && to === 'exported'
        ? ' Articles become exported only through an export run.'
        : from === 'mt_draft' && to === 'in_review'
          ? ' An MT draft must be edited before it is submitted.'
          : '';
    return refuse('invalid_transition',
      `Cannot move an article from ${from} to ${to}.${why} Allowed from ${from}: ${listOrNone(allowed)}.`,
    );
  }
  if (!can(role, rule.action)) {
    return refuse('forbidden', `The ${role} role may not ${describe(rule.name)} (moving from ${from} to ${to}).`);
  }
  if (rule.name === 'requestChanges' && (ctx.note ?? '').trim() === '') {
    return refuse('note_required', 'Requesting changes needs a note telling the editor what to change.');
  }
  if (rule.name === 'approve' && fourEyesBlocks(ctx.actorId, ctx.authorsSinceLastApproval, ctx.fourEyes)) {
    return refuse('four_eyes',
      'You cannot approve this article because you edited it since the last approval (four-eyes rule). Another reviewer must approve it.',
    );
  }
  return { ok: true, name: rule.name };
}

function describe(name: TransitionName): string {
  switch (name) {
    case 'submit':
      return 'submit articles for review';
    case 'approve':
      return 'approve articles';
    case 'requestChanges':
      return 'request changes';
    case 'archive':
      return 'archive articles';
    case 'unarchive':
      return 'unarchive articles';
  }
}

/**
 * The status an article takes when someone saves a new revision of it. Permission to
 * edit is checked separately (`article.edit`); this only answers "may a save happen
 * in this status, and where does it leave the article".
 *
 * - `mt_draft` → `in_edit` (the first edit starts the work).
 * - `approved` / `exported` → `in_edit`: the edit needs a new approval; the previously
 *   approved revision stays pinned (`approvedRevisionId`) and is what export uses.
 * - `in_edit`, `in_review`, `changes_requested` keep their status (a reviewer may polish
 *   while reviewing; the four-eyes rule then stops that reviewer approving).
 * - `archived` refuses the save; the service answers 409.
 */
export function statusAfterSave(from: ArticleStatus): { ok: true; to: ArticleStatus } | { ok: false; message: string } {
  switch (from) {
    case 'mt_draft':
    case 'approved':
    case 'exported':
      return { ok: true, to: 'in_edit' };
    case 'in_edit':
    case 'in_review':
    case 'changes_requested':
      return { ok: true, to: from };
    case 'archived':
      return { ok: false, message: 'archived articles are read-only; unarchive first' };
  }
}

/**
 * The system transition made by the export process. `approved → exported`; an
 * `exported` article may be exported again and stays `exported`. Anything else has
 * no approved current text to export and is refused.
 */
export function decideExport(from: ArticleStatus): { ok: true; to: 'exported' } | { ok: false; message: string } {
  if (from === 'approved' || from === 'exported') return { ok: true, to: 'exported' };
  return { ok: false, message: `Only approved articles can be exported; this article is ${from}.` };
}
