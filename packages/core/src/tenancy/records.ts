import { Entity } from 'electrodb';
import type { Store } from '../platform/store/service.js';

/**
 * Where the channel directory lives: "which business owns this phone number id (Page, Instagram
 * account)?" is asked before any business is known (one Meta app delivers for every business),
 * so its keys cannot start with a tenant. The one other exception to tenant-first keys, next
 * to the accounts space; generated business ids (`b…`) can never take this name, and the index
 * holds only what Meta already puts in every delivery (provider ids, no personal data).
 */
export const CHANNEL_DIRECTORY = 'channels';

/** Every business's id, for the retention purge (see `byList`). */
export const BUSINESS_LIST_PARTITION = 'businesses';

/** A business using Asistone. Everything it owns carries its `tenantId`. */
export const TenantRecord = new Entity({
  model: { entity: 'tenant', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    /** Sealed: a business name can identify a sole trader. */
    name: { type: 'string', required: true },
    status: { type: ['active', 'deleting'] as const, required: true, default: 'active' },
    createdAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: [], template: 'tenant', casing: 'none' },
    },
    /**
     * Every business, for the daily retention purge (privacy area), which must visit each one
     * without a Scan. Ids only, so it lives in the directory's space, like the token-expiry list;
     * one write per business created.
     */
    byList: {
      index: 'gsi2',
      pk: {
        field: 'gsi2pk',
        composite: [],
        template: `t#${CHANNEL_DIRECTORY}#${BUSINESS_LIST_PARTITION}`,
        casing: 'none',
      },
      sk: { field: 'gsi2sk', composite: ['tenantId'], template: 'tenant#${tenantId}', casing: 'none' },
    },
  },
});

/** Every kind of channel: Meta's three, and the sandbox, where the business plays its own customer. */
export const CHANNEL_KINDS = ['whatsapp', 'instagram', 'messenger', 'sandbox'] as const;

/**
 * Where a channel stands. `expiring` and `expired` are an Instagram Login token's (60 days,
 * refreshed by the `instagram-token-refresh` schedule); `disconnected` keeps the channel's
 * conversations but takes it out of the directory, so Meta's deliveries for it count as unknown.
 */
export const CHANNEL_STATUSES = ['connected', 'expiring', 'expired', 'disconnected'] as const;

/** Instagram tokens by expiry, across businesses, for the refresh schedule (see `byTokenExpiry`). */
export const TOKEN_EXPIRY_PARTITION = 'instagram-token-expiry';

