import * as z from 'zod';

/**
 * Who may do what inside a business, declared once. The API checks it on every business
 * route, the web app reads it to hide what a role cannot use, and the authorization test
 * enumerates it.
 */
export const ROLES = ['owner', 'admin', 'agent', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

/** Roles a member can be given; ownership only moves by transfer. */
export const ASSIGNABLE_ROLES = ['admin', 'agent', 'analyst'] as const satisfies readonly Role[];
export type AssignableRole = (typeof ASSIGNABLE_ROLES)[number];

export const roleSchema = z.enum(ROLES);
export const assignableRoleSchema = z.enum(ASSIGNABLE_ROLES);

export const PERMISSIONS = {
  'conversations.read': 'Read conversations and customer details in the inbox',
  'conversations.reply': 'Reply to customers',
  'channels.manage': 'Connect and disconnect WhatsApp, Instagram and Messenger',
  'integrations.manage': 'Connect and disconnect Shopify, Meta ads and other integrations',
  'stock.read': 'See stock per location, its ledger, transfers and low-stock alerts',
  'stock.manage': 'Adjust and transfer stock, set low-stock thresholds, add locations, repair differences with Shopify',
  'campaigns.send': 'Create and send WhatsApp campaigns',
  'ai.manage': 'Turn AI agents on or off and change their settings',
  'contacts.manage': "Correct, restrict, export and erase a customer's data",
  'data.export': 'Export the business data',
  'data.delete': "Request deletion of the business's data",
  'team.read': 'See the team',
  'team.manage': 'Invite, change roles and remove members',
  'billing.manage': 'See and change the subscription, transfer ownership',
  'audit.read': 'Read the audit log',
  'insights.read': 'Read insights, ad reports, the orders view, sales and stock reconciliation reports',
} as const;
export type Permission = keyof typeof PERMISSIONS;

const everyone: readonly Role[] = ROLES;
const managers: readonly Role[] = ['owner', 'admin'];
const inbox: readonly Role[] = ['owner', 'admin', 'agent'];

/** The matrix: for each permission, the roles that hold it. */
export const GRANTS: Readonly<Record<Permission, readonly Role[]>> = {
  'conversations.read': inbox,
  'conversations.reply': inbox,
  'channels.manage': managers,
  'integrations.manage': managers,
  'stock.read': everyone,
  'stock.manage': managers,
  'campaigns.send': managers,
  'ai.manage': managers,
  'contacts.manage': managers,
  'data.export': managers,
  'data.delete': ['owner'],
  'team.read': everyone,
  'team.manage': managers,
  'billing.manage': ['owner'],
  'audit.read': managers,
  'insights.read': ['owner', 'admin', 'analyst'],
};

/**
 * True when `role` holds `permission`.
 *
 * @example
 * can('agent', 'conversations.reply') // true
 * can('analyst', 'team.manage') // false
 */
export function can(role: Role, permission: Permission): boolean {
  return GRANTS[permission].includes(role);
}

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Every permission a role holds, for the web app to shape its menus. */
export function permissionsOf(role: Role): Permission[] {
  return (Object.keys(GRANTS) as Permission[]).filter((permission) => can(role, permission));
}
