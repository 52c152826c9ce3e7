import { Badge, EmptyState } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AreaIcon } from '../shell/AreaIcon';
import type { AreaId } from '../shell/areas';

/** An area that is not built yet: says what it will do and that it is not available. */
export function AreaEmptyState({ area }: { area: AreaId }) {
  const { t } = useTranslation();
  return (
    <EmptyState
      data-testid="area-empty-state"
      variant="light"
      icon={<AreaIcon area={area} size={28} />}
      title={t('areas.notAvailable')}
      description={t(`areas.${area}.description`)}
      py="xl"
    >
      <EmptyState.Actions>
        <Badge variant="light" color="gray" c="gray.8">
          {t('areas.comingSoonBadge')}
        </Badge>
      </EmptyState.Actions>
    </EmptyState>
  );
}
