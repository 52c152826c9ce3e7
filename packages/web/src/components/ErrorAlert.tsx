import { Alert, Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type ErrorOverrides, useDescribeError } from './errors';

interface ErrorAlertProps {
  error: unknown;
  overrides?: ErrorOverrides;
  onRetry?: () => void;
}

/** An API or network error, said in the user's language; announced to screen readers. */
export function ErrorAlert({ error, overrides, onRetry }: ErrorAlertProps) {
  const { t } = useTranslation();
  const describe = useDescribeError();
  if (!error) return null;
  return (
    <Alert color="red" variant="light" role="alert" data-testid="error-alert">
      <Group justify="space-between" gap="sm">
        <span>{describe(error, overrides)}</span>
        {onRetry && (
          <Button size="xs" variant="default" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        )}
      </Group>
    </Alert>
  );
}
