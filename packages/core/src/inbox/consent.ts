import { randomBytes } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import { recordAuditEvent } from '../audit/audit-log.js';
import type { AuditStore } from '../audit/records.js';
import type { TenantKeys } from '../platform/crypto/keyring.js';
import { NotFoundError } from '../platform/errors.js';
import { isConditionFailure } from '../platform/store/service.js';
import type { CONSENT_CHANNELS, CONSENT_PURPOSES, CONSENT_SOURCES, CONSENT_STATES } from './consent-records.js';
import type { InboundMessage, RecordedMessage } from './inbound.js';
import type { InboxStore } from './records.js';
import { queueReply, type ReplyDeps, WindowClosedError } from './replies.js';

/**
 * The consent ledger: per contact, channel and purpose, every grant and withdrawal as an entry
 * that is never changed (with its source, time, actor and the exact wording, sealed), and the
 * current state as the newest entry's facts. Customers withdraw marketing consent by writing a
 * keyword (DUR, İPTAL, STOP…) and give it again with another (BAŞLA, START); either is confirmed
 * to them in their language as a service reply, inside the window their message just opened.
 */

export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];
export type ConsentState = (typeof CONSENT_STATES)[number];
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

/** The actor of an entry the customer made themselves (no customer id is stored as actor). */
export const CUSTOMER_ACTOR = 'customer';
/** Who wrote the automatic confirmation reply, as the thread shows it. */
export const CONSENT_REPLY_AUTHOR = 'asistone';

export interface ConsentChange {
  tenantId: string;
  contactId: string;
  channel: ConsentChannel;
  purpose: ConsentPurpose;
  state: ConsentState;
  source: ConsentSource;
  /** When it was given or withdrawn, ms. */
  at: number;
  /** The exact text the customer saw or sent. */
  wording: string;
  actor: string;
  /** Derived from the cause (a keyword: the message id) so applying it again writes nothing new. */
  entryId: string;
  messageId?: string;
  /** A grant also registered in İYS (consent-records.ts); the state carries the newest entry's flag. */
  iys?: boolean;
}

export interface ConsentStateView {
  channel: ConsentChannel;
  purpose: ConsentPurpose;
  state: ConsentState;
  source: ConsentSource;
  at: string;
}

export interface ConsentEntryView extends ConsentStateView {
  id: string;
  wording: string;
  actor: string;
}

type ConsentDeps = { store: InboxStore; keys: TenantKeys };

/**
 * Appends one entry and moves the current state to it if it is the newest. Both writes are
 * idempotent: the entry is created once (a retry finds it), and the state moves only to a later
 * (time, entry id), so concurrent entries each land and the latest one stands whatever the
 * order of the writes; a retry after a stop between the two completes the second.
 */
export async function recordConsent(deps: ConsentDeps, change: ConsentChange): Promise<{ created: boolean }> {
  const { store, keys } = deps;
  const { tenantId, contactId, channel, purpose, state, source, at, entryId } = change;
  let created = true;
  await store.entities.consentEntry
    .create({
      tenantId,
      contactId,
      entryId,
      channel,
      purpose,
      state,
      source,
      at,
      actor: change.actor,
      wording: keys.seal('consentEntry', 'wording', `${contactId}:${entryId}`, change.wording),
      ...(change.messageId && { messageId: change.messageId }),
      ...(change.iys !== undefined && { iys: change.iys }),
    })
    .go()
    .catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
      created = false;
    });
  await store.entities.consentState
    .upsert({ tenantId, contactId, channel, purpose, state, source, at, entryId, iys: change.iys === true })
    .where(
      (item, { notExists, lt, eq }) =>
        `${notExists(item.at)} OR ${lt(item.at, at)} OR (${eq(item.at, at)} AND ${lt(item.entryId, entryId)})`,
    )
    .go()
    .catch((error: unknown) => {
      // A later entry already stands (or this one does): nothing to move.
      if (!isConditionFailure(error)) throw error;
    });
  return { created };
}

/** The contact, or 404: another business's contact, or one that does not exist, is not there. */
async function requireContact(store: InboxStore, tenantId: string, contactId: string) {
  const found = await store.entities.contact.get({ tenantId, contactId }).go();
  if (!found.data) throw new NotFoundError('No such contact');
  return found.data;
}

