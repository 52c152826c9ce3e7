import { adReferralsBetween } from '../inbox/referrals.js';
import type { Blobs } from '../platform/blobs.js';
import type { TenantKeyring } from '../platform/crypto/keyring.js';
import type { Records, Store } from '../platform/store/service.js';
import { contactOrders, storeViewDeps } from '../shopify/store-views.js';
import type { AdsViewDeps } from './insights.js';
import { ADS_RECORDS } from './records.js';

/**
 * The insights' joins, wired: conversations from the inbox's ad referrals, and the orders of each
 * referred contact from the Shopify copy (matched as the inbox's Orders panel matches them).
 */
export function adsViewDeps(parts: {
  storeOf<R extends Records>(records: R): Store<R>;
  keyring: TenantKeyring;
  blobs: Pick<Blobs, 'list' | 'delete' | 'presignGet'>;
}): AdsViewDeps {
  const { storeOf, keyring, blobs } = parts;
  const storeDeps = storeViewDeps({ keyring, storeOf, blobs });
  return {
    store: storeOf(ADS_RECORDS),
    referrals: (tenantId, from, to) => adReferralsBetween(storeDeps.store, tenantId, from, to),
    ordersOf: async (tenantId, contactId) => {
      const { orders } = await contactOrders(storeDeps, tenantId, contactId).catch(() => ({ orders: [] }));
      return orders.map((order) => ({
        createdAt: order.createdAt ? Date.parse(order.createdAt) : 0,
        total: order.total,
      }));
    },
  };
}
