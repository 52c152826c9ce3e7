import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ACCOUNTS_TENANT } from '../src/accounts/records.js';
import { AD_ACCOUNTS_DIRECTORY } from '../src/ads/records.js';
import { INVOICE_NUMBERS, INVOICED_BUSINESSES } from '../src/billing/invoice-records.js';
import { BILLING_CHECKOUTS, BILLING_DUE, BILLING_SUBSCRIPTIONS } from '../src/billing/records.js';
import { ACTIVE_CAMPAIGNS } from '../src/campaigns/campaign-records.js';
import { CARTS_DUE } from '../src/cart-recovery/records.js';
import { createStore } from '../src/platform/store/service.js';
import { TABLE } from '../src/platform/store/table.js';
import { OPEN_PRIVACY_REQUESTS } from '../src/privacy/privacy-requests.js';
import { PRODUCT } from '../src/product/areas.js';
import { CHANNEL_DIRECTORY } from '../src/tenancy/records.js';

const store = createStore(new DynamoDBClient({ region: 'eu-central-1' }), 'asistone-test-records', PRODUCT.records);

type IndexKey = { field: string; composite: string[]; template?: string };
type Index = { index?: string; pk: IndexKey; sk: IndexKey };

/**
 * No query can forget the tenant: every key of every record type, table and index alike,
 * starts with the tenant id. Checked over every record the product composes, so a new record type is covered.
 */
describe('store', () => {
  const entities = Object.entries(store.entities) as [string, { schema: { indexes: Record<string, Index> } }][];

  it('has record types to check', () => {
    expect(entities.length).toBeGreaterThan(5);
  });

  it.each(entities)('%s: every partition key starts with the tenant id', (_name, entity) => {
    for (const index of Object.values(entity.schema.indexes)) {
      // Six exceptions by design: a person's businesses, listed in the accounts space; the
      // channel directory (which business owns a phone number id), asked before any business
      // is known because one Meta app delivers for all of them; the open privacy requests of
      // every business by deadline, which the deadline alarm reads in one Query; the campaigns
      // the scheduler looks after (ids and states only), read the same way each minute; and the
      // carts with a step due (ids and due times), which the detection schedule reads by time;
      // and the connected ad accounts (ids), which the hourly ads sync visits. Billing adds four:
      // the business of an iyzico subscription (iyzico's notifications name no business) and of a
      // hosted form's token (its callback neither), the accounts the hourly sweep has something
      // due for, and Asistone's invoices with their yearly counter and the list of invoiced
      // businesses (ids only), kept outside the business's
      // partition so they outlive its deletion for the legal period (`billing#<tenant>`).
      if (index.pk.template?.startsWith(`t#${ACCOUNTS_TENANT}#`)) continue;
      if (index.pk.template?.startsWith(`t#${ACTIVE_CAMPAIGNS}#`)) continue;
      if (index.pk.template === `t#${CARTS_DUE}`) continue;
      if (index.pk.template === `t#${AD_ACCOUNTS_DIRECTORY}`) continue;
      if (index.pk.template?.startsWith(`t#${CHANNEL_DIRECTORY}#`)) continue;
      if (index.pk.template === OPEN_PRIVACY_REQUESTS) continue;
      if (index.pk.template?.startsWith(`t#${BILLING_SUBSCRIPTIONS}#`)) continue;
      if (index.pk.template?.startsWith(`t#${BILLING_CHECKOUTS}#`)) continue;
      if (index.pk.template === `t#${BILLING_DUE}`) continue;
      if (index.pk.template === 'billing#${tenantId}' || index.pk.template === INVOICE_NUMBERS) continue;
      if (index.pk.template === INVOICED_BUSINESSES) continue;
      expect(index.pk.composite[0]).toBe('tenantId');
      expect(index.pk.template?.startsWith('t#${tenantId}')).toBe(true);
    }
  });

  it.each(entities)('%s: keys live in the fields the table declares', (_name, entity) => {
    for (const index of Object.values(entity.schema.indexes)) {
      const declared = index.index
        ? TABLE.indexes[index.index as keyof typeof TABLE.indexes]
        : { partitionKey: TABLE.partitionKey, sortKey: TABLE.sortKey };
      expect(declared, `index ${index.index}`).toBeDefined();
      expect([index.pk.field, index.sk.field]).toEqual([declared.partitionKey, declared.sortKey]);
    }
  });
});
