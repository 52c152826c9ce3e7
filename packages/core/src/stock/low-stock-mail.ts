import type { Language } from '@asistone/contract/accounts';
import { type ManagerMailDeps, queueManagerMails } from '../accounts/manager-mails.js';
import { renderMail } from '../notify/render.js';
import type { Store } from '../platform/store/service.js';
import type { LowStockMailMessage } from '../shopify/low-stock.js';
import type { SHOPIFY_STORE_RECORDS } from '../shopify/store-records.js';
import { listLocations } from './locations.js';
import type { STOCK_RECORDS } from './records.js';
import { variantNames } from './views.js';

/**
 * The low-stock mail: to every owner and admin, each in their language, naming the product,
 * variant, SKU, location, stock and threshold, with a link to the back office. Its key is the
 * alert's (one crossing), so a redelivered message or a second fold sends nothing more.
 */

const WORDS: Record<Language, { subject: string; text: string; why: string; action: string }> = {
  tr: {
    subject: 'Düşük stok: {product}',
    text: '{product} ({variant}{sku}) stoğu {location} konumunda {available} adede düştü; eşik {threshold}.',
    why: 'Stok yükseldiğinde uyarı kapanır; yeniden düşerse tekrar haber veririz.',
    action: 'Stoku aç',
  },
  en: {
    subject: 'Low stock: {product}',
    text: '{product} ({variant}{sku}) is down to {available} at {location}; the threshold is {threshold}.',
    why: 'The alert closes when stock rises again; we tell you again if it falls again.',
    action: 'Open stock',
  },
};

const fill = (text: string, values: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');

type LowStockStore = Store<
  Pick<typeof SHOPIFY_STORE_RECORDS, 'shopProduct' | 'shopLocation' | 'stockAlert'> &
    Pick<typeof STOCK_RECORDS, 'stockLocation'>
>;

export async function mailLowStockAlert(
  deps: Omit<ManagerMailDeps, 'store'> & { store: ManagerMailDeps['store'] & LowStockStore },
  message: LowStockMailMessage,
): Promise<number> {
  const { tenantId, alertKey } = message;
  const alert = (await deps.store.entities.stockAlert.get({ tenantId, alertKey }).go()).data;
  // Written before its message is sent (low-stock.ts): absent means not this business's alert.
  if (!alert) return 0;
  const [names, locations] = await Promise.all([
    variantNames(deps.store, tenantId),
    listLocations(deps.store, tenantId),
  ]);
  const name = names.get(alert.inventoryItemId);
  const values = {
    product: name?.productTitle ?? `#${alert.inventoryItemId}`,
    variant: name?.variantTitle ?? '',
    sku: name?.sku ? `, ${name.sku}` : '',
    location: locations.find((location) => location.locationId === alert.locationId)?.name ?? `#${alert.locationId}`,
    available: String(alert.available),
    threshold: String(alert.threshold),
  };
  return queueManagerMails(deps, tenantId, (to, language, userId) => {
    const words = WORDS[language];
    return renderMail('low-stock', to, `low-stock/${tenantId}/${alertKey}/${userId}`, {
      language,
      subject: fill(words.subject, values),
      paragraphs: [fill(words.text, values), words.why],
      action: { label: words.action, url: `${deps.appUrl}/b/${tenantId}/inventory` },
    });
  });
}
