import { agentSettings } from '@asistone/contract/ai';
import { Button, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { AgentSettings } from '../../api/ai-settings';
import { useStartTrial } from '../../api/ai-trial';
import { useDescribeError } from '../../components/errors';
import { notify } from '../../components/notify';

/**
 * "Try this draft in the simulator": the form's values, unsaved, answer the sandbox simulator
 * (and nothing else) for a day at most; the merchant lands in the simulator to play a customer.
 * The values are checked as a save checks them, here and again by the API; nothing is saved.
 */
export function TryDraftButton({ tenantId, settings }: { tenantId: string; settings: AgentSettings }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const describe = useDescribeError();
  const start = useStartTrial(tenantId);
  return (
    <>
      <Text id="ai-try-draft-hint" size="xs" c="gray.7" maw={320}>
        {t('ai.trial.tryDraftHint')}
      </Text>
      <Button
        aria-describedby="ai-try-draft-hint"
        variant="default"
        loading={start.isPending}
        onClick={() => {
          const checked = agentSettings.safeParse(settings);
          if (!checked.success) {
            notify.error(checked.error.issues.map((issue) => issue.message).join(' · '));
            return;
          }
          start.mutate(
            { source: 'draft', settings: checked.data },
            {
              onSuccess: () => navigate(`/b/${tenantId}/inbox/simulator`),
              onError: (error) => notify.error(describe(error)),
            },
          );
        }}
      >
        {t('ai.trial.tryDraft')}
      </Button>
    </>
  );
}
