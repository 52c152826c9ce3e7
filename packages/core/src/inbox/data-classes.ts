import { atLocations, type DataClass, type DataLocation } from '../platform/area.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';

const root = (tenantId: string, ...prefixes: string[]): DataLocation[] =>
  prefixes.map((skPrefix) => ({ partition: `t#${tenantId}`, skPrefix }));

/**
 * Messages and the rest of the inbox stay while the business lives: a merchant answers a
 * customer who writes again after a year, and the policy promises deletion with the account,
 * not sooner. A merchant who wants less sets a shorter period (the retention purge honours it
 * for the classes whose creation time is in their keys).
 */
const WHILE_THE_BUSINESS_LIVES = { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' } as const;

export const INBOX_DATA_CLASSES: DataClass[] = [
  {
    name: 'inbox.contacts',
    description: 'Customers: sealed names and phone numbers, blind indexes, channel user ids',
    personal: true,
    retention: WHILE_THE_BUSINESS_LIVES,
    partitions: atLocations((tenantId) => root(tenantId, 'contact#', 'contactuser#')),
  },
  {
    name: 'inbox.consents',
    description: "Customers' consent ledger per channel and purpose (source, time, wording shown)",
    personal: true,
    // The proof of consent is needed as long as messages may be sent on it.
    retention: WHILE_THE_BUSINESS_LIVES,
    partitions: atLocations((tenantId) => root(tenantId, 'consent#')),
  },
  {
    name: 'inbox.conversations',
    description: 'Conversations, tickets and reply bookkeeping (pace, requests, unsent replies)',
    personal: true,
    retention: WHILE_THE_BUSINESS_LIVES,
    partitions: atLocations((tenantId) =>
      root(tenantId, 'conversation#', 'ticket#', 'sendpace#', 'replyrequest#', 'unsent#', 'receipt#'),
    ),
  },
  {
    name: 'inbox.ad-referrals',
    description: 'Which ad a conversation came from: ad, conversation and contact ids, first and last time, count',
    // It links a customer to the ad they answered.
    personal: true,
    retention: WHILE_THE_BUSINESS_LIVES,
    partitions: atLocations((tenantId) => root(tenantId, 'adref#')),
  },
  {
    name: 'inbox.messages',
    description: 'Messages in and out (sealed text) and their delivery statuses',
    personal: true,
    retention: WHILE_THE_BUSINESS_LIVES,
    // Messages live in one partition per conversation, `t#<tenant>#conversation#<id>`, under
    // `message#<sentAt>#<id>`: the byTenant index finds them all (and the old ones by key range)
    // without reading the conversations first.
    partitions: atLocations((tenantId) => [
      { index: 'byTenant', skPrefix: 'message#' },
      ...root(tenantId, 'messagestatus#'),
    ]),
    createdInSortKey: true,
  },
  {
    name: 'inbox.notes',
    description: "The team's internal notes on conversations",
    personal: true,
    retention: WHILE_THE_BUSINESS_LIVES,
    partitions: atLocations(() => [{ index: 'byTenant', skPrefix: 'note#' }]),
    createdInSortKey: true,
  },
  {
    name: 'inbox.media',
    description: 'Records of media received and files attached to replies (the objects are under tenants/<id>/)',
    personal: true,
    retention: WHILE_THE_BUSINESS_LIVES,
    partitions: atLocations((tenantId) => root(tenantId, 'media#', 'attachment#')),
  },
  {
    name: 'inbox.templates',
    description: 'WhatsApp message templates and their review status (business wording, no customer data)',
    personal: false,
    retention: WHILE_THE_BUSINESS_LIVES,
    partitions: atLocations((tenantId) => root(tenantId, 'template#', 'templatestatus#')),
  },
];
