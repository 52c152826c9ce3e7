import * as z from 'zod';

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
  'auth.recovery_codes_regenerated',
  'auth.recovery_code_used',
  'auth.reauthentication_failed',
  'team.invite_sent',
  'team.invite_revoked',
  'team.invite_accepted',
  'team.role_changed',
  'team.member_removed',
  'team.ownership_transferred',
  'business.created',
  'integration.connected',
  'integration.disconnected',
  'data.export_requested',
  'data.deletion_requested',
  'contact.consent_changed',
  'contact.corrected',
  'contact.restricted',
  'contact.unrestricted',
  'contact.exported',
  'contact.erased',
  'data.deletion_cancelled',
  'privacy.request_recorded',
  'policy.accepted',
  'privacy.transfer_agreements_requested',
  'ai.enabled',
  'ai.disabled',
  'ai.trial.started',
  'ai.trial.stopped',
  'ai.content.approved',
  'ai.content.discarded',
  'campaign.sent',
  'campaign.list_imported',
  'campaign.list_deleted',
  'campaign.settings_changed',
  'campaign.created',
  'campaign.updated',
  'campaign.deleted',
  'campaign.scheduled',
  'campaign.unscheduled',
  'campaign.started',
  'campaign.paused',
  'campaign.resumed',
  'campaign.cancelled',
  'campaign.results_exported',
  'settings.changed',
  'billing.checkout_started',
  'billing.subscribed',
  'billing.plan_changed',
  'billing.cancel_scheduled',
  'billing.resumed',
  'billing.canceled',
  'billing.card_update_started',
  'billing.card_updated',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const auditActionSchema = z.enum(AUDIT_ACTIONS);

/** `GET /api/businesses/:tenantId/audit`: `from` and `to` are ISO date-times, both inclusive. */
export const auditQuery = z
  .object({
    action: auditActionSchema.optional(),
    actorId: z.string().min(1).max(64).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    cursor: z.string().min(1).max(2048).optional(),
  })
  .refine((query) => !query.from || !query.to || Date.parse(query.from) <= Date.parse(query.to), {
    message: 'from is after to',
    path: ['from'],
  });

/**
 * One event. `target` reads `<type>:<id>` (e.g. `user:u…`, `invite:i…`); `sourceAddress` is
 * masked to its network part; `detail` holds small facts such as `{ from: 'agent', to: 'analyst' }`.
 */
export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  action: auditActionSchema,
  actorId: z.string(),
  target: z.string().nullable(),
  sourceAddress: z.string().nullable(),
  detail: z.record(z.string(), z.string()).nullable(),
});

/** 50 events a page, newest first; `nextCursor` is null on the last page. */
export const auditPageAnswer = z.object({ entries: z.array(auditEntrySchema), nextCursor: z.string().nullable() });
