import type { PauseReason } from '@asistone/contract/campaigns';
import { GraphError } from '../channels/meta/graph-errors.js';

/**
 * What the send step does when WhatsApp refuses a campaign message, decided on Meta's error
 * `code` (the HTTP status only when there is no code). The inbox's `classifyGraphError` kinds do
 * not fit campaigns: it files 368 and 131031 (a policy block, a locked account) as `invalid` and a
 * timeout as a retryable `server` error, where a campaign must stop the account's sending, and
 * must never send again to a recipient whose message may have gone.
 */

export type CampaignErrorAction =
  /**
   * Too fast for the number: give the recipient back and try it again after `retryAfterMs`; the
   * number slows down when refusals persist. `toldByMeta`: Meta named the wait (Retry-After), so
   * no message of the number goes before it.
   */
  | { kind: 'throttled'; retryAfterMs: number; toldByMeta: boolean }
  /** Too many messages to this one customer just now: try this recipient again later. */
  | { kind: 'retry-later'; delayMs: number }
  /** WhatsApp or the network failed on its side, with an answer: try again later, a few times. */
  | { kind: 'server'; delayMs: number }
  /** This recipient can never receive it: failed for good. */
  | { kind: 'failed'; refundTouch: boolean; withdrawal: boolean }
  /** The account may not send: pause every sending campaign of the business. */
  | { kind: 'pause-account'; reason: PauseReason }
  /** The template was paused or disabled: pause the campaigns that use it. */
  | { kind: 'pause-template' }
  /** No answer (a timeout or a broken connection): the message may have gone; never send it again. */
  | { kind: 'unknown' };

/** Meta's throttling codes: the number's throughput (130429) and the app's or account's call rate. */
const THROTTLED = new Set([130429, 4, 80007, 613]);
/** "Pair rate limit": too many messages to the same customer in a short time. */
const PAIR_RATE_LIMIT = 131056;
const SERVER = new Set([1, 2, 131000, 131016, 133004, 131057]);
/** Can never be delivered to this customer: not a WhatsApp user, an invalid number, blocked… */
const UNDELIVERABLE = new Set([131026, 131021, 130472, 130497]);
/** Meta's per-user marketing limit: the customer got enough marketing for now; the touch stands. */
const MARKETING_LIMIT = 131049;
/** The customer stopped marketing messages from this business (WhatsApp's own opt-out). */
const USER_STOPPED_MARKETING = 131050;
/** The account is blocked for a policy violation (368) or locked (131031). */
const POLICY_BLOCK = 368;
const ACCOUNT_LOCKED = 131031;
const AUTH = new Set([102, 190, 131005, 10]);
const PAUSED_TEMPLATE = new Set([132015, 132016]);

/** How long to wait after a 130429 when Meta sends no Retry-After. */
export const THROTTLE_WAIT_MS = 1_000;
/** How much later a server failure is tried again. */
export const SERVER_RETRY_MS = 30_000;
/** How much later a pair-rate-limited recipient is tried again (6 s, 24 s, 96 s…). */
const pairDelayMs = (attempts: number) => 6_000 * 4 ** Math.max(0, attempts - 1);

/**
 * The action for a refusal of a send. `attempts` counts the claims of this recipient so far.
 *
 * @example
 * campaignErrorAction(new GraphError({ status: 400, code: 131049, title: '…' }), 1) // failed, touch kept
 */
export function campaignErrorAction(error: unknown, attempts: number): CampaignErrorAction {
  if (!(error instanceof GraphError)) return { kind: 'unknown' };
  const { status, code } = error;
  if (status === 0) return { kind: 'unknown' };
  if (code !== undefined) {
    if (THROTTLED.has(code)) return throttled(error);
    if (code === PAIR_RATE_LIMIT) return { kind: 'retry-later', delayMs: pairDelayMs(attempts) };
    if (code === MARKETING_LIMIT) return { kind: 'failed', refundTouch: false, withdrawal: false };
    if (UNDELIVERABLE.has(code)) return { kind: 'failed', refundTouch: true, withdrawal: false };
    if (code === USER_STOPPED_MARKETING) return { kind: 'failed', refundTouch: true, withdrawal: true };
    if (code === POLICY_BLOCK) return { kind: 'pause-account', reason: 'policy-block' };
    if (code === ACCOUNT_LOCKED) return { kind: 'pause-account', reason: 'account-locked' };
    if (AUTH.has(code) || (code >= 200 && code <= 299)) return { kind: 'pause-account', reason: 'auth' };
    if (PAUSED_TEMPLATE.has(code)) return { kind: 'pause-template' };
    if (SERVER.has(code)) return { kind: 'server', delayMs: SERVER_RETRY_MS };
  }
  if (status === 401) return { kind: 'pause-account', reason: 'auth' };
  if (status === 429) return throttled(error);
  if (status >= 500) return { kind: 'server', delayMs: SERVER_RETRY_MS };
  // Any other refusal names something wrong with this message (a parameter, the template's
  // language): it is not sent, and sending it again would be refused the same way.
  return { kind: 'failed', refundTouch: true, withdrawal: false };
}

function throttled(error: GraphError): CampaignErrorAction {
  const told = (error.retryAfterSeconds ?? 0) * 1000;
  return { kind: 'throttled', retryAfterMs: told || THROTTLE_WAIT_MS, toldByMeta: told > 0 };
}
