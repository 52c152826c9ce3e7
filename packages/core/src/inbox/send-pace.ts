import { setTimeout as sleep } from 'node:timers/promises';
import { isConditionFailure } from '../platform/store/service.js';
import { isSendFailure, SendLaterError } from './channel-sender.js';
import type { InboxStore } from './records.js';

/**
 * How fast replies leave: one number's sends spaced across every worker, and the few quick
 * retries a busy provider gets inside one receive before the message goes back to the queue.
 */

/**
 * Pace per number: WhatsApp allows 80 messages a second per registered number by default (20
 * for a number shared with the WhatsApp Business app), inbound and outbound counted together,
 * and answers 130429 above it. The inbox sends at most 20 a second per number (one every
 * 50 ms), the coexistence rate, so replies never push a number over its limit and campaigns
 * have room beside them. Messenger and Instagram have no published per-second limit; the same
 * pace is kept.
 */
export const SEND_INTERVAL_MS = 50;
/** A slot (or a back-off) further out than this is not waited for inside the function: the message comes back later. */
const MAX_PACE_WAIT_MS = 2_000;

/**
 * Reserves the next send slot of a number with a conditional write (the next free time moves
 * on by one interval per send, whoever sends), so the pace holds across concurrent workers.
 * Waits for the slot when it is near; otherwise the message comes back later.
 */
export async function paceSend(store: InboxStore, tenantId: string, channelKey: string, intervalMs: number) {
  for (let attempt = 0; attempt < 25; attempt += 1) {
    const { data } = await store.entities.sendPace.get({ tenantId, channelKey }).go({ consistent: true });
    const now = Date.now();
    const slot = Math.max(now, data?.nextAt ?? 0);
    if (slot - now > MAX_PACE_WAIT_MS) throw new SendLaterError('the number is paced; the reply goes shortly');
    try {
      if (data) {
        await store.entities.sendPace
          .patch({ tenantId, channelKey })
          .set({ nextAt: slot + intervalMs })
          .where(({ nextAt }, { eq }) => eq(nextAt, data.nextAt))
          .go();
      } else {
        await store.entities.sendPace.create({ tenantId, channelKey, nextAt: slot + intervalMs }).go();
      }
    } catch (error) {
      if (isConditionFailure(error)) continue; // another worker took this slot: take the next
      throw error;
    }
    if (slot > now) await sleep(slot - now);
    return;
  }
  throw new SendLaterError('the number is busy; the reply goes shortly');
}

/** Calls the provider, riding out short rate limits and failures inside this receive (3 attempts unless told). */
export async function withRetries<T>(run: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      if (!isSendFailure(error) || !error.retryable || attempt >= attempts) throw error;
      const backoff = error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : 200 * 4 ** (attempt - 1);
      if (backoff > MAX_PACE_WAIT_MS) throw error;
      await sleep(backoff + Math.floor(Math.random() * 100));
    }
  }
}
