import { AUDIT_ACTIONS } from '@asistone/core/audit/actions';
import { readAuditLog } from '@asistone/core/audit/audit-log';
import * as z from 'zod';
import { accounts } from '../lib/deps.js';
import { defineRoute } from '../lib/route.js';

const auditQuery = z
  .object({
    action: z.enum(AUDIT_ACTIONS).optional(),
    actorId: z.string().min(1).max(64).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    cursor: z.string().min(1).max(2048).optional(),
  })
  .refine((query) => !query.from || !query.to || Date.parse(query.from) <= Date.parse(query.to), {
    message: 'from is after to',
    path: ['from'],
  });

const entry = z.object({
  id: z.string(),
  at: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  actorId: z.string(),
  target: z.string().nullable(),
  sourceAddress: z.string().nullable(),
  detail: z.record(z.string(), z.string()).nullable(),
});

/** The audit log of a business, newest first, filtered by action, actor and time. */
export const auditRoutes = [
  defineRoute({
    method: 'get',
    path: '/businesses/:tenantId/audit',
    access: 'audit.read',
    summary: 'Audit log, 50 events a page, newest first; `from`/`to` are ISO date-times, inclusive',
    query: auditQuery,
    answers: {
      200: { description: 'A page', schema: z.object({ entries: z.array(entry), nextCursor: z.string().nullable() }) },
    },
    async handle({ c, business, query }) {
      const page = await readAuditLog((await accounts()).store, business.tenantId, {
        action: query.action,
        actorId: query.actorId,
        fromMs: query.from ? Date.parse(query.from) : undefined,
        toMs: query.to ? Date.parse(query.to) : undefined,
        cursor: query.cursor,
      });
      return c.json({
        entries: page.events.map((event) => ({
          id: event.eventId,
          at: event.at,
          action: event.action,
          actorId: event.actorId,
          target: event.target ? `${event.target.type}:${event.target.id}` : null,
          sourceAddress: event.sourceAddress ?? null,
          detail: event.detail ?? null,
        })),
        nextCursor: page.cursor,
      });
    },
  }),
];
