import type { ACCOUNT_RECORDS } from '../accounts/records.js';
import type { AUDIT_RECORDS } from '../audit/records.js';
import type { MailQueue } from '../notify/outbound.js';
import type { TenantKeyring } from '../platform/crypto/keyring.js';
import type { Store } from '../platform/store/service.js';
import type { TENANCY_RECORDS } from '../tenancy/records.js';
import { INVOICE_RECORDS } from './invoice-records.js';
import type { IyzicoSubscriptions } from './iyzico-api.js';
import { BILLING_ACCOUNT_RECORDS, BILLING_LIFECYCLE_RECORDS } from './records.js';

/** Billing's own records: the subscription and its bookkeeping, and the invoices. */
export const BILLING_RECORDS = { ...BILLING_ACCOUNT_RECORDS, ...BILLING_LIFECYCLE_RECORDS, ...INVOICE_RECORDS };

/** Billing reads the business (its name, its owner and admins) and writes the audit log. */
export type BillingStore = Store<
  typeof BILLING_RECORDS & typeof ACCOUNT_RECORDS & typeof TENANCY_RECORDS & typeof AUDIT_RECORDS
>;

/** Asistone as the seller on its invoices (config: its legal name and address). */
export interface Seller {
  name: string;
  address: string;
  taxOffice?: string | undefined;
  taxNumber?: string | undefined;
}

export interface BillingDeps {
  store: BillingStore;
  keyring: TenantKeyring;
  /** iyzico's subscription API (billing/iyzico-client.ts), or a fake in tests. */
  iyzico: IyzicoSubscriptions;
  mails: MailQueue;
  /** The web app's URL: iyzico's callback (`<appUrl>/api/billing/callback`) and links in mails. */
  appUrl: string;
  seller: Seller;
  /** The clock (tests move it); `Date.now` otherwise. */
  now?: () => number;
}

export const nowOf = (deps: Pick<BillingDeps, 'now'>) => (deps.now ? deps.now() : Date.now());
export const DAY_MS = 86_400_000;
