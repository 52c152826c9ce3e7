import { Button, EmptyState } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate } from 'react-router';
import { useMe } from '../../api/queries';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FullPageLoader } from '../../components/FullPageLoader';
import { PublicLayout } from '../../components/PublicLayout';
import { pickBusiness } from '../../session/lastBusiness';
import { useSession } from '../../session/SessionProvider';

/** `/`: the last business used (or the first), the login page, or "no business yet: create one". */
export function HomeRedirect() {
  const { t } = useTranslation();
  const { status, signOut } = useSession();
  const navigate = useNavigate();
  const me = useMe();
  if (status === 'signedOut') return <Navigate to="/login" replace />;
  if (status === 'checking' || me.isPending) return <FullPageLoader />;
  if (me.isError) {
    return (
      <PublicLayout>
        <ErrorAlert error={me.error} onRetry={() => void me.refetch()} />
      </PublicLayout>
    );
  }
  const business = pickBusiness(me.data.businesses);
  if (business) return <Navigate to={`/b/${business.tenantId}`} replace />;
  return (
    <PublicLayout>
      <EmptyState>
        <EmptyState.Title order={1}>{t('auth.noBusinessTitle')}</EmptyState.Title>
        <EmptyState.Description>{t('auth.noBusinessOrCreate')}</EmptyState.Description>
        <EmptyState.Actions>
          <Button component={Link} to="/new-business">
            {t('auth.createBusiness')}
          </Button>
          <Button variant="default" onClick={() => void signOut().then(() => navigate('/login'))}>
            {t('shell.logout')}
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </PublicLayout>
  );
}
