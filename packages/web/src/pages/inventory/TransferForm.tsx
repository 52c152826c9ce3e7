import { Alert, Button, Group, NativeSelect, Stack, TextInput, Title } from '@mantine/core';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_UNITS, type StockLocation, shopifyDigits, useTransferStock } from '../../api/stock';
import { useDescribeError } from '../../components/errors';
import { notify } from '../../components/notify';
import { useBusiness } from '../../shell/BusinessContext';
import { type StockedVariant, variantName } from './stockNames';

type Problem = 'variant' | 'from' | 'to' | 'same' | 'quantity' | 'tooMany';

/**
 * Moves units of one variant from one location to another (a Shopify location or one of the
 * business's own); each location shows what it holds of the chosen variant.
 */
export function TransferForm({
  variants,
  locations,
}: {
  variants: readonly StockedVariant[];
  locations: readonly StockLocation[];
}) {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const transfer = useTransferStock(tenantId);
  const describe = useDescribeError();
  const titleId = useId();
  const [itemId, setItemId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [quantity, setQuantity] = useState('');
  const [note, setNote] = useState('');
  const [problems, setProblems] = useState<Partial<Record<'variant' | 'from' | 'to' | 'quantity', Problem>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const variant = variants.find((candidate) => candidate.inventoryItemId === itemId);
  const availableAt = (locationId: string) => variant?.levels.get(locationId)?.available ?? 0;

  const choose = t('stock.transfers.choose');
  const locationChoices = [
    { value: '', label: choose },
    ...locations.map((location) => ({
      value: location.locationId,
      label: variant
        ? t('stock.transfers.available', { location: location.name, available: availableAt(location.locationId) })
        : location.name,
    })),
  ];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const found: typeof problems = {};
    if (!variant) found.variant = 'variant';
    if (!from) found.from = 'from';
    if (!to) found.to = 'to';
    else if (to === from) found.to = 'same';
    const text = quantity.trim();
    const units = Number(text);
    if (!/^[0-9]{1,7}$/.test(text) || units < 1 || units > MAX_UNITS) found.quantity = 'quantity';
    else if (from && variant && units > availableAt(from)) found.quantity = 'tooMany';
    setProblems(found);
    if (Object.keys(found).length > 0 || !variant) return;
    transfer.mutate(
      {
        inventoryItemId: shopifyDigits(variant.inventoryItemId),
        fromLocationId: from,
        toLocationId: to,
        quantity: units,
        ...(note.trim() && { note: note.trim() }),
      },
      {
        onSuccess: () => {
          setQuantity('');
          setNote('');
          notify.success(t('stock.transfers.sent'));
        },
        onError: (error) => setFailure(describe(error)),
      },
    );
  };

  const message = (problem: Problem | undefined) =>
    problem ? t(`stock.transfers.problem.${problem}`, { available: availableAt(from) }) : null;

  return (
    <form onSubmit={submit} noValidate aria-labelledby={titleId} data-testid="stock-transfer-form">
      <Stack gap="sm">
        <Title order={2} size="h5" id={titleId}>
          {t('stock.transfers.formTitle')}
        </Title>
        <NativeSelect
          label={t('stock.transfers.variant')}
          value={itemId}
          onChange={(event) => setItemId(event.currentTarget.value)}
          data={[
            { value: '', label: choose },
            ...variants.map((candidate) => {
              const name = variantName(candidate, candidate.sku ?? candidate.inventoryItemId);
              return {
                value: candidate.inventoryItemId,
                label: candidate.sku ? `${name} (${candidate.sku})` : name,
              };
            }),
          ]}
          error={message(problems.variant)}
          maw={480}
        />
        <Group align="flex-start" gap="sm" grow wrap="wrap" maw={720}>
          <NativeSelect
            label={t('stock.transfers.from')}
            value={from}
            onChange={(event) => setFrom(event.currentTarget.value)}
            data={locationChoices}
            error={message(problems.from)}
            miw={200}
          />
          <NativeSelect
            label={t('stock.transfers.to')}
            value={to}
            onChange={(event) => setTo(event.currentTarget.value)}
            data={locationChoices}
            error={message(problems.to)}
            miw={200}
          />
        </Group>
        <Group align="flex-start" gap="sm" grow wrap="wrap" maw={720}>
          <TextInput
            label={t('stock.transfers.quantity')}
            value={quantity}
            onChange={(event) => setQuantity(event.currentTarget.value)}
            error={message(problems.quantity)}
            inputMode="numeric"
            autoComplete="off"
            miw={160}
          />
          <TextInput
            label={t('stock.transfers.note')}
            value={note}
            onChange={(event) => setNote(event.currentTarget.value)}
            maxLength={200}
            autoComplete="off"
            miw={200}
          />
        </Group>
        {failure && (
          <Alert color="red" variant="light" role="alert">
            {failure}
          </Alert>
        )}
        <Button type="submit" w="fit-content" loading={transfer.isPending}>
          {t('stock.transfers.submit')}
        </Button>
      </Stack>
    </form>
  );
}
