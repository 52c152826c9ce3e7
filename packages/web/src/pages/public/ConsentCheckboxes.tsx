import { Anchor, Checkbox } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { Trans, useTranslation } from 'react-i18next';

interface Consent {
  ageConfirmed: boolean;
  acceptTerms: boolean;
}

/** "I am at least 18" and "I accept the terms and the privacy policy", with links to both. */
export function ConsentCheckboxes<T extends Consent>({ form }: { form: UseFormReturnType<T> }) {
  const { t } = useTranslation();
  return (
    <>
      <Checkbox
        label={t('auth.ageConfirmed')}
        key={form.key('ageConfirmed')}
        {...form.getInputProps('ageConfirmed', { type: 'checkbox' })}
      />
      <Checkbox
        label={
          <Trans
            i18nKey="auth.acceptTerms"
            components={{
              terms: <Anchor href="/terms" target="_blank" rel="noopener" inherit />,
              privacy: <Anchor href="/privacy" target="_blank" rel="noopener" inherit />,
            }}
          />
        }
        key={form.key('acceptTerms')}
        {...form.getInputProps('acceptTerms', { type: 'checkbox' })}
      />
    </>
  );
}
