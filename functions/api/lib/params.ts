import { InvalidLinkError } from '@asistone/core/accounts/errors';
import { NotFoundError } from '@asistone/core/platform/errors';

/**
 * The shape of every path parameter a route may declare, by name. The router checks a value
 * against its shape before the value reaches storage: an id of kilobytes would otherwise hit
 * the table's key-size limit and answer 500, and anything that cannot be an id is simply not
 * there. A route naming a parameter missing from this table does not mount.
 */

/** The 404 for a business the caller does not belong to, or that cannot exist. */
export const BUSINESS_NOT_FOUND = 'No such business';

/** `newId(prefix)` (accounts/secrets.ts): the prefix, then 20 symbols of its 32-letter alphabet. */
const generatedId = (prefix: string) => `${prefix}[a-z2-7]{20}`;
/** A business: `newId('b')`, or a seeded one such as `demo` (the same shape Meta's webhook path accepts). */
const TENANT_ID = '[A-Za-z0-9_-]{3,64}';
/** `newSecret()`: 32 random bytes, base64url. */
const SECRET = '[A-Za-z0-9_-]{43}';

interface ParameterShape {
  pattern: RegExp;
  /** The error a value of another shape answers with: the same as for a well-formed unknown one. */
  missing: () => Error;
}

const exactly = (source: string) => new RegExp(`^${source}$`);

export const PATH_PARAMETERS: Readonly<Record<string, ParameterShape>> = {
  tenantId: { pattern: exactly(TENANT_ID), missing: () => new NotFoundError(BUSINESS_NOT_FOUND) },
  userId: { pattern: exactly(generatedId('u')), missing: () => new NotFoundError('No such member') },
  sessionId: { pattern: exactly(generatedId('s')), missing: () => new NotFoundError('No such session') },
  inviteId: { pattern: exactly(generatedId('i')), missing: () => new NotFoundError('No such invitation') },
  // An invitation link's token: `<tenantId>.<inviteId>.<secret>` (accounts/invites.ts).
  token: { pattern: exactly(`${TENANT_ID}\\.${generatedId('i')}\\.${SECRET}`), missing: () => new InvalidLinkError() },
  // A channel: its kind, and the provider's id (Meta's digits) or `sandbox` (channels/connect/sandbox.ts).
  channelKind: {
    pattern: /^(whatsapp|instagram|messenger|sandbox)$/,
    missing: () => new NotFoundError('No such channel'),
  },
  channelId: { pattern: /^(\d{1,32}|sandbox)$/, missing: () => new NotFoundError('No such channel') },
  // A message: `ms_` and 24 characters of a blind index (inbox/statuses.ts messageIdOf); a reply
  // from the inbox `mo_` likewise (inbox/replies.ts).
  messageId: { pattern: /^m[so]_[A-Za-z0-9_-]{24}$/, missing: () => new NotFoundError('No such message') },
  // A conversation: `cv_` and 24 characters of a blind index (inbox/inbound.ts).
  conversationId: { pattern: /^cv_[A-Za-z0-9_-]{24}$/, missing: () => new NotFoundError('No such conversation') },
  // A ticket: `tk_` and 12 random bytes, base64url (inbox/tickets.ts).
  ticketId: { pattern: /^tk_[A-Za-z0-9_-]{16}$/, missing: () => new NotFoundError('No such ticket') },
  // A contact: `ct_` and 24 characters of a blind index (inbox/inbound.ts contactIdOf).
  contactId: { pattern: /^ct_[A-Za-z0-9_-]{24}$/, missing: () => new NotFoundError('No such contact') },
  // A privacy request: `pr_`, its creation time (ms) and 8 random bytes in hex (privacy/privacy-requests.ts).
  requestId: { pattern: /^pr_\d{13}_[0-9a-f]{16}$/, missing: () => new NotFoundError('No such request') },
  // A Meta ad account: its number, without `act_` (contract/ads.ts adAccountId).
  accountId: { pattern: /^[0-9]{1,20}$/, missing: () => new NotFoundError('No such ad account') },
  // A Shopify order: the digits of its GID (shopify/apply.ts idOfGid).
  orderId: { pattern: /^[0-9]{1,20}$/, missing: () => new NotFoundError('No such order') },
  // Meta's data deletion callback's confirmation code: 32 hex characters (privacy/meta-data-deletion.ts).
  code: { pattern: /^[0-9a-f]{32}$/, missing: () => new NotFoundError('no such confirmation code') },
  // A version of the AI agent's settings: 1, 2, 3… (ai/settings.ts).
  agentVersion: { pattern: /^[1-9][0-9]{0,8}$/, missing: () => new NotFoundError('No such version') },
  // A knowledge entry: `kb_`, its creation time in base 36 and 6 random bytes, base64url (ai/knowledge.ts).
  entryId: { pattern: /^kb_[0-9a-z]{9}[A-Za-z0-9_-]{8}$/, missing: () => new NotFoundError('No such knowledge entry') },
  // An AI content draft: `cd_`, its request time (ms, 13 digits) and 8 random bytes in hex (ai/content.ts).
  draftId: { pattern: /^cd_\d{13}_[0-9a-f]{16}$/, missing: () => new NotFoundError('There is no such draft') },
  // A campaign list: `cl_` and 16 random bytes, base64url (campaigns/lists.ts).
  listId: { pattern: /^cl_[A-Za-z0-9_-]{22}$/, missing: () => new NotFoundError('No such list') },
  // A campaign: `cmp_` and 16 random bytes, base64url (campaigns/campaigns.ts).
  campaignId: { pattern: /^cmp_[A-Za-z0-9_-]{22}$/, missing: () => new NotFoundError('No such campaign') },
  // An invoice's PDF: `inv_`, 20 hex characters of its order's hash (billing/invoices.ts), `.pdf`.
  invoicePdf: { pattern: /^inv_[0-9a-f]{20}\.pdf$/, missing: () => new NotFoundError('No such invoice') },
};

/** The `:name` parameters of a Hono path. */
export function parameterNames(path: string): string[] {
  return [...path.matchAll(/:(\w+)/g)].map((match) => match[1] as string);
}

/** Throws the parameter's own "not there" error unless `value` has its shape. */
export function checkParameter(name: string, value: string | undefined): void {
  const shape = PATH_PARAMETERS[name];
  if (!shape) throw new Error(`no shape is declared for the path parameter :${name}`);
  if (value === undefined || !shape.pattern.test(value)) throw shape.missing();
}
