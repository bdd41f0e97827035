/**
 * User roles, least to most powerful. The order matters only for display; access
 * is decided by the matrix in `permissions.ts`, never by comparing positions here.
 * Kept in step with the `Role` enum in prisma/schema.prisma.
 */
export const ROLES = ['editor', 'reviewer', 'auditor', 'admin'] as const;

export type Role = (typeof ROLES)[number];

/** Narrows an untrusted value (a session row, a query parameter) to a `Role`. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