/**
 * A contact's consent: the current state per channel and purpose (one query of the state
 * items) and the full history, newest first, with each entry's wording opened.
 */
export async function consentOf(
  deps: { store: InboxStore; keyring: ReplyDeps['keyring'] },
  tenantId: string,
  contactId: string,
): Promise<{ current: ConsentStateView[]; history: ConsentEntryView[] }> {
  await requireContact(deps.store, tenantId, contactId);
  const keys = await deps.keyring.forTenant(tenantId);
  const [states, entries] = await Promise.all([
    deps.store.entities.consentState.query.byContact({ tenantId, contactId }).go({ pages: 'all' }),
    deps.store.entities.consentEntry.query.byContact({ tenantId, contactId }).go({ pages: 'all' }),
  ]);
  const current = states.data
    .map((item) => ({
      channel: item.channel,
      purpose: item.purpose,
      state: item.state,
      source: item.source,
      at: new Date(item.at).toISOString(),
    }))
    .sort((a, b) => a.channel.localeCompare(b.channel) || a.purpose.localeCompare(b.purpose));
  // Entries are keyed by id (a retry must find the same key whatever its time), so newest first
  // is sorted here, by time and then id as the state is.
  const history = entries.data
    .sort((a, b) => b.at - a.at || (a.entryId < b.entryId ? 1 : a.entryId > b.entryId ? -1 : 0))
    .map((item) => ({
      id: item.entryId,
      channel: item.channel,
      purpose: item.purpose,
      state: item.state,
      source: item.source,
      at: new Date(item.at).toISOString(),
      wording: keys.open('consentEntry', 'wording', `${contactId}:${item.entryId}`, item.wording),
      actor: item.actor,
    }));
  return { current, history };
}

/** A new entry id that sorts by time among a contact's entries (random tail: concurrent ones never collide). */
function newEntryId(at: number): string {
  return `ce_${String(at).padStart(15, '0')}_${randomBytes(8).toString('hex')}`;
}

/**
 * A team member records a contact's consent (what the customer agreed to by phone, in the
 * shop…), with the wording they were shown; audited without the wording (it is personal).
 */
export async function setConsentByAgent(
  deps: { store: InboxStore & AuditStore; keyring: ReplyDeps['keyring'] },
  tenantId: string,
  contactId: string,
  actor: { userId: string; sourceAddress?: string | undefined },
  input: { channel: ConsentChannel; purpose: ConsentPurpose; state: ConsentState; wording: string; iys?: boolean },
  nowMs = Date.now(),
) {
  await requireContact(deps.store, tenantId, contactId);
  const keys = await deps.keyring.forTenant(tenantId);
  const entryId = newEntryId(nowMs);
  await recordConsent(
    { store: deps.store, keys },
    { tenantId, contactId, ...input, source: 'agent', at: nowMs, actor: actor.userId, entryId },
  );
  await recordAuditEvent(
    deps.store,
    tenantId,
    {
      action: 'contact.consent_changed',
      actorId: actor.userId,
      target: { type: 'contact', id: contactId },
      sourceAddress: actor.sourceAddress,
      detail: { channel: input.channel, purpose: input.purpose, state: input.state, entry: entryId },
    },
    nowMs,
  );
  return consentOf(deps, tenantId, contactId);
}

/**
 * Folds a message for keyword matching the Turkish way: İ, I, ı and i are one letter, as are
 * Ş/S, Ç/C, Ğ/G, Ö/O and Ü/U (customers type without Turkish letters, and `toLowerCase` alone
 * turns İ into "i̇"); other accents are dropped, spaces and dashes collapse, and punctuation
 * around the words ("STOP!", "Dur.") is ignored. Only the whole message counts as a keyword.
 */
export function foldKeyword(text: string): string {
  return text
    .replace(/[İIı]/g, 'i')
    .toLocaleLowerCase('tr')
    .replace(/ş/g, 's')
    .replace(/ç/g, 'c')
    .replace(/ğ/g, 'g')
    .replace(/ö/g, 'o')
    .replace(/ü/g, 'u')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[\s_-]+/gu, ' ')
    .replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '');
}

export type KeywordLanguage = 'tr' | 'en';
export interface ConsentKeyword {
  state: ConsentState;
  language: KeywordLanguage;
}

