import { useTranslation } from 'react-i18next';

/** Dates in the user's language, e.g. "3 Kas 2026 14:05" / "Nov 3, 2026, 2:05 PM". */
export function useFormatDateTime() {
  const { i18n } = useTranslation();
  const format = new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'tr-TR', {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  return (value: string | number | null | undefined): string => {
    if (value === null || value === undefined || value === '') return '—';
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? String(value) : format.format(date);
  };
}
