import {
  brokenNameRule,
  brokenPasswordRule,
  emailSchema,
  NAME_MAX_LENGTH,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  totpCodeSchema,
} from '@asistone/contract/accounts';
import { recoveryCodeSchema, secondFactorCodeSchema } from '@asistone/contract/auth';
import { useTranslation } from 'react-i18next';

/**
 * Form checks that are the API's own rules (the contract's schemas), worded in the reader's
 * language: a form that passes them sends what the API accepts. The API checks again anyway.
 */
export function useFormRules() {
  const { t } = useTranslation();
  return {
    /** For a password being chosen (sign-up, invitation, reset), not for signing in. */
    newPassword: (value: string) => {
      const broken = brokenPasswordRule(value);
      return broken
        ? t(`validation.password.${broken}`, { minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
        : null;
    },
    newPasswordHint: t('auth.passwordHint', { min: PASSWORD_MIN_LENGTH }),
    /** A person's or a business's name. */
    name: (value: string) => {
      switch (brokenNameRule(value)) {
        case null:
          return null;
        case 'required':
          return t('validation.required');
        case 'tooLong':
          return t('validation.nameTooLong', { maxLength: NAME_MAX_LENGTH });
        case 'controlCharacter':
          return t('validation.nameControlCharacter');
        case 'directionCharacter':
          return t('validation.nameDirectionCharacter');
      }
    },
    email: (value: string) => (emailSchema.safeParse(value.trim()).success ? null : t('validation.email')),
    totpCode: (value: string) => (totpCodeSchema.safeParse(value.trim()).success ? null : t('validation.totpCode')),
    recoveryCode: (value: string) =>
      recoveryCodeSchema.safeParse(value).success ? null : t('validation.recoveryCode'),
    /** A code from the app or a recovery code: what a change to the second factor accepts. */
    secondFactorCode: (value: string) =>
      secondFactorCodeSchema.safeParse(value).success ? null : t('validation.secondFactorCode'),
  };
}