/** A connected messaging channel, e.g. a WhatsApp business phone number. */
export const ChannelRecord = new Entity({
  model: { entity: 'channel', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    kind: { type: CHANNEL_KINDS, required: true, readOnly: true },
    /** The provider's id: WhatsApp phone_number_id, Instagram account id, Page id (the sandbox: `sandbox`). */
    externalId: { type: 'string', required: true, readOnly: true },
    /**
     * The account the channel belongs to at the provider: the WhatsApp Business Account (WABA)
     * id, whose template and account events name no phone number.
     */
    accountId: { type: 'string', readOnly: true },
    label: { type: 'string', required: true },
    status: { type: CHANNEL_STATUSES, required: true, default: 'connected' },
    /** Sealed provider access token, when the channel sends. Never leaves the server. */
    accessToken: { type: 'string' },
    /** When the token lapses, ms (Instagram Login: 60 days; absent for tokens that do not expire). */
    tokenExpiresAt: { type: 'number', padding: { length: 15, char: '0' } },
    /** When the token was issued or last refreshed, ms: Instagram refuses a refresh within 24 hours. */
    tokenIssuedAt: { type: 'number' },
    /** The `tokenExpiresAt` an expiry reminder was mailed for: one reminder per expiry. */
    reminderSentFor: { type: 'number' },
    /** Sealed two-step verification PIN the number was registered with (WhatsApp, not coexistence). */
    pin: { type: 'string' },
    /** A WhatsApp Business app number shared with the Cloud API (coexistence): never registered. */
    coexistence: { type: 'boolean' },
    connectedAt: { type: 'number', required: true, default: () => Date.now() },
    disconnectedAt: { type: 'number' },
    /** The newest connection test: when, and whether every check passed. */
    lastTestedAt: { type: 'number' },
    lastTestOk: { type: 'boolean' },
    /**
     * WhatsApp: how many customers the business may start conversations with per day (Meta's
     * tier: TIER_250, TIER_2K, ... TIER_UNLIMITED), from the account's webhooks. Since 2025 the
     * limit is the business portfolio's, so every number under the WABA shows the same.
     */
    messagingLimit: { type: 'string' },
    messagingLimitAt: { type: 'number' },
    /**
     * WhatsApp: the newest account event that stops or restores sending (ACCOUNT_RESTRICTION,
     * DISABLED_UPDATE, ACCOUNT_VIOLATION, PARTNER_REMOVED, ACCOUNT_RECONNECTED...), with Meta's time.
     */
    accountEvent: { type: 'string' },
    accountEventAt: { type: 'number' },
  },
  indexes: {
    byTenant: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: {
        field: 'sk',
        composite: ['kind', 'externalId'],
        template: 'channel#${kind}#${externalId}',
        casing: 'none',
      },
    },
    /**
     * The business that owns a provider id, for routing Meta deliveries (see CHANNEL_DIRECTORY).
     * Sparse: a disconnected channel, and the sandbox (which Meta never delivers for), have no
     * entry. Every write of a channel is a whole put, so the condition always sees the status.
     */
    byProviderId: {
      index: 'gsi1',
      condition: (channel) => channel.kind !== 'sandbox' && channel.status !== 'disconnected',
      pk: {
        field: 'gsi1pk',
        composite: ['kind', 'externalId'],
        template: `t#${CHANNEL_DIRECTORY}#\${kind}#\${externalId}`,
        casing: 'none',
      },
      sk: { field: 'gsi1sk', composite: ['tenantId'], template: 'owner#${tenantId}', casing: 'none' },
    },
    /**
     * Instagram Login tokens of connected channels, soonest expiry first, across businesses: the
     * daily refresh reads only those expiring soon, never scans (a directory key, no personal data).
     */
    byTokenExpiry: {
      index: 'gsi2',
      condition: (channel) =>
        channel.kind === 'instagram' && channel.status !== 'disconnected' && typeof channel.tokenExpiresAt === 'number',
      pk: {
        field: 'gsi2pk',
        composite: [],
        template: `t#${CHANNEL_DIRECTORY}#${TOKEN_EXPIRY_PARTITION}`,
        casing: 'none',
      },
      sk: {
        field: 'gsi2sk',
        // The expiry alone: ElectroDB wants every composite of a conditional index on each write,
        // and channels without a token have no expiry. Ties are fine in an index.
        composite: ['tokenExpiresAt'],
        template: 'expires#${tokenExpiresAt}',
        casing: 'none',
      },
    },
  },
});

/**
 * That a business has channels under a provider account: a WhatsApp Business Account (WABA),
 * whose template and account events name no phone number. A directory entry (see
 * CHANNEL_DIRECTORY) rather than an index on the channel, because most channels have no such
 * account and a DynamoDB index cannot leave them out here.
 */
export const ProviderAccountRecord = new Entity({
  model: { entity: 'providerAccount', version: '1', service: 'asistone' },
  attributes: {
    kind: { type: ['whatsapp'] as const, required: true, readOnly: true },
    accountId: { type: 'string', required: true, readOnly: true },
    tenantId: { type: 'string', required: true, readOnly: true },
    connectedAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
  },
  indexes: {
    byAccount: {
      pk: {
        field: 'pk',
        composite: ['kind', 'accountId'],
        template: `t#${CHANNEL_DIRECTORY}#\${kind}-account#\${accountId}`,
        casing: 'none',
      },
      sk: { field: 'sk', composite: ['tenantId'], template: 'owner#${tenantId}', casing: 'none' },
    },
  },
});

/**
 * A Facebook Login in progress (Messenger): the person signed in at Meta and now picks the Pages
 * to connect. The user token and each Page's token are sealed, and the login lasts 10 minutes
 * (`expiresAt` is checked on read; the table's TTL only tidies up).
 */
export const ChannelLoginRecord = new Entity({
  model: { entity: 'channelLogin', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    loginId: { type: 'string', required: true, readOnly: true },
    /** Who signed in at Meta: only they may finish picking. */
    userId: { type: 'string', required: true, readOnly: true },
    /** Sealed JSON: `[{ id, name, accessToken }]`, the Pages the login may connect. */
    pages: { type: 'string', required: true, readOnly: true },
    /** Seconds since the epoch. */
    expiresAt: { type: 'number', required: true, readOnly: true },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['loginId'], template: 'channellogin#${loginId}', casing: 'none' },
    },
  },
});

/** The tenancy area's records. */
export const TENANCY_RECORDS = {
  tenant: TenantRecord,
  channel: ChannelRecord,
  providerAccount: ProviderAccountRecord,
  channelLogin: ChannelLoginRecord,
};

export type TenancyStore = Store<typeof TENANCY_RECORDS>;
