import { usePermissions } from 'react-admin';
import { can, type Action } from '../../shared/permissions';
import type { Role } from './types';

/**
 * The current user's role (from authProvider.getPermissions) and what it may do:
 * `allows(action)` reads the one permission matrix (shared/permissions.ts), so a
 * screen never compares role names itself.
 */
export function useRole(): { role: Role | undefined; allows: (action: Action) => boolean } {
  const { permissions: role } = usePermissions<Role>();
  return { role, allows: (action) => role !== undefined && can(role, action) };
}
