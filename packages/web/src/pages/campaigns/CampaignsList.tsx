import { Anchor, Badge, Button, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type CampaignState, type CampaignSummary, useCampaigns } from '../../api/campaigns';
import { useFormatDateTime } from '../../components/format';
import { QueryState } from '../../components/QueryState';
import { SectionCard } from '../../components/SectionCard';

/** The business's campaigns, newest first: a draft opens in the editor, the others on their own page. */

export const CAMPAIGN_STATE_COLORS: Record<CampaignState, string> = {
  draft: 'gray',
  scheduled: 'violet',
  sending: 'blue',
  paused: 'yellow',
  completed: 'green',
  cancelled: 'red',
};

function CampaignsTable({ tenantId, campaigns }: { tenantId: string; campaigns: CampaignSummary[] }) {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  if (campaigns.length === 0) return <Text size="sm">{t('campaigns.empty')}</Text>;
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table aria-label={t('campaigns.title')} data-testid="campaigns-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('campaigns.name')}</Table.Th>
            <Table.Th scope="col">{t('campaigns.state')}</Table.Th>
            <Table.Th scope="col">{t('campaigns.sent')}</Table.Th>
            <Table.Th scope="col">{t('campaigns.created')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {campaigns.map((campaign) => {
            const sent =
              campaign.counts.sent + campaign.counts.delivered + campaign.counts.read + campaign.counts.replied;
            return (
              <Table.Tr key={campaign.campaignId} data-testid="campaign-row" data-state={campaign.state}>
                <Table.Td>
                  <Anchor
                    component={Link}
                    to={
                      campaign.state === 'draft'
                        ? `/b/${tenantId}/campaigns/${campaign.campaignId}/edit`
                        : `/b/${tenantId}/campaigns/${campaign.campaignId}`
                    }
                    c="blue.9"
                  >
                    {campaign.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Badge color={CAMPAIGN_STATE_COLORS[campaign.state]} variant="light" c="gray.9">
                    {t(`campaigns.states.${campaign.state}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {campaign.state === 'draft'
                    ? '—'
                    : t('campaigns.sentOf', { sent, audience: campaign.counts.audience })}
                </Table.Td>
                <Table.Td>{formatDate(campaign.createdAt)}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function CampaignsList({ tenantId }: { tenantId: string }) {
  const { t } = useTranslation();
  const campaigns = useCampaigns(tenantId);
  return (
    <SectionCard titleId="campaigns-title" title={t('campaigns.title')} testId="campaigns-list">
      <div>
        <Button component={Link} to={`/b/${tenantId}/campaigns/new`}>
          {t('campaigns.new')}
        </Button>
      </div>
      <QueryState query={campaigns}>{(data) => <CampaignsTable tenantId={tenantId} campaigns={data} />}</QueryState>
    </SectionCard>
  );
}
