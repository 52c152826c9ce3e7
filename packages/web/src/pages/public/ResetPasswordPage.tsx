import { Alert, Button, PasswordInput, Stack, Text } from '@mantine/core';
import { matchesField, useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { authApi } from '../../api/endpoints';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useFormRules } from '../../components/formRules';
import { PageHeader } from '../../components/PageHeader';
import { PublicLayout } from '../../components/PublicLayout';
import { RouterAnchor } from '../../components/RouterAnchor';
import { useSession } from '../../session/SessionProvider';

const LINK_ERRORS = { not_found: 'invalid_token', conflict: 'invalid_token' } as const;

/** `/reset-password?token=…`: sets a new password; the API signs out every session. */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token');
  const { forget } = useSession();
  const rules = useFormRules();
  const confirm = useMutation({
    mutationFn: (password: string) => authApi.confirmPasswordReset(token ?? '', password),
    onSuccess: forget,
  });
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { password: '', confirmPassword: '' },
    validate: {
      password: rules.newPassword,
      confirmPassword: matchesField('password', t('validation.passwordMismatch')),
    },
  });

  return (
    <PublicLayout>
      <Stack>
        <PageHeader title={t('auth.resetConfirmTitle')} />
        {!token ? (
          <>
            <Alert color="red" variant="light" role="alert" c="red.9">
              {t('auth.resetMissingToken')}
            </Alert>
            <RouterAnchor to="/forgot-password">{t('auth.requestNewLink')}</RouterAnchor>
          </>
        ) : confirm.isSuccess ? (
          <>
            <Alert color="green" variant="light" role="status" c="green.9">
              {t('auth.resetConfirmDone')}
            </Alert>
            <Text size="sm">{t('auth.resetKeepsSecondFactor')}</Text>
            <RouterAnchor to="/login">{t('auth.loginLink')}</RouterAnchor>
          </>
        ) : (
          <form noValidate onSubmit={form.onSubmit((values) => confirm.mutate(values.password))}>
            <Stack>
              {confirm.isError && (
                <>
                  <ErrorAlert error={confirm.error} overrides={LINK_ERRORS} />
                  <RouterAnchor to="/forgot-password" size="sm">
                    {t('auth.requestNewLink')}
                  </RouterAnchor>
                </>
              )}
              <PasswordInput
                label={t('auth.newPassword')}
                description={rules.newPasswordHint}
                autoComplete="new-password"
                required
                key={form.key('password')}
                {...form.getInputProps('password')}
              />
              <PasswordInput
                label={t('auth.confirmPassword')}
                autoComplete="new-password"
                required
                key={form.key('confirmPassword')}
                {...form.getInputProps('confirmPassword')}
              />
              <Button type="submit" loading={confirm.isPending} fullWidth>
                {t('auth.resetConfirmSubmit')}
              </Button>
            </Stack>
          </form>
        )}
      </Stack>
    </PublicLayout>
  );
}
