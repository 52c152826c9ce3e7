import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { type ConsentEntry, type ConsentState, useConsents } from '../../api/contacts';
import { useFormatDateTime } from '../../components/format';
import { PlainList } from '../../components/PlainList';
import { QueryState } from '../../components/QueryState';
import { SectionCard } from '../../components/SectionCard';
import { useBusiness } from '../../shell/BusinessContext';
import { useDescribeActor } from './labels';

function StateBadge({ state }: { state: ConsentState['state'] }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={state === 'granted' ? 'green' : 'red'} c="gray.9">
      {t(`contacts.consents.states.${state}`)}
    </Badge>
  );
}

/** What one entry is about: "WhatsApp · Marketing". */
function useSubject() {
  const { t } = useTranslation();
  return (entry: ConsentState) =>
    `${t(`contacts.consents.channels.${entry.channel}`)} · ${t(`contacts.consents.purposes.${entry.purpose}`)}`;
}

/** One consent as a card: what it is about and its state, then where it came from (`origin`). */
function ConsentCard({
  entry,
  origin,
  testId,
  children,
}: {
  entry: ConsentState;
  origin: string[];
  testId: string;
  children?: ReactNode;
}) {
  const subject = useSubject();
  return (
    <Paper component="li" withBorder p="xs" data-testid={testId} data-state={entry.state}>
      <Group justify="space-between" gap="xs">
        <Text size="sm" fw={600}>
          {subject(entry)}
        </Text>
        <StateBadge state={entry.state} />
      </Group>
      {children}
      <Text size="xs" c="gray.7" mt={4}>
        {origin.join(' · ')}
      </Text>
    </Paper>
  );
}

function CurrentConsents({ current }: { current: ConsentState[] }) {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  return (
    <PlainList label={t('contacts.consents.current')}>
      {current.map((entry) => (
        <ConsentCard
          key={`${entry.channel}:${entry.purpose}`}
          entry={entry}
          origin={[t(`contacts.consents.sources.${entry.source}`), formatDate(entry.at)]}
          testId="consent-current"
        />
      ))}
    </PlainList>
  );
}

function ConsentHistory({ history }: { history: ConsentEntry[] }) {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  const describeActor = useDescribeActor();
  const actor = (entry: ConsentEntry) =>
    entry.actor === 'customer' ? t('contacts.consents.customer') : describeActor(`member:${entry.actor}`);
  return (
    <PlainList ordered label={t('contacts.consents.history')}>
      {history.map((entry) => (
        <ConsentCard
          key={entry.id}
          entry={entry}
          origin={[t(`contacts.consents.sources.${entry.source}`), actor(entry), formatDate(entry.at)]}
          testId="consent-entry"
        >
          <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            <Text span size="xs" c="gray.7">
              {t('contacts.consents.wording')}:{' '}
            </Text>
            “{entry.wording}”
          </Text>
        </ConsentCard>
      ))}
    </PlainList>
  );
}

/** The consent ledger: the current state per channel and purpose, then every entry, newest first. */
export function ConsentLedger({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const consents = useConsents(tenantId, contactId);
  return (
    <SectionCard titleId="contact-consents-title" title={t('contacts.consents.title')}>
      <Text size="sm" c="dimmed">
        {t('contacts.consents.description')}
      </Text>
      <QueryState query={consents}>
        {(ledger) =>
          ledger.history.length === 0 ? (
            <Text size="sm">{t('contacts.consents.empty')}</Text>
          ) : (
            <Stack gap="sm">
              <Title order={3} size="h5">
                {t('contacts.consents.current')}
              </Title>
              <CurrentConsents current={ledger.current} />
              <Title order={3} size="h5">
                {t('contacts.consents.history')}
              </Title>
              <ConsentHistory history={ledger.history} />
            </Stack>
          )
        }
      </QueryState>
    </SectionCard>
  );
}
