import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAwsCalls } from '../../../tests/support/aws-calls.js';
import { runTool, type ToolDeps } from '../src/ai/tools.js';
import { forgetCatalogueIndex, MAX_INDEXED_PRODUCTS } from '../src/ai/tools-products.js';
import { INBOX_RECORDS } from '../src/inbox/records.js';
import { applyInventoryLevel, applyProduct } from '../src/shopify/apply.js';
import { InventoryLevelWebhook, ProductWebhook } from '../src/shopify/payloads.js';
import { SHOPIFY_STORE_RECORDS } from '../src/shopify/store-records.js';
import { STORE_VIEW_RECORDS } from '../src/shopify/store-views.js';
import { TENANCY_RECORDS } from '../src/tenancy/records.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * search_products over a catalogue of 10,000 products (three variants each) written by the
 * Shopify sync's applyProduct, against the local DynamoDB emulator: it finds the one product
 * asked for, reads the catalogue by Query only (never a Scan), and prints how long a first
 * search (index built) and a following one (index warm) take. docs/ai-agent.md quotes these.
 */
const TENANT = 't_aiscale';
const PRODUCTS = 10_000;
const ADJECTIVES = ['Keten', 'Pamuklu', 'Yün', 'Çizgili', 'Kareli', 'Düz', 'Oversize', 'Slim', 'Basic', 'Vintage'];
const NOUNS = ['Gömlek', 'Pantolon', 'Etek', 'Ceket', 'Kazak', 'Hırka', 'Elbise', 'Şort', 'Tişört', 'Mont'];
const COLOURS = ['Siyah', 'Beyaz', 'Lacivert', 'Bej', 'Yeşil', 'Kırmızı', 'Gri', 'Mavi', 'Pembe', 'Sarı'];
let test: TestPlatform;
let deps: ToolDeps;
const scope = { tenantId: TENANT, conversationId: 'c_scale', contactId: 'ct_scale' };

function product(i: number) {
  const title =
    i === 7_777
      ? 'Işıltılı Saten Gömlek'
      : `${ADJECTIVES[i % 10]} ${NOUNS[Math.floor(i / 10) % 10]} ${COLOURS[Math.floor(i / 100) % 10]} ${i}`;
  return ProductWebhook.parse({
    id: 1_000_000 + i,
    title,
    status: 'active',
    product_type: 'Giyim',
    tags: 'yeni sezon, kadın',
    variants: ['S', 'M', 'L'].map((size, v) => ({
      id: 5_000_000 + i * 3 + v,
      title: size,
      sku: `SKU-${i}-${size}`,
      price: `${100 + (i % 900)}.90`,
      inventory_item_id: 9_000_000 + i * 3 + v,
    })),
    images: [{ id: 1, src: `https://cdn.shopify.com/p/${i}.jpg` }],
    created_at: '2026-10-01T09:00:00Z',
    updated_at: '2026-11-01T09:00:00Z',
  });
}

beforeAll(async () => {
  test = await startTestPlatform();
  const { keyring, blobs, storeOf } = test.platform;
  deps = { store: storeOf(STORE_VIEW_RECORDS), keyring, storeOf, blobs };
  const apply = { store: storeOf({ ...SHOPIFY_STORE_RECORDS, ...INBOX_RECORDS, ...TENANCY_RECORDS }), keyring };
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < PRODUCTS) {
        const i = next++;
        await applyProduct(apply, TENANT, product(i));
      }
    }),
  );
  await applyInventoryLevel(
    apply,
    TENANT,
    InventoryLevelWebhook.parse({
      inventory_item_id: 9_000_000 + 7_777 * 3 + 1,
      location_id: 61001,
      available: 3,
      updated_at: '2026-11-30T10:00:00Z',
    }),
  );
  console.info(`seeded ${PRODUCTS} products in ${Date.now() - started} ms`);
}, 600_000);
afterAll(() => test?.stop());

describe('product search at 10,000 products', () => {
  it('finds the one product asked for, by Query only, and times the first and a warm search', async () => {
    expect(MAX_INDEXED_PRODUCTS).toBeGreaterThanOrEqual(PRODUCTS);
    forgetCatalogueIndex();
    const calls = recordAwsCalls({ dynamo: test.platform.aws.dynamo });
    const cold = performance.now();
    const first = await runTool(deps, scope, 'search_products', JSON.stringify({ query: 'ışıltılı saten gömleğim' }));
    const coldMs = performance.now() - cold;
    expect(first.citations[0]).toEqual({ kind: 'product', id: '1007777', label: 'Işıltılı Saten Gömlek' });
    expect(first.content).toContain('"stock":[{"locationId":"61001","available":3}]');
    const commands = calls.calls.map((call) => call.command);
    expect(commands).not.toContain('ScanCommand');
    expect(commands.filter((c) => c === 'QueryCommand').length).toBeGreaterThan(1);

    calls.clear();
    const warmTimes: number[] = [];
    for (const query of ['isiltili saten', 'keten gomlek siyah', 'SKU-4242-M', 'vintage mont', 'pamuklu etekler']) {
      const at = performance.now();
      const result = await runTool(deps, scope, 'search_products', JSON.stringify({ query }));
      warmTimes.push(performance.now() - at);
      expect(result.found).toBe(true);
    }
    // Warm: the catalogue is not read again; only the five hits (BatchGet) and their stock (Query per variant).
    expect(calls.calls.map((call) => call.command)).not.toContain('ScanCommand');
    expect(
      calls.calls.filter(
        (call) =>
          call.command === 'QueryCommand' &&
          String(call.input.KeyConditionExpression).includes('begins_with') &&
          JSON.stringify(call.input.ExpressionAttributeValues).includes('shopproduct#'),
      ).length,
    ).toBe(0);
    const sku = await runTool(deps, scope, 'search_products', JSON.stringify({ query: 'SKU-4242-M' }));
    expect(sku.citations[0]?.id).toBe('1004242');
    warmTimes.sort((a, b) => a - b);
    console.info(
      `search over ${PRODUCTS} products: first (index built) ${coldMs.toFixed(0)} ms; warm median ${warmTimes[2]?.toFixed(0)} ms, max ${warmTimes[4]?.toFixed(0)} ms`,
    );
  }, 120_000);
});
