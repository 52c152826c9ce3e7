import { Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useContactOrders } from '../../api/store';
import { QueryState } from '../../components/QueryState';
import { useBusiness } from '../../shell/BusinessContext';
import { OrderCard } from './OrdersList';

/**
 * The conversation's Orders panel: the orders of the Shopify customer with the contact's phone
 * number or email, newest first, with their states and tracking, each opening the order.
 */
export function ContactOrdersPanel({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const orders = useContactOrders(tenantId, contactId);
  return (
    <Stack gap="sm" data-testid="contact-orders">
      <QueryState query={orders}>
        {(data) =>
          data.customerIds.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('store.panel.noMatch')}
            </Text>
          ) : data.orders.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('store.panel.none')}
            </Text>
          ) : (
            <Stack
              component="ul"
              gap="xs"
              p={0}
              m={0}
              style={{ listStyle: 'none' }}
              aria-label={t('store.panel.title')}
            >
              {data.orders.map((order) => (
                <OrderCard key={order.orderId} order={order} />
              ))}
            </Stack>
          )
        }
      </QueryState>
    </Stack>
  );
}
