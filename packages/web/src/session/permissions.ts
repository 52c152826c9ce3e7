import { can, type Permission, type Role } from '@asistone/contract/roles';

export type { Permission };

/**
 * The role matrix is the one the API enforces (declared once in the contract). The UI only
 * uses it to hide what a role cannot use; the API still answers 403 whatever the UI shows.
 */
export function roleCan(role: Role | undefined, permission: Permission): boolean {
  return role ? can(role, permission) : false;
}
