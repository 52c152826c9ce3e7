import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { processMailEvent } from '../src/notify/mail-events.js';
import type { MailEventMessage } from '../src/notify/mail-events-queue.js';
import { createResendClient } from '../src/notify/resend.js';
import {
  CustomerMailSuppressedError,
  customerMailer,
  mailDeliveryOf,
  mailSuppressionOf,
  sendCustomerMail,
  type TrackedMailDeps,
} from '../src/notify/tracked-mail.js';
import { TRACKED_MAIL_RECORDS } from '../src/notify/tracked-mail-records.js';
import { ValidationError } from '../src/platform/errors.js';
import { type FakeResend, startFakeResend } from './support/fake-resend.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * Mail to a business's customers against the DynamoDB emulator, through the real Resend client
 * to a loopback stand-in speaking Resend's shapes, and Resend's delivery events as the
 * `mail-events` worker applies them.
 */
const log = new Logger({ logLevel: 'SILENT' });
const SHOP = 'b_lale';
const OTHER = 'b_other';
const CUSTOMER = 'zeynep.demir@example.com';

let test: TestPlatform;
let resend: FakeResend;
let deps: TrackedMailDeps;
const store = () => test.platform.storeOf(TRACKED_MAIL_RECORDS);

const mail = (ref: string, to = CUSTOMER) => ({
  to,
  subject: 'Siparişiniz kargoda',
  text: 'Merhaba Zeynep, #1001 kargoya verildi.',
  html: '<p>Merhaba Zeynep, #1001 kargoya verildi.</p>',
  from: 'Lale Butik',
  replyTo: 'destek@lalebutik.example',
  ref,
});

let svix = 0;
const event = (emailId: string, type: MailEventMessage['type'], at: number, extra: Partial<MailEventMessage> = {}) =>
  ({
    tenantId: 'resend',
    svixId: `msg_${++svix}`,
    type,
    emailId,
    occurredAt: at,
    receivedAt: at + 100,
    ...extra,
  }) satisfies MailEventMessage;
const apply = (message: MailEventMessage) => processMailEvent({ store: store(), log }, message);

beforeAll(async () => {
  test = await startTestPlatform();
  resend = await startFakeResend();
  await test.platform.keyring.provision(SHOP);
  await test.platform.keyring.provision(OTHER);
  deps = {
    store: store(),
    keyring: test.platform.keyring,
    resend: createResendClient({ apiKey: resend.apiKey, baseUrl: resend.baseUrl, retries: 0 }),
    from: 'Asistone <no-reply@mail.example.com>',
    log,
  };
}, 60_000);
afterAll(async () => {
  await resend.close();
  await test.stop();
});
beforeEach(() => resend.reset());

describe('sendCustomerMail', () => {
  it("sends once per ref with the shop's name, the business's idempotency key, and keeps no address in clear", async () => {
    const first = await sendCustomerMail(deps, SHOP, mail('order-notice/1001/shipped'));
    const again = await sendCustomerMail(deps, SHOP, mail('order-notice/1001/shipped'));
    expect(again).toEqual(first);
    expect(resend.received).toHaveLength(1);
    const [sent] = resend.accepted;
    expect(sent?.headers['idempotency-key']).toBe(`${SHOP}/order-notice/1001/shipped`);
    expect(sent?.body).toMatchObject({
      from: '"Lale Butik" <no-reply@mail.example.com>',
      to: [CUSTOMER],
      subject: 'Siparişiniz kargoda',
      reply_to: 'destek@lalebutik.example',
    });
    expect(await mailDeliveryOf(store(), SHOP, 'order-notice/1001/shipped')).toEqual({
      state: 'sent',
      at: expect.any(Number),
    });
    // Another business's mail under the same ref is its own mail.
    expect(await mailDeliveryOf(store(), OTHER, 'order-notice/1001/shipped')).toBeUndefined();
    const items = JSON.stringify(await test.dumpTable());
    expect(items).toContain(first.emailId);
    expect(items).not.toContain('zeynep');
    expect(items).not.toContain('Siparişiniz');
  });

  it("after a lost answer (nothing recorded), Resend's idempotent replay gives the same id without a second mail", async () => {
    const { emailId } = await sendCustomerMail(deps, SHOP, mail('order-notice/1002/confirmed'));
    await store().entities.customerMail.delete({ tenantId: SHOP, ref: 'order-notice/1002/confirmed' }).go();
    expect(await sendCustomerMail(deps, SHOP, mail('order-notice/1002/confirmed'))).toEqual({ emailId });
    expect(resend.received).toHaveLength(2);
    expect(resend.accepted).toHaveLength(1);
  });

  it.each([
    ['a ref with a space', mail('order notice/1')],
    ['an empty ref', mail('')],
    ['a recipient with a line break', mail('order-notice/1003/confirmed', 'a@example.com\r\nBcc: x@example.com')],
    ['a recipient that is not an address', mail('order-notice/1003/confirmed', 'Zeynep')],
    ['a reply-to that is not an address', { ...mail('order-notice/1003/confirmed'), replyTo: 'x' }],
  ])('refuses %s and sends nothing', async (_name, bad) => {
    await expect(sendCustomerMail(deps, SHOP, bad)).rejects.toBeInstanceOf(ValidationError);
    expect(resend.received).toEqual([]);
  });

  it('needs a Resend key, and uses a base URL only on the local stack', () => {
    expect(() => customerMailer({}, false)).toThrow(/RESEND_API_KEY/);
    expect(customerMailer({ RESEND_API_KEY: 're_x', RESEND_BASE_URL: 'http://127.0.0.1:1' }, false)).toBeDefined();
  });
});

