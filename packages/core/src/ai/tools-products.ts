import type { ShopifyProduct } from '../shopify/payloads.js';
import { productCurrency, type StoreViewDeps, stockOf } from '../shopify/store-views.js';
import { compactCode, matchScore, searchTokens } from './search.js';
import type { Citation } from './tools.js';

/**
 * Product search over the local copy of the store (docs/ai-agent.md, "Scaling past 10,000
 * products on AWS").
 *
 * Two steps. (1) A term index of the business's catalogue: one Query of the business's partition
 * by the `shopproduct#` sort-key prefix (never a Scan), projecting only what is matched on (title,
 * type, vendor, tags, variant titles and SKUs), turned into terms with searchTokens and kept in
 * the Lambda's memory for {@link INDEX_TTL_MS}, so the questions of one conversation, and of the
 * business's other conversations on the same warm instance, do not read the catalogue again. It
 * reads at most {@link MAX_INDEXED_PRODUCTS}; past that the answer says it searched a part.
 * (2) The best {@link TOP_PRODUCTS} matches are read fresh, by key: price and stock are never
 * taken from the cached index, so a price changed a second ago is the one quoted.
 *
 * Only active products are offered: a draft or archived product is not for sale.
 */

export const TOP_PRODUCTS = 5;
/** Products the index reads at most (about 10 MB of projected items at ~1 kB each). */
export const MAX_INDEXED_PRODUCTS = 20_000;
export const INDEX_TTL_MS = 60_000;
/** Businesses whose index a warm instance keeps (least recently built first out). */
const CACHED_BUSINESSES = 20;
/** Variants described per product (sizes × colours can run to 100; each costs a stock Query). */
export const VARIANTS_PER_PRODUCT = 10;

interface IndexedProduct {
  productId: string;
  terms: Set<string>;
  codes: string[];
}

interface CatalogueIndex {
  builtAt: number;
  products: IndexedProduct[];
  partial: boolean;
}

const indexes = new Map<string, CatalogueIndex>();

/** Forgets a business's cached index (tests; a business's catalogue import finishing). */
export function forgetCatalogueIndex(tenantId?: string): void {
  if (tenantId === undefined) indexes.clear();
  else indexes.delete(tenantId);
}

type Variant = ShopifyProduct['variants'][number];

async function buildIndex(deps: StoreViewDeps, tenantId: string): Promise<CatalogueIndex> {
  const products: IndexedProduct[] = [];
  let cursor: string | null = null;
  do {
    const page: {
      data: {
        productId: string;
        title: string;
        status: string;
        vendor?: string;
        productType?: string;
        tags?: string[];
        variants: unknown;
      }[];
      cursor: string | null;
    } = await deps.store.entities.shopProduct.query.byId({ tenantId }).go({
      cursor,
      attributes: ['productId', 'title', 'status', 'vendor', 'productType', 'tags', 'variants'],
    });
    for (const item of page.data) {
      if (item.status !== 'active') continue;
      const variants = (item.variants ?? []) as Variant[];
      const text = [
        item.title,
        item.productType,
        item.vendor,
        ...(item.tags ?? []),
        ...variants.flatMap((v) => [v.title, v.sku]),
      ]
        .filter(Boolean)
        .join(' ');
      products.push({
        productId: item.productId,
        terms: new Set(searchTokens(text)),
        codes: variants.flatMap((v) => [v.sku, v.barcode]).flatMap((code) => (code ? [compactCode(code)] : [])),
      });
    }
    cursor = page.cursor;
  } while (cursor && products.length < MAX_INDEXED_PRODUCTS);
  return { builtAt: Date.now(), products, partial: Boolean(cursor) };
}

async function indexOf(deps: StoreViewDeps, tenantId: string): Promise<CatalogueIndex> {
  const cached = indexes.get(tenantId);
  if (cached && Date.now() - cached.builtAt < INDEX_TTL_MS) return cached;
  const built = await buildIndex(deps, tenantId);
  indexes.delete(tenantId);
  indexes.set(tenantId, built);
  while (indexes.size > CACHED_BUSINESSES) {
    const oldest = indexes.keys().next().value;
    if (oldest === undefined) break;
    indexes.delete(oldest);
  }
  return built;
}

const idOf = (gid: string | undefined) => (gid ? (gid.split('?')[0]?.split('/').pop() ?? null) : null);

export interface ProductForModel {
  title: string;
  productType: string | null;
  variants: {
    title: string;
    sku: string | null;
    /** The exact decimal Shopify sent, never a float. */
    price: { amount: string; currencyCode: string | null };
    compareAtPrice: string | null;
    stock: { locationId: string; available: number }[];
    totalAvailable: number;
  }[];
}

export interface ProductSearch {
  products: ProductForModel[];
  citations: Citation[];
  /** The index stopped at {@link MAX_INDEXED_PRODUCTS}: a product past it may exist. */
  partial: boolean;
}

export async function searchProducts(deps: StoreViewDeps, tenantId: string, query: string): Promise<ProductSearch> {
  const terms = searchTokens(query);
  const code = compactCode(query);
  const index = await indexOf(deps, tenantId);
  if (terms.length === 0 && code.length < 3) return { products: [], citations: [], partial: index.partial };
  const ranked = index.products
    .map((product) => ({
      productId: product.productId,
      // A SKU or barcode typed in full is the product meant, whatever its title says.
      score: (code.length >= 3 && product.codes.includes(code) ? 100 : 0) + matchScore(terms, product.terms),
    }))
    .filter((hit) => hit.score > 0)
    .sort((a, b) => b.score - a.score || a.productId.localeCompare(b.productId))
    .slice(0, TOP_PRODUCTS);
  if (ranked.length === 0) return { products: [], citations: [], partial: index.partial };
  const [currencyCode, fresh] = await Promise.all([
    productCurrency(deps, tenantId),
    deps.store.entities.shopProduct.get(ranked.map((hit) => ({ tenantId, productId: hit.productId }))).go(),
  ]);
  const byId = new Map(fresh.data.map((product) => [product.productId, product]));
  const products: ProductForModel[] = [];
  const citations: Citation[] = [];
  for (const hit of ranked) {
    const product = byId.get(hit.productId);
    // Deleted or unpublished since the index was built: not offered.
    if (product?.status !== 'active') continue;
    const variants = ((product.variants ?? []) as Variant[]).slice(0, VARIANTS_PER_PRODUCT);
    products.push({
      title: product.title,
      productType: product.productType ?? null,
      variants: await Promise.all(
        variants.map(async (variant) => {
          const item = idOf(variant.inventoryItemId);
          const stock = item ? await stockOf(deps, tenantId, item) : [];
          return {
            title: variant.title,
            sku: variant.sku ?? null,
            price: { amount: variant.price, currencyCode },
            compareAtPrice: variant.compareAtPrice ?? null,
            stock,
            totalAvailable: stock.reduce((sum, level) => sum + Math.max(0, level.available), 0),
          };
        }),
      ),
    });
    citations.push({ kind: 'product', id: product.productId, label: product.title });
  }
  return { products, citations, partial: index.partial };
}
