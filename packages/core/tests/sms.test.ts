import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEMO_NETGSM_ACCOUNT,
  FAKE_NO_IYS_CONSENT_NUMBER,
  FAKE_UNREACHABLE_NUMBER,
  type FakeNetgsm,
  startFakeNetgsm,
} from '../../local/src/fakes/netgsm.js';
import { ValidationError } from '../src/platform/errors.js';
import { saveSmsAccount, seedSmsAccount, smsAccountView } from '../src/sms/account.js';
import { NetgsmBusyError, type NetgsmClient, NetgsmRefusedError, netgsmClient } from '../src/sms/netgsm.js';
import { SMS_RECORDS } from '../src/sms/records.js';
import { pollSmsReports, REPORT_GIVE_UP_MS, type SmsReportDeps } from '../src/sms/reports.js';
import {
  SMS_SENDING_LEASE_MS,
  SmsAlreadyFailed,
  type SmsDeps,
  SmsNotConfigured,
  sendBusinessSms,
  smsDeliveryOf,
} from '../src/sms/send.js';
import { TENANCY_RECORDS } from '../src/tenancy/records.js';
import { createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * SMS through a business's own NetGSM account, against the local DynamoDB emulator and the fake
 * NetGSM over real HTTP: the account is checked at save and its password sealed; a ref is sent
 * once even when NetGSM's answer is lost; NetGSM's codes become the right errors; and the
 * reports schedule settles deliveries (delivered, İYS rejected), honours NetGSM's 10 queries a
 * minute and gives up on a job with no report after 3 days.
 */

const BUSINESS = 't_sms_lale';
const UNCONFIGURED = 't_sms_none';
const WRONG_HEADER = 't_sms_header';
const STALE_PASSWORD = 't_sms_password';
const NO_IYS = 't_sms_noiys';
/** A NetGSM account with no İYS brand code: fine for notices, refused for commercial SMS (51). */
const NO_IYS_ACCOUNT = {
  usercode: '8503020001',
  password: 'kucuk-dukkan-parola',
  msgheaders: ['KUCUKDUKKAN'],
  iysBrand: false,
};
const CUSTOMER = '905551112233';
const PASSWORD = DEMO_NETGSM_ACCOUNT.password;

const T0 = Date.parse('2026-11-30T09:00:00Z');
/** One clock for the code and the fake: a test lets a minute pass by moving it. */
const clock = { now: T0 };

let test: TestPlatform;
let fake: FakeNetgsm;
let store: SmsReportDeps['store'];
let netgsm: NetgsmClient;
let deps: SmsDeps & SmsReportDeps;
let refs = 0;

const nextRef = (kind = 'shipped') => `order-notice/${1000 + ++refs}/${kind}`;
const sentTo = (number: string) => fake.state.sent.filter((message) => message.no === number);
const account = { usercode: DEMO_NETGSM_ACCOUNT.usercode, password: PASSWORD, msgheader: 'LALECICEK' };

beforeAll(async () => {
  test = await startTestPlatform();
  fake = await startFakeNetgsm({ now: () => clock.now, accounts: [DEMO_NETGSM_ACCOUNT, NO_IYS_ACCOUNT] });
  store = test.platform.storeOf({ ...TENANCY_RECORDS, ...SMS_RECORDS });
  netgsm = netgsmClient({ baseUrl: fake.url });
  deps = { store, keyring: test.platform.keyring, netgsm, now: () => clock.now };
  for (const tenantId of [BUSINESS, UNCONFIGURED, WRONG_HEADER, STALE_PASSWORD, NO_IYS]) {
    await createTenant({ store: test.platform.store, keyring: test.platform.keyring }, tenantId, tenantId);
  }
  await seedSmsAccount(deps, BUSINESS, account);
  // Saved before NetGSM's header list changed: the send is refused with 40.
  await seedSmsAccount(deps, WRONG_HEADER, { ...account, msgheader: 'ESKIBASLIK' });
  // Saved before the merchant changed the API password in NetGSM's panel: refused with 30.
  await seedSmsAccount(deps, STALE_PASSWORD, { ...account, password: 'eski-parola' });
  await seedSmsAccount(deps, NO_IYS, {
    usercode: NO_IYS_ACCOUNT.usercode,
    password: NO_IYS_ACCOUNT.password,
    msgheader: 'KUCUKDUKKAN',
  });
}, 60_000);

afterAll(async () => {
  await fake?.stop();
  await test?.stop();
});

beforeEach(() => {
  // Each test starts a minute later, with NetGSM's per-minute limits behind it.
  clock.now += 120_000;
});

describe('the NetGSM account', () => {
  it('is saved only when NetGSM accepts the credentials and knows the header, with the user code and password sealed', async () => {
    const tenantId = 't_sms_settings';
    await createTenant({ store: test.platform.store, keyring: test.platform.keyring }, tenantId, tenantId);
    const saveDeps = { store, keyring: test.platform.keyring, netgsm };

    await expect(saveSmsAccount(saveDeps, tenantId, 'm_1', { ...account, password: 'wrong-password' })).rejects.toThrow(
      ValidationError,
    );
    await expect(saveSmsAccount(saveDeps, tenantId, 'm_1', { ...account, msgheader: 'BASKASI' })).rejects.toThrow(
      /not defined on the NetGSM account/,
    );
    expect(await smsAccountView(saveDeps, tenantId)).toEqual({ configured: false, passwordSet: false });

    const view = await saveSmsAccount(saveDeps, tenantId, 'm_1', account);
    expect(view).toMatchObject({
      configured: true,
      usercode: account.usercode,
      msgheader: 'LALECICEK',
      passwordSet: true,
    });
    expect(JSON.stringify(view)).not.toContain(PASSWORD);
    const stored = (await test.dumpTable()).filter((item) => item.pk === `t#${tenantId}` && item.sk === 'sms#account');
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(PASSWORD);
    // The user code is often the merchant's own number: sealed too.
    expect(JSON.stringify(stored)).not.toContain(account.usercode);

    // Changing only the header keeps the stored password (checked again with it).
    const changed = await saveSmsAccount(saveDeps, tenantId, 'm_1', {
      usercode: account.usercode,
      msgheader: 'ASISTONE',
    });
    expect(changed.msgheader).toBe('ASISTONE');
  });
});

describe('sendBusinessSms', () => {
  it('refuses a business with no NetGSM account and stores nothing', async () => {
    const ref = nextRef();
    await expect(
      sendBusinessSms(deps, UNCONFIGURED, { to: CUSTOMER, text: 'Siparişiniz kargoda', purpose: 'informational', ref }),
    ).rejects.toThrow(SmsNotConfigured);
    expect(await smsDeliveryOf(store, UNCONFIGURED, ref)).toBeUndefined();
  });

  it('refuses a malformed number before calling NetGSM', async () => {
    const before = fake.state.sent.length;
    await expect(
      sendBusinessSms(deps, BUSINESS, { to: '+90 555 111', text: 'Merhaba', purpose: 'informational', ref: nextRef() }),
    ).rejects.toThrow(ValidationError);
    expect(fake.state.sent.length).toBe(before);
  });

  it('sends once per ref under the business header, informational without the İYS filter', async () => {
    const ref = nextRef();
    const sms = { to: CUSTOMER, text: 'Siparişiniz #1001 kargoya verildi', purpose: 'informational' as const, ref };
    const first = await sendBusinessSms(deps, BUSINESS, sms);
    const again = await sendBusinessSms(deps, BUSINESS, sms);
    expect(again.jobId).toBe(first.jobId);
    const sent = fake.state.sent.filter((message) => message.jobid === first.jobId);
    expect(sent).toEqual([
      expect.objectContaining({ msgheader: 'LALECICEK', iysfilter: '0', no: CUSTOMER, msg: sms.text }),
    ]);
    expect(await smsDeliveryOf(store, BUSINESS, ref)).toEqual({ state: 'pending', at: clock.now });
    // Neither the number nor the text is kept.
    const items = JSON.stringify((await test.dumpTable()).filter((item) => item.pk === `t#${BUSINESS}`));
    expect(items).not.toContain(CUSTOMER);
    expect(items).not.toContain('kargoya verildi');
  });

  it('does not send twice when NetGSM took the message but its answer was lost', async () => {
    const ref = nextRef();
    let calls = 0;
    const losing: NetgsmClient = {
      ...netgsm,
      async send(credentials, body) {
        calls += 1;
        await netgsm.send(credentials, body);
        throw new NetgsmBusyError('no-answer', 'NetGSM did not answer');
      },
    };
    const sms = { to: '905551112244', text: 'Siparişiniz alındı', purpose: 'informational' as const, ref };
    await expect(sendBusinessSms({ ...deps, netgsm: losing }, BUSINESS, sms)).rejects.toThrow(NetgsmBusyError);
    // A retry while the first call might still be waiting: try later, nothing sent.
    await expect(sendBusinessSms(deps, BUSINESS, sms)).rejects.toThrow(NetgsmBusyError);
    clock.now += SMS_SENDING_LEASE_MS + 1;
    await expect(sendBusinessSms(deps, BUSINESS, sms)).rejects.toThrow(SmsAlreadyFailed);
    expect(calls).toBe(1);
    expect(sentTo('905551112244')).toHaveLength(1);
    expect(await smsDeliveryOf(store, BUSINESS, ref)).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/not sent again/),
    });
  });

  it('records a header NetGSM does not know as failed for good (code 40)', async () => {
    const ref = nextRef();
    const error = await sendBusinessSms(deps, WRONG_HEADER, {
      to: CUSTOMER,
      text: 'Merhaba',
      purpose: 'informational',
      ref,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NetgsmRefusedError);
    expect((error as NetgsmRefusedError).code).toBe('40');
    expect(await smsDeliveryOf(store, WRONG_HEADER, ref)).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/sender header/),
    });
    await expect(
      sendBusinessSms(deps, WRONG_HEADER, { to: CUSTOMER, text: 'Merhaba', purpose: 'informational', ref }),
    ).rejects.toThrow(SmsAlreadyFailed);
  });

  it('records refused credentials (30) and a missing İYS brand for a commercial SMS (51) as failed for good', async () => {
    const refused = async (tenantId: string, purpose: 'informational' | 'commercial') => {
      const ref = nextRef();
      const error = await sendBusinessSms(deps, tenantId, { to: CUSTOMER, text: 'Merhaba', purpose, ref }).catch(
        (caught: unknown) => caught,
      );
      return { error: error as NetgsmRefusedError, delivery: await smsDeliveryOf(store, tenantId, ref) };
    };
    const credentials = await refused(STALE_PASSWORD, 'informational');
    expect(credentials.error).toBeInstanceOf(NetgsmRefusedError);
    expect(credentials.error.code).toBe('30');
    expect(credentials.delivery).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/user code or password/),
    });
    // The password never shows in what is recorded or thrown.
    expect(`${credentials.error.message} ${credentials.delivery?.reason}`).not.toContain('eski-parola');

    const iys = await refused(NO_IYS, 'commercial');
    expect(iys.error.code).toBe('51');
    expect(iys.delivery).toMatchObject({ state: 'failed', reason: expect.stringMatching(/İYS brand/) });
    // The same account sends notices: they are not İYS-filtered.
    await sendBusinessSms(deps, NO_IYS, {
      to: CUSTOMER,
      text: 'Siparişiniz alındı',
      purpose: 'informational',
      ref: nextRef(),
    });
  });

  it('treats more than 20 messages to one number in a minute (code 85) as try-later, leaving the ref free', async () => {
    const number = '905551112255';
    for (let i = 0; i < 20; i += 1) {
      await sendBusinessSms(deps, BUSINESS, {
        to: number,
        text: `Mesaj ${i}`,
        purpose: 'informational',
        ref: nextRef(),
      });
    }
    const ref = nextRef();
    const sms = { to: number, text: 'Bir tane daha', purpose: 'informational' as const, ref };
    const error = await sendBusinessSms(deps, BUSINESS, sms).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NetgsmBusyError);
    expect((error as NetgsmBusyError).code).toBe('85');
    expect(await smsDeliveryOf(store, BUSINESS, ref)).toBeUndefined();
    clock.now += 61_000;
    await sendBusinessSms(deps, BUSINESS, sms);
    expect(sentTo(number)).toHaveLength(21);
  });
});

