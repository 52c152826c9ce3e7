import {
  CART_CHANNELS,
  CART_LANGUAGES,
  CART_PLACEHOLDERS,
  CART_PREVIEW_VALUES,
  CART_STATES,
  type CartLanguage,
  type CartPlaceholder,
  MAX_CART_STEPS,
  renderCartText,
} from '@asistone/contract/cart-recovery';
import {
  Anchor,
  Badge,
  Button,
  Code,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  type CartRecoverySettings,
  type CartReportAnswer,
  type CartState,
  type CartStep,
  type CartsFilter,
  type CartView,
  useCartReport,
  useCartSettings,
  useCarts,
  useSaveCartSettings,
} from '../../api/cart-recovery';
import { useNoticeTemplates } from '../../api/order-notices';
import { useStoreLocations } from '../../api/store';
import { DailyBars } from '../../components/charts/DailyBars';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useFormatDateTime } from '../../components/format';
import { RoleNote } from '../../components/NoAccess';
import { notify } from '../../components/notify';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { SectionCard } from '../../components/SectionCard';
import { useBusiness } from '../../shell/BusinessContext';

/**
 * Campaigns › Abandoned carts: what recovery brought back (per day, and against the holdout),
 * each cart with what its steps did, and the sequence itself with a preview of every message.
 */

const braces = (name: string) => `{{${name}}}`;
const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const CART_STATE_COLORS: Record<CartState, string> = {
  pending: 'gray',
  contacted: 'blue',
  recovered: 'green',
  expired: 'orange',
  skipped: 'yellow',
};

