import { Anchor, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { RoleNote } from '../../components/NoAccess';
import { PageHeader } from '../../components/PageHeader';
import { useBusiness } from '../../shell/BusinessContext';
import { AudienceCheck } from './AudienceCheck';
import { CampaignSettingsForm } from './CampaignSettings';

/**
 * Before a campaign is sent: who it would reach and why the others would not, at what cost,
 * and the settings that decide it (frequency cap, price, İYS). Owners and admins only.
 */
export function CampaignAudiencePage() {
  const { t } = useTranslation();
  const { tenantId, can } = useBusiness();
  return (
    <Stack gap="lg">
      <Anchor component={Link} to={`/b/${tenantId}/campaigns`} size="sm">
        {t('campaignAudience.back')}
      </Anchor>
      <PageHeader title={t('campaignAudience.title')} description={t('campaignAudience.description')} />
      {can('campaigns.send') ? (
        <>
          <AudienceCheck tenantId={tenantId} />
          <CampaignSettingsForm tenantId={tenantId} />
        </>
      ) : (
        <RoleNote>{t('campaignAudience.managersOnly')}</RoleNote>
      )}
    </Stack>
  );
}
