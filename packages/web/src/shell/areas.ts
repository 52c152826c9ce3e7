import type { Permission } from '../session/permissions';

export type AreaId = 'inbox' | 'contacts' | 'campaigns' | 'ai' | 'store' | 'inventory' | 'ads' | 'privacy' | 'settings';

export interface Area {
  id: AreaId;
  /** Path segment under `/b/:tenantId/`. */
  path: string;
  /** Hidden from roles without it (the API refuses them anyway). */
  permission?: Permission;
}

/** Every area of the product, in navigation order. */
export const AREAS: readonly Area[] = [
  { id: 'inbox', path: 'inbox', permission: 'conversations.read' },
  { id: 'contacts', path: 'contacts', permission: 'conversations.read' },
  { id: 'campaigns', path: 'campaigns', permission: 'campaigns.send' },
  { id: 'ai', path: 'ai', permission: 'ai.manage' },
  // Orders are read to answer customers; connecting the store is `integrations.manage` inside it.
  { id: 'store', path: 'store', permission: 'conversations.read' },
  // The back office: stock is read by every member; its orders and sales tabs ask for `insights.read`.
  { id: 'inventory', path: 'inventory', permission: 'stock.read' },
  { id: 'ads', path: 'ads', permission: 'insights.read' },
  // Every member reads who processes the data; requests inside it ask for `data.export`.
  { id: 'privacy', path: 'privacy' },
  { id: 'settings', path: 'settings' },
];

/** The first area a role can use: where signing in and the business link land. */
export function homeArea(allowed: (permission: Permission) => boolean): Area {
  return AREAS.find((area) => !area.permission || allowed(area.permission)) ?? (AREAS.at(-1) as Area);
}
