import {
  reconciliationAnswer,
  repairAnswer,
  repairBody,
  stockAdjustmentAnswer,
  stockAdjustmentBody,
  stockAlertsAnswer,
  stockAnswer,
  stockLedgerAnswer,
  stockLedgerQuery,
  stockLevelAnswer,
  stockLocationAnswer,
  stockLocationBody,
  stockLocationsAnswer,
  stockThresholdBody,
  stockTransferAnswer,
  stockTransferBody,
  stockTransfersAnswer,
} from '@asistone/contract/stock';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { platform } from '@asistone/core/platform/context';
import { once } from '@asistone/core/platform/once';
import { backgroundShopAccess } from '@asistone/core/shopify/app-token';
import { SHOPIFY_CONNECTION_RECORDS } from '@asistone/core/shopify/connection-records';
import { shopifyGraphql } from '@asistone/core/shopify/graphql';
import { shopifyAppSettings, shopOrigin } from '@asistone/core/shopify/settings';
import { ledgerPage, readLevel } from '@asistone/core/shopify/stock-ledger';
import { SHOPIFY_STOCK_RECORDS } from '@asistone/core/shopify/stock-records';
import { SHOPIFY_STORE_RECORDS } from '@asistone/core/shopify/store-records';
import { addOwnLocation, listLocations } from '@asistone/core/stock/locations';
import { moveStock, slotOf } from '@asistone/core/stock/moves';
import { reconcileStock, repairStock } from '@asistone/core/stock/reconciliation';
import { STOCK_RECORDS } from '@asistone/core/stock/records';
import { setThreshold } from '@asistone/core/stock/thresholds';
import { listTransfers, requestTransfer } from '@asistone/core/stock/transfers';
import { levelView, stockAlerts, stockView, variantNames } from '@asistone/core/stock/views';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { withSecrets } from '../../lib/secrets.js';
import { log } from '../lib/deps.js';
import { defineRoute } from '../lib/route.js';

/**
 * The back office's stock. Reading stock, its ledger, transfers and alerts is `stock.read` (every
 * role: agents answer customers about what is in stock); moving stock, transfers, thresholds, own
 * locations and repairs are `stock.manage` (owners and admins: it changes what Shopify sells);
 * the reconciliation report is `insights.read` (owners, admins, analysts), as the other reports.
 */

const deps = once(async () => {
  const { storeOf, producer, keyring } = platform();
  const settings = shopifyAppSettings(await withSecrets(process.env));
  const store = storeOf({
    ...SHOPIFY_STORE_RECORDS,
    ...SHOPIFY_STOCK_RECORDS,
    ...SHOPIFY_CONNECTION_RECORDS,
    ...STOCK_RECORDS,
    ...INBOX_RECORDS,
    ...TENANCY_RECORDS,
  });
  return {
    store,
    producer,
    // An adjustment whose queue send failed is answered 'pending' and warned of here.
    log,
    shopify: shopifyGraphql({ shopBaseUrl: (shop) => shopOrigin(settings, shop) }),
    shopAccess: (tenantId: string) => backgroundShopAccess({ store, keyring, settings }, tenantId),
  };
});

const STOCK = '/businesses/:tenantId/stock';
const actorOf = (caller: { userId: string }, business: { role: import('@asistone/contract/roles').Role }) => ({
  userId: caller.userId,
  role: business.role,
});

/** A push as the app shows it: no tenant, no attempt count. */
async function pushOf(tenantId: string, adjustmentId: string | undefined) {
  if (!adjustmentId) return undefined;
  const push = (await (await deps()).store.entities.shopStockAdjustment.get({ tenantId, adjustmentId }).go()).data;
  if (!push) return undefined;
  const { tenantId: _tenant, pushAttempts: _attempts, requeuedAt: _requeued, settledAt: _settled, ...shown } = push;
  return shown;
}

function entryView(entry: {
  tenantId: string;
  position: string;
  opId: string;
  once?: boolean;
  shopifyUpdatedAt?: number;
  [field: string]: unknown;
}) {
  const { tenantId: _tenant, position: _position, opId: _op, once: _once, shopifyUpdatedAt: _at, ...shown } = entry;
  return shown as unknown as import('@asistone/contract/stock').LedgerEntry;
}

