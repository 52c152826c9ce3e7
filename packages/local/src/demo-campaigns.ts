import { CUSTOMER_ACTOR, recordConsent } from '@asistone/core/inbox/consent';
import { ensureWhatsAppContact } from '@asistone/core/inbox/contacts';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { variableCountOf } from '@asistone/core/inbox/templates';
import { isLocalStack } from '@asistone/core/platform/config';
import type { Platform } from '@asistone/core/platform/context';
import { isConditionFailure } from '@asistone/core/platform/store/service';
import { DEMO_TENANT } from '@asistone/core/tenancy/demo';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { DEMO_OWNER } from './demo-owner.js';
import { DEMO_TEMPLATES, FAKE_META_DEMO, type FakeMetaState } from './fakes/meta-state.js';

/**
 * What the demo business needs to try a WhatsApp campaign on the local stack with no account
 * anywhere: the approved MARKETING template `mevsim_indirimi` (first name and discount code) on
 * the demo number, already synced as the inbox's "Sync templates" would; and five of the demo
 * shop's customers as WhatsApp contacts, three who agreed to WhatsApp offers (registered in İYS),
 * one who wrote DUR since, one who never said. `docs/demo/kampanya-listesi.csv` names them too,
 * with rows the importer rejects, so an upload shows every outcome.
 */
export const DEMO_CAMPAIGN = {
  template: { name: 'mevsim_indirimi', language: 'tr' },
  /** The demo shop's first five customers (demo-shop-history.ts), so their orders can be attributed. */
  customers: [
    { phone: '+905321234567', name: 'Ayşe Demir', consent: 'granted' },
    { phone: '+905551007919', name: 'Mehmet Çelik', consent: 'granted' },
    { phone: '+905551015838', name: 'Zeynep Arslan', consent: 'granted' },
    { phone: '+905551023757', name: 'Can Yıldız', consent: 'withdrawn' },
    { phone: '+905551031676', name: 'Selin Aydın', consent: 'none' },
  ],
} as const;

const DAY = 24 * 3600 * 1000;

/**
 * Gives the fake's demo account every demo template it lacks: a data folder from before a
 * template was added restores the account as it was saved, without it, and a campaign on the
 * demo number would then be refused as a missing template (132001).
 */
export function addDemoTemplates(state: FakeMetaState): boolean {
  const waba = state.wabas.get(FAKE_META_DEMO.wabaId);
  if (!waba) return false;
  let added = false;
  for (const template of DEMO_TEMPLATES) {
    if (waba.templates.some((t) => t.name === template.name && t.language === template.language)) continue;
    waba.templates.push({ ...template, id: `${Date.now()}${waba.templates.length}` });
    added = true;
  }
  return added;
}

/**
 * Seeds the demo campaign once per data folder, on the local stack only (elsewhere it does
 * nothing): the customers and their consent first, then the template, whose presence marks the
 * seed as done, so a restart never moves a consent the merchant or a customer changed since.
 * Templates are written only where none is stored under that name: a later sync's facts stand.
 */
export async function seedDemoCampaigns(
  platform: Pick<Platform, 'config' | 'storeOf' | 'keyring'>,
): Promise<{ seeded: boolean }> {
  if (!isLocalStack(platform.config)) return { seeded: false };
  const store = platform.storeOf({ ...INBOX_RECORDS, ...TENANCY_RECORDS });
  const tenantId = DEMO_TENANT.tenantId;
  const wabaId = DEMO_TENANT.whatsappBusinessAccountId;
  const { name, language } = DEMO_CAMPAIGN.template;
  const marker = await store.entities.template.get({ tenantId, wabaId, name, language }).go();
  if (marker.data) return { seeded: false };

  const keys = await platform.keyring.forTenant(tenantId);
  const now = Date.now();
  for (const customer of DEMO_CAMPAIGN.customers) {
    const contactId = await ensureWhatsAppContact({ store, keys }, tenantId, customer.phone, customer.name);
    if (customer.consent === 'none') continue;
    // Agreed in the shop a month ago, recorded by the owner; registered in İYS, as the default
    // `attested` mode asks of a Turkish number.
    await recordConsent(
      { store, keys },
      {
        tenantId,
        contactId,
        channel: 'whatsapp',
        purpose: 'marketing',
        state: 'granted',
        source: 'agent',
        at: now - 30 * DAY,
        wording: 'Mağazadaki formda WhatsApp ile kampanya ve indirimlerden haberdar olmayı kabul etti.',
        actor: DEMO_OWNER.userId,
        entryId: `demo_${contactId}_granted`,
        iys: true,
      },
    );
    if (customer.consent !== 'withdrawn') continue;
    // Then wrote DUR, as a customer's keyword is recorded: a file granting again never undoes it.
    await recordConsent(
      { store, keys },
      {
        tenantId,
        contactId,
        channel: 'whatsapp',
        purpose: 'marketing',
        state: 'withdrawn',
        source: 'customer-keyword',
        at: now - 2 * DAY,
        wording: 'DUR',
        actor: CUSTOMER_ACTOR,
        entryId: `demo_${contactId}_withdrawn`,
      },
    );
  }

  // As "Sync templates" stores them; the campaign template last, the seed's mark.
  const templates = [...DEMO_TEMPLATES].sort(
    (a, b) => Number(a.name === name && a.language === language) - Number(b.name === name && b.language === language),
  );
  for (const template of templates) {
    await store.entities.template
      .create({
        tenantId,
        wabaId,
        name: template.name,
        language: template.language,
        status: template.status,
        category: template.category,
        variableCount: variableCountOf(template.components),
        components: JSON.stringify(template.components),
        syncedAt: now,
      })
      .go()
      .catch((error: unknown) => {
        // Already synced: Meta's facts as read then stand.
        if (!isConditionFailure(error)) throw error;
      });
  }
  return { seeded: true };
}
