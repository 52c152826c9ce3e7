import { can, type Permission } from '@asistone/core/accounts/permissions';
import type { Role } from '../api/types';

export type { Permission };

/**
 * The role matrix is the one the API enforces (declared once in core, no imports). The UI
 * only uses it to hide what a role cannot use; the API still answers 403 whatever the UI shows.
 */
export function roleCan(role: Role | undefined, permission: Permission): boolean {
  return role ? can(role, permission) : false;
}
