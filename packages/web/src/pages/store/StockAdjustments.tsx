import type { StockAdjustment, StockAdjustmentBody } from '@asistone/contract/stock';
import { Alert, Badge, Button, Group, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAdjustStock, useStockView } from '../../api/stock';
import type { StoreProduct } from '../../api/store';
import { useDescribeError } from '../../components/errors';
import { useFormatDateTime } from '../../components/format';
import { notify } from '../../components/notify';
import { useBusiness } from '../../shell/BusinessContext';

/**
 * What a merchant does to stock at one location, and the reason Shopify is told. A count is the
 * number on the shelf: the change is what it differs from the number recorded here. The others
 * are a number of units in (received, returned) or out (damaged, sold in the shop).
 */
const KINDS = [
  { kind: 'received', reason: 'received', sign: 1 },
  { kind: 'counted', reason: 'correction', sign: 0 },
  { kind: 'damaged', reason: 'damaged', sign: -1 },
  { kind: 'returned', reason: 'returned', sign: 1 },
  { kind: 'soldOffline', reason: 'sold-offline', sign: -1 },
] as const satisfies readonly { kind: string; reason: StockAdjustmentBody['reason']; sign: -1 | 0 | 1 }[];
type Kind = (typeof KINDS)[number]['kind'];

/** The API's own limit on one change (packages/contract/src/stock.ts). */
const MAX_UNITS = 1_000_000;

/** Shopify ids come as digits or GIDs; the stock API answers digits. */
const digits = (id: string) => id.slice(id.lastIndexOf('/') + 1);

/** The change an adjustment makes, or the sentence saying why it cannot be made. */
export function stockChange(
  kind: Kind,
  entered: string,
  available: number,
): { delta: number; reason: StockAdjustmentBody['reason'] } | { problem: 'required' | 'whole' | 'same' | 'tooMany' } {
  const spec = KINDS.find((candidate) => candidate.kind === kind) ?? KINDS[0];
  const text = entered.trim();
  if (text === '') return { problem: 'required' };
  // Digits only: "1.5", "-3" or "1e3" are not a number of units.
  if (!/^[0-9]{1,7}$/.test(text)) return { problem: 'whole' };
  const units = Number(text);
  if (spec.sign === 0) {
    if (units > MAX_UNITS) return { problem: 'whole' };
    if (units === available) return { problem: 'same' };
    return { delta: units - available, reason: spec.reason };
  }
  if (units < 1 || units > MAX_UNITS) return { problem: 'whole' };
  if (spec.sign < 0 && units > available) return { problem: 'tooMany' };
  return { delta: spec.sign * units, reason: spec.reason };
}

/**
 * A product's stock adjustments, for owners and admins: a form per variant and location (what
 * happened, how many) and the product's latest adjustments with their push to Shopify, asked again
 * while one is on its way. Shown under the product once opened, so the list stays light.
 */
export function StockAdjustments({ product }: { product: StoreProduct }) {
  const { t } = useTranslation();
  const { can } = useBusiness();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const stocked = product.variants.filter((variant) => variant.inventoryItemId && variant.stock.length > 0);
  if (!can('stock.manage') || stocked.length === 0) return null;
  return (
    <Stack gap="xs" mt="xs">
      <Button
        variant="default"
        size="xs"
        w="fit-content"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((now) => !now)}
      >
        {open ? t('store.stock.close') : t('store.stock.open')}
      </Button>
      {open && (
        <Stack id={panelId} gap="sm" data-testid="stock-adjustments">
          <AdjustmentForm product={product} />
          <AdjustmentHistory product={product} />
        </Stack>
      )}
    </Stack>
  );
}