/**
 * The keywords, folded. Chosen to be unmistakable as a whole message: "hayır", "istemiyorum" or
 * "yeter" answer many questions (an order, an offer) and would withdraw consent the customer
 * meant to keep, so they are not here; a customer who writes them gets a person's answer.
 */
const KEYWORDS: Record<string, ConsentKeyword> = Object.fromEntries([
  ...['dur', 'durdur', 'iptal', 'ret', 'abonelikten cik', 'abonelikten cikar', 'aboneligi iptal et'].map((word) => [
    word,
    { state: 'withdrawn', language: 'tr' },
  ]),
  ...['stop', 'stopall', 'unsubscribe', 'cancel', 'opt out', 'optout', 'end', 'quit'].map((word) => [
    word,
    { state: 'withdrawn', language: 'en' },
  ]),
  ...['basla', 'abone ol'].map((word) => [word, { state: 'granted', language: 'tr' }]),
  ...['start', 'subscribe', 'unstop'].map((word) => [word, { state: 'granted', language: 'en' }]),
]);

/** The keyword a customer's whole message is, if it is one. */
export function consentKeywordOf(text: string): ConsentKeyword | undefined {
  if (text.length > 64) return undefined;
  return KEYWORDS[foldKeyword(text)];
}

/** What the customer is told, in the language of their keyword. */
export const CONSENT_CONFIRMATIONS: Record<KeywordLanguage, Record<ConsentState, string>> = {
  tr: {
    withdrawn: 'Pazarlama mesajları artık gönderilmeyecek. Yeniden almak için BAŞLA yazın.',
    granted: 'Pazarlama mesajları yeniden gönderilecek. Durdurmak için DUR yazın.',
  },
  en: {
    withdrawn: 'You will no longer get marketing messages. Reply START to opt back in.',
    granted: 'You will get marketing messages again. Reply STOP to opt out.',
  },
};

const CONSENT_CHANNEL_OF: Record<InboundMessage['channel']['kind'], ConsentChannel> = {
  whatsapp: 'whatsapp',
  instagram: 'instagram',
  messenger: 'messenger',
  sandbox: 'sandbox',
};

/**
 * A customer's message that is a consent keyword changes their marketing consent on that
 * channel and is confirmed to them once. Everything is keyed by the message: its entry id, and
 * the confirmation's clientId (queueReply stores and sends one message per clientId), so a
 * redelivered message, however often and whenever, neither records nor confirms twice; it is
 * safe (and meant) to call for every recorded message, a redelivery included, because a first
 * attempt may have stopped after storing the message and before this.
 */
export async function applyConsentKeyword(
  deps: ReplyDeps & { log?: Pick<Logger, 'info' | 'warn'> },
  message: InboundMessage,
  recorded: RecordedMessage,
): Promise<ConsentKeyword | undefined> {
  if (message.type !== 'text' || message.text === undefined) return undefined;
  const keyword = consentKeywordOf(message.text);
  if (!keyword) return undefined;
  const { tenantId } = message;
  const channel = CONSENT_CHANNEL_OF[message.channel.kind];
  const keys = await deps.keyring.forTenant(tenantId);
  const { created } = await recordConsent(
    { store: deps.store, keys },
    {
      tenantId,
      contactId: recorded.contactId,
      channel,
      purpose: 'marketing',
      state: keyword.state,
      source: 'customer-keyword',
      at: message.sentAt,
      wording: message.text,
      actor: CUSTOMER_ACTOR,
      entryId: `kw_${recorded.messageId}`,
      messageId: recorded.messageId,
    },
  );
  try {
    await queueReply(deps, tenantId, recorded.conversationId, CONSENT_REPLY_AUTHOR, {
      kind: 'text',
      text: CONSENT_CONFIRMATIONS[keyword.language][keyword.state],
      clientId: `consent-${recorded.messageId}`,
    });
  } catch (error) {
    // A message redelivered after its window closed (a late replay) is still recorded; only
    // the confirmation, which can no longer go as a free-form reply, is left out.
    if (!(error instanceof WindowClosedError)) throw error;
    deps.log?.warn('consent confirmation not sent', { tenantId, channel, reason: 'window closed' });
  }
  deps.log?.info('consent keyword applied', { tenantId, channel, state: keyword.state, created });
  return keyword;
}
