import { AUDIT_ACTIONS } from '@asistone/contract/audit';
import { Button, Group, Select } from '@mantine/core';
import '@mantine/dates/styles.css';
import 'dayjs/locale/tr';
import { DatePickerInput, DatesProvider, type DatesRangeValue } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import type { AuditAction, AuditFilters as Filters, Member } from '../../api/types';

export interface AuditFilterValues {
  action: AuditAction | null;
  actorId: string | null;
  /** Calendar days (`YYYY-MM-DD`), both inclusive. */
  days: DatesRangeValue<string>;
}

export const EMPTY_FILTERS: AuditFilterValues = { action: null, actorId: null, days: [null, null] };

/** The picker gives local calendar days; the API wants instants (ISO, inclusive). */
export function toApiFilters(values: AuditFilterValues): Filters {
  const [from, to] = values.days;
  return {
    action: values.action ?? undefined,
    actorId: values.actorId ?? undefined,
    from: from ? new Date(`${from}T00:00:00`).toISOString() : undefined,
    // A one-day range is picked as its start only.
    to: (to ?? from) ? new Date(`${to ?? from}T23:59:59.999`).toISOString() : undefined,
  };
}

interface AuditFiltersProps {
  members: Member[] | undefined;
  onApply(values: AuditFilterValues): void;
}

/** Action, person and a range of days. */
export function AuditFilters({ members, onApply }: AuditFiltersProps) {
  const { t, i18n } = useTranslation();
  const form = useForm({ mode: 'uncontrolled', initialValues: EMPTY_FILTERS });
  return (
    <form
      aria-label={t('audit.filters')}
      onSubmit={form.onSubmit(onApply)}
      onReset={(event) => {
        event.preventDefault();
        form.reset();
        onApply(EMPTY_FILTERS);
      }}
    >
      <Group align="flex-end" gap="sm" wrap="wrap" mb="md">
        <Select
          label={t('audit.action')}
          placeholder={t('audit.anyAction')}
          clearable
          searchable
          data={AUDIT_ACTIONS.map((action) => ({ value: action, label: t(`auditActions.${action}`) }))}
          w={{ base: '100%', xs: 240 }}
          key={form.key('action')}
          {...form.getInputProps('action')}
        />
        <Select
          label={t('audit.actor')}
          placeholder={t('audit.anyActor')}
          clearable
          data={(members ?? []).map((member) => ({ value: member.userId, label: member.name }))}
          w={{ base: '100%', xs: 200 }}
          key={form.key('actorId')}
          {...form.getInputProps('actorId')}
        />
        <DatesProvider settings={{ locale: i18n.language, firstDayOfWeek: 1 }}>
          <DatePickerInput
            type="range"
            allowSingleDateInRange
            clearable
            label={t('audit.dateRange')}
            placeholder={t('audit.anyDate')}
            valueFormat="D MMM YYYY"
            maxDate={new Date()}
            w={{ base: '100%', xs: 260 }}
            key={form.key('days')}
            {...form.getInputProps('days')}
          />
        </DatesProvider>
        <Group gap="xs">
          <Button type="submit">{t('audit.apply')}</Button>
          <Button type="reset" variant="default">
            {t('audit.clear')}
          </Button>
        </Group>
      </Group>
    </form>
  );
}
