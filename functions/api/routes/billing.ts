import { billingAnswer } from '@asistone/contract/billing';
import { defineRoute } from '../lib/route.js';

/** The subscription of a business. Billing (iyzico) is not connected yet: no subscription. */
export const billingRoutes = [
  defineRoute({
    method: 'get',
    path: '/businesses/:tenantId/billing',
    access: 'billing.manage',
    summary: 'The subscription (owner only)',
    answers: { 200: { description: 'Subscription', schema: billingAnswer } },
    handle({ c }) {
      return c.json({ subscription: null });
    },
  }),
];
