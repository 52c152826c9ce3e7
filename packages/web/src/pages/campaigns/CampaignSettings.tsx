import { Button, Group, NumberInput, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { type CampaignSettings, useCampaignSettings, useSaveCampaignSettings } from '../../api/campaign-audience';
import { ErrorAlert } from '../../components/ErrorAlert';
import { notify } from '../../components/notify';
import { QueryState } from '../../components/QueryState';
import { SectionCard } from '../../components/SectionCard';

const CURRENCIES = ['TRY', 'USD', 'EUR'] as const;
const PRICE = /^\d{1,6}(\.\d{1,4})?$/;

function SettingsForm({ tenantId, settings }: { tenantId: string; settings: CampaignSettings }) {
  const { t } = useTranslation();
  const save = useSaveCampaignSettings(tenantId);
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: {
      capMax: settings.frequencyCap.max,
      capDays: settings.frequencyCap.days,
      price: settings.marketingPrice?.amount ?? '',
      currency: settings.marketingPrice?.currency ?? 'TRY',
      iysMode: settings.iys.mode,
      brandCode: settings.iys.brandCode ?? '',
      sendRate: settings.sendRate,
    },
    validate: {
      price: (value) =>
        !value.trim() || (PRICE.test(value.trim()) && Number(value) > 0)
          ? null
          : t('campaignAudience.settings.priceInvalid'),
    },
  });

  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) =>
        save.mutate(
          {
            frequencyCap: { max: Number(values.capMax), days: Number(values.capDays) },
            marketingPrice: values.price.trim()
              ? { amount: values.price.trim(), currency: values.currency as (typeof CURRENCIES)[number] }
              : null,
            iys: { mode: values.iysMode, brandCode: values.brandCode.trim() || null },
            sendRate: Number(values.sendRate),
          },
          { onSuccess: () => notify.success(t('campaignAudience.settings.saved')) },
        ),
      )}
    >
      <Stack gap="sm">
        {save.isError && <ErrorAlert error={save.error} />}
        <Group grow align="flex-start">
          <NumberInput
            label={t('campaignAudience.settings.capMax')}
            description={t('campaignAudience.settings.capHint')}
            min={1}
            max={10}
            allowDecimal={false}
            hideControls
            clampBehavior="strict"
            key={form.key('capMax')}
            {...form.getInputProps('capMax')}
          />
          <NumberInput
            label={t('campaignAudience.settings.capDays')}
            min={1}
            max={30}
            allowDecimal={false}
            hideControls
            clampBehavior="strict"
            key={form.key('capDays')}
            {...form.getInputProps('capDays')}
          />
        </Group>
        <Group grow align="flex-start">
          <TextInput
            label={t('campaignAudience.settings.price')}
            description={t('campaignAudience.settings.priceHint')}
            inputMode="decimal"
            autoComplete="off"
            key={form.key('price')}
            {...form.getInputProps('price')}
          />
          <Select
            label={t('campaignAudience.settings.currency')}
            data={[...CURRENCIES]}
            allowDeselect={false}
            key={form.key('currency')}
            {...form.getInputProps('currency')}
          />
        </Group>
        <Select
          label={t('campaignAudience.settings.iys')}
          description={t('campaignAudience.settings.iysOffHint')}
          data={[
            { value: 'attested', label: t('campaignAudience.settings.iysAttested') },
            { value: 'off', label: t('campaignAudience.settings.iysOff') },
          ]}
          allowDeselect={false}
          key={form.key('iysMode')}
          {...form.getInputProps('iysMode')}
        />
        <TextInput
          label={t('campaignAudience.settings.brandCode')}
          description={t('campaignAudience.settings.brandCodeHint')}
          inputMode="numeric"
          autoComplete="off"
          key={form.key('brandCode')}
          {...form.getInputProps('brandCode')}
        />
        <NumberInput
          label={t('campaignAudience.settings.sendRate')}
          description={t('campaignAudience.settings.sendRateHint')}
          min={1}
          max={1000}
          allowDecimal={false}
          hideControls
          clampBehavior="strict"
          key={form.key('sendRate')}
          {...form.getInputProps('sendRate')}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            {t('campaignAudience.settings.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * Campaign settings: how many campaign messages one customer may get in how many days (across
 * campaigns), the business's price per marketing message (for the cost estimate), whether
 * İYS applies to its Turkish customers, and how many campaign messages a second each number sends.
 */
export function CampaignSettingsForm({ tenantId }: { tenantId: string }) {
  const { t } = useTranslation();
  const settings = useCampaignSettings(tenantId);
  return (
    <SectionCard
      title={t('campaignAudience.settings.title')}
      titleId="campaign-settings-title"
      testId="campaign-settings"
    >
      <QueryState query={settings}>
        {(data) => <SettingsForm key={data.updatedAt ?? 'defaults'} tenantId={tenantId} settings={data.settings} />}
      </QueryState>
    </SectionCard>
  );
}
