import { Alert, Button, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { authApi } from '../../api/endpoints';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useFormRules } from '../../components/formRules';
import { PageHeader } from '../../components/PageHeader';
import { PublicLayout } from '../../components/PublicLayout';
import { RouterAnchor } from '../../components/RouterAnchor';

/** Asks for a password reset link (the answer never says whether the account exists). */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const rules = useFormRules();
  const request = useMutation({ mutationFn: authApi.requestPasswordReset });
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { email: '' },
    validate: { email: rules.email },
  });

  return (
    <PublicLayout>
      <Stack>
        <PageHeader title={t('auth.resetRequestTitle')} description={t('auth.resetRequestSubtitle')} />
        {request.isSuccess ? (
          <Alert color="green" variant="light" role="status" c="green.9">
            {t('auth.resetRequestDone')}
          </Alert>
        ) : (
          <form noValidate onSubmit={form.onSubmit((values) => request.mutate(values.email.trim()))}>
            <Stack>
              {request.isError && <ErrorAlert error={request.error} />}
              <TextInput
                label={t('common.email')}
                type="email"
                autoComplete="email"
                required
                key={form.key('email')}
                {...form.getInputProps('email')}
              />
              <Button type="submit" loading={request.isPending} fullWidth>
                {t('auth.resetRequestSubmit')}
              </Button>
            </Stack>
          </form>
        )}
        <RouterAnchor to="/login" size="sm">
          {t('common.backToLogin')}
        </RouterAnchor>
      </Stack>
    </PublicLayout>
  );
}