function AdjustmentForm({ product }: { product: StoreProduct }) {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const adjust = useAdjustStock(tenantId);
  const describe = useDescribeError();
  const stocked = product.variants.filter((variant) => variant.inventoryItemId && variant.stock.length > 0);
  const [variantId, setVariantId] = useState(stocked[0]?.variantId ?? '');
  const variant = stocked.find((candidate) => candidate.variantId === variantId) ?? stocked[0];
  const [locationId, setLocationId] = useState(variant?.stock[0]?.locationId ?? '');
  const [kind, setKind] = useState<Kind>('received');
  const [quantity, setQuantity] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  if (!variant) return null;
  const level = variant.stock.find((candidate) => candidate.locationId === locationId) ?? variant.stock[0];
  const available = level?.available ?? 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const change = stockChange(kind, quantity, available);
    if ('problem' in change) {
      setProblem(t(`store.stock.problem.${change.problem}`, { available }));
      return;
    }
    setProblem(null);
    adjust.mutate(
      {
        inventoryItemId: digits(variant.inventoryItemId as string),
        locationId: digits(level?.locationId ?? locationId),
        delta: change.delta,
        reason: change.reason,
      },
      {
        onSuccess: () => {
          setQuantity('');
          notify.success(t('store.stock.saved'));
        },
        onError: (error) => setFailure(describe(error)),
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-label={t('store.stock.formLabel', { product: product.title })}>
      <Stack gap="xs">
        <Group align="flex-start" gap="sm" wrap="wrap">
          {stocked.length > 1 && (
            <Select
              label={t('store.product.variant')}
              data={stocked.map((candidate) => ({ value: candidate.variantId, label: candidate.title }))}
              value={variant.variantId}
              allowDeselect={false}
              onChange={(value) => {
                const next = stocked.find((candidate) => candidate.variantId === value);
                if (!next) return;
                setVariantId(next.variantId);
                setLocationId(next.stock[0]?.locationId ?? '');
              }}
              w={{ base: '100%', xs: 180 }}
            />
          )}
          <Select
            label={t('store.stock.location')}
            data={variant.stock.map((candidate) => ({
              value: candidate.locationId,
              label: t('store.product.location', { id: candidate.locationId }),
            }))}
            value={level?.locationId ?? null}
            allowDeselect={false}
            onChange={(value) => value && setLocationId(value)}
            w={{ base: '100%', xs: 160 }}
          />
          <Select
            label={t('store.stock.kind')}
            data={KINDS.map((candidate) => ({
              value: candidate.kind,
              label: t(`store.stock.kinds.${candidate.kind}`),
            }))}
            value={kind}
            allowDeselect={false}
            onChange={(value) => {
              const next = KINDS.find((candidate) => candidate.kind === value);
              if (next) setKind(next.kind);
            }}
            w={{ base: '100%', xs: 200 }}
          />
          <TextInput
            label={kind === 'counted' ? t('store.stock.counted') : t('store.stock.quantity')}
            description={t('store.stock.recorded', { available })}
            value={quantity}
            onChange={(event) => setQuantity(event.currentTarget.value)}
            error={problem}
            inputMode="numeric"
            autoComplete="off"
            w={{ base: '100%', xs: 200 }}
          />
        </Group>
        {failure && (
          <Alert color="red" variant="light" role="alert">
            {failure}
          </Alert>
        )}
        <Button type="submit" w="fit-content" loading={adjust.isPending}>
          {t('store.stock.submit')}
        </Button>
      </Stack>
    </form>
  );
}

const STATE_COLOURS: Record<StockAdjustment['status'], string> = {
  pending: 'yellow',
  pushed: 'green',
  'resolved-stale': 'blue',
  failed: 'red',
};

/** The product's latest adjustments (of the business's 50 newest), each with its push to Shopify. */
function AdjustmentHistory({ product }: { product: StoreProduct }) {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const view = useStockView(tenantId);
  const formatDate = useFormatDateTime();
  const pushWords = usePushWords();
  const items = new Map(
    product.variants
      .filter((variant) => variant.inventoryItemId)
      .map((variant) => [digits(variant.inventoryItemId as string), variant.title]),
  );
  const mine = (view.data?.adjustments ?? []).filter((adjustment) => items.has(digits(adjustment.inventoryItemId)));
  const titleId = useId();
  if (view.isError) {
    return (
      <Text size="sm" c="red.8">
        {t('store.stock.historyFailed')}
      </Text>
    );
  }
  return (
    <Stack gap={4} component="section" aria-labelledby={titleId}>
      <Title order={3} size="h6" id={titleId}>
        {t('store.stock.history')}
      </Title>
      {view.data && mine.length === 0 && (
        <Text size="sm" c="gray.7">
          {t('store.stock.noHistory')}
        </Text>
      )}
      {mine.length > 0 && (
        <Stack component="ul" gap={4} p={0} m={0} style={{ listStyle: 'none' }}>
          {mine.map((adjustment) => (
            <Paper
              component="li"
              key={adjustment.adjustmentId}
              withBorder
              radius="sm"
              p={6}
              data-testid="stock-adjustment"
              data-status={adjustment.status}
            >
              <Group justify="space-between" gap="xs" wrap="wrap">
                <Text size="sm">
                  <Text span fw={600}>
                    {adjustment.delta > 0 ? `+${adjustment.delta}` : `−${Math.abs(adjustment.delta)}`}
                  </Text>{' '}
                  {t(`store.stock.reasons.${adjustment.reason}`)} ·{' '}
                  {t('store.product.location', { id: adjustment.locationId })}
                  {items.size > 1 && ` · ${items.get(digits(adjustment.inventoryItemId))}`}
                </Text>
                <Badge variant="light" color={STATE_COLOURS[adjustment.status]} c="gray.9">
                  {t(`store.stock.state.${adjustment.status}`)}
                </Badge>
              </Group>
              <Text size="xs" c="gray.7">
                {formatDate(adjustment.createdAt)} · {pushWords(adjustment)}
              </Text>
            </Paper>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

/** The push's outcome in a sentence: what Shopify had and has now, or why it did not take it. */
function usePushWords() {
  const { t } = useTranslation();
  return (adjustment: StockAdjustment): string => {
    switch (adjustment.status) {
      case 'pending':
        return t('store.stock.pushPending', { before: adjustment.quantityBefore });
      case 'pushed':
        return t('store.stock.pushed', {
          after: adjustment.shopifyAfter ?? adjustment.quantityBefore + adjustment.delta,
        });
      case 'resolved-stale':
        return t('store.stock.pushedStale', {
          found: adjustment.shopifyFound ?? '?',
          after: adjustment.shopifyAfter ?? '?',
        });
      case 'failed':
        return adjustment.failureReason === 'CHANGE_FROM_QUANTITY_STALE'
          ? t('store.stock.failedMoving', { found: adjustment.shopifyFound ?? '?' })
          : t('store.stock.failed', { reason: adjustment.failureReason ?? '—' });
    }
  };
}
