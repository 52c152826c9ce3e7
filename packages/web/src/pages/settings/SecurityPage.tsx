import { Badge, Button, Code, CopyButton, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useTotpMutations } from '../../api/queries';
import { ErrorAlert } from '../../components/ErrorAlert';
import { notify } from '../../components/notify';
import { PageHeader } from '../../components/PageHeader';
import { useBusiness } from '../../shell/BusinessContext';
import { TotpCodeForm } from './TotpCodeForm';

function CopyValue({ value }: { value: string }) {
  const { t } = useTranslation();
  return (
    <CopyButton value={value}>
      {({ copied, copy }) => (
        <Button size="xs" variant="default" onClick={copy}>
          {copied ? t('security.copied') : t('security.copy')}
        </Button>
      )}
    </CopyButton>
  );
}

/** Settings › Security: turn two-step verification (TOTP) on or off. */
export function SecurityPage() {
  const { t } = useTranslation();
  const { me } = useBusiness();
  const { setup, enable, disable } = useTotpMutations();
  const enabled = me.user.totpEnabled;

  return (
    <>
      <PageHeader order={2} title={t('security.totpTitle')} description={t('security.totpDescription')} />
      <Group mb="md">
        <Badge color={enabled ? 'green' : 'gray'} variant="light" c={enabled ? 'green.9' : 'gray.9'} size="lg">
          {enabled ? t('security.totpOn') : t('security.totpOff')}
        </Badge>
      </Group>

      {enabled ? (
        <Stack gap="sm" maw={520}>
          <Title order={3} size="h5">
            {t('security.disableTitle')}
          </Title>
          <TotpCodeForm
            submitLabel={t('security.disableSubmit')}
            color="red"
            loading={disable.isPending}
            onSubmit={(code) =>
              disable.mutate(code, {
                onSuccess: () => notify.success(t('security.disabled')),
              })
            }
          />
          {disable.isError && <ErrorAlert error={disable.error} overrides={{ invalid_credentials: 'invalid_totp' }} />}
        </Stack>
      ) : !setup.data ? (
        <Stack gap="sm" align="flex-start">
          <Button onClick={() => setup.mutate()} loading={setup.isPending}>
            {t('security.startSetup')}
          </Button>
          {setup.isError && <ErrorAlert error={setup.error} />}
        </Stack>
      ) : (
        <Stack gap="md" maw={640}>
          <Text size="sm">{t('security.setupInstructions')}</Text>
          <div>
            <Text size="sm" fw={600} id="totp-secret-label">
              {t('security.secret')}
            </Text>
            <Code
              block
              aria-labelledby="totp-secret-label"
              fz="md"
              data-testid="totp-secret"
              style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}
            >
              {setup.data.secret}
            </Code>
            <Group mt={4}>
              <CopyValue value={setup.data.secret} />
            </Group>
          </div>
          <div>
            <Text size="sm" fw={600} id="totp-url-label">
              {t('security.otpauthUrl')}
            </Text>
            <Code block aria-labelledby="totp-url-label" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
              {setup.data.otpauthUrl}
            </Code>
            <Group mt={4}>
              <CopyValue value={setup.data.otpauthUrl} />
            </Group>
          </div>
          <TotpCodeForm
            submitLabel={t('security.enableSubmit')}
            loading={enable.isPending}
            onSubmit={(code) =>
              enable.mutate(code, {
                onSuccess: () => {
                  notify.success(t('security.enabled'));
                  setup.reset();
                },
              })
            }
          />
          {enable.isError && <ErrorAlert error={enable.error} overrides={{ invalid_credentials: 'invalid_totp' }} />}
        </Stack>
      )}
    </>
  );
}
