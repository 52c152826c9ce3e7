import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import { providerRefused } from '../platform/provider-refusals.js';
import {
  IYZICO_PROVIDER,
  type IyzicoCustomer,
  IyzicoError,
  type IyzicoHostedForm,
  type IyzicoSubscription,
  type IyzicoSubscriptions,
} from './iyzico-api.js';
import { iyzicoAuthHeaders } from './iyzico-auth.js';
import {
  IyzicoCheckoutResultWire,
  IyzicoFailure,
  IyzicoHostedFormWire,
  IyzicoPage,
  IyzicoPricingPlan,
  IyzicoProduct,
  IyzicoSubscriptionDetail,
} from './iyzico-wire.js';

/**
 * The iyzico subscription API (v2) over HTTP, signed with IYZWSv2 (iyzico-auth.ts). Each call is
 * one request: a timeout, a network failure, a 5xx or a 429 throws a retryable
 * {@link IyzicoError} (the caller's queue or the owner tries again); iyzico's `failure` answer
 * throws a final one with its `errorCode`. Neither the keys nor iyzico's error text (which may
 * repeat customer data) ever reach an error or a log.
 */

/** The one subscription product every Asistone plan is a pricing plan of. */
export const IYZICO_PRODUCT_NAME = 'Asistone';
const LIST_PAGE_SIZE = 100;
/** A catalog of more pages than this is not Asistone's: stop rather than loop. */
const MAX_LIST_PAGES = 20;

export interface IyzicoClientOptions {
  /** `https://api.iyzipay.com`, `https://sandbox-api.iyzipay.com`, or the local fake. */
  baseUrl: string;
  apiKey: string;
  secretKey: string;
  fetch?: typeof fetch;
  /** Per request; iyzico answers in well under a second normally. */
  timeoutMs?: number;
}

type Query = Record<string, string | number>;

/**
 * @example
 * const iyzico = iyzicoClient({ baseUrl: IYZICO_BASE_URL, apiKey, secretKey });
 * const plans = await iyzico.ensureCatalog(PLANS);
 */
export function iyzicoClient(options: IyzicoClientOptions): IyzicoSubscriptions {
  const call = iyzicoCaller(options);

  async function listAll<T extends z.ZodType>(path: string, item: T): Promise<z.infer<T>[]> {
    const items: z.infer<T>[] = [];
    for (let page = 1; page <= MAX_LIST_PAGES; page += 1) {
      const data = await call('GET', path, IyzicoPage(item), { query: { page, count: LIST_PAGE_SIZE } });
      items.push(...data.items);
      const pages = data.pageCount ?? 1;
      if (page >= pages || data.items.length === 0) break;
    }
    return items;
  }

  async function ensureProduct(): Promise<string> {
    const existing = (await listAll('/v2/subscription/products', IyzicoProduct)).find(
      (product) => product.name === IYZICO_PRODUCT_NAME,
    );
    if (existing) return existing.referenceCode;
    const created = await call('POST', '/v2/subscription/products', IyzicoProduct, {
      body: {
        locale: 'tr',
        conversationId: randomUUID(),
        name: IYZICO_PRODUCT_NAME,
        description: 'Asistone abonelik planları',
      },
    });
    return created.referenceCode;
  }

  const hostedForm = (data: z.infer<typeof IyzicoHostedFormWire>): IyzicoHostedForm => {
    // iyzico's subscription form may come as the embeddable script alone; the product sends the
    // owner to a page, so a form without one cannot be used.
    if (!data.paymentPageUrl) throw new IyzicoError('no-payment-page-url', false);
    return {
      token: data.token,
      paymentPageUrl: data.paymentPageUrl,
      ...(data.checkoutFormContent && { checkoutFormContent: data.checkoutFormContent }),
    };
  };

  return {
    async ensureCatalog(plans) {
      const productRef = await ensureProduct();
      const plansPath = `/v2/subscription/products/${encodeURIComponent(productRef)}/pricing-plans`;
      const existing = await listAll(plansPath, IyzicoPricingPlan);
      const references: Record<string, string> = {};
      for (const plan of plans) {
        const found = existing.find((candidate) => candidate.name === plan.name);
        if (found) {
          references[plan.id] = found.referenceCode;
          continue;
        }
        const created = await call('POST', plansPath, IyzicoPricingPlan, {
          body: {
            locale: 'tr',
            conversationId: randomUUID(),
            name: plan.name,
            price: Number(plan.monthlyPrice),
            currencyCode: plan.currency,
            paymentInterval: 'MONTHLY',
            paymentIntervalCount: 1,
            planPaymentType: 'RECURRING',
          },
        });
        references[plan.id] = created.referenceCode;
      }
      return references;
    },

    async initCheckout(input) {
      const data = await call('POST', '/v2/subscription/checkoutform/initialize', IyzicoHostedFormWire, {
        body: {
          locale: input.locale,
          conversationId: input.conversationId,
          callbackUrl: input.callbackUrl,
          pricingPlanReferenceCode: input.pricingPlanReferenceCode,
          subscriptionInitialStatus: 'ACTIVE',
          customer: customerBody(input.customer),
        },
        // iyzico answers the form's fields beside `status`, not under `data`.
        topLevel: true,
      });
      return hostedForm(data);
    },

    async checkoutResult(token) {
      const data = await call(
        'GET',
        `/v2/subscription/checkoutform/${encodeURIComponent(token)}`,
        IyzicoCheckoutResultWire,
      );
      return {
        subscriptionReferenceCode: data.referenceCode,
        customerReferenceCode: data.customerReferenceCode,
        subscriptionStatus: data.subscriptionStatus,
      };
    },

    async retrieve(subscriptionReferenceCode): Promise<IyzicoSubscription> {
      const data = await call(
        'GET',
        `/v2/subscription/subscriptions/${encodeURIComponent(subscriptionReferenceCode)}`,
        IyzicoSubscriptionDetail,
      );
      return { ...data, orders: [...data.orders].sort((a, b) => a.startPeriod - b.startPeriod) };
    },

    async upgrade(subscriptionReferenceCode, input) {
      await call(
        'POST',
        `/v2/subscription/subscriptions/${encodeURIComponent(subscriptionReferenceCode)}/upgrade`,
        undefined,
        {
          body: {
            locale: 'tr',
            conversationId: randomUUID(),
            newPricingPlanReferenceCode: input.newPricingPlanReferenceCode,
            upgradePeriod: input.upgradePeriod,
            useTrial: false,
          },
        },
      );
    },

    async cancel(subscriptionReferenceCode) {
      await call(
        'POST',
        `/v2/subscription/subscriptions/${encodeURIComponent(subscriptionReferenceCode)}/cancel`,
        undefined,
        {
          body: { subscriptionReferenceCode },
        },
      );
    },

    async retry(orderReferenceCode) {
      await call('POST', '/v2/subscription/operation/retry', undefined, {
        body: { locale: 'tr', conversationId: randomUUID(), referenceCode: orderReferenceCode },
      });
    },

    async initCardUpdate(input) {
      const data = await call(
        'POST',
        '/v2/subscription/card-update/checkoutform/initialize/with-subscription',
        IyzicoHostedFormWire,
        {
          body: {
            locale: input.locale,
            conversationId: randomUUID(),
            subscriptionReferenceCode: input.subscriptionReferenceCode,
            callbackUrl: input.callbackUrl,
          },
          topLevel: true,
        },
      );
      return hostedForm(data);
    },
  };
}

