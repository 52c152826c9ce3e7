import { Alert, Badge, Button, Code, CopyButton, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSecondFactor, useTotpMutations } from '../../api/queries';
import { ErrorAlert } from '../../components/ErrorAlert';
import { notify } from '../../components/notify';
import { PageHeader } from '../../components/PageHeader';
import { useBusiness } from '../../shell/BusinessContext';
import { RecoveryCodesPanel } from './RecoveryCodesPanel';
import { reauthErrorOverrides, TotpCodeForm } from './TotpCodeForm';

// The QR encoder is needed on this page only, and only during setup: its own small chunk.
const QrCode = lazy(async () => ({ default: (await import('./QrCode')).QrCode }));

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

/** How many recovery codes are left; none left is a warning, since a lost phone would lock the person out. */
function RecoveryCodesLeft() {
  const { t } = useTranslation();
  const secondFactor = useSecondFactor();
  const left = secondFactor.data?.recoveryCodesLeft;
  if (left === undefined) return null;
  return left === 0 ? (
    <Alert color="red" variant="light" c="red.9" data-testid="recovery-codes-left">
      {t('security.recoveryNone')}
    </Alert>
  ) : (
    <Text size="sm" data-testid="recovery-codes-left">
      {t('security.recoveryLeft', { count: left })}
    </Text>
  );
}

/**
 * Settings › Security: turn two-step verification (TOTP) on or off, and keep recovery codes.
 * Every change asks for the password again (and a current code when it is on).
 */
export function SecurityPage() {
  const { t } = useTranslation();
  const { me } = useBusiness();
  const { setup, enable, disable, regenerate } = useTotpMutations();
  const enabled = me.user.totpEnabled;
  /** Codes just issued: shown until the person says they saved them, never fetched again. */
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  // Remounts a form after a success, so the password typed into it does not linger.
  const [formRound, setFormRound] = useState(0);
  const nextRound = () => setFormRound((round) => round + 1);

  return (
    <>
      <PageHeader order={2} title={t('security.totpTitle')} description={t('security.totpDescription')} />
      <Group mb="md">
        {/* Dark text on the light tint: Mantine's darkest green on it falls short of 4.5:1. */}
        <Badge color={enabled ? 'green' : 'gray'} variant="light" c={enabled ? 'dark.9' : 'gray.9'} size="lg">
          {enabled ? t('security.totpOn') : t('security.totpOff')}
        </Badge>
      </Group>

      {recoveryCodes && (
        <RecoveryCodesPanel codes={recoveryCodes} email={me.user.email} onDone={() => setRecoveryCodes(null)} />
      )}

      {enabled ? (
        <Stack gap="xl" maw={640}>
          <Stack gap="sm" data-testid="regenerate-recovery-codes">
            <Title order={3} size="h5">
              {t('security.recoveryTitle')}
            </Title>
            <RecoveryCodesLeft />
            <Text size="sm">
              {t('security.regenerateDescription')} {t('security.reauthHint')}
            </Text>
            <TotpCodeForm
              key={`regenerate-${formRound}`}
              accepts="any"
              submitLabel={t('security.regenerateSubmit')}
              loading={regenerate.isPending}
              onSubmit={(proof) =>
                regenerate.mutate(proof, {
                  onSuccess: (answer) => {
                    notify.success(t('security.regenerated'));
                    setRecoveryCodes(answer.recoveryCodes);
                    nextRound();
                  },
                })
              }
            />
            {regenerate.isError && (
              <ErrorAlert error={regenerate.error} overrides={reauthErrorOverrides(regenerate.error)} />
            )}
          </Stack>
          <Stack gap="sm" data-testid="disable-totp">
            <Title order={3} size="h5">
              {t('security.disableTitle')}
            </Title>
            <Text size="sm">{t('security.reauthHint')}</Text>
            <TotpCodeForm
              key={`disable-${formRound}`}
              accepts="any"
              submitLabel={t('security.disableSubmit')}
              color="red"
              loading={disable.isPending}
              onSubmit={(proof) =>
                disable.mutate(proof, {
                  onSuccess: () => {
                    notify.success(t('security.disabled'));
                    setRecoveryCodes(null);
                    nextRound();
                  },
                })
              }
            />
            {disable.isError && <ErrorAlert error={disable.error} overrides={reauthErrorOverrides(disable.error)} />}
          </Stack>
        </Stack>
      ) : !setup.data ? (
        <Stack gap="sm" align="flex-start">
          <Button onClick={() => setup.mutate()} loading={setup.isPending}>
            {t('security.startSetup')}
          </Button>
          {setup.isError && <ErrorAlert error={setup.error} />}
        </Stack>
      ) : (
        <Stack gap="md" maw={640} data-testid="enable-totp">
          <Text size="sm">{t('security.setupInstructions')}</Text>
          <Suspense fallback={<Loader size="sm" />}>
            <QrCode value={setup.data.otpauthUrl} label={t('security.qrLabel')} />
          </Suspense>
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
            accepts="totp"
            submitLabel={t('security.enableSubmit')}
            loading={enable.isPending}
            onSubmit={(proof) =>
              enable.mutate(proof, {
                onSuccess: (answer) => {
                  notify.success(t('security.enabled'));
                  setRecoveryCodes(answer.recoveryCodes);
                  setup.reset();
                },
              })
            }
          />
          {enable.isError && <ErrorAlert error={enable.error} overrides={reauthErrorOverrides(enable.error)} />}
        </Stack>
      )}
    </>
  );
}
