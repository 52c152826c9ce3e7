import { createHmac } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOutbox } from '../../packages/core/src/notify/dev-outbox.js';
import { MAIL_RECORDS } from '../../packages/core/src/notify/records.js';
import {
  CustomerMailSuppressedError,
  customerMailer,
  mailDeliveryOf,
  mailSuppressionOf,
  sendCustomerMail,
  type TrackedMailDeps,
} from '../../packages/core/src/notify/tracked-mail.js';
import { TRACKED_MAIL_RECORDS } from '../../packages/core/src/notify/tracked-mail-records.js';
import { readConfig } from '../../packages/core/src/platform/config.js';
import { createPlatform } from '../../packages/core/src/platform/context.js';
import { TENANCY_RECORDS } from '../../packages/core/src/tenancy/records.js';
import { createTenant } from '../../packages/core/src/tenancy/tenants.js';
import { localAws } from '../support/local-aws.js';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { apiClient, newEmail, PASSWORD, TERMS, waitForMail } from './accounts-client.js';

/**
 * Mail to a business's customers against a real `npm start`: sent through the Resend client to
 * the fake Resend (Resend's shapes, kept in the dev outbox), whose Svix-signed delivery webhooks
 * come back through the gateway to `/webhooks/resend`, the `mail-events` queue and its worker.
 * Resend's test addresses decide the outcome: delivered@, bounced@ and complained@resend.dev.
 */
const SHOP = 'b_e2e_resend';
const log = new Logger({ logLevel: 'SILENT' });

let stack: RunningStack;
let aws: ReturnType<typeof localAws>;
let core: ReturnType<typeof createPlatform>;
let deps: TrackedMailDeps;
const store = () => core.storeOf(TRACKED_MAIL_RECORDS);

const mail = (ref: string, to: string) => ({
  to,
  subject: 'Siparişiniz alındı',
  text: 'Merhaba, #1001 numaralı siparişiniz alındı.',
  html: '<p>Merhaba, #1001 numaralı siparişiniz alındı.</p>',
  from: 'Lale Butik',
  ref,
});

const stateOf = (ref: string, state: string) =>
  eventually(async () => {
    const view = await mailDeliveryOf(store(), SHOP, ref);
    return view?.state === state ? view : undefined;
  }, 20_000);

/** Svix's scheme with node's HMAC and the local secret, independent of the product's code. */
function signed(body: string, timestamp = Math.floor(Date.now() / 1000), id = `msg_e2e_${Date.now()}`) {
  const key = Buffer.from((aws.env.RESEND_WEBHOOK_SECRET as string).replace(/^whsec_/, ''), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'svix-id': id, 'svix-timestamp': String(timestamp), 'svix-signature': `v1,${signature}` };
}

const post = (headers: Record<string, string>, body: string) =>
  fetch(`${stack.url}/webhooks/resend`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  aws = localAws(stack.dataDir);
  core = createPlatform(readConfig(aws.env));
  await createTenant({ store: core.storeOf(TENANCY_RECORDS), keyring: core.keyring }, SHOP, 'Lale Butik');
  deps = {
    store: store(),
    keyring: core.keyring,
    resend: customerMailer(aws.env, true),
    from: 'Asistone <no-reply@asistone.ai>',
    log,
  };
}, 90_000);
afterAll(async () => {
  await stack?.stop();
});

