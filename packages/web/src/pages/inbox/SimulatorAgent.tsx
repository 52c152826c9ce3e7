import { AI_HANDOFF_REASONS } from '@asistone/contract/ai-thread';
import { Badge, Button, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAgentSettings } from '../../api/ai-settings';
import { type SandboxThreadMessage, useAgentTrial, useStartTrial, useStopTrial } from '../../api/ai-trial';
import { useDescribeError } from '../../components/errors';
import { useFormatDateTime } from '../../components/format';
import { notify } from '../../components/notify';
import { useBusiness } from '../../shell/BusinessContext';

/**
 * The simulator's "AI agent" panel: what answers the sandbox now (nothing, the version in force,
 * or a trial of it or of a draft), and the buttons to try the version in force and to stop
 * trying. Trying needs the same right as changing the agent (owners and admins).
 */
export function SimulatorAgentPanel() {
  const { t } = useTranslation();
  const { tenantId, can } = useBusiness();
  const describe = useDescribeError();
  const formatTime = useFormatDateTime();
  const manages = can('integrations.manage');
  const settings = useAgentSettings(tenantId);
  const trialQuery = useAgentTrial(tenantId, manages);
  const start = useStartTrial(tenantId);
  const stop = useStopTrial(tenantId);
  const current = settings.data?.current ?? null;
  const trial = trialQuery.data?.trial ?? null;

  let status: string;
  if (trial?.source === 'draft') status = t('ai.trial.draft', { time: formatTime(trial.startedAt) });
  else if (trial?.source === 'current') status = t('ai.trial.current', { version: trial.version ?? '' });
  else if (current?.enabled && current.channels.includes('sandbox')) {
    status = t('ai.trial.inForce', { version: current.version });
  } else status = t('ai.trial.off');

  return (
    <Paper withBorder p="md" radius="md" maw={640} mb="md" component="section" aria-labelledby="simulator-agent-title">
      <Stack gap="xs">
        <Title order={2} size="h4" id="simulator-agent-title">
          {t('ai.trial.title')}
        </Title>
        <Text size="sm" data-testid="simulator-agent-status" data-trial={trial?.source ?? 'none'}>
          {status}
        </Text>
        {trial && (
          <Text size="xs" c="gray.7">
            {t('ai.trial.expires', { time: formatTime(trial.expiresAt) })}
          </Text>
        )}
        {manages && (
          <Group gap="xs">
            <Button
              size="xs"
              variant="default"
              disabled={!current || trial?.source === 'current'}
              loading={start.isPending}
              onClick={() =>
                start.mutate(
                  { source: 'current' },
                  {
                    onSuccess: () => notify.success(t('ai.trial.started')),
                    onError: (error) => notify.error(describe(error)),
                  },
                )
              }
            >
              {t('ai.trial.tryCurrent')}
            </Button>
            {trial && (
              <Button
                size="xs"
                variant="default"
                loading={stop.isPending}
                onClick={() =>
                  stop.mutate(undefined, {
                    onSuccess: () => notify.success(t('ai.trial.stopped')),
                    onError: (error) => notify.error(describe(error)),
                  })
                }
              >
                {t('ai.trial.stop')}
              </Button>
            )}
          </Group>
        )}
        {manages && settings.data && !current && (
          <Text size="xs" c="gray.7">
            {t('ai.trial.noVersion')}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

type KnownReason = (typeof AI_HANDOFF_REASONS)[number] | 'other';

/**
 * Under a reply the agent wrote in the simulator: which settings answered, the records it used
 * (the inbox's own wording, ai.thread.*), and for a handoff notice why it handed over.
 */
export function SimulatorAiNote({ ai }: { ai: NonNullable<SandboxThreadMessage['ai']> }) {
  const { t } = useTranslation();
  const reason: KnownReason | undefined = ai.handoffReason
    ? (AI_HANDOFF_REASONS.find((known) => known === ai.handoffReason) ?? 'other')
    : undefined;
  return (
    <Stack gap={2} mt={4} data-testid="simulator-ai-note">
      <Group gap={6}>
        <Badge size="xs" variant="light" color="violet">
          {t('ai.thread.badge')}
        </Badge>
        <Text span size="xs" c="gray.7">
          {ai.trial === 'draft'
            ? t('ai.trial.answeredByDraft')
            : ai.version !== undefined
              ? t('ai.trial.answeredByVersion', { version: ai.version })
              : ''}
        </Text>
      </Group>
      {ai.citations.length > 0 && (
        <div data-testid="ai-citations">
          <Text size="xs" c="gray.7">
            {t('ai.thread.sources')}
          </Text>
          <List size="xs" c="gray.7">
            {ai.citations.map((citation) => (
              <List.Item key={`${citation.kind}:${citation.id}`}>
                {t(`ai.thread.kind.${citation.kind}`)}: {citation.label}
              </List.Item>
            ))}
          </List>
        </div>
      )}
      {reason && (
        <Text size="xs" c="gray.7" data-testid="simulator-ai-handoff">
          {t('ai.trial.handedOff')} {t(`ai.thread.reason.${reason}`)}
        </Text>
      )}
    </Stack>
  );
}
