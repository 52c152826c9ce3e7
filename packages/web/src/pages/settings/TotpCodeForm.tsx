import { Button, Group, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { useFormRules } from '../../components/formRules';

interface TotpCodeFormProps {
  submitLabel: string;
  loading: boolean;
  color?: string;
  onSubmit(code: string): void;
}

/** One 6-digit code from the authenticator app. */
export function TotpCodeForm({ submitLabel, loading, color, onSubmit }: TotpCodeFormProps) {
  const { t } = useTranslation();
  const rules = useFormRules();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { code: '' },
    validate: { code: rules.totpCode },
  });
  return (
    <form noValidate onSubmit={form.onSubmit((values) => onSubmit(values.code.trim()))}>
      <Group align="flex-start" gap="sm">
        <TextInput
          label={t('auth.totpLabel')}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          w={180}
          key={form.key('code')}
          {...form.getInputProps('code')}
        />
        <Button type="submit" loading={loading} color={color} mt={25}>
          {submitLabel}
        </Button>
      </Group>
    </form>
  );
}
