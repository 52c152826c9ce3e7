import {
  type LedgerEntry,
  type Reconciliation,
  type ReconciliationRow,
  reconciliationAnswer,
  repairAnswer,
  type StockAdjustmentBody,
  type StockTransferBody,
  stockAdjustmentAnswer,
  stockAlertsAnswer,
  stockAnswer,
  stockLedgerAnswer,
  stockLevelAnswer,
  stockLocationAnswer,
  stockLocationsAnswer,
  stockTransferAnswer,
  stockTransfersAnswer,
} from '@asistone/contract/stock';
import { type InfiniteData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type * as z from 'zod';
import { query, request, seg } from './client';
import { storeKeys } from './store';

export type {
  LedgerEntry,
  LedgerReason,
  Reconciliation,
  ReconciliationRow,
  StockAdjustment,
  StockAdjustmentBody,
  StockAlert,
  StockLevel,
  StockLocation,
  StockTransfer,
  StockTransferBody,
  StockView,
} from '@asistone/contract/stock';
export { MAX_UNITS, STOCK_REASONS } from '@asistone/contract/stock';

/**
 * The back office's stock (docs/shopify-stock.md): levels per variant and location, each
 * location's ledger, transfers, low-stock thresholds and alerts, and the reconciliation with
 * Shopify. Read by the whole team; moved by owners and admins; compared by whoever reads the
 * reports. Every answer is checked against the contract, so a page never shows a half-read one.
 */

const base = (tenantId: string) => `/businesses/${seg(tenantId)}/stock`;

/** Calls the API and reads its answer through the contract's schema. */
async function read<S extends z.ZodType>(schema: S, path: string, options?: Parameters<typeof request>[1]) {
  return schema.parse(await request<unknown>(path, options)) as z.output<S>;
}

export type RepairDirection = 'from-shopify' | 'to-shopify';

/** One page of a ledger: this many lines, then "older" asks for the ones before the last seq. */
export const LEDGER_PAGE = 20;

export const stockApi = {
  view: (tenantId: string) => read(stockAnswer, base(tenantId)),
  adjust: (tenantId: string, body: StockAdjustmentBody) =>
    read(stockAdjustmentAnswer, `${base(tenantId)}/adjustments`, { method: 'POST', body }),
  locations: (tenantId: string) => read(stockLocationsAnswer, `${base(tenantId)}/locations`),
  addLocation: (tenantId: string, name: string) =>
    read(stockLocationAnswer, `${base(tenantId)}/locations`, { method: 'POST', body: { name } }),
  ledger: (tenantId: string, inventoryItemId: string, locationId: string, before?: number) =>
    read(
      stockLedgerAnswer,
      `${base(tenantId)}/ledger${query({
        inventoryItemId,
        locationId,
        before: before === undefined ? undefined : String(before),
        limit: String(LEDGER_PAGE),
      })}`,
    ),
  transfers: (tenantId: string) => read(stockTransfersAnswer, `${base(tenantId)}/transfers`),
  transfer: (tenantId: string, body: StockTransferBody) =>
    read(stockTransferAnswer, `${base(tenantId)}/transfers`, { method: 'POST', body }),
  setThreshold: (tenantId: string, body: { inventoryItemId: string; locationId: string; threshold: number | null }) =>
    read(stockLevelAnswer, `${base(tenantId)}/thresholds`, { method: 'PUT', body }),
  alerts: (tenantId: string) => read(stockAlertsAnswer, `${base(tenantId)}/alerts`),
  reconcile: (tenantId: string) => read(reconciliationAnswer, `${base(tenantId)}/reconciliation`, { method: 'POST' }),
  repair: (tenantId: string, row: ReconciliationRow, direction: RepairDirection) =>
    read(repairAnswer, `${base(tenantId)}/reconciliation/repair`, {
      method: 'POST',
      body: { inventoryItemId: row.inventoryItemId, locationId: row.locationId, direction },
    }),
};

export const stockKeys = {
  all: (tenantId: string) => ['stock', tenantId] as const,
  view: (tenantId: string) => ['stock', tenantId, 'view'] as const,
  ledgers: (tenantId: string) => ['stock', tenantId, 'ledger'] as const,
  ledger: (tenantId: string, inventoryItemId: string, locationId: string) =>
    ['stock', tenantId, 'ledger', inventoryItemId, locationId] as const,
  transfers: (tenantId: string) => ['stock', tenantId, 'transfers'] as const,
  alerts: (tenantId: string) => ['stock', tenantId, 'alerts'] as const,
};

/** How often a page looks again while a push or a transfer is on its way (they settle in seconds). */
const SETTLING_POLL_MS = 2_000;
/** Alerts are raised as stock crosses a threshold, also by Shopify's own sales: looked at now and then. */
const ALERTS_POLL_MS = 5_000;

/** Stock moved: every number, ledger and alert is read again, and the store's product list too. */
function useStockMoved(tenantId: string) {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: stockKeys.all(tenantId) }),
      client.invalidateQueries({ queryKey: storeKeys.products(tenantId) }),
    ]);
}

