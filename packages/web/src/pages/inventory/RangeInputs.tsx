import { TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export interface DayRange {
  from: string;
  to: string;
}

/** The first and last Istanbul day of a report (both included). */
export function RangeInputs({
  range,
  onRange,
  testId,
}: {
  range: DayRange;
  onRange: (next: DayRange) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <TextInput
        type="date"
        label={t('backOffice.filters.from')}
        value={range.from}
        max={range.to || undefined}
        onChange={(e) => onRange({ ...range, from: e.currentTarget.value })}
        data-testid={`${testId}-from`}
      />
      <TextInput
        type="date"
        label={t('backOffice.filters.to')}
        value={range.to}
        min={range.from || undefined}
        onChange={(e) => onRange({ ...range, to: e.currentTarget.value })}
        data-testid={`${testId}-to`}
      />
    </>
  );
}

/** Whether the range can be asked for; otherwise the page says why instead of asking. */
export const isValidRange = (range: DayRange) => range.from !== '' && range.to !== '' && range.from <= range.to;
