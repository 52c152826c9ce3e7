import { trialAnswer, trialBody } from '@asistone/contract/ai-trial';
import { currentAgent } from '@asistone/core/ai/settings';
import { AI_SETTINGS_RECORDS } from '@asistone/core/ai/settings-records';
import { type AgentTrial, agentTrial, startTrial, stopTrial, type TrialDeps } from '@asistone/core/ai/trial';
import { AI_TRIAL_RECORDS } from '@asistone/core/ai/trial-records';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { platform } from '@asistone/core/platform/context';
import { once } from '@asistone/core/platform/once';
import { defineRoute } from '../lib/route.js';

/**
 * Trying the AI agent in the sandbox simulator (docs/ai-agent.md, "Trying the agent"): the
 * version in force or an unsaved draft answers the sandbox, and nothing else, for a day at most.
 * The same right as changing the agent's settings (`integrations.manage`): a draft trial puts
 * the merchant's words in a model's mouth, even if only towards the business's own sandbox.
 */

const deps = once(async (): Promise<TrialDeps> => {
  const { storeOf } = platform();
  return { store: storeOf({ ...AI_TRIAL_RECORDS, ...AI_SETTINGS_RECORDS, ...AUDIT_RECORDS }) };
});

function trialView(trial: AgentTrial, version: number | undefined) {
  return {
    source: trial.source,
    version: trial.source === 'current' ? (version ?? null) : null,
    settings: trial.settings ?? null,
    startedBy: trial.startedBy,
    startedAt: new Date(trial.startedAt).toISOString(),
    expiresAt: new Date(trial.expiresAt).toISOString(),
  };
}

const TRIAL = '/businesses/:tenantId/ai/trial';

export const aiTrialRoutes = [
  defineRoute({
    method: 'get',
    path: TRIAL,
    access: 'integrations.manage',
    summary: 'What answers the sandbox simulator while the merchant tries the AI agent (null: nothing being tried)',
    answers: { 200: { description: 'The trial', schema: trialAnswer } },
    async handle({ c, business }) {
      const { store } = await deps();
      const trial = await agentTrial(store, business.tenantId);
      const inForce = trial?.source === 'current' ? await currentAgent(store, business.tenantId) : undefined;
      return c.json({ trial: trial ? trialView(trial, inForce?.version) : null });
    },
  }),
  defineRoute({
    method: 'put',
    path: TRIAL,
    access: 'integrations.manage',
    summary:
      'Tries the version in force (even while off) or an unsaved draft in the sandbox simulator, for a day at most; never a new version (audited)',
    body: trialBody,
    answers: { 200: { description: 'The trial', schema: trialAnswer } },
    async handle({ c, business, caller, origin, body }) {
      const { trial, version } = await startTrial(
        await deps(),
        { userId: caller.userId, sourceAddress: origin.sourceAddress },
        business.tenantId,
        body,
      );
      return c.json({ trial: trialView(trial, version) });
    },
  }),
  defineRoute({
    method: 'delete',
    path: TRIAL,
    access: 'integrations.manage',
    summary: 'Stops trying: the sandbox goes back to the version in force (audited)',
    answers: { 204: { description: 'Stopped (or nothing was being tried)' } },
    async handle({ c, business, caller, origin }) {
      await stopTrial(await deps(), { userId: caller.userId, sourceAddress: origin.sourceAddress }, business.tenantId);
      return c.body(null, 204);
    },
  }),
];
