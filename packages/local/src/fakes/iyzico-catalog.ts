import { Hono } from 'hono';
import { failure, type IyzicoEnv, page, success, text } from './iyzico-http.js';
import { type FakeIyzicoState, type FakePricingPlan, referenceCode } from './iyzico-state.js';

/**
 * The subscription catalog: products (`/v2/subscription/products`) and their pricing plans
 * (`/v2/subscription/products/{ref}/pricing-plans`), created and listed, each merchant seeing
 * only its own.
 */

const INTERVALS = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;
const CURRENCIES = ['TRY', 'USD', 'EUR', 'GBP'];

/** A plan as iyzico answers it. */
export const planView = (plan: FakePricingPlan) => ({
  referenceCode: plan.referenceCode,
  productReferenceCode: plan.productReferenceCode,
  name: plan.name,
  price: plan.price,
  currencyCode: plan.currencyCode,
  paymentInterval: plan.paymentInterval,
  paymentIntervalCount: plan.paymentIntervalCount,
  trialPeriodDays: 0,
  planPaymentType: plan.planPaymentType,
  status: 'ACTIVE',
  createdDate: plan.createdDate,
});

export function iyzicoCatalogRoutes(state: FakeIyzicoState, save: () => void) {
  const app = new Hono<IyzicoEnv>();
  const ownProducts = (apiKey: string) =>
    Object.values(state.products)
      .filter((product) => product.merchantApiKey === apiKey)
      .sort((a, b) => a.createdDate - b.createdDate);
  const productView = ({ merchantApiKey: _, ...product }: (typeof state.products)[string]) => ({
    ...product,
    status: 'ACTIVE',
    pricingPlans: Object.values(state.plans)
      .filter((plan) => plan.productReferenceCode === product.referenceCode)
      .map(planView),
  });

  app.get('/v2/subscription/products', (c) =>
    success(c, page(c, ownProducts(c.get('merchant').apiKey).map(productView))),
  );

  app.post('/v2/subscription/products', (c) => {
    const body = c.get('body');
    const name = text(body.name);
    if (!name) return failure(c, '100001', 'name alanı zorunludur');
    const product = {
      referenceCode: referenceCode(),
      name,
      ...(text(body.description, 1000) && { description: text(body.description, 1000) }),
      createdDate: Date.now(),
      merchantApiKey: c.get('merchant').apiKey,
    };
    state.products[product.referenceCode] = product;
    save();
    return success(c, productView(product));
  });

  const productOf = (apiKey: string, ref: string) => {
    const product = state.products[ref];
    return product?.merchantApiKey === apiKey ? product : undefined;
  };

  app.get('/v2/subscription/products/:ref/pricing-plans', (c) => {
    const product = productOf(c.get('merchant').apiKey, c.req.param('ref'));
    if (!product) return failure(c, '201100', 'Ürün bulunamadı', 404);
    const plans = Object.values(state.plans)
      .filter((plan) => plan.productReferenceCode === product.referenceCode)
      .sort((a, b) => a.createdDate - b.createdDate)
      .map(planView);
    return success(c, page(c, plans));
  });

  app.post('/v2/subscription/products/:ref/pricing-plans', (c) => {
    const merchant = c.get('merchant');
    const product = productOf(merchant.apiKey, c.req.param('ref'));
    if (!product) return failure(c, '201100', 'Ürün bulunamadı', 404);
    const body = c.get('body');
    const name = text(body.name);
    const price = Number(body.price);
    const interval = INTERVALS.find((candidate) => candidate === body.paymentInterval);
    const count = body.paymentIntervalCount === undefined ? 1 : Number(body.paymentIntervalCount);
    if (!name) return failure(c, '100001', 'name alanı zorunludur');
    if (!Number.isFinite(price) || price <= 0) return failure(c, '100001', 'price alanı geçersiz');
    if (typeof body.currencyCode !== 'string' || !CURRENCIES.includes(body.currencyCode)) {
      return failure(c, '100001', 'currencyCode alanı geçersiz');
    }
    if (!interval || !Number.isInteger(count) || count < 1)
      return failure(c, '100001', 'paymentInterval alanı geçersiz');
    if (body.planPaymentType !== 'RECURRING') return failure(c, '100001', 'planPaymentType alanı geçersiz');
    const plan = {
      referenceCode: referenceCode(),
      productReferenceCode: product.referenceCode,
      name,
      price,
      currencyCode: body.currencyCode,
      paymentInterval: interval,
      paymentIntervalCount: count,
      planPaymentType: 'RECURRING' as const,
      createdDate: Date.now(),
      merchantApiKey: merchant.apiKey,
    };
    state.plans[plan.referenceCode] = plan;
    save();
    return success(c, planView(plan));
  });

  app.get('/v2/subscription/pricing-plans/:ref', (c) => {
    const plan = state.plans[c.req.param('ref')];
    if (!plan || plan.merchantApiKey !== c.get('merchant').apiKey) return failure(c, '201200', 'Plan bulunamadı', 404);
    return success(c, planView(plan));
  });

  return app;
}
