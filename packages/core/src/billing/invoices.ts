import { createHash } from 'node:crypto';
import type { Invoice, PlanId } from '@asistone/contract/billing';
import type { EntityItem } from 'electrodb';
import { NotFoundError } from '../platform/errors.js';
import { fromMinor, toMinor } from '../platform/money.js';
import { isConditionFailure } from '../platform/store/service.js';
import type { BillingDeps } from './deps.js';
import type { InvoiceRecord, InvoiceStore } from './invoice-records.js';
import type { IyzicoOrder } from './iyzico-api.js';

/**
 * One invoice per paid iyzico order, numbered `AS-<year>-<6 digits>` from one atomic counter per
 * year. The amounts are iyzico's (VAT included, 20%), split with exact integer arithmetic.
 */

export const VAT_PERCENT = 20n;
/** Istanbul is UTC+3 all year: the invoice's year is Istanbul's. */
const ISTANBUL_MS = 3 * 3600_000;

export const invoiceIdOf = (orderRef: string) =>
  `inv_${createHash('sha256').update(orderRef).digest('hex').slice(0, 20)}`;

/** `1499.00` VAT included → its VAT, rounded half up to the currency's cents. */
export function vatIncluded(total: string): string {
  const minor = toMinor(total);
  const hundred = 100n + VAT_PERCENT;
  return fromMinor((minor * VAT_PERCENT * 2n + hundred) / (2n * hundred));
}

/** iyzico's price (a JSON number) as an exact decimal with two places. */
export const priceText = (price: number) => fromMinor(toMinor(price.toFixed(2)));

async function nextNumber(store: InvoiceStore, year: string): Promise<string> {
  const { data } = await store.entities.invoiceCounter.update({ year }).add({ last: 1 }).go({ response: 'all_new' });
  return `AS-${year}-${String(data.last).padStart(6, '0')}`;
}

export interface PaidOrder {
  order: IyzicoOrder;
  subscriptionRef: string;
  planId: PlanId;
}

/**
 * Records the invoice of a paid order once: a second call (a redelivered notification, a
 * repeated callback) finds the order's marker and changes nothing. Answers the invoice's id and
 * whether this call issued it.
 */
export async function recordInvoice(
  deps: Pick<BillingDeps, 'store' | 'keyring' | 'seller'>,
  tenantId: string,
  paid: PaidOrder,
  now: number,
): Promise<{ invoiceId: string; issued: boolean }> {
  const { store } = deps;
  const orderRef = paid.order.referenceCode;
  const invoiceId = invoiceIdOf(orderRef);
  let marker = (await store.entities.invoiceOrder.get({ tenantId, orderRef }).go()).data;
  if (!marker) {
    try {
      await store.entities.invoiceOrder.create({ tenantId, orderRef, invoiceId, issuedAt: now }).go();
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    marker = (await store.entities.invoiceOrder.get({ tenantId, orderRef }).go()).data;
    if (!marker) throw new Error('invoice marker not readable after its write');
  }
  const existing = await store.entities.invoice.get({ tenantId, issuedAt: marker.issuedAt, invoiceId }).go();
  if (existing.data) return { invoiceId, issued: false };
  // Before the invoice: the retention purge must be able to find it even after the business is gone.
  await store.entities.invoicedBusiness.put({ business: tenantId }).go({ response: 'none' });

  let number = marker.number;
  if (!number) {
    const year = String(new Date(marker.issuedAt + ISTANBUL_MS).getUTCFullYear());
    const taken = await nextNumber(store, year);
    try {
      await store.entities.invoiceOrder
        .patch({ tenantId, orderRef })
        .set({ number: taken })
        .where(({ number: n }, { notExists }) => notExists(n))
        .go();
      number = taken;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Another run numbered it first; its number stands (ours is skipped, never reused).
      number = (await store.entities.invoiceOrder.get({ tenantId, orderRef }).go()).data?.number;
    }
  }
  if (!number) throw new Error('invoice number not readable after its write');

  const total = priceText(paid.order.price);
  try {
    await store.entities.invoice
      .create({
        tenantId,
        invoiceId,
        number,
        issuedAt: marker.issuedAt,
        seller: {
          name: deps.seller.name,
          address: deps.seller.address,
          ...(deps.seller.taxOffice ? { taxOffice: deps.seller.taxOffice } : {}),
          ...(deps.seller.taxNumber ? { taxNumber: deps.seller.taxNumber } : {}),
        },
        buyerName: await businessName(deps, tenantId),
        planId: paid.planId,
        periodStart: paid.order.startPeriod,
        periodEnd: paid.order.endPeriod,
        total,
        vat: vatIncluded(total),
        vatRate: `${VAT_PERCENT}%`,
        currency: paid.order.currencyCode,
        orderRef,
        subscriptionRef: paid.subscriptionRef,
        status: 'paid',
      })
      .go();
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return { invoiceId, issued: false };
  }
  return { invoiceId, issued: true };
}

/** The business's name as its owner wrote it (sealed in the business's record; the invoice keeps it plain). */
async function businessName(deps: Pick<BillingDeps, 'store' | 'keyring'>, tenantId: string): Promise<string> {
  const tenant = (await deps.store.entities.tenant.get({ tenantId }).go()).data;
  if (!tenant) throw new NotFoundError('No such business');
  const keys = await deps.keyring.forTenant(tenantId);
  return keys.open('tenant', 'name', tenantId, tenant.name);
}

export type InvoiceItem = EntityItem<typeof InvoiceRecord>;

/** The business's invoices, newest first. */
export async function listInvoices(store: InvoiceStore, tenantId: string): Promise<InvoiceItem[]> {
  const { data } = await store.entities.invoice.query.byBusiness({ tenantId }).go({ pages: 'all', order: 'desc' });
  return data;
}

/** One of the business's invoices; another business's id is simply not there. */
export async function getInvoice(store: InvoiceStore, tenantId: string, invoiceId: string): Promise<InvoiceItem> {
  const invoice = (await listInvoices(store, tenantId)).find((item) => item.invoiceId === invoiceId);
  if (!invoice) throw new NotFoundError('No such invoice');
  return invoice;
}

export function invoiceView(invoice: InvoiceItem): Invoice {
  return {
    invoiceId: invoice.invoiceId,
    number: invoice.number,
    issuedAt: invoice.issuedAt,
    planId: invoice.planId,
    periodStart: invoice.periodStart,
    periodEnd: invoice.periodEnd,
    total: invoice.total,
    vat: invoice.vat,
    currency: invoice.currency,
    status: invoice.status,
  };
}
