import type { Logger } from '@aws-lambda-powertools/logger';
import { BILLING_ACCOUNT_RECORDS } from '../billing/records.js';
import { USAGE_RECORDS } from '../billing/usage-records.js';
import { INBOX_RECORDS } from '../inbox/records.js';
import type { Blobs } from '../platform/blobs.js';
import type { TenantKeyring } from '../platform/crypto/keyring.js';
import type { Producer } from '../platform/queue/producer.js';
import type { Records, Store } from '../platform/store/service.js';
import { STORE_VIEW_RECORDS, storefrontDomains } from '../shopify/store-views.js';
import type { AgentDeps } from './agent.js';
import type { AgentModelPort } from './agent-ports.js';
import { AI_RECORDS } from './records.js';
import { redactForModel } from './redact.js';
import { currentAgent } from './settings.js';
import { AI_SETTINGS_RECORDS } from './settings-records.js';
import { boundTools } from './tools.js';
import { agentTrial } from './trial.js';
import { AI_TRIAL_RECORDS } from './trial-records.js';

/**
 * The real parts behind the inference step's ports: the versioned settings, the tools over the
 * Shopify local copy and the knowledge base, the redaction, the plan's allowance; the model is given (the OpenAI client in the
 * worker, the same client against the fake in tests).
 */
export const AGENT_RECORDS = {
  ...INBOX_RECORDS,
  ...AI_RECORDS,
  ...AI_SETTINGS_RECORDS,
  ...AI_TRIAL_RECORDS,
  ...STORE_VIEW_RECORDS,
  // The plan: whether the business may use the agent, and its AI replies this month.
  ...BILLING_ACCOUNT_RECORDS,
  ...USAGE_RECORDS,
};

export interface AgentWiring {
  storeOf<R extends Records>(records: R): Store<R>;
  keyring: TenantKeyring;
  producer: Pick<Producer, 'send'>;
  blobs: Pick<Blobs, 'list' | 'delete' | 'presignGet'>;
  model: AgentModelPort;
  log: Pick<Logger, 'info' | 'warn'>;
}

export function agentDeps(wiring: AgentWiring): AgentDeps {
  const store = wiring.storeOf(AGENT_RECORDS);
  return {
    store,
    aiStore: store,
    usage: { store },
    keyring: wiring.keyring,
    producer: wiring.producer,
    model: wiring.model,
    tools: boundTools({ store, keyring: wiring.keyring, storeOf: wiring.storeOf, blobs: wiring.blobs }),
    redact: redactForModel,
    settings: (tenantId) => currentAgent(store, tenantId),
    trial: (tenantId) => agentTrial(store, tenantId),
    storeDomains: (tenantId) => storefrontDomains({ store }, tenantId),
    log: wiring.log,
  };
}
