import { Alert, Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_UNITS, type StockAdjustmentBody, shopifyDigits, useAdjustStock } from '../../api/stock';
import { useDescribeError } from '../../components/errors';
import { notify } from '../../components/notify';
import { useBusiness } from '../../shell/BusinessContext';
import type { VariantFormProps } from './stockNames';

/**
 * What a merchant records at one location, in the order they meet it: units in (received,
 * returned), units out (damaged, sold outside the shop), a correction either way, or a count
 * (the number on the shelf; the ledger records the difference).
 */
export const ADJUST_REASONS = ['received', 'damaged', 'returned', 'sold-offline', 'correction', 'counted'] as const;
export type AdjustReason = (typeof ADJUST_REASONS)[number];

const OUT: readonly AdjustReason[] = ['damaged', 'sold-offline'];

type Problem = 'required' | 'whole' | 'signed' | 'same' | 'tooMany';

/** The change the form sends, or why it cannot be sent (nothing is asked of the API then). */
export function stockMove(
  reason: AdjustReason,
  entered: string,
  available: number,
): { delta: number } | { counted: number } | { problem: Problem } {
  // A typed minus (−) and a hyphen both reduce.
  const text = entered.trim().replace('−', '-');
  if (text === '') return { problem: 'required' };
  if (reason === 'correction') {
    // "1.5", "1e3" or "0" are not a number of units to add or take away.
    if (!/^[+-]?[0-9]{1,7}$/.test(text)) return { problem: 'signed' };
    const delta = Number(text);
    if (delta === 0 || Math.abs(delta) > MAX_UNITS) return { problem: 'signed' };
    return { delta };
  }
  if (!/^[0-9]{1,7}$/.test(text)) return { problem: 'whole' };
  const units = Number(text);
  if (reason === 'counted') {
    if (units > MAX_UNITS) return { problem: 'whole' };
    if (units === available) return { problem: 'same' };
    return { counted: units };
  }
  if (units < 1 || units > MAX_UNITS) return { problem: 'whole' };
  if (OUT.includes(reason)) {
    if (units > available) return { problem: 'tooMany' };
    return { delta: -units };
  }
  return { delta: units };
}

/** A stock move for one variant: where, why, how many; the location's recorded stock beside it. */
export function AdjustStockForm({ variant, locations, initialLocationId, onDone }: VariantFormProps) {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const adjust = useAdjustStock(tenantId);
  const describe = useDescribeError();
  const [locationId, setLocationId] = useState(initialLocationId);
  const [reason, setReason] = useState<AdjustReason>('received');
  const [quantity, setQuantity] = useState('');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  // One id per move as filled in: sent again after a lost answer, the server records it once;
  // a changed form is another move.
  const moveIds = useRef(new Map<string, string>());
  const moveIdOf = (filled: string) => {
    const known = moveIds.current.get(filled) ?? crypto.randomUUID();
    moveIds.current.set(filled, known);
    return known;
  };
  const available = variant.levels.get(locationId)?.available ?? 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const move = stockMove(reason, quantity, available);
    if ('problem' in move) {
      setProblem(t(`stock.adjust.problem.${move.problem}`, { available }));
      return;
    }
    setProblem(null);
    const common = {
      inventoryItemId: shopifyDigits(variant.inventoryItemId),
      locationId,
      moveId: moveIdOf(JSON.stringify([locationId, reason, quantity, note])),
      ...(note.trim() && { note: note.trim() }),
    };
    const body: StockAdjustmentBody =
      'counted' in move
        ? { ...common, reason: 'counted', counted: move.counted }
        : { ...common, reason: reason as Exclude<AdjustReason, 'counted'>, delta: move.delta };
    adjust.mutate(body, {
      onSuccess: (answer) => {
        notify.success(t(answer.adjustment ? 'stock.adjust.savedPushed' : 'stock.adjust.saved'));
        onDone();
      },
      onError: (error) => setFailure(describe(error)),
    });
  };

  const quantityLabel =
    reason === 'counted'
      ? t('stock.adjust.counted')
      : reason === 'correction'
        ? t('stock.adjust.change')
        : t('stock.adjust.quantity');

  return (
    <form onSubmit={submit} noValidate data-testid="stock-adjust-form">
      <Stack gap="sm">
        <Group align="flex-start" gap="sm" grow wrap="wrap">
          <NativeSelect
            label={t('stock.adjust.location')}
            value={locationId}
            onChange={(event) => setLocationId(event.currentTarget.value)}
            data={locations.map((location) => ({ value: location.locationId, label: location.name }))}
            miw={180}
          />
          <NativeSelect
            label={t('stock.adjust.reason')}
            value={reason}
            onChange={(event) => {
              const next = ADJUST_REASONS.find((candidate) => candidate === event.currentTarget.value);
              if (next) setReason(next);
              setProblem(null);
            }}
            data={ADJUST_REASONS.map((value) => ({ value, label: t(`stock.reasons.${value}`) }))}
            miw={180}
          />
        </Group>
        <Text size="sm" data-testid="stock-adjust-recorded">
          {t('stock.adjust.recorded', { available })}
        </Text>
        <TextInput
          label={quantityLabel}
          value={quantity}
          onChange={(event) => setQuantity(event.currentTarget.value)}
          error={problem}
          inputMode={reason === 'correction' ? 'text' : 'numeric'}
          autoComplete="off"
          data-autofocus
        />
        <TextInput
          label={t('stock.adjust.note')}
          value={note}
          onChange={(event) => setNote(event.currentTarget.value)}
          maxLength={200}
          autoComplete="off"
        />
        {failure && (
          <Alert color="red" variant="light" role="alert">
            {failure}
          </Alert>
        )}
        <Button type="submit" w="fit-content" loading={adjust.isPending}>
          {t('stock.adjust.submit')}
        </Button>
      </Stack>
    </form>
  );
}