describe('the sms-reports schedule', () => {
  /** Settles whatever earlier tests left pending, so each test counts only its own jobs. */
  const drain = async () => {
    clock.now += 61_000;
    await pollSmsReports(deps);
  };

  it('records delivered, and İYS rejected (status 16) for a commercial SMS to a number without consent', async () => {
    await drain();
    clock.now += 61_000;
    const delivered = nextRef('confirmed');
    const rejected = nextRef('campaign');
    await sendBusinessSms(deps, BUSINESS, {
      to: CUSTOMER,
      text: 'Siparişiniz alındı',
      purpose: 'informational',
      ref: delivered,
    });
    await sendBusinessSms(deps, BUSINESS, {
      to: FAKE_NO_IYS_CONSENT_NUMBER,
      text: 'Kampanya: %20 indirim',
      purpose: 'commercial',
      ref: rejected,
    });
    expect(sentTo(FAKE_NO_IYS_CONSENT_NUMBER).at(-1)?.iysfilter).toBe('11');

    const run = await pollSmsReports(deps);
    expect(run).toMatchObject({ businesses: 1, queries: 1, delivered: 1, failed: 1, stillPending: 0, rateLimited: 0 });
    expect(await smsDeliveryOf(store, BUSINESS, delivered)).toEqual({ state: 'delivered', at: clock.now });
    expect(await smsDeliveryOf(store, BUSINESS, rejected)).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/^İYS rejected/),
    });
    // Settled jobs are no longer asked about.
    expect((await store.entities.smsPending.query.bySent({ tenantId: BUSINESS }).go()).data).toEqual([]);
    expect(await pollSmsReports(deps)).toMatchObject({ businesses: 0, queries: 0 });
  });

  it('stops asking when NetGSM answers 80 and settles at the next run', async () => {
    await drain();
    clock.now += 61_000;
    const ref = nextRef();
    await sendBusinessSms(deps, BUSINESS, { to: CUSTOMER, text: 'Kargonuz yolda', purpose: 'informational', ref });
    const { jobId } = (await store.entities.smsJob.get({ tenantId: BUSINESS, ref }).go()).data as { jobId: string };
    // Someone else (the merchant's own tools) used this minute's 10 report queries.
    for (let i = 0; i < 10; i += 1) await netgsm.report(account, [jobId]);

    const limited = await pollSmsReports(deps);
    expect(limited).toMatchObject({ queries: 1, rateLimited: 1, delivered: 0, stillPending: 1 });
    expect(await smsDeliveryOf(store, BUSINESS, ref)).toMatchObject({ state: 'pending' });

    clock.now += 61_000;
    expect(await pollSmsReports(deps)).toMatchObject({ queries: 1, rateLimited: 0, delivered: 1 });
    expect(await smsDeliveryOf(store, BUSINESS, ref)).toMatchObject({ state: 'delivered' });
  });

  it('asks at most 8 times per business per run, batching job ids, and never reaches the limit', async () => {
    await drain();
    clock.now += 61_000;
    for (let i = 0; i < 10; i += 1) {
      await sendBusinessSms(deps, BUSINESS, {
        to: `90555222330${i}`,
        text: 'Bilgi',
        purpose: 'informational',
        ref: nextRef(),
      });
    }
    const first = await pollSmsReports({ ...deps, batchSize: 1 });
    expect(first).toMatchObject({ queries: 8, delivered: 8, stillPending: 2, rateLimited: 0 });
    clock.now += 61_000;
    expect(await pollSmsReports({ ...deps, batchSize: 1 })).toMatchObject({
      queries: 2,
      delivered: 2,
      stillPending: 0,
    });
    // With the default batch, ten jobs are one query.
    for (let i = 0; i < 10; i += 1) {
      await sendBusinessSms(deps, BUSINESS, {
        to: `90555222340${i}`,
        text: 'Bilgi',
        purpose: 'informational',
        ref: nextRef(),
      });
    }
    expect(await pollSmsReports(deps)).toMatchObject({ queries: 1, delivered: 10 });
  });

  it('gives up on a job still pending after 3 days: failed, no report', async () => {
    await drain();
    clock.now += 61_000;
    const ref = nextRef();
    await sendBusinessSms(deps, BUSINESS, {
      to: FAKE_UNREACHABLE_NUMBER,
      text: 'Merhaba',
      purpose: 'informational',
      ref,
    });
    expect(await pollSmsReports(deps)).toMatchObject({ stillPending: 1, failed: 0 });
    clock.now += REPORT_GIVE_UP_MS - 120_000;
    expect(await pollSmsReports(deps)).toMatchObject({ stillPending: 1, failed: 0 });
    expect(await smsDeliveryOf(store, BUSINESS, ref)).toMatchObject({ state: 'pending' });
    clock.now += 180_000;
    expect(await pollSmsReports(deps)).toMatchObject({ stillPending: 0, failed: 1 });
    expect(await smsDeliveryOf(store, BUSINESS, ref)).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/^No report/),
    });
  });
});
