import { Navigate } from 'react-router';
import { homeArea } from './areas';
import { useBusiness } from './BusinessContext';

/** `/b/:tenantId`: the first area the member's role can use (the inbox for most). */
export function BusinessHome() {
  const { tenantId, can } = useBusiness();
  return <Navigate to={`/b/${tenantId}/${homeArea(can).path}`} replace />;
}
