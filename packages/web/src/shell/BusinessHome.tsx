import { Badge, Box, Group, Paper, Stack, Text, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import { type GettingStarted, useGettingStarted } from '../api/businesses';
import { PageHeader } from '../components/PageHeader';
import { QueryState } from '../components/QueryState';
import { RouterAnchor } from '../components/RouterAnchor';
import type { Permission } from '../session/permissions';
import { homeArea } from './areas';
import { useBusiness } from './BusinessContext';

type StepId = keyof GettingStarted['steps'];

interface Step {
  id: StepId;
  /** Where the step is done, under `/b/:tenantId/`. */
  path: string;
  /** Who can do it: a step the role cannot take is not shown to it. */
  permission: Permission;
  /** Its area is not built yet: the link leads to the page saying so, and it cannot be ticked. */
  comingSoon?: boolean;
}

/** The first steps of a business, in the order a merchant takes them. */
const STEPS: readonly Step[] = [
  { id: 'channel', path: 'settings/channels', permission: 'channels.manage' },
  { id: 'team', path: 'settings/team', permission: 'team.manage' },
  { id: 'store', path: 'store', permission: 'integrations.manage' },
  { id: 'ai', path: 'ai', permission: 'ai.manage', comingSoon: true },
];

/** A ticked or an empty circle; decorative, the step's text says whether it is done. */
function StepMark({ done }: { done: boolean }) {
  return (
    <Box
      aria-hidden="true"
      w={28}
      h={28}
      bg={done ? 'green.8' : undefined}
      c="white"
      style={{
        flex: 'none',
        borderRadius: '50%',
        border: done ? undefined : '2px solid var(--mantine-color-gray-6)',
        display: 'grid',
        placeItems: 'center',
      }}
    >
      {done && (
        <svg
          width="16"
          height="16"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="3"
          strokeLinecap="round"
          strokeLinejoin="round"
          aria-hidden="true"
          focusable="false"
        >
          <path d="M5 12l5 5l10-10" />
        </svg>
      )}
    </Box>
  );
}

function Checklist({ steps, progress }: { steps: readonly Step[]; progress: GettingStarted }) {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const done = steps.filter((step) => progress.steps[step.id].done).length;
  const summary = t('home.progress', { done, total: steps.length });
  return (
    <Stack gap="md">
      <Text size="sm" fw={600} data-testid="getting-started-progress">
        {summary}
      </Text>
      <Stack component="ol" gap="sm" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('home.steps')}>
        {steps.map((step) => {
          const isDone = progress.steps[step.id].done;
          return (
            <Paper
              component="li"
              key={step.id}
              withBorder
              radius="md"
              p="md"
              data-testid={`getting-started-${step.id}`}
              data-done={isDone}
            >
              <Group align="flex-start" wrap="nowrap" gap="md">
                <StepMark done={isDone} />
                <Stack gap={4} style={{ minWidth: 0 }}>
                  <Group gap="xs">
                    <Text fw={600}>
                      {t(`home.${step.id}.title`)}
                      <VisuallyHidden>{` – ${isDone ? t('home.done') : t('home.todo')}`}</VisuallyHidden>
                    </Text>
                    {step.comingSoon && (
                      <Badge variant="light" color="gray" c="gray.8" size="sm">
                        {t('home.comingSoon')}
                      </Badge>
                    )}
                  </Group>
                  <Text size="sm" c="dimmed">
                    {t(`home.${step.id}.description`)}
                  </Text>
                  <RouterAnchor to={`/b/${tenantId}/${step.path}`} size="sm">
                    {t(`home.${step.id}.action`)}
                  </RouterAnchor>
                </Stack>
              </Group>
            </Paper>
          );
        })}
      </Stack>
    </Stack>
  );
}

/**
 * `/b/:tenantId`: for those who set the business up (owners, admins), the getting-started
 * checklist, each step ticked once done; everyone else goes straight to the first area their
 * role can use (the inbox for most).
 */
export function BusinessHome() {
  const { t } = useTranslation();
  const { tenantId, can } = useBusiness();
  const steps = STEPS.filter((step) => can(step.permission));
  const progress = useGettingStarted(tenantId, steps.length > 0);
  if (steps.length === 0) return <Navigate to={`/b/${tenantId}/${homeArea(can).path}`} replace />;
  return (
    <>
      <PageHeader title={t('home.title')} description={t('home.description')} />
      <QueryState query={progress}>{(answer) => <Checklist steps={steps} progress={answer} />}</QueryState>
    </>
  );
}