const percent = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(1)}%`);

function Lift({ report }: { report: CartReportAnswer }) {
  const { t } = useTranslation();
  const { lift, currencyCode } = report;
  const money = (amount: string) => `${amount} ${currencyCode ?? ''}`.trim();
  return (
    <Stack gap={4} data-testid="cart-lift">
      <Text size="sm">
        {t('cartRecovery.lift.contacted', {
          carts: lift.contacted.carts,
          recovered: lift.contacted.recovered,
          rate: percent(lift.contacted.rate),
          revenue: money(lift.contacted.revenue),
        })}
      </Text>
      <Text size="sm">
        {t('cartRecovery.lift.holdout', {
          carts: lift.holdout.carts,
          recovered: lift.holdout.recovered,
          rate: percent(lift.holdout.rate),
          revenue: money(lift.holdout.revenue),
        })}
      </Text>
      {lift.rateDifference && lift.incrementalRevenue ? (
        <Text size="sm" fw={600}>
          {t('cartRecovery.lift.difference', {
            rate: percent(lift.rateDifference.value),
            low: percent(lift.rateDifference.low),
            high: percent(lift.rateDifference.high),
            revenue: money(lift.incrementalRevenue.value),
            revenueLow: money(lift.incrementalRevenue.low),
            revenueHigh: money(lift.incrementalRevenue.high),
          })}
        </Text>
      ) : (
        <Text size="sm" c="dimmed">
          {t('cartRecovery.lift.noHoldout')}
        </Text>
      )}
    </Stack>
  );
}

function ReportSection({ tenantId }: { tenantId: string }) {
  const { t } = useTranslation();
  const [from, setFrom] = useState(() => isoDay(Date.now() - 13 * DAY));
  const [to, setTo] = useState(() => isoDay(Date.now()));
  const report = useCartReport(tenantId, from, to);
  return (
    <SectionCard titleId="cart-report-title" title={t('cartRecovery.report.title')} testId="cart-report">
      <Group grow align="flex-end">
        <TextInput
          type="date"
          label={t('cartRecovery.report.from')}
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
        />
        <TextInput
          type="date"
          label={t('cartRecovery.report.to')}
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
        />
      </Group>
      <QueryState query={report}>
        {(data) => {
          const days = data.days.map((day) => day.day);
          return (
            <Stack gap="sm">
              <Text size="sm" fw={600}>
                {t('cartRecovery.report.rate')}
              </Text>
              <DailyBars
                days={days}
                values={data.days.map((day) => (day.abandoned > 0 ? day.recovered / day.abandoned : 0))}
                label={t('cartRecovery.report.rate')}
                format={(value) => percent(value)}
                testId="cart-rate-chart"
              />
              <Text size="sm" fw={600}>
                {t('cartRecovery.report.revenue', { currency: data.currencyCode ?? '' })}
              </Text>
              <DailyBars
                days={days}
                values={data.days.map((day) => Number(day.revenue))}
                label={t('cartRecovery.report.revenue', { currency: data.currencyCode ?? '' })}
                format={(value) => value.toFixed(2)}
                testId="cart-revenue-chart"
              />
              <Lift report={data} />
            </Stack>
          );
        }}
      </QueryState>
    </SectionCard>
  );
}

function StepsCell({ cart }: { cart: CartView }) {
  const { t } = useTranslation();
  if (cart.steps.length === 0) return <Text size="sm">{cart.holdout ? t('cartRecovery.carts.holdout') : '–'}</Text>;
  return (
    <Stack gap={2}>
      {cart.steps.map((step) => (
        <Text size="sm" key={step.step}>
          {t('cartRecovery.carts.step', { n: step.step, channel: t(`cartRecovery.channel.${step.channel}`) })}{' '}
          {step.outcome === 'sent'
            ? t('cartRecovery.carts.sent')
            : t('cartRecovery.carts.skipped', { reason: step.reason ?? '' })}
        </Text>
      ))}
    </Stack>
  );
}

function CartsSection({ tenantId }: { tenantId: string }) {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  const [filter, setFilter] = useState<CartsFilter>({ state: null, from: '', to: '' });
  const carts = useCarts(tenantId, filter);
  return (
    <SectionCard titleId="cart-list-title" title={t('cartRecovery.carts.title')} testId="cart-list">
      <Group align="flex-end">
        <Select
          label={t('cartRecovery.carts.filter')}
          placeholder={t('cartRecovery.carts.all')}
          clearable
          data={CART_STATES.map((value) => ({ value, label: t(`cartRecovery.state.${value}`) }))}
          value={filter.state}
          onChange={(value) => setFilter({ ...filter, state: (value as CartState | null) ?? null })}
          maw={260}
        />
        <TextInput
          type="date"
          label={t('cartRecovery.carts.from')}
          value={filter.from}
          onChange={(e) => setFilter({ ...filter, from: e.currentTarget.value })}
        />
        <TextInput
          type="date"
          label={t('cartRecovery.carts.to')}
          value={filter.to}
          onChange={(e) => setFilter({ ...filter, to: e.currentTarget.value })}
        />
      </Group>
      <QueryState query={carts}>
        {(data) => {
          const rows = data.pages.flatMap((page) => page.carts);
          if (rows.length === 0) return <Text size="sm">{t('cartRecovery.carts.empty')}</Text>;
          return (
            <Stack gap="sm">
              <Table.ScrollContainer minWidth={760}>
                <Table>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('cartRecovery.carts.abandoned')}</Table.Th>
                      <Table.Th>{t('cartRecovery.carts.customer')}</Table.Th>
                      <Table.Th>{t('cartRecovery.carts.items')}</Table.Th>
                      <Table.Th>{t('cartRecovery.carts.total')}</Table.Th>
                      <Table.Th>{t('cartRecovery.carts.status')}</Table.Th>
                      <Table.Th>{t('cartRecovery.carts.steps')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {rows.map((cart) => (
                      <Table.Tr key={cart.id} data-testid="cart-row">
                        <Table.Td>{formatDate(cart.abandonedAt)}</Table.Td>
                        <Table.Td>{cart.customer ?? '–'}</Table.Td>
                        <Table.Td>{cart.items}</Table.Td>
                        <Table.Td>{cart.total ? `${cart.total.amount} ${cart.total.currencyCode}` : '–'}</Table.Td>
                        <Table.Td>
                          <Badge
                            color={CART_STATE_COLORS[cart.state]}
                            variant="light"
                            c="gray.9"
                            data-testid="cart-state"
                          >
                            {t(`cartRecovery.state.${cart.state}`)}
                          </Badge>
                          {cart.recovered && (
                            <Text size="xs">
                              {t('cartRecovery.carts.recovered', {
                                order: cart.recovered.orderId ?? '–',
                                amount: cart.recovered.amount ?? '–',
                              })}
                            </Text>
                          )}
                          {cart.reason && <Text size="xs">{cart.reason}</Text>}
                        </Table.Td>
                        <Table.Td>
                          <StepsCell cart={cart} />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              {carts.hasNextPage && (
                <Button variant="light" onClick={() => void carts.fetchNextPage()} loading={carts.isFetchingNextPage}>
                  {t('cartRecovery.carts.more')}
                </Button>
              )}
            </Stack>
          );
        }}
      </QueryState>
    </SectionCard>
  );
}

type Templates = NonNullable<ReturnType<typeof useNoticeTemplates>['data']>;

function StepEditor({
  index,
  step,
  templates,
  onChange,
  onRemove,
}: {
  index: number;
  step: CartStep;
  templates: Templates;
  onChange: (next: CartStep) => void;
  onRemove?: () => void;
}) {
  const { t } = useTranslation();
  const usable = templates.filter((tpl) => tpl.status === 'APPROVED' && tpl.category !== 'AUTHENTICATION');
  const key = (tpl: { name: string; language: string }) => `${tpl.name}|${tpl.language}`;
  const preview = (language: CartLanguage) => ({
    ...CART_PREVIEW_VALUES,
    total: language === 'tr' ? '629,49 TRY' : '629.49 TRY',
  });
  return (
    <Paper withBorder p="md" radius="md" data-testid={`cart-step-${index + 1}`}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h5">
            {t('cartRecovery.settings.step', { n: index + 1 })}
          </Title>
          {onRemove && (
            <Button variant="subtle" color="red" size="xs" onClick={onRemove}>
              {t('cartRecovery.settings.removeStep')}
            </Button>
          )}
        </Group>
        <Group grow align="flex-start">
          <NumberInput
            hideControls
            label={index === 0 ? t('cartRecovery.settings.afterAbandoned') : t('cartRecovery.settings.afterPrevious')}
            min={0}
            max={7 * 24 * 60}
            value={step.afterMinutes}
            onChange={(value) => onChange({ ...step, afterMinutes: Number(value) || 0 })}
            data-testid={`cart-step-${index + 1}-after`}
          />
          <Select
            label={t('cartRecovery.settings.channel')}
            data={CART_CHANNELS.map((value) => ({ value, label: t(`cartRecovery.channel.${value}`) }))}
            value={step.channel}
            allowDeselect={false}
            onChange={(value) => value && onChange({ ...step, channel: value as CartStep['channel'] })}
            data-testid={`cart-step-${index + 1}-channel`}
          />
        </Group>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          {CART_LANGUAGES.map((language) => {
            const wording = step.wording[language];
            const set = (next: typeof wording) => onChange({ ...step, wording: { ...step.wording, [language]: next } });
            return (
              <Stack gap="xs" key={language}>
                <Text size="sm" fw={600}>
                  {t(`orderNotices.language.${language}`)}
                </Text>
                {step.channel === 'email' && (
                  <TextInput
                    label={t('orderNotices.subject')}
                    value={wording.subject}
                    onChange={(e) => set({ ...wording, subject: e.currentTarget.value })}
                  />
                )}
                <Textarea
                  label={t('orderNotices.text')}
                  autosize
                  minRows={3}
                  value={wording.text}
                  onChange={(e) => set({ ...wording, text: e.currentTarget.value })}
                  data-testid={`cart-step-${index + 1}-${language}-text`}
                />
                <Paper withBorder p="xs" bg="gray.0" data-testid={`cart-step-${index + 1}-${language}-preview`}>
                  <Text size="xs" c="dimmed">
                    {t('orderNotices.preview')}
                  </Text>
                  {step.channel === 'email' && (
                    <Text size="sm" fw={600}>
                      {renderCartText(wording.subject, preview(language))}
                    </Text>
                  )}
                  <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
                    {renderCartText(wording.text, preview(language))}
                  </Text>
                </Paper>
              </Stack>
            );
          })}
        </SimpleGrid>
        {step.channel === 'whatsapp' && (
          <Stack gap="xs">
            <Select
              label={t('orderNotices.template')}
              description={
                usable.length === 0 ? t('orderNotices.noTemplates') : t('cartRecovery.settings.templateHint')
              }
              placeholder={t('orderNotices.pickTemplate')}
              clearable
              data={usable.map((tpl) => ({
                value: key(tpl),
                label: `${tpl.name} · ${tpl.language} · ${tpl.category}`,
              }))}
              value={step.whatsappTemplate ? key(step.whatsappTemplate) : null}
              onChange={(picked) => {
                const tpl = usable.find((candidate) => key(candidate) === picked);
                onChange({
                  ...step,
                  whatsappTemplate: tpl
                    ? {
                        name: tpl.name,
                        language: tpl.language,
                        variables: Array.from(
                          { length: tpl.variables },
                          (_, i) => step.whatsappTemplate?.variables[i] ?? 'link',
                        ),
                      }
                    : null,
                });
              }}
            />
            {step.whatsappTemplate?.variables.map((variable, position) => (
              <Select
                // biome-ignore lint/suspicious/noArrayIndexKey: a template's variables are positional ({{1}}, {{2}}…).
                key={position}
                label={t('orderNotices.variable', { n: position + 1 })}
                data={CART_PLACEHOLDERS.map((name) => ({ value: name, label: braces(name) }))}
                value={variable}
                allowDeselect={false}
                onChange={(picked) => {
                  const template = step.whatsappTemplate;
                  if (!template) return;
                  onChange({
                    ...step,
                    whatsappTemplate: {
                      ...template,
                      variables: template.variables.map((old, i) =>
                        i === position ? (picked as CartPlaceholder) : old,
                      ),
                    },
                  });
                }}
              />
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

function SettingsForm({ tenantId, initial }: { tenantId: string; initial: CartRecoverySettings }) {
  const { t } = useTranslation();
  const [settings, setSettings] = useState(initial);
  const save = useSaveCartSettings(tenantId);
  const templates = useNoticeTemplates(tenantId);
  const locations = useStoreLocations(tenantId);
  const set = (change: Partial<CartRecoverySettings>) => setSettings((current) => ({ ...current, ...change }));
  const setStep = (index: number, next: CartStep) =>
    set({ steps: settings.steps.map((step, i) => (i === index ? next : step)) });
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(settings, { onSuccess: () => notify.success(t('cartRecovery.settings.saved')) });
      }}
    >
      <Stack gap="md">
        <Switch
          label={t('cartRecovery.settings.enabled')}
          checked={settings.enabled}
          onChange={(e) => set({ enabled: e.currentTarget.checked })}
          data-testid="cart-enabled"
        />
        <Group grow align="flex-start">
          <NumberInput
            hideControls
            label={t('cartRecovery.settings.delay')}
            description={t('cartRecovery.settings.delayHint')}
            min={15}
            max={7 * 24 * 60}
            value={settings.delayMinutes}
            onChange={(value) => set({ delayMinutes: Number(value) || 0 })}
          />
          <NumberInput
            hideControls
            label={t('cartRecovery.settings.holdout')}
            description={t('cartRecovery.settings.holdoutHint')}
            min={0}
            max={50}
            value={settings.holdoutPercent}
            onChange={(value) => set({ holdoutPercent: Number(value) || 0 })}
          />
          <NumberInput
            hideControls
            label={t('cartRecovery.settings.expire')}
            min={1}
            max={30}
            value={settings.expireAfterDays}
            onChange={(value) => set({ expireAfterDays: Number(value) || 1 })}
          />
        </Group>
        <Select
          label={t('cartRecovery.settings.shipFrom')}
          description={t('cartRecovery.settings.shipFromHint')}
          data={[
            { value: '', label: t('cartRecovery.settings.shipFromOnline') },
            ...(locations.data?.locations ?? []).map((location) => ({
              value: location.locationId,
              label: location.name,
            })),
          ]}
          value={settings.shippingLocationId ?? ''}
          onChange={(value) => set({ shippingLocationId: value || null })}
          allowDeselect={false}
          maw={420}
          data-testid="cart-ship-from"
        />
        <Group align="flex-end">
          <Switch
            label={t('cartRecovery.settings.quiet')}
            checked={settings.quietHours !== null}
            onChange={(e) => set({ quietHours: e.currentTarget.checked ? { from: '21:00', to: '09:00' } : null })}
          />
          {settings.quietHours && (
            <>
              <TextInput
                type="time"
                label={t('cartRecovery.settings.quietFrom')}
                value={settings.quietHours.from}
                onChange={(e) =>
                  set({ quietHours: { ...(settings.quietHours ?? { to: '09:00' }), from: e.currentTarget.value } })
                }
              />
              <TextInput
                type="time"
                label={t('cartRecovery.settings.quietTo')}
                value={settings.quietHours.to}
                onChange={(e) =>
                  set({ quietHours: { ...(settings.quietHours ?? { from: '21:00' }), to: e.currentTarget.value } })
                }
              />
            </>
          )}
        </Group>
        <Text size="sm">
          {t('orderNotices.placeholders')}{' '}
          {CART_PLACEHOLDERS.map((name) => (
            <Code key={name} mr={4}>
              {braces(name)}
            </Code>
          ))}
        </Text>
        {settings.steps.map((step, index) => (
          <StepEditor
            // biome-ignore lint/suspicious/noArrayIndexKey: steps are positional (first, second, third).
            key={index}
            index={index}
            step={step}
            templates={templates.data ?? []}
            onChange={(next) => setStep(index, next)}
            {...(settings.steps.length > 1 && {
              onRemove: () => set({ steps: settings.steps.filter((_, i) => i !== index) }),
            })}
          />
        ))}
        {settings.steps.length < MAX_CART_STEPS && (
          <div>
            <Button
              variant="light"
              onClick={() =>
                set({ steps: [...settings.steps, { ...(settings.steps.at(-1) as CartStep), afterMinutes: 24 * 60 }] })
              }
            >
              {t('cartRecovery.settings.addStep')}
            </Button>
          </div>
        )}
        {save.isError && <ErrorAlert error={save.error} />}
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            {t('cartRecovery.settings.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function SettingsSection({ tenantId }: { tenantId: string }) {
  const { t } = useTranslation();
  const settings = useCartSettings(tenantId);
  return (
    <SectionCard titleId="cart-settings-title" title={t('cartRecovery.settings.title')} testId="cart-settings">
      <Text size="sm" c="dimmed">
        {t('cartRecovery.settings.description')}
      </Text>
      <QueryState query={settings}>
        {(data) => <SettingsForm key={data.updatedAt ?? 'defaults'} tenantId={tenantId} initial={data.settings} />}
      </QueryState>
    </SectionCard>
  );
}

export function CartRecoveryPage() {
  const { t } = useTranslation();
  const { tenantId, can } = useBusiness();
  return (
    <Stack gap="lg">
      <PageHeader title={t('cartRecovery.title')} description={t('cartRecovery.description')} />
      <Anchor component={Link} to={`/b/${tenantId}/campaigns`} size="sm" c="blue.9">
        {t('campaignLists.back')}
      </Anchor>
      {can('insights.read') ? (
        <>
          <ReportSection tenantId={tenantId} />
          <CartsSection tenantId={tenantId} />
        </>
      ) : (
        <RoleNote>{t('cartRecovery.insightsOnly')}</RoleNote>
      )}
      {can('campaigns.send') && <SettingsSection tenantId={tenantId} />}
    </Stack>
  );
}