describe("Resend's delivery events", () => {
  it('moves a mail forward only: a late email.sent never undoes delivered; a retried delivery applies nothing', async () => {
    const { emailId } = await sendCustomerMail(deps, SHOP, mail('order-notice/2001/confirmed'));
    const t = Date.now();
    const delivered = event(emailId, 'email.delivered', t + 2_000);
    expect(await apply(delivered)).toBe('recorded');
    expect(await apply(event(emailId, 'email.sent', t + 1_000))).toBe('older');
    expect(await apply(event(emailId, 'email.delivery_delayed', t + 1_500))).toBe('older');
    expect(await mailDeliveryOf(store(), SHOP, 'order-notice/2001/confirmed')).toEqual({
      state: 'delivered',
      at: t + 2_000,
    });
    // The same svix-id again (Svix retries after a lost answer) is acknowledged without applying.
    expect(await apply({ ...delivered, type: 'email.complained' })).toBe('duplicate');
    expect((await mailDeliveryOf(store(), SHOP, 'order-notice/2001/confirmed'))?.state).toBe('delivered');
  });

  it('records a delay with words a merchant understands, then the delivery', async () => {
    const { emailId } = await sendCustomerMail(deps, SHOP, mail('order-notice/2002/confirmed'));
    const t = Date.now();
    await apply(event(emailId, 'email.delivery_delayed', t + 1_000));
    expect(await mailDeliveryOf(store(), SHOP, 'order-notice/2002/confirmed')).toEqual({
      state: 'delayed',
      reason: expect.stringMatching(/not accepted it yet/),
      at: t + 1_000,
    });
    await apply(event(emailId, 'email.delivered', t + 5_000));
    // The delay's reason goes with it.
    expect(await mailDeliveryOf(store(), SHOP, 'order-notice/2002/confirmed')).toEqual({
      state: 'delivered',
      at: t + 5_000,
    });
  });

  it('a hard bounce suppresses the address at that business only, however it is written; no more mail goes to it', async () => {
    const address = 'eski.adres@example.com';
    const { emailId } = await sendCustomerMail(deps, SHOP, mail('order-notice/3001/confirmed', address));
    expect(await mailSuppressionOf(store(), test.platform.keyring, SHOP, address)).toBeUndefined();
    await apply(event(emailId, 'email.bounced', Date.now(), { bounce: { type: 'Permanent', subType: 'General' } }));
    expect(await mailDeliveryOf(store(), SHOP, 'order-notice/3001/confirmed')).toMatchObject({
      state: 'bounced',
      reason: 'the address does not exist or refuses mail',
    });
    expect(await mailSuppressionOf(store(), test.platform.keyring, SHOP, '  Eski.Adres@Example.com ')).toBe('bounced');
    expect(await mailSuppressionOf(store(), test.platform.keyring, OTHER, address)).toBeUndefined();
    resend.reset();
    await expect(sendCustomerMail(deps, SHOP, mail('order-notice/3001/shipped', address))).rejects.toBeInstanceOf(
      CustomerMailSuppressedError,
    );
    expect(resend.received).toEqual([]);
    expect(JSON.stringify(await test.dumpTable())).not.toContain('eski.adres');
  });

  it('a complaint after delivery suppresses the address, and a later bounce does not weaken it', async () => {
    const address = 'sikayet@example.com';
    const { emailId } = await sendCustomerMail(deps, SHOP, mail('order-notice/3002/confirmed', address));
    const t = Date.now();
    await apply(event(emailId, 'email.delivered', t + 1_000));
    await apply(event(emailId, 'email.complained', t + 60_000));
    expect((await mailDeliveryOf(store(), SHOP, 'order-notice/3002/confirmed'))?.state).toBe('complained');
    expect(await mailSuppressionOf(store(), test.platform.keyring, SHOP, address)).toBe('complained');
    const second = await sendCustomerMail(deps, OTHER, mail('order-notice/9/confirmed', address));
    await apply(event(second.emailId, 'email.bounced', t + 70_000));
    expect(await mailSuppressionOf(store(), test.platform.keyring, SHOP, address)).toBe('complained');
  });

  it('a transient bounce is recorded but does not suppress the address', async () => {
    const address = 'dolu.kutu@example.com';
    const { emailId } = await sendCustomerMail(deps, SHOP, mail('order-notice/3003/confirmed', address));
    await apply(event(emailId, 'email.bounced', Date.now(), { bounce: { type: 'Transient', subType: 'MailboxFull' } }));
    expect((await mailDeliveryOf(store(), SHOP, 'order-notice/3003/confirmed'))?.state).toBe('bounced');
    expect(await mailSuppressionOf(store(), test.platform.keyring, SHOP, address)).toBeUndefined();
  });

  it("drops an event for a mail it does not track (the product's own mails share the account), writing nothing", async () => {
    const before = (await test.dumpTable()).length;
    expect(await apply(event('4ef9a417-02e9-4d39-ad75-000000000000', 'email.bounced', Date.now()))).toBe('untracked');
    expect((await test.dumpTable()).length).toBe(before);
  });
});
