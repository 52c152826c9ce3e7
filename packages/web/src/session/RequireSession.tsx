import { Navigate, Outlet, useLocation } from 'react-router';
import { FullPageLoader } from '../components/FullPageLoader';
import { PolicyGate } from './PolicyGate';
import { useSession } from './SessionProvider';

/** Routes behind sign-in: waits for the session check, else sends to login and back. */
export function RequireSession() {
  const { status, signedOutByUser } = useSession();
  const location = useLocation();
  if (status === 'checking') return <FullPageLoader />;
  if (status === 'signedOut') {
    if (signedOutByUser) return <Navigate to="/login" replace />;
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  // A new version of the terms or the privacy policy is accepted before anything else.
  return (
    <PolicyGate>
      <Outlet />
    </PolicyGate>
  );
}
