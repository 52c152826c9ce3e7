import { atLocations, type DataClass } from '../platform/area.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';
import { INVOICE_DATA_CLASSES } from './invoice-records.js';

const whileTheBusinessLives = { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' } as const;

/**
 * What billing keeps. The subscription and its bookkeeping go with the business; the invoices
 * (and which order each is for) stay for the legal period, outside the business's partition.
 */
export const BILLING_DATA_CLASSES: DataClass[] = [
  {
    name: 'billing.account',
    description: "The business's subscription: plan, state, iyzico's references, period, grace; no card data",
    personal: false,
    retention: whileTheBusinessLives,
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}`, skPrefix: 'billing' }]),
  },
  {
    name: 'billing.checkouts',
    description: "iyzico's hosted forms started for the business (token, plan, who started it), kept a day",
    personal: false,
    retention: whileTheBusinessLives,
    partitions: atLocations(() => [{ index: 'byTenant', skPrefix: 'billingcheckout' }]),
  },
  {
    name: 'billing.event-receipts',
    description: "Which iyzico notifications were handled (iyzico's reference codes), kept 30 days",
    personal: false,
    retention: whileTheBusinessLives,
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}`, skPrefix: 'iyzievent#' }]),
  },
  ...INVOICE_DATA_CLASSES,
];
