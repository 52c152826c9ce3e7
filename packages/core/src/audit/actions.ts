/**
 * Privileged actions the audit log records, declared once. Areas that do not exist yet
 * (integrations, privacy tools, AI, campaigns) emit theirs when they are built.
 */
export const AUDIT_ACTIONS = [
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.password_reset',
  'auth.second_factor_enabled',
  'auth.second_factor_disabled',
  'team.invite_sent',
  'team.invite_revoked',
  'team.invite_accepted',
  'team.role_changed',
  'team.member_removed',
  'team.ownership_transferred',
  'integration.connected',
  'integration.disconnected',
  'data.export_requested',
  'data.deletion_requested',
  'ai.enabled',
  'ai.disabled',
  'campaign.sent',
  'settings.changed',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
