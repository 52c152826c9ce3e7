import { useTranslation } from 'react-i18next';
import { useMembers } from '../../api/queries';
import { type StockLevel, type StockLocation, type StockView, useStockView } from '../../api/stock';
import { useBusiness } from '../../shell/BusinessContext';

/**
 * How the stock pages name what the API identifies by id: a variant by its product and variant
 * titles, a location by its name, a member by theirs.
 */

/** What a variant is called: "Product — Variant", or the product alone when it has one variant. */
export function variantName(
  item: { productTitle?: string; variantTitle?: string; inventoryItemId: string },
  fallback: string,
): string {
  const product = item.productTitle ?? fallback;
  // Shopify names the only variant of a product "Default Title".
  const variant = item.variantTitle && item.variantTitle !== 'Default Title' ? item.variantTitle : undefined;
  return variant ? `${product} — ${variant}` : product;
}

/** One variant: its name, SKU and its stock at each location it has a record at. */
export interface StockedVariant {
  inventoryItemId: string;
  productTitle?: string;
  variantTitle?: string;
  sku?: string;
  levels: Map<string, StockLevel>;
}

/** The levels, one entry per variant, products in alphabetical order and a product's variants together. */
/** What a form about one variant at one of its locations is given: the dialogs of the Stock tab. */
export interface VariantFormProps {
  variant: StockedVariant;
  locations: readonly StockLocation[];
  initialLocationId: string;
  onDone: () => void;
}

export function stockedVariants(levels: readonly StockLevel[]): StockedVariant[] {
  const variants = new Map<string, StockedVariant>();
  for (const level of levels) {
    const variant = variants.get(level.inventoryItemId) ?? {
      inventoryItemId: level.inventoryItemId,
      productTitle: level.productTitle,
      variantTitle: level.variantTitle,
      sku: level.sku,
      levels: new Map<string, StockLevel>(),
    };
    variant.levels.set(level.locationId, level);
    variants.set(level.inventoryItemId, variant);
  }
  return [...variants.values()].sort(
    (a, b) =>
      (a.productTitle ?? '').localeCompare(b.productTitle ?? '', 'tr') ||
      (a.variantTitle ?? '').localeCompare(b.variantTitle ?? '', 'tr') ||
      a.inventoryItemId.localeCompare(b.inventoryItemId),
  );
}

/**
 * Every location of the view: those the API lists, then any a level names that the list does
 * not (a location closed in Shopify still holding a record), Shopify's first.
 */
export function viewLocations(view: StockView): StockLocation[] {
  const known = new Map(view.locations.map((location) => [location.locationId, location]));
  for (const level of view.levels) {
    if (!known.has(level.locationId)) {
      known.set(level.locationId, {
        locationId: level.locationId,
        name: level.locationId,
        source: level.locationId.startsWith('as-') ? 'asistone' : 'shopify',
        fulfillsOnlineOrders: false,
      });
    }
  }
  const order = { shopify: 0, asistone: 1 } as const;
  return [...known.values()].sort((a, b) => order[a.source] - order[b.source]);
}

/** A change as the merchant writes it: "+5", "−3" (a real minus sign, read out as minus). */
export const signed = (delta: number) => (delta > 0 ? `+${delta}` : `−${Math.abs(delta)}`);

/** A location's name from a list, else its id. */
export const locationName = (locations: readonly StockLocation[], locationId: string) =>
  locations.find((location) => location.locationId === locationId)?.name ?? locationId;

/** Who made a ledger line: "You", a teammate's name, "Team member", or Shopify's own change. */
export function useActorName() {
  const { t } = useTranslation();
  const { tenantId, me } = useBusiness();
  const members = useMembers(tenantId);
  return (actorId: string | undefined): string => {
    if (!actorId) return t('stock.ledger.shopify');
    if (actorId === me.user.id) return t('stock.ledger.you');
    return members.data?.find((member) => member.userId === actorId)?.name ?? t('stock.ledger.member');
  };
}

/**
 * The locations as the stock view names them (a Shopify location not yet named by the
 * reconcile included, by its number), for pages that show stock by location id.
 */
export function useViewLocations(): StockLocation[] {
  const { tenantId } = useBusiness();
  const view = useStockView(tenantId);
  return view.data ? viewLocations(view.data) : [];
}
