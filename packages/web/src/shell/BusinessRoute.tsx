import { EmptyState } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useMe } from '../api/queries';
import { ErrorAlert } from '../components/ErrorAlert';
import { FullPageLoader } from '../components/FullPageLoader';
import { PublicLayout } from '../components/PublicLayout';
import { RouterAnchor } from '../components/RouterAnchor';
import { rememberBusiness } from '../session/lastBusiness';
import { AppLayout } from './AppLayout';
import { BusinessContext, businessValue } from './BusinessContext';

/** `/b/:tenantId/*`: resolves the member's role in the business and renders the shell. */
export function BusinessRoute() {
  const { t } = useTranslation();
  const { tenantId = '' } = useParams();
  const me = useMe();
  const membership = me.data?.businesses.find((b) => b.tenantId === tenantId);

  useEffect(() => {
    if (membership) rememberBusiness(membership.tenantId);
  }, [membership]);

  if (me.isPending) return <FullPageLoader />;
  if (me.isError) {
    return (
      <PublicLayout>
        <ErrorAlert error={me.error} onRetry={() => void me.refetch()} />
      </PublicLayout>
    );
  }
  if (!membership) {
    return (
      <PublicLayout>
        <EmptyState title={t('shell.unknownBusinessTitle')} description={t('shell.unknownBusiness')}>
          <EmptyState.Actions>
            <RouterAnchor to="/">{t('shell.goHome')}</RouterAnchor>
          </EmptyState.Actions>
        </EmptyState>
      </PublicLayout>
    );
  }
  return (
    <BusinessContext.Provider value={businessValue(me.data, membership)}>
      <AppLayout />
    </BusinessContext.Provider>
  );
}
