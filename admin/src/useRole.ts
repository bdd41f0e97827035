import { usePermissions } from 'react-admin';
import type { Role } from './types';

/** The current user's role (from authProvider.getPermissions), and what it may change. */
export function useRole(): { role: Role | undefined; canWrite: boolean; isReviewer: boolean; isAdmin: boolean; isOversight: boolean } {
  const { permissions } = usePermissions<Role>();
  const role = permissions;
  return {
    role,
    canWrite: role === 'editor' || role === 'reviewer' || role === 'admin',
    isReviewer: role === 'reviewer' || role === 'admin',
    isAdmin: role === 'admin',
    isOversight: role === 'auditor' || role === 'admin',
  };
}
