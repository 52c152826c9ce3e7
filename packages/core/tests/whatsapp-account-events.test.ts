import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaDelivery } from '../src/channels/meta/envelope.js';
import { processMetaDelivery } from '../src/channels/meta/events.js';
import { listTemplates, type SyncedTemplate, syncTemplates } from '../src/inbox/templates.js';
import { channelDirectory } from '../src/tenancy/channel-directory.js';
import {
  connectWhatsAppNumber,
  createTenant,
  markChannelDisconnected,
  saveConnectedChannel,
} from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * WhatsApp changes that name only the business's WhatsApp Business Account: template verdicts
 * reach the templates the reply box offers, the account's messaging limit and standing reach its
 * numbers, and the rest is acknowledged with a log line. Never a skip, never a dead letter.
 */
let test: TestPlatform;
/** The WABA of the official samples in events/meta (the demo business's on the local stack). */
const SHOP = { tenantId: 't_lale', waba: '100000000000002', numbers: ['100000000000001', '100000000000011'] };
const OLD_NUMBER = '100000000000021';
const CAFE = { tenantId: 't_cay', waba: '100000000000302', number: '100000000000301' };
const SAMPLES = join(import.meta.dirname, '../../../events/meta');

beforeAll(async () => {
  test = await startTestPlatform();
  const deps = { store: test.platform.store, keyring: test.platform.keyring };
  await createTenant(deps, SHOP.tenantId, 'Lale Butik');
  for (const number of [...SHOP.numbers, OLD_NUMBER]) {
    await connectWhatsAppNumber(deps, SHOP.tenantId, number, 'Lale', SHOP.waba);
  }
  const old = await test.platform.store.entities.channel
    .get({ tenantId: SHOP.tenantId, kind: 'whatsapp', externalId: OLD_NUMBER })
    .go();
  await markChannelDisconnected(deps, old.data as NonNullable<typeof old.data>);
  await createTenant(deps, CAFE.tenantId, 'Çay Bahçesi');
  await connectWhatsAppNumber(deps, CAFE.tenantId, CAFE.number, 'Bahçe', CAFE.waba);
});
afterAll(() => test.stop());

function recordingLog() {
  const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const at =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      void lines.push({ level, message, fields });
  const log = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } as unknown as Logger;
  return { log, lines, text: () => JSON.stringify(lines) };
}

async function deliver(body: string | Buffer) {
  const recording = recordingLog();
  const report = await processMetaDelivery(
    { store: test.platform.store, keyring: test.platform.keyring, log: recording.log },
    // Received an hour from now: the changes' own times below (up to minutes ahead) are all
    // in its past, as Meta's are, and they alone decide which is newer.
    metaDelivery(typeof body === 'string' ? Buffer.from(body) : body, Date.now() + 3_600_000),
  );
  return { report, ...recording };
}

/** One change of a WhatsApp delivery, for a WABA, at Meta's time in seconds. */
const change = (waba: string, time: number, field: string, value: unknown) =>
  JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: waba, time, changes: [{ field, value }] }] });

const templateStatus = (name: string, language: string, event: string, time: number, reason = 'NONE') =>
  change(SHOP.waba, time, 'message_template_status_update', {
    event,
    message_template_id: 1689556908129832,
    message_template_name: name,
    message_template_language: language,
    reason,
    message_template_category: 'UTILITY',
  });

const synced = (name: string, language: string, status: string, category = 'UTILITY'): SyncedTemplate => ({
  name,
  language,
  status,
  category,
  components: [{ type: 'BODY', text: 'Siparişiniz {{1}} yolda' }],
});

/** Syncs as if Meta's template list said `templates` now. */
const sync = (templates: SyncedTemplate[]) => syncTemplates(test.platform.store, SHOP.tenantId, async () => templates);

