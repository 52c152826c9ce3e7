import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { failure, type IyzicoEnv, success, text } from './iyzico-http.js';
import { type FakeHostedForm, type FakeIyzicoState, FORM_TOKEN_SECONDS } from './iyzico-state.js';

/**
 * The hosted forms' API side: `POST /v2/subscription/checkoutform/initialize` (a new
 * subscription's checkout), `POST /v2/subscription/card-update/checkoutform/initialize/with-subscription`
 * (a new card for a subscription), and `GET /v2/subscription/checkoutform/{token}` (what the
 * checkout started). Each initialize answers the token, `checkoutFormContent` and a
 * `paymentPageUrl` on the fake's own hosted page (iyzico-page.ts).
 */

export function iyzicoCheckoutRoutes(
  state: FakeIyzicoState,
  options: { save: () => void; pageUrl: (token: string) => string },
) {
  const app = new Hono<IyzicoEnv>();

  const issue = (form: Omit<FakeHostedForm, 'token' | 'expiresAt'>) => {
    const token = randomBytes(18).toString('hex');
    state.forms[token] = { ...form, token, expiresAt: Date.now() + FORM_TOKEN_SECONDS * 1000 };
    options.save();
    const paymentPageUrl = options.pageUrl(token);
    return {
      token,
      tokenExpireTime: FORM_TOKEN_SECONDS,
      paymentPageUrl,
      // iyzico's embeddable form is a script; the fake's stands for it with a link to its page.
      checkoutFormContent: `<a href="${paymentPageUrl}">Ödeme sayfası</a>`,
      ...(form.conversationId && { conversationId: form.conversationId }),
    };
  };
  const locale = (value: unknown) => (value === 'en' ? 'en' : 'tr');
  const callbackUrl = (value: unknown) => {
    const url = text(value, 2000);
    return url && /^https?:\/\//.test(url) ? url : undefined;
  };

  app.post('/v2/subscription/checkoutform/initialize', (c) => {
    const body = c.get('body');
    const merchant = c.get('merchant');
    const plan = state.plans[text(body.pricingPlanReferenceCode) ?? ''];
    const customer = (body.customer ?? {}) as Record<string, unknown>;
    const callback = callbackUrl(body.callbackUrl);
    if (!callback) return failure(c, '23', 'Callback URL zorunludur');
    if (!plan || plan.merchantApiKey !== merchant.apiKey) return failure(c, '201200', 'Plan bulunamadı', 404);
    const name = text(customer.name);
    const surname = text(customer.surname);
    const email = text(customer.email);
    if (!name || !surname) return failure(c, '24', 'customer.name ve customer.surname zorunludur');
    if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) return failure(c, '5', 'Email geçersiz formatta gönderildi');
    if (body.subscriptionInitialStatus !== 'ACTIVE' && body.subscriptionInitialStatus !== 'PENDING') {
      return failure(c, '100001', 'subscriptionInitialStatus alanı geçersiz');
    }
    const form = issue({
      kind: 'checkout',
      merchantApiKey: merchant.apiKey,
      callbackUrl: callback,
      locale: locale(body.locale),
      pricingPlanReferenceCode: plan.referenceCode,
      customer: { name, surname, email },
      ...(text(body.conversationId) && { conversationId: text(body.conversationId) }),
    });
    // The hosted form's fields come beside `status`, not under `data`.
    return success(c, undefined, form);
  });

  app.post('/v2/subscription/card-update/checkoutform/initialize/with-subscription', (c) => {
    const body = c.get('body');
    const merchant = c.get('merchant');
    const subscription = state.subscriptions[text(body.subscriptionReferenceCode) ?? ''];
    const callback = callbackUrl(body.callbackUrl);
    if (!callback) return failure(c, '23', 'Callback URL zorunludur');
    if (!subscription || subscription.merchantApiKey !== merchant.apiKey) {
      return failure(c, '201400', 'Abonelik bulunamadı', 404);
    }
    const form = issue({
      kind: 'card-update',
      merchantApiKey: merchant.apiKey,
      callbackUrl: callback,
      locale: locale(body.locale),
      subscriptionReferenceCode: subscription.referenceCode,
      ...(text(body.conversationId) && { conversationId: text(body.conversationId) }),
    });
    return success(c, undefined, form);
  });

  app.get('/v2/subscription/checkoutform/:token', (c) => {
    const form = state.forms[c.req.param('token')];
    if (form?.kind !== 'checkout' || form.merchantApiKey !== c.get('merchant').apiKey) {
      return failure(c, '201600', 'Ödeme formu bulunamadı', 404);
    }
    const subscription = form.subscriptionReferenceCode
      ? state.subscriptions[form.subscriptionReferenceCode]
      : undefined;
    if (!subscription) return failure(c, '201601', 'Ödeme formu tamamlanmadı');
    return success(c, {
      referenceCode: subscription.referenceCode,
      parentReferenceCode: subscription.referenceCode,
      pricingPlanReferenceCode: subscription.pricingPlanReferenceCode,
      customerReferenceCode: subscription.customerReferenceCode,
      subscriptionStatus: subscription.subscriptionStatus,
      trialDays: 0,
      createdDate: subscription.createdDate,
      startDate: subscription.startDate,
    });
  });

  return app;
}
