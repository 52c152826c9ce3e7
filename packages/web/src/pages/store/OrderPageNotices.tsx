import { Badge, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type OrderNoticeView, useOrderNotices } from '../../api/order-notices';
import { useFormatDateTime } from '../../components/format';
import { QueryState } from '../../components/QueryState';
import { SectionCard } from '../../components/SectionCard';

const STATE_COLOR: Record<OrderNoticeView['state'], string> = {
  sending: 'blue',
  sent: 'blue',
  delivered: 'green',
  read: 'green',
  failed: 'red',
  skipped: 'gray',
};

/**
 * The server's reasons for a skip (order-notices/notices.ts), in the user's language; a reason
 * not listed (a provider's own words, e.g. 'İYS rejected') is shown as given.
 */
const REASON_KEYS: Record<string, string> = {
  restricted: 'restricted',
  'opted out': 'optedOut',
  'no email address': 'noEmail',
  'no phone number': 'noPhone',
  'SMS not configured': 'smsNotConfigured',
  'email sending is not set up': 'emailNotSetUp',
  'no WhatsApp number connected': 'noWhatsAppNumber',
  'no approved WhatsApp template': 'noTemplate',
  'email address bounced before': 'bounced',
  'email address bounced': 'bounced',
  'customer marked an earlier email as spam': 'complained',
  'email address complained': 'complained',
};

/**
 * The order page's Notifications: each confirmation and shipping notice by channel, with what
 * became of it (sent, delivered, failed) or why it was skipped, as the provider last reported.
 */
export function OrderPageNotices({ tenantId, orderId }: { tenantId: string; orderId: string }) {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  const notices = useOrderNotices(tenantId, orderId);
  return (
    <SectionCard title={t('orderNotices.orderTitle')} titleId="order-notices" testId="store-order-notices">
      <QueryState query={notices}>
        {({ notices: list }) =>
          list.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('orderNotices.none')}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={320}>
              <Table fz="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('orderNotices.eventColumn')}</Table.Th>
                    <Table.Th>{t('orderNotices.channelColumn')}</Table.Th>
                    <Table.Th>{t('orderNotices.stateColumn')}</Table.Th>
                    <Table.Th>{t('orderNotices.atColumn')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.map((notice) => (
                    <Table.Tr
                      key={`${notice.event}-${notice.channel}`}
                      data-testid={`notice-${notice.event}-${notice.channel}`}
                    >
                      <Table.Td>{t(`orderNotices.event.${notice.event}`)}</Table.Td>
                      <Table.Td>{t(`orderNotices.channel.${notice.channel}`)}</Table.Td>
                      <Table.Td>
                        <Badge color={STATE_COLOR[notice.state]} variant="light" c="gray.9">
                          {t(`orderNotices.state.${notice.state}`)}
                        </Badge>
                        {notice.reason && (
                          <Text size="xs" c="gray.7">
                            {REASON_KEYS[notice.reason]
                              ? t(
                                  `orderNotices.reason.${REASON_KEYS[notice.reason]}` as 'orderNotices.reason.restricted',
                                )
                              : notice.reason}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>{formatDate(notice.at)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryState>
    </SectionCard>
  );
}
