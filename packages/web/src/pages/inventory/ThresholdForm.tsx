import { Alert, Button, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_UNITS, shopifyDigits, useSetThreshold } from '../../api/stock';
import { useDescribeError } from '../../components/errors';
import { notify } from '../../components/notify';
import { useBusiness } from '../../shell/BusinessContext';
import type { VariantFormProps } from './stockNames';

/**
 * A variant's low-stock threshold at one location: an alert is raised when its stock falls to
 * the threshold or below; an empty field removes it.
 */
export function ThresholdForm({ variant, locations, initialLocationId, onDone }: VariantFormProps) {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const save = useSetThreshold(tenantId);
  const describe = useDescribeError();
  const [locationId, setLocationId] = useState(initialLocationId);
  const current = variant.levels.get(locationId)?.threshold;
  const [value, setValue] = useState(current === undefined ? '' : String(current));
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const text = value.trim();
    if (text !== '' && (!/^[0-9]{1,7}$/.test(text) || Number(text) > MAX_UNITS)) {
      setProblem(t('stock.threshold.problem'));
      return;
    }
    setProblem(null);
    const threshold = text === '' ? null : Number(text);
    save.mutate(
      { inventoryItemId: shopifyDigits(variant.inventoryItemId), locationId, threshold },
      {
        onSuccess: () => {
          notify.success(t(threshold === null ? 'stock.threshold.removed' : 'stock.threshold.saved'));
          onDone();
        },
        onError: (error) => setFailure(describe(error)),
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate data-testid="stock-threshold-form">
      <Stack gap="sm">
        <NativeSelect
          label={t('stock.threshold.location')}
          value={locationId}
          onChange={(event) => {
            const next = event.currentTarget.value;
            setLocationId(next);
            const threshold = variant.levels.get(next)?.threshold;
            setValue(threshold === undefined ? '' : String(threshold));
          }}
          data={locations.map((location) => ({ value: location.locationId, label: location.name }))}
        />
        <Text size="sm">
          {current === undefined ? t('stock.threshold.none') : t('stock.threshold.current', { threshold: current })}
        </Text>
        <TextInput
          label={t('stock.threshold.value')}
          description={t('stock.threshold.description')}
          value={value}
          onChange={(event) => setValue(event.currentTarget.value)}
          error={problem}
          inputMode="numeric"
          autoComplete="off"
          data-autofocus
        />
        {failure && (
          <Alert color="red" variant="light" role="alert">
            {failure}
          </Alert>
        )}
        <Button type="submit" w="fit-content" loading={save.isPending}>
          {t('stock.threshold.submit')}
        </Button>
      </Stack>
    </form>
  );
}
