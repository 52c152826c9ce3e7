import { useTranslation } from 'react-i18next';
import { AreaEmptyState } from '../../components/AreaEmptyState';
import { NoAccess } from '../../components/NoAccess';
import { PageHeader } from '../../components/PageHeader';
import { AREAS, type AreaId } from '../../shell/areas';
import { useBusiness } from '../../shell/BusinessContext';

/** An area of the product that is not built yet (or that the member's role may not open). */
export function AreaPage({ area }: { area: Exclude<AreaId, 'settings'> }) {
  const { t } = useTranslation();
  const { can } = useBusiness();
  const permission = AREAS.find((candidate) => candidate.id === area)?.permission;
  return (
    <>
      <PageHeader title={t(`areas.${area}.title`)} />
      {permission && !can(permission) ? <NoAccess /> : <AreaEmptyState area={area} />}
    </>
  );
}