async function templateOf(name: string, language: string) {
  const { templates } = await listTemplates(test.platform.store, SHOP.tenantId);
  return templates.find((template) => template.name === name && template.language === language);
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

async function channel(tenantId: string, externalId: string) {
  const { data } = await test.platform.store.entities.channel.get({ tenantId, kind: 'whatsapp', externalId }).go();
  return data;
}

describe('template webhooks', () => {
  it('pauses a synced template, and an older verdict arriving late does not undo it', async () => {
    await sync([synced('order_update', 'tr', 'APPROVED')]);
    const later = nowSeconds() + 60;

    const paused = await deliver(templateStatus('order_update', 'tr', 'PAUSED', later));
    expect(paused.report).toMatchObject({ applied: 1, notHandled: 0, skipped: 0, unknownBusiness: 0 });
    expect(await templateOf('order_update', 'tr')).toMatchObject({ status: 'PAUSED', variables: 1 });
    expect(paused.lines.find((line) => line.message === 'whatsapp account change applied')?.fields).toMatchObject({
      tenantId: SHOP.tenantId,
      what: 'template PAUSED',
    });

    const stale = await deliver(templateStatus('order_update', 'tr', 'APPROVED', later - 30));
    expect(stale.report).toMatchObject({ applied: 0, ignored: 1, skipped: 0 });
    expect((await templateOf('order_update', 'tr'))?.status).toBe('PAUSED');

    // Reinstated later: sendable again.
    await deliver(templateStatus('order_update', 'tr', 'REINSTATED', later + 30));
    expect((await templateOf('order_update', 'tr'))?.status).toBe('APPROVED');
  });

  it('keeps a verdict for a template not synced yet, which a sync that read Meta before it does not undo', async () => {
    const rejected = await deliver(
      templateStatus('abandoned_cart', 'en', 'REJECTED', nowSeconds() + 120, 'INVALID_FORMAT'),
    );
    expect(rejected.report).toMatchObject({ applied: 1, skipped: 0 });
    expect(await templateOf('abandoned_cart', 'en')).toBeUndefined();

    // A verdict older than the sync loses to it: the sync read Meta after it happened.
    await deliver(templateStatus('summer_sale', 'en', 'DISABLED', nowSeconds() - 3600));

    await sync([
      synced('order_update', 'tr', 'APPROVED'),
      synced('abandoned_cart', 'en', 'PENDING'),
      synced('summer_sale', 'en', 'APPROVED'),
    ]);
    expect((await templateOf('abandoned_cart', 'en'))?.status).toBe('REJECTED');
    expect((await templateOf('summer_sale', 'en'))?.status).toBe('APPROVED');
  });

  it('records a template’s quality and its new category, and a sync keeps the quality', async () => {
    await sync([synced('welcome_template', 'en-US', 'APPROVED', 'UTILITY')]);
    const at = nowSeconds() + 200;
    const quality = await deliver(
      change(SHOP.waba, at, 'message_template_quality_update', {
        previous_quality_score: 'GREEN',
        new_quality_score: 'YELLOW',
        message_template_id: 806312974732579,
        message_template_name: 'welcome_template',
        message_template_language: 'en-US',
      }),
    );
    const recategorized = await deliver(
      change(SHOP.waba, at + 1, 'template_category_update', {
        message_template_id: 806312974732579,
        message_template_name: 'welcome_template',
        message_template_language: 'en-US',
        previous_category: 'UTILITY',
        new_category: 'MARKETING',
      }),
    );
    expect(quality.report).toMatchObject({ applied: 1 });
    expect(recategorized.report).toMatchObject({ applied: 1 });
    const key = { tenantId: SHOP.tenantId, wabaId: SHOP.waba, name: 'welcome_template', language: 'en-US' };
    expect((await test.platform.store.entities.template.get(key).go()).data).toMatchObject({
      qualityScore: 'YELLOW',
      category: 'MARKETING',
    });

    // Meta's list has no quality: a sync keeps the one the webhook told.
    await sync([synced('welcome_template', 'en-US', 'APPROVED', 'MARKETING')]);
    expect((await test.platform.store.entities.template.get(key).go()).data).toMatchObject({
      qualityScore: 'YELLOW',
      category: 'MARKETING',
    });
  });

  it('keeps another business’s templates out of it', async () => {
    await deliver(
      change(CAFE.waba, nowSeconds() + 300, 'message_template_status_update', {
        event: 'PAUSED',
        message_template_id: 1,
        message_template_name: 'welcome_template',
        message_template_language: 'en-US',
        reason: 'NONE',
      }),
    );
    expect((await templateOf('welcome_template', 'en-US'))?.status).toBe('APPROVED');
  });
});

describe('account webhooks', () => {
  it('shows the portfolio’s messaging limit on every connected number under the account, newest only', async () => {
    const at = nowSeconds();
    const upgraded = await deliver(
      change(SHOP.waba, at, 'phone_number_quality_update', {
        display_phone_number: '15550783881',
        event: 'UPGRADE',
        old_limit: 'TIER_250',
        current_limit: 'TIER_2K',
        max_daily_conversations_per_business: 'TIER_10K',
      }),
    );
    expect(upgraded.report).toMatchObject({ applied: 1, skipped: 0 });
    for (const number of SHOP.numbers) {
      expect(await channel(SHOP.tenantId, number)).toMatchObject({ messagingLimit: 'TIER_10K', status: 'connected' });
    }
    expect((await channel(CAFE.tenantId, CAFE.number))?.messagingLimit).toBeUndefined();
    expect(upgraded.text()).not.toContain('15550783881');

    // An older capability update, arriving late, does not lower it; the legacy number form reads as a tier.
    const late = await deliver(
      change(SHOP.waba, at - 60, 'business_capability_update', { max_daily_conversation_per_phone: 250 }),
    );
    expect(late.report).toMatchObject({ applied: 0, ignored: 1 });
    expect((await channel(SHOP.tenantId, SHOP.numbers[0] as string))?.messagingLimit).toBe('TIER_10K');
    await deliver(change(SHOP.waba, at + 60, 'business_capability_update', { max_daily_conversation_per_phone: -1 }));
    expect((await channel(SHOP.tenantId, SHOP.numbers[0] as string))?.messagingLimit).toBe('TIER_UNLIMITED');

    // A fresh token for the number (reconnecting it while connected) keeps what Meta said: it is not said again.
    const deps = { store: test.platform.store, keyring: test.platform.keyring };
    const number = SHOP.numbers[0] as string;
    await saveConnectedChannel(
      deps,
      SHOP.tenantId,
      { kind: 'whatsapp', externalId: number, accountId: SHOP.waba, label: 'Lale' },
      { accessToken: 'EAAG-fresh' },
    );
    expect(await channel(SHOP.tenantId, number)).toMatchObject({
      messagingLimit: 'TIER_UNLIMITED',
      status: 'connected',
    });
  });

  it('leaves a disconnected number out of the directory while its account’s news arrive', async () => {
    await deliver(
      change(SHOP.waba, nowSeconds() + 400, 'business_capability_update', {
        max_daily_conversations_per_business: 2000,
      }),
    );
    // Asked fresh (no cache): nobody owns the disconnected number, the connected ones stay routed.
    expect(await channelDirectory(test.platform.store).ownersOf('whatsapp', OLD_NUMBER)).toEqual([]);
    expect(await channelDirectory(test.platform.store).ownersOf('whatsapp', SHOP.numbers[0] as string)).toEqual([
      SHOP.tenantId,
    ]);
    const old = await channel(SHOP.tenantId, OLD_NUMBER);
    expect(old).toMatchObject({ status: 'disconnected' });
    expect(old?.messagingLimit).toBeUndefined();
  });

  it('records an event that stops sending on the numbers, and acknowledges the rest with a log line', async () => {
    const at = nowSeconds() + 500;
    const restricted = await deliver(
      change(SHOP.waba, at, 'account_update', {
        event: 'DISABLED_UPDATE',
        ban_info: { waba_ban_state: 'SCHEDULE_FOR_DISABLE', waba_ban_date: 'October 9, 2026' },
      }),
    );
    expect(restricted.report).toMatchObject({ applied: 1 });
    expect(await channel(SHOP.tenantId, SHOP.numbers[1] as string)).toMatchObject({
      accountEvent: 'DISABLED_UPDATE:SCHEDULE_FOR_DISABLE',
    });

    const pricing = await deliver(
      change(SHOP.waba, at + 1, 'account_update', {
        event: 'VOLUME_BASED_PRICING_TIER_UPDATE',
        volume_tier_info: { pricing_category: 'UTILITY', tier: '25001:100000', region: 'Turkey' },
      }),
    );
    const name = await deliver(
      change(SHOP.waba, at + 2, 'phone_number_name_update', {
        display_phone_number: '905550009988',
        decision: 'REJECTED',
        requested_verified_name: 'Lale Butik',
        rejection_reason: 'NAME_FORMAT_UNACCEPTABLE',
      }),
    );
    for (const { report, lines, text } of [pricing, name]) {
      expect(report).toMatchObject({ ignored: 1, applied: 0, skipped: 0, notHandled: 0 });
      expect(lines.some((line) => line.message === 'whatsapp account change ignored')).toBe(true);
      expect(text()).not.toContain('905550009988');
    }
    expect((await channel(SHOP.tenantId, SHOP.numbers[1] as string))?.accountEvent).toBe(
      'DISABLED_UPDATE:SCHEDULE_FOR_DISABLE',
    );
  });

  it('skips a value that is not the shape Meta documents, with its reason', async () => {
    const { report, lines } = await deliver(
      change(SHOP.waba, nowSeconds(), 'message_template_status_update', { event: 'APPROVED', message_template_id: 1 }),
    );
    expect(report).toMatchObject({ skipped: 1, applied: 0 });
    expect(lines.find((line) => line.message === 'whatsapp change skipped')?.fields.reason).toBe(
      'template status does not match the expected shape',
    );
  });
});

describe('Meta’s official samples (events/meta)', () => {
  const names = [
    'whatsapp-official-template-status.json',
    'whatsapp-official-template-rejected.json',
    'whatsapp-official-template-paused.json',
    'whatsapp-official-template-quality.json',
    'whatsapp-official-template-category.json',
    'whatsapp-official-number-quality.json',
    'whatsapp-official-capability.json',
    'whatsapp-official-account-update.json',
    'whatsapp-official-name-update.json',
    'whatsapp-official-account-alerts.json',
  ];
  it.each(names)('%s is understood, each change applied or acknowledged', async (name) => {
    const body = readFileSync(join(SAMPLES, name));
    const changes = JSON.parse(body.toString()).entry.flatMap((entry: { changes: unknown[] }) => entry.changes).length;
    const { report } = await deliver(body);
    expect(report).toMatchObject({ skipped: 0, notHandled: 0, unknownBusiness: 0 });
    expect(report.applied + report.ignored).toBe(changes);
  });
});
