import { CURRENT_TERMS_VERSION } from '@asistone/contract/accounts';
import { Alert, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { authApi } from '../../api/endpoints';
import { useStage } from '../../api/queries';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useFormRules } from '../../components/formRules';
import { PageHeader } from '../../components/PageHeader';
import { PublicLayout } from '../../components/PublicLayout';
import { RouterAnchor } from '../../components/RouterAnchor';
import { ConsentCheckboxes } from './ConsentCheckboxes';

/** Opens a business account; the API then mails a verification link. */
export function SignupPage() {
  const { t } = useTranslation();
  const stage = useStage();
  const rules = useFormRules();
  const signup = useMutation({ mutationFn: authApi.signup });
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { businessName: '', name: '', email: '', password: '', ageConfirmed: false, acceptTerms: false },
    validate: {
      businessName: rules.name,
      name: rules.name,
      email: rules.email,
      password: rules.newPassword,
      ageConfirmed: (value) => (value ? null : t('validation.ageConfirmed')),
      acceptTerms: (value) => (value ? null : t('validation.acceptTerms')),
    },
  });

  if (signup.isSuccess) {
    return (
      <PublicLayout>
        <Stack>
          <PageHeader title={t('auth.signupDoneTitle')} />
          <Alert color="green" variant="light" role="status" c="green.9" data-testid="signup-done">
            {t('auth.signupDone')}
          </Alert>
          {stage.data === 'local' && <RouterAnchor to="/dev/outbox">{t('outbox.title')}</RouterAnchor>}
          <RouterAnchor to="/login">{t('auth.loginLink')}</RouterAnchor>
        </Stack>
      </PublicLayout>
    );
  }

  return (
    <PublicLayout>
      <form
        noValidate
        onSubmit={form.onSubmit((values) =>
          signup.mutate({
            businessName: values.businessName.trim(),
            name: values.name.trim(),
            email: values.email.trim(),
            password: values.password,
            ageConfirmed: true,
            acceptTerms: true,
            termsVersion: CURRENT_TERMS_VERSION,
          }),
        )}
      >
        <Stack>
          <PageHeader title={t('auth.signupTitle')} description={t('auth.signupSubtitle')} />
          {signup.isError && <ErrorAlert error={signup.error} />}
          <TextInput
            label={t('auth.businessName')}
            autoComplete="organization"
            required
            key={form.key('businessName')}
            {...form.getInputProps('businessName')}
          />
          <TextInput
            label={t('auth.yourName')}
            autoComplete="name"
            required
            key={form.key('name')}
            {...form.getInputProps('name')}
          />
          <TextInput
            label={t('common.email')}
            type="email"
            autoComplete="email"
            required
            key={form.key('email')}
            {...form.getInputProps('email')}
          />
          <PasswordInput
            label={t('common.password')}
            description={rules.newPasswordHint}
            autoComplete="new-password"
            required
            key={form.key('password')}
            {...form.getInputProps('password')}
          />
          <ConsentCheckboxes form={form} />
          <Button type="submit" loading={signup.isPending} fullWidth>
            {t('auth.signupSubmit')}
          </Button>
          <Text size="sm">
            {t('auth.haveAccount')} <RouterAnchor to="/login">{t('auth.loginLink')}</RouterAnchor>
          </Text>
        </Stack>
      </form>
    </PublicLayout>
  );
}
