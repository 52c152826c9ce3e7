import { Alert, Button, Group } from '@mantine/core';
import { useContext } from 'react';
import { useTranslation } from 'react-i18next';
import { BusinessContext } from '../shell/BusinessContext';
import { type ErrorOverrides, isBillingRefusal, useDescribeError } from './errors';
import { RouterAnchor } from './RouterAnchor';

interface ErrorAlertProps {
  error: unknown;
  overrides?: ErrorOverrides;
  onRetry?: () => void;
}

/**
 * An API or network error, said in the user's language; announced to screen readers. A write
 * refused for the plan (a limit, or a read-only business) links the owner to the plans.
 */
export function ErrorAlert({ error, overrides, onRetry }: ErrorAlertProps) {
  const { t } = useTranslation();
  const describe = useDescribeError();
  const business = useContext(BusinessContext);
  if (!error) return null;
  const plans = isBillingRefusal(error) && business?.can('billing.manage');
  return (
    <Alert color="red" variant="light" role="alert" data-testid="error-alert">
      <Group justify="space-between" gap="sm">
        <span>{describe(error, overrides)}</span>
        {plans && business && (
          <RouterAnchor
            to={`/b/${business.tenantId}/settings/billing`}
            size="sm"
            fw={600}
            c="gray.9"
            underline="always"
            data-testid="see-plans"
          >
            {t('billing.limitReached')}
          </RouterAnchor>
        )}
        {onRetry && (
          <Button size="xs" variant="default" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        )}
      </Group>
    </Alert>
  );
}
