import type { PrismaClient } from '../db/client';
import { ForbiddenError } from '../errors';
import { recordAudit, type Actor } from './audit';

/**
 * Audits a refusal decided inside a service (assignment rules, comment
 * authorship, the four-eyes rule) as `permission.denied`, the same action the
 * route guard writes, and returns the 403 to throw. The refused change wrote
 * nothing, so the event gets its own transaction.
 */
export async function permissionDenied(
  db: PrismaClient,
  actor: Actor,
  refusal: { entity: string; entityId: number | string; attempted: string; message: string; code?: string; details?: unknown },
): Promise<ForbiddenError> {
  const code = refusal.code ?? 'forbidden';
  await db.$transaction((tx) =>
    recordAudit(tx, actor, {
      action: 'permission.denied',
      entity: refusal.entity,
      entityId: refusal.entityId,
      data: { attempted: refusal.attempted, code, role: actor.role, reason: refusal.message },
    }),
  );
  return new ForbiddenError(refusal.message, code, refusal.details);
}