describe('mail to customers through the fake Resend', () => {
  it("a mail to delivered@resend.dev ends 'delivered' and is in the dev outbox", async () => {
    const { emailId } = await sendCustomerMail(
      deps,
      SHOP,
      mail('order-notice/e2e-1/confirmed', 'delivered@resend.dev'),
    );
    await stateOf('order-notice/e2e-1/confirmed', 'delivered');
    expect(await mailSuppressionOf(store(), core.keyring, SHOP, 'delivered@resend.dev')).toBeUndefined();
    const outbox = await readOutbox({ store: core.storeOf(MAIL_RECORDS), keyring: core.keyring });
    expect(outbox.find((kept) => kept.id === `${SHOP}-order-notice-e2e-1-confirmed`)).toMatchObject({
      to: 'delivered@resend.dev',
      subject: 'Siparişiniz alındı',
    });
    const state = (await (await fetch(`${aws.env.RESEND_BASE_URL}/dev/resend/state`)).json()) as {
      webhooks: { emailId: string; type: string; status: number }[];
    };
    expect(state.webhooks.filter((hook) => hook.emailId === emailId).map((hook) => [hook.type, hook.status])).toEqual([
      ['email.sent', 200],
      ['email.delivered', 200],
    ]);
  }, 30_000);

  it("a mail to bounced@resend.dev ends 'bounced' and the address is then suppressed", async () => {
    await sendCustomerMail(deps, SHOP, mail('order-notice/e2e-2/confirmed', 'bounced@resend.dev'));
    const view = await stateOf('order-notice/e2e-2/confirmed', 'bounced');
    expect(view.reason).toBe('the address does not exist or refuses mail');
    expect(await mailSuppressionOf(store(), core.keyring, SHOP, 'Bounced@Resend.dev')).toBe('bounced');
    await expect(
      sendCustomerMail(deps, SHOP, mail('order-notice/e2e-2/shipped', 'bounced@resend.dev')),
    ).rejects.toBeInstanceOf(CustomerMailSuppressedError);
  }, 30_000);

  it("a mail to complained@resend.dev is delivered, then 'complained', and the address suppressed", async () => {
    await sendCustomerMail(deps, SHOP, mail('order-notice/e2e-3/confirmed', 'complained@resend.dev'));
    await stateOf('order-notice/e2e-3/confirmed', 'complained');
    expect(await mailSuppressionOf(store(), core.keyring, SHOP, 'complained@resend.dev')).toBe('complained');
  }, 30_000);

  it("waits out Resend's 429 (retry-after) and sends once", async () => {
    await fetch(`${aws.env.RESEND_BASE_URL}/dev/resend/rate-limit`, {
      method: 'POST',
      body: JSON.stringify({ count: 1, retryAfterSeconds: 1 }),
    });
    await sendCustomerMail(deps, SHOP, mail('order-notice/e2e-4/confirmed', 'delivered+limited@resend.dev'));
    await stateOf('order-notice/e2e-4/confirmed', 'delivered');
  }, 30_000);
});

describe("the product's own mail on the local stack", () => {
  it('goes through the fake Resend over HTTP and still lands in the dev outbox; its webhooks are dropped as untracked', async () => {
    const api = apiClient(stack.url);
    const email = newEmail('fake-resend');
    const signup = await api.call('POST', '/auth/signup', {
      body: { businessName: 'Lale Butik', name: 'Ayşe Kaya', email, password: PASSWORD, ...TERMS },
    });
    expect(signup.status).toBe(202);
    await waitForMail(api, 'verify-email', email);
    const state = (await (await fetch(`${aws.env.RESEND_BASE_URL}/dev/resend/state`)).json()) as {
      emails: { id: string; to: string[] }[];
      webhooks: { emailId: string; type: string; status: number }[];
    };
    const sent = state.emails.find((candidate) => candidate.to.includes(email));
    expect(sent, 'the verification mail went through the fake Resend').toBeDefined();
    await eventually(async () => {
      const { webhooks } = (await (await fetch(`${aws.env.RESEND_BASE_URL}/dev/resend/state`)).json()) as typeof state;
      const hooks = webhooks.filter((hook) => hook.emailId === sent?.id);
      return hooks.length === 2 && hooks.every((hook) => hook.status === 200) ? hooks : undefined;
    });
  }, 30_000);
});

describe('/webhooks/resend refuses what Resend did not sign', () => {
  it('401 for no, wrong or stale signatures, 413 oversized, 400 malformed; the mail stays as it was', async () => {
    await sendCustomerMail(deps, SHOP, mail('order-notice/e2e-5/confirmed', 'delivered@resend.dev'));
    const delivered = await stateOf('order-notice/e2e-5/confirmed', 'delivered');
    const { data } = await store()
      .entities.customerMail.get({ tenantId: SHOP, ref: 'order-notice/e2e-5/confirmed' })
      .go();
    const body = JSON.stringify({
      type: 'email.complained',
      created_at: new Date().toISOString(),
      data: { email_id: data?.emailId, to: ['delivered@resend.dev'] },
    });
    expect((await post({}, body)).status).toBe(401);
    const wrong = signed(body);
    expect(
      (await post({ ...wrong, 'svix-signature': 'v1,bm90IHRoZSBzaWduYXR1cmUgb2YgdGhpcyBib2R5IQ==' }, body)).status,
    ).toBe(401);
    expect((await post(signed(body, Math.floor(Date.now() / 1000) - 600), body)).status).toBe(401);
    const big = `{"pad":"${'x'.repeat(300 * 1024)}"}`;
    expect((await post(signed(big), big)).status).toBe(413);
    expect((await post(signed('{"type":'), '{"type":')).status).toBe(400);
    // Given time to be processed had any of them been queued, nothing moved.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await mailDeliveryOf(store(), SHOP, 'order-notice/e2e-5/confirmed')).toEqual(delivered);
    expect(await mailSuppressionOf(store(), core.keyring, SHOP, 'delivered@resend.dev')).toBeUndefined();
    // The same complaint, signed with the endpoint's secret, is applied.
    expect((await post(signed(body), body)).status).toBe(200);
    await stateOf('order-notice/e2e-5/confirmed', 'complained');
  }, 40_000);
});
