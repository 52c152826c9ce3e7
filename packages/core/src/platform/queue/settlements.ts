import { isConditionFailure, type Store } from '../store/service.js';
import type { SETTLED_MESSAGE_RECORDS, Settlement } from './records.js';

export type { Settlement } from './records.js';

/** Which message: SQS keeps a message's id across receives. */
export interface SettledMessageRef {
  tenantId: string;
  queue: string;
  messageId: string;
}

/** What queue workers remember about messages they finished for good. */
export interface Settlements {
  /** How the message was finished, or undefined when it was not (yet). */
  find(message: SettledMessageRef): Promise<Settlement | undefined>;
  /** Records how it was finished; false when it already was: the first settlement stands. */
  record(message: SettledMessageRef, outcome: Settlement): Promise<boolean>;
}

/** Longer than any queue keeps a message (4 days; SQS allows at most 14). */
const KEEP_SECONDS = 15 * 24 * 3600;

/** Settlements kept in the table, one small item per finished message. */
export function storedSettlements(store: Store<typeof SETTLED_MESSAGE_RECORDS>): Settlements {
  const settled = store.entities.settledMessage;
  return {
    async find(message) {
      // Strongly consistent: a redelivery must see a settlement written moments before.
      const { data } = await settled.get(message).go({ consistent: true });
      return data?.outcome;
    },
    async record(message, outcome) {
      try {
        await settled
          .create({ ...message, outcome, expiresAt: Math.floor(Date.now() / 1000) + KEEP_SECONDS })
          .go({ response: 'none' });
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
  };
}
