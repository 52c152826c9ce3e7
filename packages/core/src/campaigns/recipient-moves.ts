import type { RecipientState } from '@asistone/contract/campaigns';
import { isConditionFailure } from '../platform/store/service.js';
import type { CampaignStore } from './campaign-records.js';
import type { CountTally } from './counts.js';
import type { SkipReason } from './eligibility.js';

/**
 * A recipient's moves during the send step, each one conditional write from the state it must be
 * in, counted (in the send's tally) only when it moved: a redelivered batch or a second worker
 * finds the recipient moved already, and neither sends nor counts again.
 */

/** `queued` → `sending`, once: false when someone else claimed it (or it is no longer queued). */
export async function claim(
  store: CampaignStore,
  tally: CountTally,
  ids: { tenantId: string; campaignId: string; contactId: string },
  attempts: number,
  at: number,
): Promise<boolean> {
  try {
    await store.entities.campaignRecipient
      .patch(ids)
      .set({ state: 'sending', claimedAt: at, attempts })
      .where((attr, { eq }) => eq(attr.state, 'queued'))
      .go({ response: 'none' });
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
  tally.add({ from: 'queued', to: 'sending', at });
  return true;
}

/** Moves a recipient from one state to another; true when it moved. */
export async function move(
  store: CampaignStore,
  tally: CountTally,
  ids: { tenantId: string; campaignId: string; contactId: string },
  from: RecipientState,
  to: RecipientState,
  fields: { skipReason?: SkipReason | undefined; notBefore?: number } = {},
  at = Date.now(),
): Promise<boolean> {
  try {
    await store.entities.campaignRecipient
      .patch(ids)
      .set({
        state: to,
        ...(fields.skipReason && { skipReason: fields.skipReason }),
        ...(fields.notBefore !== undefined && { notBefore: fields.notBefore }),
      })
      .where((attr, { eq }) => eq(attr.state, from))
      .go({ response: 'none' });
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
  tally.add({ from, to, at });
  return true;
}

/** Back to `queued`, due at `notBefore`: only when nothing was sent. */
export const release = (
  store: CampaignStore,
  tally: CountTally,
  ids: { tenantId: string; campaignId: string; contactId: string },
  notBefore: number,
) => move(store, tally, ids, 'sending', 'queued', { notBefore });

/** `sending` → `failed` with WhatsApp's code and title (or our own, for a message never sent). */
export async function fail(
  store: CampaignStore,
  tally: CountTally,
  ids: { tenantId: string; campaignId: string; contactId: string },
  failure: { code: number; title: string },
  at: number,
): Promise<boolean> {
  try {
    await store.entities.campaignRecipient
      .patch(ids)
      .set({ state: 'failed', failureCode: failure.code, failureTitle: failure.title, failedAt: at })
      .where((attr, { eq }) => eq(attr.state, 'sending'))
      .go({ response: 'none' });
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
  tally.add({ from: 'sending', to: 'failed', at, failureCode: failure.code, failureTitle: failure.title });
  return true;
}

/**
 * `sending` → `sent` with the message id. A status webhook may have moved it further already
 * (its callback data can arrive before this write): then only the id and time are added, and it
 * was counted by the status.
 */
export async function recordSent(
  store: CampaignStore,
  tally: CountTally,
  ids: { tenantId: string; campaignId: string; contactId: string },
  wamid: string,
  at: number,
): Promise<void> {
  try {
    await store.entities.campaignRecipient
      .patch(ids)
      .set({ state: 'sent', wamid, sentAt: at })
      .where((attr, { eq }) => eq(attr.state, 'sending'))
      .go({ response: 'none' });
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    await store.entities.campaignRecipient.patch(ids).set({ wamid, sentAt: at }).go({ response: 'none' });
    return;
  }
  tally.add({ from: 'sending', to: 'sent', at });
}
