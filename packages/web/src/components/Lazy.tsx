import { Center, Loader } from '@mantine/core';
import { type ComponentType, type LazyExoticComponent, Suspense } from 'react';
import { useTranslation } from 'react-i18next';

/** A page loaded on first use, with a loader meanwhile. */
export function Lazy({ page: Page }: { page: LazyExoticComponent<ComponentType> }) {
  const { t } = useTranslation();
  return (
    <Suspense
      fallback={
        <Center py="lg">
          <Loader size="sm" aria-label={t('app.loading')} />
        </Center>
      }
    >
      <Page />
    </Suspense>
  );
}
