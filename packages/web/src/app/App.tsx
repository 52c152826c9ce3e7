import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router/dom';
import { SessionProvider } from '../session/SessionProvider';
import { queryClient } from './queryClient';
import { router } from './router';
import { cssVariablesResolver, theme } from './theme';

/*
 * Dialogs and notifications are not needed to show a page, only to react to what the user does
 * on it: they load right after the first page instead of holding it back. Both are driven by
 * Mantine's global stores (`modals.openConfirmModal`, `notifications.show`), so they need to be
 * mounted, not to wrap the pages.
 */
const ModalsProvider = lazy(() => import('@mantine/modals').then((module) => ({ default: module.ModalsProvider })));
const Notifications = lazy(() =>
  import('@mantine/notifications').then((module) => ({ default: module.Notifications })),
);

/** Providers, outermost first: theme, data cache, session; then the pages, dialogs and notifications. */
export function App() {
  const { t } = useTranslation();
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      <QueryClientProvider client={queryClient}>
        <SessionProvider>
          {/* Plain updates, not transitions: a clicked link or tab shows its page at once, even on a
              busy device. Pages load through the router (route `lazy`), never by suspending, so
              a transition would only delay the commit. */}
          <RouterProvider router={router} useTransitions={false} />
          <Suspense fallback={null}>
            <Notifications position="top-right" />
            <ModalsProvider
              labels={{ confirm: t('common.confirm'), cancel: t('common.cancel') }}
              modalProps={{ closeButtonProps: { 'aria-label': t('common.close') } }}
            />
          </Suspense>
        </SessionProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
