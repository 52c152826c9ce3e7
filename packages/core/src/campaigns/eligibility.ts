import { type CampaignSettings, SKIP_REASONS, type SkipReason } from '@asistone/contract/campaign-audience';
import type { InboxStore } from '../inbox/records.js';
import { openOrUndefined, type TenantKeys } from '../platform/crypto/keyring.js';
import { needsIysConsent } from './iys.js';
import type { CampaignSettingsStore } from './settings-records.js';

export { SKIP_REASONS, type SkipReason };

/**
 * Whether a campaign may go to a contact, and if not, why. The rules, in the order they are
 * checked (the first that applies is the reason shown):
 * - `erased`: the contact is gone (erased after it was put on a list);
 * - `no-whatsapp-address`: no phone number to send a template to;
 * - `restricted`: the customer asked that their data not be processed (inbox/contacts.ts);
 * - `consent-withdrawn` / `no-consent`: the consent ledger's current WhatsApp marketing state is
 *   a withdrawal (a STOP keyword, Shopify, an import, the team), or there is none;
 * - `no-iys-consent`: a Turkish number, the business attests İYS, and the grant standing is not
 *   marked as registered there (iys.ts);
 * - `frequency-cap`: the contact already received as many campaigns as the cap allows in the
 *   current window.
 * Every read is consistent (a STOP a moment ago wins) and batched: three BatchGetItem calls per
 * hundred contacts, not three reads each.
 */

/**
 * `reachedToday`: a campaign message reached the contact in the last 24 hours, so WhatsApp
 * already counts the customer in the business's daily tier (it counts unique customers).
 * `phone` (E.164) and, when asked for, `name` come opened: whoever sends or previews the message
 * needs them and need not read the contact again.
 */
export type Eligibility =
  | { ok: true; reachedToday: boolean; phone: string; name?: string | undefined }
  | { ok: false; reason: SkipReason };

export interface EligibilityDeps {
  store: InboxStore & CampaignSettingsStore;
  keys: TenantKeys;
}

export interface EligibilityContext {
  tenantId: string;
  settings: CampaignSettings;
  /** ms */
  now: number;
  /** Also open each eligible contact's name (the send step and the preview address people by it). */
  names?: boolean;
}

const DAY_MS = 86_400_000;
/** DynamoDB's BatchGetItem takes at most 100 keys. */
export const BATCH_SIZE = 100;
const UNPROCESSED_RETRIES = 8;

/**
 * BatchGet with DynamoDB's unprocessed keys fetched again (it returns some under load), after a
 * short, growing pause; the answer is keyed by `keyOf` of each item found.
 */
async function batchRead<T>(
  read: (keys: Record<string, string>[]) => Promise<{ data: T[]; unprocessed: Record<string, string>[] }>,
  keys: Record<string, string>[],
): Promise<T[]> {
  const found: T[] = [];
  let pending = keys;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > UNPROCESSED_RETRIES) throw new Error('The store left keys unprocessed too many times');
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
    const answer = await read(pending);
    found.push(...answer.data);
    pending = answer.unprocessed;
  }
  return found;
}

/** The eligibility of each contact, in the order given (at most {@link BATCH_SIZE} per call). */
export async function eligibilityOfBatch(
  deps: EligibilityDeps,
  ctx: EligibilityContext,
  contactIds: readonly string[],
): Promise<Eligibility[]> {
  if (contactIds.length > BATCH_SIZE) throw new Error(`At most ${BATCH_SIZE} contacts per batch`);
  if (contactIds.length === 0) return [];
  const { store, keys } = deps;
  const { tenantId, settings, now, names = false } = ctx;
  const ids = contactIds.map((contactId) => ({ tenantId, contactId }));
  const go = { consistent: true, unprocessed: 'item' } as const;
  const [contacts, states, touches] = await Promise.all([
    batchRead(
      async (batch) =>
        store.entities.contact
          .get(batch as { tenantId: string; contactId: string }[])
          .go({ ...go, attributes: ['contactId', 'phone', 'restricted', ...(names ? (['name'] as const) : [])] }),
      ids,
    ),
    batchRead(
      async (batch) =>
        store.entities.consentState
          .get(batch.map((id) => ({ ...id, channel: 'whatsapp', purpose: 'marketing' }) as never))
          .go({ ...go, attributes: ['contactId', 'state', 'iys'] }),
      ids,
    ),
    batchRead(
      async (batch) =>
        store.entities.campaignTouch
          .get(batch as { tenantId: string; contactId: string }[])
          .go({ ...go, attributes: ['contactId', 'windowStart', 'count', 'lastSentAt'] }),
      ids,
    ),
  ]);
  const contactOf = new Map(contacts.map((item) => [item.contactId, item]));
  const stateOf = new Map(states.map((item) => [item.contactId, item]));
  const touchOf = new Map(touches.map((item) => [item.contactId, item]));
  const capWindowMs = settings.frequencyCap.days * DAY_MS;

  return contactIds.map((contactId): Eligibility => {
    const contact = contactOf.get(contactId);
    if (!contact) return { ok: false, reason: 'erased' };
    const phone = openOrUndefined(keys, 'contact', 'phone', contactId, contact.phone);
    if (!phone) return { ok: false, reason: 'no-whatsapp-address' };
    if (contact.restricted === true) return { ok: false, reason: 'restricted' };
    const consent = stateOf.get(contactId);
    if (consent?.state === 'withdrawn') return { ok: false, reason: 'consent-withdrawn' };
    if (consent?.state !== 'granted') return { ok: false, reason: 'no-consent' };
    if (needsIysConsent(settings, phone) && consent.iys !== true) return { ok: false, reason: 'no-iys-consent' };
    const touch = touchOf.get(contactId);
    if (touch && touch.windowStart + capWindowMs > now && touch.count >= settings.frequencyCap.max) {
      return { ok: false, reason: 'frequency-cap' };
    }
    return {
      ok: true,
      reachedToday: touch?.lastSentAt !== undefined && now - touch.lastSentAt < DAY_MS,
      phone,
      ...(names && { name: openOrUndefined(keys, 'contact', 'name', contactId, contact.name) }),
    };
  });
}

/** One contact's eligibility (the send step rechecks each recipient with this just before sending). */
export async function eligibilityOf(
  deps: EligibilityDeps,
  ctx: EligibilityContext,
  contactId: string,
): Promise<Eligibility> {
  const [only] = await eligibilityOfBatch(deps, ctx, [contactId]);
  return only as Eligibility;
}

/** Zero of every reason, so an answer always names them all. */
export function noSkips(): Record<SkipReason, number> {
  return Object.fromEntries(SKIP_REASONS.map((reason) => [reason, 0])) as Record<SkipReason, number>;
}
