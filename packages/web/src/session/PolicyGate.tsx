import { Alert, Anchor, Button, List, Modal, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAcceptPolicies } from '../api/policies';
import { useMe } from '../api/queries';
import { FullPageLoader } from '../components/FullPageLoader';
import { currentLanguage } from '../i18n';

/**
 * After sign-in, before anything else: when a new version of the terms or the privacy policy
 * was published and the person has not accepted it, a modal that cannot be dismissed lists
 * what changed, links to each document, and records the acceptance. The app behind it is not
 * rendered until then, so nothing can be used without accepting.
 */
export function PolicyGate({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  const accept = useAcceptPolicies();
  if (me.isPending) return <FullPageLoader />;
  const pending = me.data?.pendingPolicies ?? [];
  if (pending.length === 0) return children;
  const language = currentLanguage();
  // The dialog is the page's whole content until accepted: kept inside its main landmark.
  return (
    <main>
      <Modal
        opened
        withinPortal={false}
        onClose={() => {}}
        withCloseButton={false}
        closeOnClickOutside={false}
        closeOnEscape={false}
        centered
        size="lg"
        // Mantine draws the title as the dialog's heading (h2) and names the dialog by it.
        title={t('policyGate.title')}
      >
        <Stack gap="md">
          <Text>{t('policyGate.intro')}</Text>
          {pending.map((policy) => (
            <Stack key={policy.document} gap="xs" data-policy={policy.document}>
              <Title order={3} size="h4">
                {t(`policyGate.documents.${policy.document}`)}
              </Title>
              <Text size="sm" c="dimmed">
                {t('policyGate.version', { version: policy.version })}
              </Text>
              <List spacing="xs">
                {policy.changes[language].map((change) => (
                  <List.Item key={change}>{change}</List.Item>
                ))}
              </List>
              <Anchor href={policy.document === 'terms' ? '/terms' : '/privacy'} target="_blank" rel="noopener">
                {t('policyGate.read', { document: t(`policyGate.documents.${policy.document}`) })}
              </Anchor>
            </Stack>
          ))}
          {accept.isError && <Alert color="red">{t('policyGate.failed')}</Alert>}
          <Button
            loading={accept.isPending}
            onClick={() =>
              accept.mutate(pending.map((policy) => ({ document: policy.document, version: policy.version })))
            }
          >
            {t('policyGate.accept')}
          </Button>
        </Stack>
      </Modal>
    </main>
  );
}
