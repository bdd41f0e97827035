// HTTP statuses for the outcomes the pure policy modules return. The policy
// speaks of the domain (why a move is refused); the answer's status is chosen here.
import type { ApprovalGateRefusal } from '../../shared/gates';
import type { TransitionRefusal } from '../../shared/workflow';

/** The status a refused transition answers with. */
export const TRANSITION_REFUSAL_STATUS: Readonly<Record<TransitionRefusal, 400 | 403 | 409>> = Object.freeze({
  invalid_transition: 409,
  forbidden: 403,
  note_required: 400,
  four_eyes: 403,
});

/** Whether a refusal is a permission refusal (audited as `permission.denied`). */
export function isPermissionRefusal(code: TransitionRefusal): boolean {
  return TRANSITION_REFUSAL_STATUS[code] === 403;
}

/** The status a refused approval gate answers with: blocked is a conflict with the article's state, a blank reason a bad request. */
export const APPROVAL_GATE_REFUSAL_STATUS: Readonly<Record<ApprovalGateRefusal, 400 | 409>> = Object.freeze({
  approval_blocked: 409,
  override_reason_required: 400,
});
