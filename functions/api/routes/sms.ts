import { smsAccountAnswer, smsAccountBody } from '@asistone/contract/sms';
import { recordAuditEvent } from '@asistone/core/audit/audit-log';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { platform } from '@asistone/core/platform/context';
import { once } from '@asistone/core/platform/once';
import { removeSmsAccount, type SmsAccountDeps, saveSmsAccount, smsAccountView } from '@asistone/core/sms/account';
import { SMS_RECORDS } from '@asistone/core/sms/records';
import { netgsmFromEnv } from '@asistone/core/sms/settings';
import { defineRoute } from '../lib/route.js';

/** What the SMS routes need, built on first use. */
const smsDeps = once(async () => {
  const { storeOf, keyring } = platform();
  return {
    store: storeOf({ ...SMS_RECORDS, ...AUDIT_RECORDS }),
    keyring,
    netgsm: netgsmFromEnv(process.env),
  } satisfies SmsAccountDeps & { store: unknown };
});

const SMS = '/businesses/:tenantId/sms';

/** The SMS settings card: the business's own NetGSM account, checked with NetGSM at save. */
export const smsRoutes = [
  defineRoute({
    method: 'get',
    path: SMS,
    access: 'integrations.manage',
    summary: "The business's NetGSM account for SMS (never its password)",
    answers: { 200: { description: 'Account', schema: smsAccountAnswer } },
    async handle({ c, business }) {
      return c.json(await smsAccountView(await smsDeps(), business.tenantId));
    },
  }),
  defineRoute({
    method: 'put',
    path: SMS,
    access: 'integrations.manage',
    summary: "Saves the business's NetGSM account once NetGSM accepts it and knows the sender header",
    body: smsAccountBody,
    answers: { 200: { description: 'Account as saved', schema: smsAccountAnswer } },
    async handle({ c, business, caller, body, origin }) {
      const deps = await smsDeps();
      const view = await saveSmsAccount(deps, business.tenantId, caller.userId, body);
      await recordAuditEvent(deps.store, business.tenantId, {
        action: 'integration.connected',
        actorId: caller.userId,
        target: { type: 'netgsm', id: view.msgheader ?? body.msgheader },
        sourceAddress: origin.sourceAddress,
        detail: { kind: 'sms' },
      });
      return c.json(view);
    },
  }),
  defineRoute({
    method: 'delete',
    path: SMS,
    access: 'integrations.manage',
    summary: "Removes the business's NetGSM account: SMS stop; delivery records are kept",
    answers: { 200: { description: 'Account after removing', schema: smsAccountAnswer } },
    async handle({ c, business, caller, origin }) {
      const deps = await smsDeps();
      const before = await smsAccountView(deps, business.tenantId);
      const view = await removeSmsAccount(deps.store, business.tenantId);
      if (before.configured) {
        await recordAuditEvent(deps.store, business.tenantId, {
          action: 'integration.disconnected',
          actorId: caller.userId,
          target: { type: 'netgsm', id: before.msgheader ?? '' },
          sourceAddress: origin.sourceAddress,
          detail: { kind: 'sms' },
        });
      }
      return c.json(view);
    },
  }),
];