/** Levels, locations and the latest pushes, asked again while a push to Shopify is pending. */
export function useStockView(tenantId: string, enabled = true) {
  return useQuery({
    queryKey: stockKeys.view(tenantId),
    queryFn: () => stockApi.view(tenantId),
    enabled,
    refetchInterval: (current) =>
      current.state.data?.adjustments.some((adjustment) => adjustment.status === 'pending') ? SETTLING_POLL_MS : false,
  });
}

export function useAdjustStock(tenantId: string) {
  const moved = useStockMoved(tenantId);
  return useMutation({
    mutationFn: (body: StockAdjustmentBody) => stockApi.adjust(tenantId, body),
    onSuccess: moved,
  });
}

export function useSetThreshold(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { inventoryItemId: string; locationId: string; threshold: number | null }) =>
      stockApi.setThreshold(tenantId, body),
    // A threshold set above the stock raises an alert at once.
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: stockKeys.view(tenantId) }),
        client.invalidateQueries({ queryKey: stockKeys.alerts(tenantId) }),
      ]),
  });
}

export function useAddStockLocation(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => stockApi.addLocation(tenantId, name),
    // The new location is a column of the stock table and a choice in every form.
    onSuccess: () => client.invalidateQueries({ queryKey: stockKeys.view(tenantId) }),
  });
}

/** A variant's ledger at a location, newest first, a page at a time ("older" asks for the next). */
export function useStockLedger(tenantId: string, inventoryItemId: string, locationId: string) {
  return useInfiniteQuery({
    queryKey: stockKeys.ledger(tenantId, inventoryItemId, locationId),
    queryFn: ({ pageParam }) => stockApi.ledger(tenantId, inventoryItemId, locationId, pageParam),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (page) => {
      const last = page.entries.at(-1);
      // A short page is the last one; seq 1 is the ledger's first line.
      return page.entries.length < LEDGER_PAGE || !last || last.seq <= 1 ? undefined : last.seq;
    },
  });
}

export const ledgerLines = (data: InfiniteData<{ entries: LedgerEntry[] }> | undefined): LedgerEntry[] =>
  data?.pages.flatMap((page) => page.entries) ?? [];

/**
 * Transfers, asked again while one is pending; when one is done both locations' numbers moved,
 * so the stock is read again too.
 */
export function useStockTransfers(tenantId: string) {
  const moved = useStockMoved(tenantId);
  const transfers = useQuery({
    queryKey: stockKeys.transfers(tenantId),
    queryFn: async () => (await stockApi.transfers(tenantId)).transfers,
    refetchInterval: (current) =>
      current.state.data?.some((transfer) => transfer.state === 'pending') ? SETTLING_POLL_MS : false,
  });
  const pending = transfers.data?.filter((transfer) => transfer.state === 'pending').length;
  const before = useRef(pending);
  useEffect(() => {
    const was = before.current;
    before.current = pending;
    if (was !== undefined && pending !== undefined && pending < was) {
      void moved();
    }
  });
  return transfers;
}

export function useTransferStock(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: StockTransferBody) => stockApi.transfer(tenantId, body),
    onSuccess: () => client.invalidateQueries({ queryKey: stockKeys.all(tenantId) }),
  });
}

export function useStockAlerts(tenantId: string) {
  return useQuery({
    queryKey: stockKeys.alerts(tenantId),
    queryFn: async () => (await stockApi.alerts(tenantId)).alerts,
    refetchInterval: ALERTS_POLL_MS,
  });
}

/** Compares both sides now: a mutation, as each run is a fresh look at Shopify. */
export function useReconcile(tenantId: string) {
  return useMutation({ mutationFn: (): Promise<Reconciliation> => stockApi.reconcile(tenantId) });
}

export function useRepairDifference(tenantId: string) {
  const moved = useStockMoved(tenantId);
  return useMutation({
    mutationFn: ({ row, direction }: { row: ReconciliationRow; direction: RepairDirection }) =>
      stockApi.repair(tenantId, row, direction),
    onSuccess: moved,
  });
}

/** Shopify ids come as digits or GIDs; the forms send digits. */
export const shopifyDigits = (id: string) => id.slice(id.lastIndexOf('/') + 1);
