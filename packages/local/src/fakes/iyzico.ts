import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { iyzicoCatalogRoutes } from './iyzico-catalog.js';
import { notifyMerchant } from './iyzico-charges.js';
import { iyzicoCheckoutRoutes } from './iyzico-checkout.js';
import { iyzicoDevRoutes } from './iyzico-dev.js';
import { type IyzicoEnv, signedCalls } from './iyzico-http.js';
import { iyzicoPageRoutes } from './iyzico-page.js';
import {
  createFakeIyzicoState,
  type FakeIyzicoMerchant,
  type FakeIyzicoState,
  type FakeSubscription,
  persistFakeIyzicoState,
  restoreFakeIyzicoState,
} from './iyzico-state.js';
import { iyzicoSubscriptionRoutes } from './iyzico-subscriptions.js';

/**
 * A fake of iyzico's subscription API (v2) for the local stack and tests, speaking its real
 * shapes and checking IYZWSv2 on every call: the catalog (iyzico-catalog.ts), hosted checkout and
 * card update forms (iyzico-checkout.ts) with their page (iyzico-page.ts), subscriptions
 * (iyzico-subscriptions.ts), and dev endpoints that renew a subscription and send its signed
 * notification (iyzico-dev.ts). Local only: nothing in stacks/ or functions/ refers to it.
 */

export interface FakeIyzicoOptions {
  port?: number;
  /** The merchant accounts it serves (the local stack's one by default). */
  merchants?: readonly FakeIyzicoMerchant[];
  /** Where to keep its state across restarts; memory only when unset. */
  stateFile?: string;
  /** Where its notifications go: the stack's `/webhooks/iyzico`, known once the gateway listens. */
  webhookUrl?: () => string | undefined;
  /** The origin browsers reach its hosted page on (the gateway, which forwards `/dev/iyzico/*`); its own URL by default. */
  publicUrl?: () => string | undefined;
}

export interface FakeIyzico {
  url: string;
  state: FakeIyzicoState;
  merchant: FakeIyzicoMerchant;
  save(): void;
  stop(): Promise<void>;
}

/** The local stack's merchant account at the fake; `.env` may set its own values. */
export function localIyzicoMerchant(env: Record<string, string | undefined> = process.env): FakeIyzicoMerchant {
  return {
    apiKey: env.DEMO_IYZICO_API_KEY || 'sandbox-asistone-local-api-key',
    secretKey: env.DEMO_IYZICO_SECRET_KEY || 'sandbox-asistone-local-secret-key',
    merchantId: env.DEMO_IYZICO_MERCHANT_ID || '3000001',
  };
}

/** The settings that point the product at this fake, as SSM and the deploying shell give them in AWS. */
export function fakeIyzicoEnvironment(fake: Pick<FakeIyzico, 'url' | 'merchant'>) {
  return {
    IYZICO_BASE_URL: fake.url,
    IYZICO_API_KEY: fake.merchant.apiKey,
    IYZICO_SECRET_KEY: fake.merchant.secretKey,
    IYZICO_MERCHANT_ID: fake.merchant.merchantId,
  };
}

export async function startFakeIyzico(options: FakeIyzicoOptions = {}): Promise<FakeIyzico> {
  const merchants = options.merchants?.length ? options.merchants : [localIyzicoMerchant()];
  const state = restoreFakeIyzicoState(options.stateFile, createFakeIyzicoState(merchants));
  const save = () => persistFakeIyzicoState(options.stateFile, state);
  let ownUrl = '';
  const notify = async (subscription: FakeSubscription, orderRef: string) => {
    const merchant = state.merchants.find((candidate) => candidate.apiKey === subscription.merchantApiKey);
    const order = subscription.orders.find((candidate) => candidate.referenceCode === orderRef);
    if (!merchant || !order) return undefined;
    return notifyMerchant(options.webhookUrl?.(), merchant, subscription, order);
  };

  const app = new Hono<IyzicoEnv>();
  app.use('/v2/*', signedCalls(state));
  app.route('/', iyzicoCatalogRoutes(state, save));
  app.route(
    '/',
    iyzicoCheckoutRoutes(state, {
      save,
      pageUrl: (token) => `${options.publicUrl?.() || ownUrl}/dev/iyzico/checkout/${token}`,
    }),
  );
  app.route(
    '/',
    iyzicoSubscriptionRoutes(state, {
      save,
      onCharged: async (subscription, orderRef) => {
        await notify(subscription, orderRef);
      },
    }),
  );
  app.route('/', iyzicoPageRoutes(state, save));
  app.route('/', iyzicoDevRoutes(state, { save, notify }));
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  ownUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: ownUrl,
    state,
    merchant: merchants[0] as FakeIyzicoMerchant,
    save,
    async stop() {
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