/** The customer as iyzico's form takes it: the billing address doubles as the shipping one. */
function customerBody(customer: IyzicoCustomer) {
  return {
    name: customer.name,
    surname: customer.surname,
    email: customer.email,
    ...(customer.gsmNumber && { gsmNumber: customer.gsmNumber }),
    ...(customer.identityNumber && { identityNumber: customer.identityNumber }),
    billingAddress: customer.billingAddress,
    shippingAddress: customer.billingAddress,
  };
}

/** iyzico's codes for a request whose API key or signature it does not accept. */
const AUTH_ERROR_CODES = new Set(['1000', '1001']);

/** The call's kind for a log line (`/v2/subscription/subscriptions`), without the references after it. */
const operationOf = (path: string) => path.split('/').slice(0, 4).join('/');

/**
 * One signed request and its answer checked: `data` (or, with `topLevel`, the answer itself)
 * parsed with `schema`; no schema means only `status: success` matters.
 */
function iyzicoCaller(options: IyzicoClientOptions) {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');

  async function call<S extends z.ZodType | undefined>(
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    request: { body?: Record<string, unknown>; query?: Query; topLevel?: boolean } = {},
  ): Promise<S extends z.ZodType ? z.infer<S> : undefined> {
    const body = request.body === undefined ? '' : JSON.stringify(request.body);
    const search = request.query
      ? `?${new URLSearchParams(Object.entries(request.query).map(([key, value]) => [key, String(value)]))}`
      : '';
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${path}${search}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(body && { 'content-type': 'application/json' }),
          ...iyzicoAuthHeaders({ apiKey: options.apiKey, secretKey: options.secretKey, uriPath: path, body }),
        },
        ...(body && { body }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      throw new IyzicoError(name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network', true);
    }
    if (response.status === 429)
      providerRefused(IYZICO_PROVIDER, 'rate-limit', { status: 429, operation: operationOf(path) });
    if (response.status >= 500 || response.status === 429) {
      await response.body?.cancel();
      throw new IyzicoError(`http-${response.status}`, true, response.status);
    }
    let answer: unknown;
    try {
      answer = await response.json();
    } catch {
      throw new IyzicoError('bad-response', false, response.status);
    }
    const failure = IyzicoFailure.safeParse(answer);
    if (failure.success) {
      const code = failure.data.errorCode ?? 'unknown';
      if (response.status === 401 || response.status === 403 || AUTH_ERROR_CODES.has(code)) {
        providerRefused(IYZICO_PROVIDER, 'auth', { status: response.status, code, operation: operationOf(path) });
      }
      throw new IyzicoError(code, false, response.status);
    }
    const envelope = answer as { status?: unknown; data?: unknown };
    if (envelope?.status !== 'success' || !response.ok) {
      throw new IyzicoError('bad-response', false, response.status);
    }
    if (!schema) return undefined as S extends z.ZodType ? z.infer<S> : undefined;
    const data = request.topLevel ? answer : envelope.data;
    const parsed = schema.safeParse(data);
    if (!parsed.success) throw new IyzicoError('bad-response', false, response.status);
    return parsed.data as S extends z.ZodType ? z.infer<S> : undefined;
  }
  return call;
}
