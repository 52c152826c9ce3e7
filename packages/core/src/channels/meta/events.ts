import type { Logger } from '@aws-lambda-powertools/logger';
import { recordInbound } from '../../inbox/inbound.js';
import type { InboxStore } from '../../inbox/records.js';
import type { TenantKeyring } from '../../platform/crypto/keyring.js';
import { PermanentError } from '../../platform/errors.js';
import type { MetaDelivery } from './envelope.js';
import { inboundFromWhatsApp } from './whatsapp-inbound.js';
import { WhatsAppValue, WhatsAppWebhook } from './whatsapp-payload.js';

export interface MetaEventDeps {
  store: InboxStore;
  keyring: TenantKeyring;
  log: Logger;
}

/**
 * Processes one signed Meta delivery taken from the queue. WhatsApp messages land in the
 * inbox; kinds not handled yet fail permanently so they wait in the DLQ, replayable, instead
 * of being dropped.
 */
export async function processMetaDelivery(
  deps: MetaEventDeps,
  delivery: MetaDelivery,
): Promise<{ recorded: number; duplicates: number }> {
  let payload: unknown;
  try {
    payload = JSON.parse(delivery.body);
  } catch {
    throw new PermanentError('delivery body is not JSON');
  }
  const object = (payload as { object?: unknown }).object;
  if (object !== 'whatsapp_business_account') {
    throw new PermanentError(`Meta object "${String(object)}" is not handled yet`);
  }
  const webhook = WhatsAppWebhook.safeParse(payload);
  if (!webhook.success) throw new PermanentError('WhatsApp payload does not match the expected shape');

  const keys = await deps.keyring.forTenant(delivery.tenantId);
  let recorded = 0;
  let duplicates = 0;
  for (const entry of webhook.data.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') continue;
      const value = WhatsAppValue.safeParse(change.value);
      if (!value.success) throw new PermanentError('WhatsApp change value does not match the expected shape');
      for (const message of inboundFromWhatsApp(delivery.tenantId, value.data)) {
        const result = await recordInbound({ store: deps.store, keys }, message);
        if (result.duplicate) duplicates++;
        else recorded++;
      }
      // Delivery receipts need outbound messages to update; those arrive with sending.
      if (value.data.statuses?.length) deps.log.debug('statuses received', { count: value.data.statuses.length });
    }
  }
  deps.log.info('meta delivery processed', { tenantId: delivery.tenantId, recorded, duplicates });
  return { recorded, duplicates };
}
