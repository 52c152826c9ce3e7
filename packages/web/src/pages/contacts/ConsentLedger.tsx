import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type ConsentEntry, type ConsentState, useConsents } from '../../api/contacts';
import { useFormatDateTime } from '../../components/format';
import { QueryState } from '../../components/QueryState';
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

function CurrentConsents({ current }: { current: ConsentState[] }) {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  const subject = useSubject();
  return (
    <Stack
      component="ul"
      gap="xs"
      p={0}
      m={0}
      style={{ listStyle: 'none' }}
      aria-label={t('contacts.consents.current')}
    >
      {current.map((entry) => (
        <Paper
          component="li"
          key={`${entry.channel}:${entry.purpose}`}
          withBorder
          p="xs"
          data-testid="consent-current"
          data-state={entry.state}
        >
          <Group justify="space-between" gap="xs">
            <Text size="sm" fw={600}>
              {subject(entry)}
            </Text>
            <StateBadge state={entry.state} />
          </Group>
          <Text size="xs" c="gray.7" mt={4}>
            {t(`contacts.consents.sources.${entry.source}`)} · {formatDate(entry.at)}
          </Text>
        </Paper>
      ))}
    </Stack>
  );
}

function ConsentHistory({ history }: { history: ConsentEntry[] }) {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  const subject = useSubject();
  const describeActor = useDescribeActor();
  const actor = (entry: ConsentEntry) =>
    entry.actor === 'customer' ? t('contacts.consents.customer') : describeActor(`member:${entry.actor}`);
  return (
    <Stack
      component="ol"
      gap="xs"
      p={0}
      m={0}
      style={{ listStyle: 'none' }}
      aria-label={t('contacts.consents.history')}
    >
      {history.map((entry) => (
        <Paper component="li" key={entry.id} withBorder p="xs" data-testid="consent-entry">
          <Group justify="space-between" gap="xs">
            <Text size="sm" fw={600}>
              {subject(entry)}
            </Text>
            <StateBadge state={entry.state} />
          </Group>
          <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            <Text span size="xs" c="gray.7">
              {t('contacts.consents.wording')}:{' '}
            </Text>
            “{entry.wording}”
          </Text>
          <Text size="xs" c="gray.7" mt={4}>
            {t(`contacts.consents.sources.${entry.source}`)} · {actor(entry)} · {formatDate(entry.at)}
          </Text>
        </Paper>
      ))}
    </Stack>
  );
}

/** The consent ledger: the current state per channel and purpose, then every entry, newest first. */
export function ConsentLedger({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const consents = useConsents(tenantId, contactId);
  return (
    <Paper component="section" withBorder radius="md" p="md" aria-labelledby="contact-consents-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="contact-consents-title">
          {t('contacts.consents.title')}
        </Title>
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
      </Stack>
    </Paper>
  );
}
