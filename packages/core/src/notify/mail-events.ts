import type { Logger } from '@aws-lambda-powertools/logger';
import { isConditionFailure } from '../platform/store/service.js';
import type { MailEventMessage } from './mail-events-queue.js';
import type { MailState, TrackedMailStore } from './tracked-mail-records.js';

/**
 * Applies Resend's delivery events to tracked mails (tracked-mail.ts): once per `svix-id`, the
 * newer state only (Svix does not promise order: a late `email.sent` never undoes `delivered`),
 * and a hard bounce or a complaint suppresses the address at that business.
 */

export interface MailEventDeps {
  store: TrackedMailStore;
  log: Pick<Logger, 'info' | 'warn'>;
}

export type MailEventOutcome = 'recorded' | 'older' | 'duplicate' | 'untracked';

/** How far along a mail is: an event moves it only forward (complaints come after delivery). */
const RANK: Record<MailState, number> = { sent: 0, delayed: 1, delivered: 2, failed: 3, bounced: 3, complained: 4 };

/** Svix retries for about 28 hours; a dead-letter replay may come within 14 days. */
const SEEN_DAYS = 14;

const TRANSIENT_BOUNCE = /transient|soft|temporar/i;

/** The state and the words for the merchant; `suppress` when the address should get no more mail. */
function stateOf(event: MailEventMessage): { state: MailState; reason?: string; suppress?: 'bounced' | 'complained' } {
  switch (event.type) {
    case 'email.sent':
      return { state: 'sent' };
    case 'email.delivered':
      return { state: 'delivered' };
    case 'email.delivery_delayed':
      return { state: 'delayed', reason: "the customer's mail server has not accepted it yet; Resend keeps trying" };
    case 'email.failed':
      return { state: 'failed', reason: 'Resend could not send it' };
    case 'email.complained':
      return { state: 'complained', reason: 'the customer marked it as spam', suppress: 'complained' };
    case 'email.bounced': {
      // Resend names `email.bounced` a permanent rejection; only a bounce it calls transient is not.
      if (TRANSIENT_BOUNCE.test(event.bounce?.type ?? '')) {
        return { state: 'bounced', reason: "the customer's mailbox refused it for now (full or unavailable)" };
      }
      return { state: 'bounced', reason: 'the address does not exist or refuses mail', suppress: 'bounced' };
    }
  }
}

/**
 * One queued event. An email id no tracked mail has (the product's own mails share the Resend
 * account) is acknowledged and dropped. The dedupe record is written after the state, so a crash
 * in between applies it again, which the newer-only write makes harmless.
 */
export async function processMailEvent(deps: MailEventDeps, event: MailEventMessage): Promise<MailEventOutcome> {
  const about = { type: event.type, emailId: event.emailId, svixId: event.svixId };
  const pointer = await deps.store.entities.resendEmailPointer.get({ emailId: event.emailId }).go();
  if (!pointer.data) {
    deps.log.info('resend event for an untracked mail; dropped', { ...about, outcome: 'untracked' });
    return 'untracked';
  }
  const { tenantId, ref } = pointer.data;
  const seen = await deps.store.entities.resendEventSeen.get({ tenantId, svixId: event.svixId }).go();
  if (seen.data) {
    deps.log.info('resend event already applied', { ...about, tenantId, outcome: 'duplicate' });
    return 'duplicate';
  }
  const mail = await deps.store.entities.customerMail.get({ tenantId, ref }).go();
  if (!mail.data) {
    deps.log.info('resend event for a mail no longer kept; dropped', { ...about, tenantId, outcome: 'untracked' });
    return 'untracked';
  }
  const next = stateOf(event);
  if (next.suppress) {
    // A complaint outranks a bounce: the stronger reason is kept.
    const { recipientIndex } = mail.data;
    const kept = await deps.store.entities.mailSuppression.get({ tenantId, recipientIndex }).go();
    if (kept.data?.reason !== 'complained') {
      await deps.store.entities.mailSuppression
        .put({ tenantId, recipientIndex, reason: next.suppress, at: event.occurredAt })
        .go({ response: 'none' });
    }
  }
  const outcome = await recordState(deps.store, tenantId, ref, mail.data, next, event.occurredAt);
  await deps.store.entities.resendEventSeen
    .create({ tenantId, svixId: event.svixId, expiresAt: Math.floor(Date.now() / 1000) + SEEN_DAYS * 86_400 })
    .go({ response: 'none' })
    .catch((error: unknown) => {
      // Another worker applied the same delivery at the same time: both writes were newer-only.
      if (!isConditionFailure(error)) throw error;
    });
  deps.log.info('resend event', { ...about, tenantId, state: next.state, outcome });
  return outcome;
}

/** Moves the mail forward, conditioned on what was read: a concurrent event makes it read again. */
async function recordState(
  store: TrackedMailStore,
  tenantId: string,
  ref: string,
  current: { state: MailState; at: number },
  next: { state: MailState; reason?: string },
  at: number,
): Promise<'recorded' | 'older'> {
  let read = current;
  for (let attempt = 0; attempt < 5; attempt++) {
    const forward =
      RANK[next.state] > RANK[read.state] ||
      (RANK[next.state] === RANK[read.state] && next.state !== read.state && at > read.at);
    if (!forward) return 'older';
    try {
      const update = store.entities.customerMail.patch({ tenantId, ref }).set({ state: next.state, at });
      await (next.reason === undefined ? update.remove(['reason']) : update.set({ reason: next.reason }))
        .where((attr, op) => `${op.eq(attr.state, read.state)} AND ${op.eq(attr.at, read.at)}`)
        .go({ response: 'none' });
      return 'recorded';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const again = await store.entities.customerMail.get({ tenantId, ref }).go();
      if (!again.data) return 'older';
      read = again.data;
    }
  }
  throw new Error('the mail kept changing while its state was recorded');
}
