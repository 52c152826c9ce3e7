import { ordersViewAnswer, ordersViewQuery, salesReportAnswer, salesReportQuery } from '@asistone/contract/sales';
import { platform } from '@asistone/core/platform/context';
import { toCsv } from '@asistone/core/platform/csv';
import { once } from '@asistone/core/platform/once';
import { ordersView } from '@asistone/core/sales/orders-view';
import { SALES_CSV_COLUMNS, salesCsvRows } from '@asistone/core/sales/sales-csv';
import { salesReport } from '@asistone/core/sales/sales-report';
import { type StoreViewDeps, storeViewDeps } from '@asistone/core/shopify/store-views';
import { defineRoute } from '../lib/route.js';

/**
 * The back office's reports on the Shopify copy: the orders view and the sales report, read-only,
 * `insights.read` (owners, admins and analysts): they show the business's takings, which agents
 * answering customers do not need.
 */

const deps = once(async (): Promise<StoreViewDeps> => storeViewDeps(platform()));

const SALES = '/businesses/:tenantId/sales';

export const salesRoutes = [
  defineRoute({
    method: 'get',
    path: `${SALES}/orders`,
    access: 'insights.read',
    summary:
      'Orders of a range of Istanbul days across channels, newest first, with the inbox channel that led to each',
    query: ordersViewQuery,
    answers: { 200: { description: 'The orders', schema: ordersViewAnswer } },
    async handle({ c, business, query }) {
      return c.json(await ordersView(await deps(), business.tenantId, query));
    },
  }),
  defineRoute({
    method: 'get',
    path: `${SALES}/report`,
    access: 'insights.read',
    summary: 'Sales by day, product, location and channel per currency; cancelled orders left out',
    query: salesReportQuery,
    answers: { 200: { description: 'The report', schema: salesReportAnswer } },
    async handle({ c, business, query }) {
      return c.json(await salesReport(await deps(), business.tenantId, query));
    },
  }),
  defineRoute({
    method: 'get',
    path: `${SALES}/report.csv`,
    access: 'insights.read',
    summary: 'The same report as CSV (text/csv), safe to open in a spreadsheet',
    query: salesReportQuery,
    answers: { 200: { description: 'CSV: the totals, then one row per day, product, location and channel' } },
    async handle({ c, business, query }) {
      const answer = await salesReport(await deps(), business.tenantId, query);
      return c.body(toCsv(salesCsvRows(answer), SALES_CSV_COLUMNS), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="sales-${answer.from}-${answer.to}.csv"`,
        'cache-control': 'no-store',
      });
    },
  }),
];
