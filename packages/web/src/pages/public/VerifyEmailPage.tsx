import { Alert, Center, Loader, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useVerifyEmail } from '../../api/queries';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { PublicLayout } from '../../components/PublicLayout';
import { RouterAnchor } from '../../components/RouterAnchor';

const LINK_ERRORS = {
  not_found: 'invalid_token',
  invalid_request: 'invalid_token',
  conflict: 'invalid_token',
} as const;

/** `/verify-email?token=…`: the link from the verification mail. */
export function VerifyEmailPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token');
  const verify = useVerifyEmail(token);

  return (
    <PublicLayout>
      <Stack>
        <PageHeader title={t('auth.verifyTitle')} />
        {!token ? (
          <Alert color="red" variant="light" role="alert" c="red.9">
            {t('auth.verifyMissingToken')}
          </Alert>
        ) : verify.isPending ? (
          <Center py="md">
            <Loader size="sm" aria-label={t('auth.verifying')} />
          </Center>
        ) : verify.isError ? (
          <ErrorAlert error={verify.error} overrides={LINK_ERRORS} />
        ) : (
          <Alert color="green" variant="light" role="status" c="green.9" data-testid="email-verified">
            {t('auth.verified')}
          </Alert>
        )}
        <RouterAnchor to="/login">{t('auth.loginLink')}</RouterAnchor>
      </Stack>
    </PublicLayout>
  );
}
