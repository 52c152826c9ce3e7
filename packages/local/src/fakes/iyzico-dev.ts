import { Hono } from 'hono';
import { renew } from './iyzico-charges.js';
import type { FakeIyzicoState, FakeSubscription } from './iyzico-state.js';
import { subscriptionView } from './iyzico-subscriptions.js';

/**
 * The fake iyzico's dev endpoints, for developers and tests (local only):
 *
 *   POST /dev/iyzico/renew { subscriptionReferenceCode, outcome: 'success'|'failure' }
 *        the next period's order, charged (a declining card or `failure` leaves it UNPAID), and
 *        the signed subscription notification posted to the stack's `/webhooks/iyzico`
 *   POST /dev/iyzico/card-fails { subscriptionReferenceCode, fails } the card declines, or pays again
 *   GET  /dev/iyzico/calls          the calls answered (no key, no card number)
 *   GET  /dev/iyzico/subscriptions  every subscription with its orders and card mask
 */

export function iyzicoDevRoutes(
  state: FakeIyzicoState,
  options: { save: () => void; notify: (subscription: FakeSubscription, orderRef: string) => Promise<unknown> },
) {
  const app = new Hono();
  const input = async (c: { req: { json: () => Promise<unknown> } }) =>
    ((await c.req.json().catch(() => ({}))) ?? {}) as Record<string, unknown>;

  app.post('/dev/iyzico/renew', async (c) => {
    const body = await input(c);
    const subscription = state.subscriptions[String(body.subscriptionReferenceCode ?? '')];
    if (!subscription) return c.json({ error: 'no such subscriptionReferenceCode' }, 404);
    if (body.outcome !== 'success' && body.outcome !== 'failure') {
      return c.json({ error: "outcome must be 'success' or 'failure'" }, 400);
    }
    if (subscription.subscriptionStatus !== 'ACTIVE' && subscription.subscriptionStatus !== 'UNPAID') {
      return c.json({ error: `a ${subscription.subscriptionStatus} subscription is not renewed` }, 409);
    }
    const order = renew(state, subscription, body.outcome);
    options.save();
    const webhook = await options.notify(subscription, order.referenceCode);
    return c.json({
      subscriptionReferenceCode: subscription.referenceCode,
      orderReferenceCode: order.referenceCode,
      orderStatus: order.orderStatus,
      subscriptionStatus: subscription.subscriptionStatus,
      webhook: webhook ?? null,
    });
  });

  app.post('/dev/iyzico/card-fails', async (c) => {
    const body = await input(c);
    const subscription = state.subscriptions[String(body.subscriptionReferenceCode ?? '')];
    if (!subscription) return c.json({ error: 'no such subscriptionReferenceCode' }, 404);
    if (typeof body.fails !== 'boolean') return c.json({ error: 'fails must be true or false' }, 400);
    subscription.card.declines = body.fails;
    options.save();
    return c.json({ subscriptionReferenceCode: subscription.referenceCode, card: subscription.card });
  });

  app.get('/dev/iyzico/calls', (c) => c.json({ calls: state.calls }));

  app.get('/dev/iyzico/subscriptions', (c) =>
    c.json({
      subscriptions: Object.values(state.subscriptions).map((subscription) => ({
        ...subscriptionView(state, subscription),
        ...(subscription.nextPricingPlanReferenceCode && {
          nextPricingPlanReferenceCode: subscription.nextPricingPlanReferenceCode,
        }),
        cardMask: subscription.card.mask,
        cardDeclines: subscription.card.declines,
      })),
    }),
  );

  return app;
}
