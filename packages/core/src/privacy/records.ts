import { Entity } from 'electrodb';

/**
 * What a purge removed from one business: per data class a count, the objects, when, and which
 * job or person ran it. Proof that a promise was kept, so it holds no personal data (class
 * names, counts, times, the runner's name) and survives the business's own purge.
 */
export const PurgeReceiptRecord = new Entity({
  model: { entity: 'purgeReceipt', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    receiptId: { type: 'string', required: true, readOnly: true },
    /**
     * `tenant`: everything the business held; `retention`: what was past its class's retention;
     * `classes`: every item of some classes (purge.ts purgeClasses: Shopify's `shop/redact`).
     */
    kind: { type: ['tenant', 'retention', 'classes'] as const, required: true, readOnly: true },
    /** Who ran it: `schedule:retention-purge`, or `ops:<name>` for `npm run purge`. */
    by: { type: 'string', required: true, readOnly: true },
    startedAt: { type: 'number', required: true, readOnly: true },
    finishedAt: { type: 'number', required: true, readOnly: true },
    classes: {
      type: 'list',
      required: true,
      readOnly: true,
      items: {
        type: 'map',
        properties: {
          name: { type: 'string', required: true },
          items: { type: 'number', required: true },
        },
      },
    },
    /** Objects removed under `tenants/<id>/`. */
    objects: { type: 'number', required: true, readOnly: true },
    /** Items of the business that no data class declares, removed by the tenant purge's last sweep. */
    unclassified: { type: 'number', required: true, readOnly: true },
  },
  indexes: {
    byTime: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}#privacy', casing: 'none' },
      sk: {
        field: 'sk',
        composite: ['startedAt', 'receiptId'],
        template: 'purge#${startedAt}#${receiptId}',
        casing: 'none',
      },
    },
  },
});

export const PRIVACY_RECORDS = { purgeReceipt: PurgeReceiptRecord };
