import './inbox.css';
import { Box, Flex, Group, Text } from '@mantine/core';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { useChannels } from '../../api/channels';
import type { ConversationFilters } from '../../api/inbox-types';
import { useMembers } from '../../api/queries';
import { NoAccess } from '../../components/NoAccess';
import { PageHeader } from '../../components/PageHeader';
import { RouterAnchor } from '../../components/RouterAnchor';
import { useBusiness } from '../../shell/BusinessContext';
import { ConversationList, filtersFrom, searchOf } from './ConversationList';
import { Thread } from './Thread';

/**
 * The inbox: the conversations of every channel and the open one's thread side by side; on a
 * phone (below `md`) one at a time, the thread with a link back to the list. The address says
 * which conversation is open (`/inbox/<id>`) and which filters apply (`?status=open`).
 */
export function InboxPage() {
  const { t } = useTranslation();
  const { tenantId, can } = useBusiness();
  const { conversationId } = useParams();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const filters = filtersFrom(search);
  const members = useMembers(tenantId, can('team.read'));
  const channels = useChannels(tenantId);
  const sandbox = channels.data?.find((channel) => channel.kind === 'sandbox' && channel.status === 'connected');

  const onFiltersChange = useCallback(
    (next: ConversationFilters) => {
      const path = conversationId
        ? `/b/${tenantId}/inbox/${encodeURIComponent(conversationId)}`
        : `/b/${tenantId}/inbox`;
      navigate(`${path}${searchOf(next)}`, { replace: true });
    },
    [conversationId, navigate, tenantId],
  );

  if (!can('conversations.read')) {
    return (
      <>
        <PageHeader title={t('areas.inbox.title')} />
        <NoAccess />
      </>
    );
  }

  const noChannel = channels.data && channels.data.filter((channel) => channel.status !== 'disconnected').length === 0;

  return (
    <>
      <PageHeader title={t('areas.inbox.title')} />
      {noChannel && (
        <Text size="sm" mb="sm">
          {t('inbox.noChannel')}{' '}
          <RouterAnchor to={`/b/${tenantId}/settings/channels`}>{t('inbox.connectChannel')}</RouterAnchor>
        </Text>
      )}
      {sandbox && (
        <Group mb="sm">
          <RouterAnchor to={`/b/${tenantId}/inbox/simulator`} size="sm">
            {t('inbox.openSimulator')}
          </RouterAnchor>
        </Group>
      )}
      <Flex gap="lg" align="flex-start">
        <Box
          component="section"
          aria-label={t('inbox.listTitle')}
          w={{ base: '100%', md: 340 }}
          style={{ flexShrink: 0 }}
          visibleFrom={conversationId ? 'md' : undefined}
        >
          <ConversationList
            tenantId={tenantId}
            filters={filters}
            selectedId={conversationId}
            members={members.data}
            onFiltersChange={onFiltersChange}
          />
        </Box>
        <Box style={{ flex: 1, minWidth: 0 }} visibleFrom={conversationId ? undefined : 'md'}>
          {conversationId ? (
            <Thread key={conversationId} conversationId={conversationId} members={members.data} />
          ) : (
            <Text c="dimmed" py="xl" ta="center">
              {t('inbox.pickConversation')}
            </Text>
          )}
        </Box>
      </Flex>
    </>
  );
}
