import { Badge, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type StoreProduct, useStoreProducts } from '../../api/store';
import { RouterAnchor } from '../../components/RouterAnchor';
import { useBusiness } from '../../shell/BusinessContext';
import { useFormatPrice } from './format';
import { PagedList } from './PagedList';

/**
 * Products with each variant's SKU, price and units available per location. Stock is moved,
 * transferred and compared with Shopify in the back office's stock page, linked from here.
 */
export function ProductsList() {
  const { t } = useTranslation();
  const { tenantId, can } = useBusiness();
  const products = useStoreProducts(tenantId);
  return (
    <Stack gap="sm">
      {can('stock.read') && (
        <RouterAnchor to={`/b/${tenantId}/inventory`} size="sm" w="fit-content">
          {t('store.product.manageStock')}
        </RouterAnchor>
      )}
      <PagedList query={products} label={t('store.tabs.products')} empty={t('store.noProducts')}>
        {(product) => <ProductCard key={product.productId} product={product} />}
      </PagedList>
    </Stack>
  );
}

function ProductCard({ product }: { product: StoreProduct }) {
  const { t, i18n } = useTranslation();
  const formatPrice = useFormatPrice();
  const statusKey = `store.product.status.${product.status}`;
  return (
    <Paper component="li" withBorder radius="md" p="sm" data-testid="store-product">
      <Group justify="space-between" gap="xs">
        <Text fw={600}>{product.title}</Text>
        <Badge variant="light" color={product.status === 'active' ? 'green' : 'gray'} c="gray.9">
          {i18n.exists(statusKey) ? t(statusKey as 'store.product.status.active') : product.status}
        </Badge>
      </Group>
      {/* Narrow enough for a phone: three columns, the stock listed per location in one cell. */}
      <Table.ScrollContainer minWidth={280}>
        <Table mt="xs" verticalSpacing={4} fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('store.product.variant')}</Table.Th>
              <Table.Th>{t('store.product.price')}</Table.Th>
              <Table.Th>{t('store.product.stock')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {product.variants.map((variant) => (
              <Table.Tr key={variant.variantId}>
                <Table.Td>
                  {variant.title}
                  {variant.sku && (
                    <Text size="xs" c="gray.7">
                      {variant.sku}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {formatPrice(variant.price, product.currencyCode)}
                  {variant.compareAtPrice && (
                    <Text
                      size="xs"
                      c="gray.7"
                      td="line-through"
                      aria-label={`${t('store.product.compareAt')} ${formatPrice(variant.compareAtPrice, product.currencyCode)}`}
                    >
                      {formatPrice(variant.compareAtPrice, product.currencyCode)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {variant.stock.length === 0 ? (
                    <Text size="xs" c="gray.7">
                      {t('store.product.noStock')}
                    </Text>
                  ) : (
                    <Stack component="ul" gap={0} p={0} m={0} style={{ listStyle: 'none' }}>
                      {variant.stock.map((level) => (
                        <Text component="li" size="sm" key={level.locationId} data-testid="store-stock">
                          {t('store.product.location', { id: level.locationId })}: {level.available}
                        </Text>
                      ))}
                    </Stack>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
