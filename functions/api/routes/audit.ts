import { auditPageAnswer, auditQuery } from '@asistone/contract/audit';
import { readAuditLog } from '@asistone/core/audit/audit-log';
import { accounts } from '../lib/deps.js';
import { defineRoute } from '../lib/route.js';

/** The audit log of a business, newest first, filtered by action, actor and time. */
export const auditRoutes = [
  defineRoute({
    method: 'get',
    path: '/businesses/:tenantId/audit',
    access: 'audit.read',
    summary: 'Audit log, 50 events a page, newest first; `from`/`to` are ISO date-times, inclusive',
    query: auditQuery,
    answers: { 200: { description: 'A page', schema: auditPageAnswer } },
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
