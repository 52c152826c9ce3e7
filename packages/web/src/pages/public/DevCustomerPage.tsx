import '../inbox/inbox.css';
import { Alert, Checkbox, Group, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import '@mantine/core/styles/SimpleGrid.css';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { type CustomerMedia, devCustomerApi, type MetaChannel, useCustomerThread } from '../../api/channels';
import { useStage } from '../../api/queries';
import { PageHeader } from '../../components/PageHeader';
import { PublicLayout } from '../../components/PublicLayout';
import { QueryState } from '../../components/QueryState';
import { CustomerMessageInput, CustomerThread, SendAsCustomerButton } from '../inbox/CustomerThread';

const CHANNELS: readonly MetaChannel[] = ['whatsapp', 'messenger', 'instagram'];

/** A picked file as the fake Meta takes it: its kind by type, its bytes base64. */
async function mediaOf(file: File): Promise<CustomerMedia> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  const type = file.type || 'application/octet-stream';
  const kind = type.startsWith('image/')
    ? 'image'
    : type.startsWith('video/')
      ? 'video'
      : type.startsWith('audio/')
        ? 'audio'
        : 'document';
  return { kind, mimeType: type, data: btoa(binary), filename: file.name };
}
/** The demo business's ids in the fake Meta's seed (README). */
const DEMO_BUSINESS: Record<MetaChannel, string> = {
  whatsapp: '100000000000001',
  messenger: '100000000000004',
  instagram: '17841400000000003',
};
const DEFAULT_CUSTOMER: Record<MetaChannel, string> = {
  whatsapp: '905321234567',
  messenger: '7000000000000001',
  instagram: '8000000000000001',
};

/**
 * `/dev/customer` (local stack only): plays a customer on WhatsApp, Messenger or Instagram
 * through the fake Meta (`/dev/meta/customer/*`): what is sent here reaches the product as a
 * signed webhook, exactly as Meta's would, and the business's replies come back with their
 * ticks. The address can say who plays whom: `?channel=whatsapp&business=<phone number id>&customer=<wa_id>&name=...`.
 */
export function DevCustomerPage() {
  const { t } = useTranslation();
  const stage = useStage();
  const [search, setSearch] = useSearchParams();
  const channelParam = search.get('channel');
  const channel: MetaChannel = CHANNELS.includes(channelParam as MetaChannel)
    ? (channelParam as MetaChannel)
    : 'whatsapp';
  const businessId = search.get('business') ?? DEMO_BUSINESS[channel];
  const customerId = search.get('customer') ?? DEFAULT_CUSTOMER[channel];
  const [customerName, setCustomerName] = useState(search.get('name') ?? 'Deniz Kaya');
  const [text, setText] = useState('');
  const [sendRead, setSendRead] = useState(true);
  const [file, setFile] = useState<File | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const thread = { channel, businessId, customerId };
  const ready = Boolean(businessId && customerId);
  const messages = useCustomerThread(thread, ready && stage.data === 'local');
  const send = useMutation({ mutationFn: devCustomerApi.send, onSuccess: () => void messages.refetch() });
  const read = useMutation({ mutationFn: devCustomerApi.read, onSuccess: () => void messages.refetch() });

  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(search);
    for (const [key, value] of Object.entries(changes)) next.set(key, value);
    setSearch(next, { replace: true });
  };

  // The customer has the chat open: the business's new replies are read, as a phone would report.
  const unread = (messages.data ?? [])
    .filter((message) => message.direction === 'to-customer' && message.status !== 'read')
    .map((message) => message.id)
    .join(',');
  const askedFor = useRef('');
  useEffect(() => {
    if (!sendRead || !unread || askedFor.current === unread || read.isPending) return;
    askedFor.current = unread;
    read.mutate({ channel, businessId, customerId });
  }, [sendRead, unread, read, channel, businessId, customerId]);

  const submit = async (event: { preventDefault(): void }) => {
    event.preventDefault();
    if (!text.trim() && !file) return;
    const media = file ? await mediaOf(file) : undefined;
    send.mutate(
      { ...thread, customerName: customerName.trim() || customerId, text: text.trim() || undefined, media },
      {
        onSuccess: () => {
          setText('');
          setFile(null);
          if (fileInput.current) fileInput.current.value = '';
        },
      },
    );
  };

  return (
    <PublicLayout size="wide">
      <PageHeader title={t('devCustomer.title')} description={t('devCustomer.description')} />
      {stage.data && stage.data !== 'local' ? (
        <Alert color="gray" variant="light">
          {t('devCustomer.unavailable')}
        </Alert>
      ) : (
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <Select
              label={t('devCustomer.channel')}
              data={CHANNELS.map((kind) => ({ value: kind, label: t(`channels.kinds.${kind}`) }))}
              value={channel}
              allowDeselect={false}
              onChange={(value) =>
                value &&
                update({
                  channel: value,
                  business: DEMO_BUSINESS[value as MetaChannel],
                  customer: DEFAULT_CUSTOMER[value as MetaChannel],
                })
              }
            />
            <TextInput
              label={t('devCustomer.businessId')}
              description={t('devCustomer.businessIdHint')}
              value={businessId}
              onChange={(event) => update({ business: event.currentTarget.value.trim() })}
            />
            <TextInput
              label={t('devCustomer.customerId')}
              value={customerId}
              onChange={(event) => update({ customer: event.currentTarget.value.trim() })}
            />
            <TextInput
              label={t('devCustomer.customerName')}
              value={customerName}
              onChange={(event) => setCustomerName(event.currentTarget.value)}
            />
          </SimpleGrid>
          <QueryState query={messages}>
            {(list) => <CustomerThread messages={list} label={t('devCustomer.threadLabel')} />}
          </QueryState>
          {(send.isError || read.isError) && (
            <Alert color="red" variant="light" role="alert">
              {t('devCustomer.failed')}
            </Alert>
          )}
          <form onSubmit={(event) => void submit(event)} aria-label={t('simulator.form')}>
            <Stack gap="xs">
              <CustomerMessageInput
                value={text}
                onChange={setText}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) void submit(event);
                }}
              />
              <Stack gap={4}>
                <Text component="label" htmlFor="dev-customer-file" size="sm" fw={500}>
                  {t('devCustomer.attach')}
                </Text>
                <input
                  ref={fileInput}
                  id="dev-customer-file"
                  type="file"
                  accept="image/*,video/*,audio/*,application/pdf"
                  onChange={(event) => setFile(event.currentTarget.files?.[0] ?? null)}
                />
              </Stack>
              <Group justify="space-between">
                <Checkbox
                  label={t('devCustomer.sendRead')}
                  checked={sendRead}
                  onChange={(event) => setSendRead(event.currentTarget.checked)}
                />
                <SendAsCustomerButton loading={send.isPending} disabled={(!text.trim() && !file) || !ready} />
              </Group>
            </Stack>
          </form>
        </Stack>
      )}
    </PublicLayout>
  );
}
