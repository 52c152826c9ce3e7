import { currentPolicyVersion } from '@asistone/contract/policies';
import { List, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { PublicLayout } from '../../components/PublicLayout';

const PRIVACY_POINTS = ['encryption', 'logs', 'ai', 'deletion', 'retention', 'meta'] as const;

/** The terms of use and the privacy policy's promises, each at its current version (policies.ts). */
export function LegalPage({ kind }: { kind: 'terms' | 'privacy' }) {
  const { t } = useTranslation();
  return (
    <PublicLayout size="wide">
      <PageHeader
        title={kind === 'terms' ? t('legal.termsTitle') : t('legal.privacyTitle')}
        description={t('legal.version', { version: currentPolicyVersion(kind).version })}
      />
      {kind === 'terms' ? (
        <Text>{t('legal.termsIntro')}</Text>
      ) : (
        <Stack gap="sm">
          <Text>{t('legal.privacyIntro')}</Text>
          <List spacing="xs">
            {PRIVACY_POINTS.map((point) => (
              <List.Item key={point}>{t(`legal.privacyPoints.${point}`)}</List.Item>
            ))}
          </List>
        </Stack>
      )}
    </PublicLayout>
  );
}
