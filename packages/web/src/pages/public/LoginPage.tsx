import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { isNotEmpty, useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useSearchParams } from 'react-router';
import { authApi } from '../../api/endpoints';
import { useStage } from '../../api/queries';
import type { LoginInput } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { hasCode } from '../../components/errors';
import { useFormRules } from '../../components/formRules';
import { PageHeader } from '../../components/PageHeader';
import { PublicLayout } from '../../components/PublicLayout';
import { RouterAnchor } from '../../components/RouterAnchor';
import { safeNext } from '../../session/lastBusiness';
import { useSession } from '../../session/SessionProvider';

/**
 * Sign in with email and password, then the TOTP code when the account asks for one, or one
 * of the recovery codes when the phone is out of reach.
 */
export function LoginPage() {
  const { t } = useTranslation();
  const { status, expired, signIn } = useSession();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [credentials, setCredentials] = useState<LoginInput | null>(null);
  const [withRecoveryCode, setWithRecoveryCode] = useState(false);
  const stage = useStage();
  const rules = useFormRules();

  const login = useMutation({
    mutationFn: authApi.login,
    onSuccess: signIn,
    onError: (error, input) => {
      // The password was right; the account wants its second factor.
      if (hasCode(error, 'totp_required') && !input.totp && !input.recoveryCode)
        setCredentials({ email: input.email, password: input.password });
    },
  });

  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { email: '', password: '' },
    validate: { email: rules.email, password: isNotEmpty(t('validation.required')) },
  });
  const totpForm = useForm({
    mode: 'uncontrolled',
    initialValues: { totp: '' },
    validate: { totp: (value: string) => (withRecoveryCode ? rules.recoveryCode(value) : rules.totpCode(value)) },
  });

  if (status === 'signedIn') return <Navigate to={next ?? '/'} replace />;

  const showError = login.isError && !(credentials && hasCode(login.error, 'totp_required'));

  return (
    <PublicLayout>
      {credentials ? (
        <form
          noValidate
          onSubmit={totpForm.onSubmit((values) =>
            login.mutate(
              withRecoveryCode
                ? { ...credentials, recoveryCode: values.totp.trim() }
                : { ...credentials, totp: values.totp.trim() },
            ),
          )}
        >
          <Stack>
            {withRecoveryCode ? (
              <PageHeader title={t('auth.recoveryTitle')} description={t('auth.recoveryDescription')} />
            ) : (
              <PageHeader title={t('auth.totpTitle')} description={t('auth.totpDescription')} />
            )}
            {showError && (
              <ErrorAlert
                error={login.error}
                overrides={{ invalid_credentials: withRecoveryCode ? 'invalid_recovery_code' : 'invalid_totp' }}
              />
            )}
            <TextInput
              // A new field for each kind of code: the two take different input.
              key={`${withRecoveryCode ? 'recovery' : 'totp'}-${totpForm.key('totp')}`}
              label={withRecoveryCode ? t('auth.recoveryLabel') : t('auth.totpLabel')}
              inputMode={withRecoveryCode ? 'text' : 'numeric'}
              autoComplete="one-time-code"
              autoCapitalize="off"
              spellCheck={false}
              maxLength={withRecoveryCode ? 12 : 6}
              required
              data-autofocus
              {...totpForm.getInputProps('totp')}
            />
            <Button type="submit" loading={login.isPending} fullWidth>
              {t('auth.totpSubmit')}
            </Button>
            <Anchor
              component="button"
              type="button"
              size="sm"
              onClick={() => {
                setWithRecoveryCode((recovery) => !recovery);
                totpForm.reset();
                login.reset();
              }}
            >
              {withRecoveryCode ? t('auth.useAuthenticatorCode') : t('auth.useRecoveryCode')}
            </Anchor>
            <Anchor
              component="button"
              type="button"
              size="sm"
              onClick={() => {
                setCredentials(null);
                setWithRecoveryCode(false);
                login.reset();
              }}
            >
              {t('auth.totpBack')}
            </Anchor>
          </Stack>
        </form>
      ) : (
        <form noValidate onSubmit={form.onSubmit((values) => login.mutate({ ...values, email: values.email.trim() }))}>
          <Stack>
            <PageHeader title={t('auth.loginTitle')} description={t('auth.loginSubtitle')} />
            {expired && !login.isError && (
              <Alert color="yellow" variant="light" c="yellow.9">
                {t('auth.sessionExpired')}
              </Alert>
            )}
            {showError && <ErrorAlert error={login.error} />}
            <TextInput
              label={t('common.email')}
              type="email"
              autoComplete="username"
              required
              key={form.key('email')}
              {...form.getInputProps('email')}
            />
            <PasswordInput
              label={t('common.password')}
              autoComplete="current-password"
              required
              key={form.key('password')}
              {...form.getInputProps('password')}
            />
            <Button type="submit" loading={login.isPending} fullWidth>
              {t('auth.loginSubmit')}
            </Button>
            <RouterAnchor to="/forgot-password" size="sm">
              {t('auth.forgotPassword')}
            </RouterAnchor>
            <Text size="sm">
              {t('auth.noAccount')} <RouterAnchor to="/signup">{t('auth.signupLink')}</RouterAnchor>
            </Text>
            {stage.data === 'local' && (
              <Text size="sm">
                <RouterAnchor to="/dev/outbox">{t('outbox.title')}</RouterAnchor>
              </Text>
            )}
          </Stack>
        </form>
      )}
    </PublicLayout>
  );
}
