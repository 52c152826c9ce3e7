import type { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAwsCalls } from '../../../tests/support/aws-calls.js';
import { answerInbound } from '../src/ai/agent.js';
import type { AgentModelPort } from '../src/ai/agent-ports.js';
import { DEFAULT_AGENT_SETTINGS, saveAgent } from '../src/ai/settings.js';
import { AI_SETTINGS_RECORDS } from '../src/ai/settings-records.js';
import { agentTrial, answeringSettings, startTrial, stopTrial, TRIAL_HOURS } from '../src/ai/trial.js';
import { AI_TRIAL_RECORDS } from '../src/ai/trial-records.js';
import { agentDeps } from '../src/ai/wiring.js';
import { AUDIT_RECORDS } from '../src/audit/records.js';
import { TENANCY_RECORDS } from '../src/tenancy/records.js';
import { createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * The trial in the sandbox simulator against the local DynamoDB emulator: what it costs the
 * businesses whose agent is off (most of them), that a forgotten trial stops by itself, and that
 * it answers the sandbox only. The conversations it answers are covered end to end in
 * tests/e2e/ai-trial.test.ts.
 */
let test: TestPlatform;
const records = { ...AI_TRIAL_RECORDS, ...AI_SETTINGS_RECORDS, ...AUDIT_RECORDS, ...TENANCY_RECORDS };
const store = () => test.platform.storeOf(records);
const quiet = { info() {}, warn() {} } as unknown as Logger;
const OWNER = { userId: 'u_owner' };
const HOUR = 3_600_000;

/** The model is never reached in these tests: a call fails the test. */
const noModel: AgentModelPort = {
  complete: async () => {
    throw new Error('the model was called');
  },
};

let tenants = 0;
async function newBusiness() {
  const tenantId = `t_ai_trial_${++tenants}`;
  await createTenant({ store: store(), keyring: test.platform.keyring }, tenantId, 'Deneme Butik');
  return tenantId;
}

const deps = () =>
  agentDeps({
    storeOf: test.platform.storeOf,
    keyring: test.platform.keyring,
    blobs: test.platform.blobs,
    producer: { send: async () => undefined },
    model: noModel,
    log: quiet,
  });

const draft = { ...DEFAULT_AGENT_SETTINGS, prompt: 'Taslak talimat' };

beforeAll(async () => {
  test = await startTestPlatform();
}, 60_000);

afterAll(async () => {
  await test?.stop();
});

describe('the AI agent trial', () => {
  it('costs a business with the agent off one Query and one GetItem per message, and no write', async () => {
    const tenantId = await newBusiness();
    await saveAgent({ store: store() }, OWNER, tenantId, { ...DEFAULT_AGENT_SETTINGS, enabled: false });
    const calls = recordAwsCalls({ dynamo: test.platform.aws.dynamo });
    const outcome = await answerInbound(deps(), { tenantId, conversationId: 'cv_whatever', messageId: 'mi_1' });
    expect(outcome).toEqual({ state: 'silent', reason: 'agent-off' });
    expect(calls.calls.map((call) => call.command).sort()).toEqual(['GetItemCommand', 'QueryCommand']);
  });

  it('stops by itself after a day: an expired trial answers nothing and writes nothing', async () => {
    const tenantId = await newBusiness();
    const started = Date.now() - (TRIAL_HOURS + 1) * HOUR;
    await startTrial({ store: store() }, OWNER, tenantId, { source: 'draft', settings: draft }, started);
    expect(await agentTrial(store(), tenantId)).toBeUndefined();
    // Still there until DynamoDB's TTL removes it, with the expiry in the seconds TTL reads.
    const item = (await test.dumpTable()).find((row) => row.pk === `t#${tenantId}` && row.sk === 'aitrial');
    expect(item?.expiresAt).toBe(Math.floor((started + TRIAL_HOURS * HOUR) / 1000));
    const calls = recordAwsCalls({ dynamo: test.platform.aws.dynamo });
    const outcome = await answerInbound(deps(), { tenantId, conversationId: 'cv_sandbox', messageId: 'mi_2' });
    expect(outcome).toEqual({ state: 'silent', reason: 'agent-off' });
    expect(calls.calls.map((call) => call.command)).not.toContain('PutItemCommand');
    expect(calls.calls.map((call) => call.command)).not.toContain('UpdateItemCommand');
  });

  it('lasts a day from when it started, and is gone once stopped', async () => {
    const tenantId = await newBusiness();
    const now = Date.now();
    await startTrial({ store: store() }, OWNER, tenantId, { source: 'draft', settings: draft }, now);
    expect(await agentTrial(store(), tenantId, now + TRIAL_HOURS * HOUR - 1000)).toMatchObject({
      source: 'draft',
      settings: { prompt: 'Taslak talimat' },
      expiresAt: Math.floor((now + TRIAL_HOURS * HOUR) / 1000) * 1000,
    });
    await stopTrial({ store: store() }, OWNER, tenantId);
    expect(await agentTrial(store(), tenantId)).toBeUndefined();
  });

  it('answers the sandbox only, as if on and serving it; every other channel keeps the version in force', () => {
    const trial = { source: 'draft' as const, settings: draft, startedBy: 'u', startedAt: 1, expiresAt: 2 };
    expect(answeringSettings(undefined, trial, 'whatsapp')).toBeUndefined();
    expect(answeringSettings(undefined, trial, 'sandbox')).toMatchObject({
      enabled: true,
      channels: ['sandbox'],
      prompt: 'Taslak talimat',
      trial: 'draft',
    });
    const inForce = {
      ...DEFAULT_AGENT_SETTINGS,
      channels: ['whatsapp' as const],
      version: 3,
      createdBy: 'u',
      createdAt: 1,
    };
    const current = { ...trial, source: 'current' as const };
    expect(answeringSettings(inForce, current, 'whatsapp')).toBe(inForce);
    expect(answeringSettings(inForce, current, 'sandbox')).toMatchObject({
      enabled: true,
      channels: ['whatsapp', 'sandbox'],
      version: 3,
      trial: 'current',
    });
  });
});
