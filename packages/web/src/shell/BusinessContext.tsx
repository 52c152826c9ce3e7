import { createContext, useContext } from 'react';
import type { Me, Membership } from '../api/types';
import { type Permission, roleCan } from '../session/permissions';

export interface BusinessValue {
  tenantId: string;
  membership: Membership;
  me: Me;
  can(permission: Permission): boolean;
}

export const BusinessContext = createContext<BusinessValue | null>(null);

/** The business in the URL and the signed-in member's role in it. */
export function useBusiness(): BusinessValue {
  const value = useContext(BusinessContext);
  if (!value) throw new Error('useBusiness outside a business route');
  return value;
}

export function businessValue(me: Me, membership: Membership): BusinessValue {
  return {
    tenantId: membership.tenantId,
    membership,
    me,
    can: (permission) => roleCan(membership.role, permission),
  };
}
