import { Button, Group, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import type { ErrorOverrides } from '../../components/errors';
import { useFormRules } from '../../components/formRules';

export interface Reauthentication {
  password: string;
  code: string;
}

interface TotpCodeFormProps {
  submitLabel: string;
  loading: boolean;
  color?: string;
  /**
   * `totp`: a code from the app only (turning it on proves the new secret works);
   * `any`: a code from the app or a recovery code (the factor is on, the phone may be lost).
   */
  accepts: 'totp' | 'any';
  onSubmit(proof: Reauthentication): void;
}

/**
 * The password again plus a code: a signed-in session alone cannot change the second factor,
 * so a borrowed laptop cannot lock its owner out or switch the factor off.
 */
export function TotpCodeForm({ submitLabel, loading, color, accepts, onSubmit }: TotpCodeFormProps) {
  const { t } = useTranslation();
  const rules = useFormRules();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { password: '', code: '' },
    validate: {
      password: (value: string) => (value === '' ? t('validation.required') : null),
      code: accepts === 'totp' ? rules.totpCode : rules.secondFactorCode,
    },
  });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) => onSubmit({ password: values.password, code: values.code.trim() }))}
    >
      <Stack gap="sm">
        <PasswordInput
          label={t('security.password')}
          autoComplete="current-password"
          required
          maw={320}
          key={form.key('password')}
          {...form.getInputProps('password')}
        />
        <Group align="flex-start" gap="sm">
          <TextInput
            label={accepts === 'totp' ? t('auth.totpLabel') : t('security.secondFactorLabel')}
            inputMode={accepts === 'totp' ? 'numeric' : 'text'}
            autoComplete="one-time-code"
            autoCapitalize="off"
            spellCheck={false}
            maxLength={accepts === 'totp' ? 6 : 12}
            required
            w={accepts === 'totp' ? 180 : 260}
            key={form.key('code')}
            {...form.getInputProps('code')}
          />
          <Button type="submit" loading={loading} color={color} mt={25}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Which field a refused re-authentication was about, said in words the person can act on. */
export function reauthErrorOverrides(error: unknown): ErrorOverrides {
  if (!(error instanceof ApiError) || error.code !== 'invalid_request') return {};
  const paths = (error.issues ?? []).map((issue) => issue.path);
  if (paths.includes('password')) return { invalid_request: 'wrong_password' };
  if (paths.includes('code')) return { invalid_request: 'invalid_second_factor' };
  return {};
}
