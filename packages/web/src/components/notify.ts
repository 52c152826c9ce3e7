import { notifications } from '@mantine/notifications';
import { i18next } from '../i18n';

function show(color: 'green' | 'red', message: string) {
  notifications.show({
    color,
    message,
    // Mantine's close button has no name of its own.
    closeButtonProps: { 'aria-label': i18next.t('common.close') },
  });
}

/** Short confirmations and failures of an action, announced to screen readers. */
export const notify = {
  success: (message: string) => show('green', message),
  error: (message: string) => show('red', message),
};
