import { describe, expect, it } from 'vitest';
import {
  ASSIGNABLE_ROLES,
  can,
  GRANTS,
  isPermission,
  isRole,
  PERMISSIONS,
  type Permission,
  permissionsOf,
  ROLES,
} from '../src/roles.js';

const permissions = Object.keys(PERMISSIONS) as Permission[];

describe('permission matrix', () => {
  it('gives the owner every permission', () => {
    expect(permissionsOf('owner')).toEqual(permissions);
  });

  it('keeps billing, ownership and deletion with the owner alone', () => {
    for (const permission of ['billing.manage', 'data.delete'] as const) {
      expect(ROLES.filter((role) => can(role, permission))).toEqual(['owner']);
    }
  });

  it('lets admins do everything but billing and deletion', () => {
    expect(permissions.filter((permission) => !can('admin', permission))).toEqual(['data.delete', 'billing.manage']);
  });

  it('lets agents work the inbox but not manage the business', () => {
    expect(can('agent', 'conversations.read')).toBe(true);
    expect(can('agent', 'conversations.reply')).toBe(true);
    for (const permission of ['team.manage', 'channels.manage', 'campaigns.send', 'ai.manage', 'audit.read'] as const) {
      expect(can('agent', permission)).toBe(false);
    }
  });

  it('lets analysts read stock, insights and the team, nothing else', () => {
    expect(permissionsOf('analyst')).toEqual(['stock.read', 'team.read', 'insights.read']);
  });

  it('declares every permission exactly once, with known roles only', () => {
    expect(Object.keys(GRANTS).sort()).toEqual([...permissions].sort());
    for (const roles of Object.values(GRANTS)) {
      expect(roles.every((role) => ROLES.includes(role))).toBe(true);
      expect(roles).toContain('owner');
    }
  });

  it('never offers ownership as a role to give: it only moves by transfer', () => {
    expect(ASSIGNABLE_ROLES).toEqual(['admin', 'agent', 'analyst']);
  });

  it('tells permissions and roles from other strings', () => {
    expect(isPermission('team.manage')).toBe(true);
    expect(isPermission('toString')).toBe(false);
    expect(isRole('analyst')).toBe(true);
    expect(isRole('superuser')).toBe(false);
  });
});