export const stockRoutes = [
  defineRoute({
    method: 'get',
    path: STOCK,
    access: 'stock.read',
    summary: 'Stock per variant and location with thresholds, the locations, and the latest pushes to Shopify',
    answers: { 200: { description: 'Stock levels, locations and recent pushes', schema: stockAnswer } },
    async handle({ c, business }) {
      return c.json(await stockView((await deps()).store, business.tenantId));
    },
  }),
  defineRoute({
    method: 'post',
    path: `${STOCK}/adjustments`,
    access: 'stock.manage',
    summary: 'Records a move or a count at a location (pushed to Shopify in the background at its locations)',
    body: stockAdjustmentBody,
    answers: {
      202: { description: 'Recorded; at a Shopify location its push is pending', schema: stockAdjustmentAnswer },
    },
    async handle({ c, business, caller, body }) {
      const entry = await moveStock(await deps(), actorOf(caller, business), business.tenantId, body);
      const adjustment = await pushOf(business.tenantId, entry.pushId);
      return c.json({ entry: entryView(entry), ...(adjustment && { adjustment }) }, 202);
    },
  }),
  defineRoute({
    method: 'get',
    path: `${STOCK}/ledger`,
    access: 'stock.read',
    summary: "A variant's ledger at a location, newest first",
    query: stockLedgerQuery,
    answers: { 200: { description: 'Ledger entries and the level', schema: stockLedgerAnswer } },
    async handle({ c, business, query }) {
      const { store } = await deps();
      const slot = slotOf(business.tenantId, query);
      const [entries, level, names] = await Promise.all([
        ledgerPage(store, slot, {
          ...(query.before !== undefined && { before: query.before }),
          ...(query.limit !== undefined && { limit: query.limit }),
        }),
        readLevel(store, slot),
        variantNames(store, business.tenantId),
      ]);
      return c.json({ entries: entries.map(entryView), ...(level && { level: levelView(level, names) }) });
    },
  }),
  defineRoute({
    method: 'get',
    path: `${STOCK}/locations`,
    access: 'stock.read',
    summary: "Shopify's locations and the business's own",
    answers: { 200: { description: 'Locations', schema: stockLocationsAnswer } },
    async handle({ c, business }) {
      return c.json({ locations: await listLocations((await deps()).store, business.tenantId) });
    },
  }),
  defineRoute({
    method: 'post',
    path: `${STOCK}/locations`,
    access: 'stock.manage',
    summary: 'Adds a location of the business’s own (a back room): its stock stays in Asistone',
    body: stockLocationBody,
    answers: { 201: { description: 'Added', schema: stockLocationAnswer } },
    async handle({ c, business, caller, body }) {
      const location = await addOwnLocation(
        (await deps()).store,
        actorOf(caller, business),
        business.tenantId,
        body.name,
      );
      return c.json({ location }, 201);
    },
  }),
  defineRoute({
    method: 'get',
    path: `${STOCK}/transfers`,
    access: 'stock.read',
    summary: 'Transfers between locations, newest first',
    answers: { 200: { description: 'Transfers', schema: stockTransfersAnswer } },
    async handle({ c, business }) {
      return c.json({ transfers: await listTransfers((await deps()).store, business.tenantId) });
    },
  }),
  defineRoute({
    method: 'post',
    path: `${STOCK}/transfers`,
    access: 'stock.manage',
    summary: 'Transfers units of a variant between two locations (both legs recorded in the background, each once)',
    body: stockTransferBody,
    answers: { 202: { description: 'Queued; pending until both legs are in the ledger', schema: stockTransferAnswer } },
    async handle({ c, business, caller, body }) {
      const { tenantId: _tenant, ...transfer } = await requestTransfer(
        await deps(),
        actorOf(caller, business),
        business.tenantId,
        body,
      );
      return c.json({ transfer }, 202);
    },
  }),
  defineRoute({
    method: 'put',
    path: `${STOCK}/thresholds`,
    access: 'stock.manage',
    summary: 'Sets or removes the low-stock threshold of a variant at a location',
    body: stockThresholdBody,
    answers: { 200: { description: 'The level with its threshold', schema: stockLevelAnswer } },
    async handle({ c, business, caller, body }) {
      const d = await deps();
      const level = await setThreshold(d, actorOf(caller, business), business.tenantId, body);
      return c.json({ level: levelView(level, await variantNames(d.store, business.tenantId)) });
    },
  }),
  defineRoute({
    method: 'get',
    path: `${STOCK}/alerts`,
    access: 'stock.read',
    summary: 'Low-stock alerts, newest first',
    answers: { 200: { description: 'Alerts', schema: stockAlertsAnswer } },
    async handle({ c, business }) {
      return c.json({ alerts: await stockAlerts((await deps()).store, business.tenantId) });
    },
  }),
  defineRoute({
    method: 'post',
    path: `${STOCK}/reconciliation`,
    access: 'insights.read',
    summary: "Compares Asistone's stock with Shopify's, read now, at every Shopify location",
    answers: { 200: { description: 'The differences', schema: reconciliationAnswer } },
    async handle({ c, business }) {
      return c.json(await reconcileStock(await deps(), business.tenantId));
    },
  }),
  defineRoute({
    method: 'post',
    path: `${STOCK}/reconciliation/repair`,
    access: 'stock.manage',
    summary: "Repairs one difference: take Shopify's number, or send Asistone's to Shopify",
    body: repairBody,
    answers: { 200: { description: 'Repaired (a push to Shopify is pending)', schema: repairAnswer } },
    async handle({ c, business, caller, body }) {
      const repaired = await repairStock(await deps(), actorOf(caller, business), business.tenantId, body);
      return c.json({
        direction: repaired.direction,
        available: repaired.available,
        ...('entry' in repaired && repaired.entry && { entry: entryView(repaired.entry) }),
        ...('adjustment' in repaired && repaired.adjustment && { adjustment: repaired.adjustment }),
      });
    },
  }),
];
