import { isConditionFailure } from '../platform/store/service.js';
import type { CampaignSettingsStore } from './settings-records.js';

/**
 * A contact's campaign messages in the frequency-cap window (a fixed window from the first
 * message), taken with one conditional write per message so two campaigns at once cannot both
 * pass the cap. The same write answers whether WhatsApp already counts the customer in the
 * business's rolling 24 hours (the daily tier counts unique customers, not messages): the
 * previous message's time comes back with it.
 */

/** A message taken from the cap: `previousSentAt` is the contact's campaign message before it, if any. */
export interface Touch {
  at: number;
  previousSentAt: number | undefined;
}

/** Takes one message of the contact's cap; undefined when the cap is reached, whoever took it. */
export async function takeTouch(
  store: CampaignSettingsStore,
  tenantId: string,
  contactId: string,
  cap: { max: number; windowMs: number },
  at: number,
): Promise<Touch | undefined> {
  const windowFrom = at - cap.windowMs;
  // Two rounds: another campaign may renew an expired window between this one's two writes.
  for (let round = 0; round < 2; round++) {
    try {
      // The first message, or within the current window and under the cap: one more.
      const { data } = await store.entities.campaignTouch
        .update({ tenantId, contactId })
        .ifNotExists({ windowStart: at })
        .add({ count: 1 })
        .set({ lastSentAt: at })
        .where(
          (attr, { gt, lt, notExists }) =>
            `${notExists(attr.windowStart)} OR (${gt(attr.windowStart, windowFrom)} AND ${lt(attr.count, cap.max)})`,
        )
        .go({ response: 'all_old' });
      return { at, previousSentAt: data?.lastSentAt };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    try {
      // The window is over: a new one starts with this message.
      const { data } = await store.entities.campaignTouch
        .upsert({ tenantId, contactId, windowStart: at, count: 1, lastSentAt: at })
        .where((attr, { lte }) => lte(attr.windowStart, windowFrom))
        .go({ response: 'all_old' });
      return { at, previousSentAt: data?.lastSentAt };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
  // In a current window at the cap.
  return undefined;
}

/**
 * Gives the touch back for a message that was not delivered for good (or never sent), and its
 * time too while no later message took its place: the customer then does not count in the tier.
 */
export async function refundTouch(store: CampaignSettingsStore, tenantId: string, contactId: string, touch: Touch) {
  const refund = (restoreTime: boolean) => {
    const update = store.entities.campaignTouch.patch({ tenantId, contactId }).add({ count: -1 });
    if (!restoreTime) return update.where((attr, { gt }) => gt(attr.count, 0));
    const restored =
      touch.previousSentAt === undefined
        ? update.remove(['lastSentAt'])
        : update.set({ lastSentAt: touch.previousSentAt });
    return restored.where((attr, { gt, eq }) => `${gt(attr.count, 0)} AND ${eq(attr.lastSentAt, touch.at)}`);
  };
  for (const restoreTime of [true, false]) {
    try {
      await refund(restoreTime).go({ response: 'none' });
      return;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}

/** True when WhatsApp already counts the customer in the rolling 24 hours before `touch`. */
export const countedToday = (touch: Touch) =>
  touch.previousSentAt !== undefined && touch.at - touch.previousSentAt < 86_400_000;

/**
 * A message that goes whatever the budget says (an order notice: the customer is owed it) still
 * uses it, so campaigns and cart reminders after it hold back: counted in the window, never refused.
 */
export async function countTouch(
  store: CampaignSettingsStore,
  tenantId: string,
  contactId: string,
  windowMs: number,
  at: number,
): Promise<void> {
  await takeTouch(store, tenantId, contactId, { max: Number.MAX_SAFE_INTEGER, windowMs }, at);
}
