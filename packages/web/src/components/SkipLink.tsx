import { Anchor } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** The first stop of the keyboard: jumps over the header and navigation to `#main`. */
export function SkipLink() {
  const { t } = useTranslation();
  return (
    <Anchor href="#main" className="skip-link">
      {t('app.skipToContent')}
    </Anchor>
  );
}
