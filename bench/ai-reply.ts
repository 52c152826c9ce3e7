import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AgentDeps, answerInbound } from '@asistone/core/ai/agent';
import type { AgentModelPort, ModelTurn } from '@asistone/core/ai/agent-ports';
import { addKnowledgeEntry } from '@asistone/core/ai/knowledge';
import { type AiReplyRequest, aiReplyRequestOf } from '@asistone/core/ai/queue';
import { DEFAULT_AGENT_SETTINGS, saveAgent } from '@asistone/core/ai/settings';
import { AGENT_RECORDS, agentDeps } from '@asistone/core/ai/wiring';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { metaDelivery } from '@asistone/core/channels/meta/envelope';
import { processMetaDelivery } from '@asistone/core/channels/meta/events';
import { readConfig } from '@asistone/core/platform/config';
import { createPlatform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { connectWhatsAppNumber, createTenant } from '@asistone/core/tenancy/tenants';
import { startEmulators } from '../packages/local/src/emulators.js';
import { handlerEnvironment } from '../packages/local/src/environment.js';
import { check, type GoalCheck, ratioGoal } from './lib/report.js';

/**
 * The AI agent's own overhead per reply: everything `answerInbound` does around the model
 * (the claim, the gates, the context of 20 messages redacted, one knowledge-base tool call, the
 * draft's checks, the reply stored and queued, the outcome recorded) with a model that answers
 * instantly in-process, so no model time is counted. Against the local DynamoDB emulator; the
 * floor is one store query (a GetItem of the conversation) measured in the same run.
 */
export interface AiReplyResult extends GoalCheck {
  replies: number;
  p50Ms: number;
  p99Ms: number;
  floorP50Ms: number;
  ratio: number;
}

const TENANT = 't_bench_ai';
const ACCOUNT = { number: '100000000009001', waba: '100000000009002' };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** One text from a customer, as Meta delivers it. */
function delivery(phone: string, n: number, text: string) {
  const sentAt = Date.now();
  const change = {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '905550000000', phone_number_id: ACCOUNT.number },
    contacts: [{ profile: { name: `Müşteri ${n}` }, wa_id: phone }],
    messages: [
      {
        from: phone,
        id: `wamid.bench.ai.${n}`,
        timestamp: String(Math.floor(sentAt / 1000)),
        type: 'text',
        text: { body: text },
      },
    ],
  };
  const body = {
    object: 'whatsapp_business_account',
    entry: [{ id: ACCOUNT.waba, changes: [{ field: 'messages', value: change }] }],
  };
  return metaDelivery(Buffer.from(JSON.stringify(body)), sentAt + 100);
}

/** Calls the knowledge tool once, then quotes what it returned: a grounded answer with no model time. */
function instantModel(): AgentModelPort {
  return {
    async complete({ messages }): Promise<ModelTurn> {
      const tool = messages.findLast((message) => message.role === 'tool');
      if (!tool) {
        return {
          toolCalls: [
            { id: `call_${messages.length}`, name: 'search_knowledge', arguments: '{"query":"iade koşulları"}' },
          ],
          finish: 'tool_calls',
        };
      }
      const entry = (JSON.parse(tool.content) as { entries?: { text?: string }[] }).entries?.[0]?.text ?? '';
      return { text: `Kayıtlarımıza göre: ${entry}`, toolCalls: [], finish: 'stop' };
    },
  };
}

export async function benchAiReply(replies = 200): Promise<AiReplyResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'asistone-bench-ai-'));
  const emulators = await startEmulators(dataDir);
  try {
    const platform = createPlatform(readConfig(handlerEnvironment(dataDir, emulators.env)));
    const { storeOf, keyring, blobs } = platform;
    const store = storeOf({ ...AGENT_RECORDS, ...AUDIT_RECORDS });
    const log = createLogger('bench-ai-reply');
    log.setLogLevel('ERROR');
    await createTenant({ store, keyring }, TENANT, 'Bench Butik');
    await connectWhatsAppNumber({ store, keyring }, TENANT, ACCOUNT.number, 'Bench Butik', ACCOUNT.waba);
    // A paid plan: the trial's month of AI replies is fewer than the replies measured.
    await store.entities.billingAccount.put({ tenantId: TENANT, state: 'active', planId: 'scale', dueKey: '' }).go();
    const owner = { userId: 'u_bench' };
    await saveAgent({ store }, owner, TENANT, { ...DEFAULT_AGENT_SETTINGS, enabled: true, channels: ['whatsapp'] });
    await addKnowledgeEntry({ store, keyring }, owner, TENANT, {
      title: 'İade koşulları',
      body: 'Ürünü 14 gün içinde faturasıyla iade edebilirsiniz.',
    });
    const deps: AgentDeps = agentDeps({
      storeOf,
      keyring,
      blobs,
      producer: { send: async () => undefined },
      model: instantModel(),
      log,
    });

    // Each customer has a few messages of history; the measured message is their newest.
    const requests: AiReplyRequest[] = [];
    for (let i = 0; i < replies + 5; i++) {
      const phone = `90556${String(i).padStart(7, '0')}`;
      for (let k = 0; k < 3; k++) {
        await processMetaDelivery(
          {
            store,
            keyring,
            log,
            async onRecorded(message, recorded) {
              if (k === 2) requests.push(aiReplyRequestOf(message, recorded));
            },
          },
          delivery(phone, i * 10 + k, k === 2 ? 'İade koşulları nedir?' : `Merhaba ${k}`),
        );
      }
    }
    // Warm: the data key unwrapped, the SDK clients connected (a warm Lambda's state).
    for (const request of requests.splice(0, 5)) await answerInbound(deps, request);

    const took: number[] = [];
    for (const request of requests) {
      const start = performance.now();
      const outcome = await answerInbound(deps, request);
      took.push(performance.now() - start);
      if (outcome.state !== 'answered') throw new Error(`not answered: ${JSON.stringify(outcome)}`);
    }
    const floor: number[] = [];
    for (const request of requests) {
      const start = performance.now();
      await store.entities.conversation.get({ tenantId: TENANT, conversationId: request.conversationId }).go();
      floor.push(performance.now() - start);
    }
    took.sort((a, b) => a - b);
    floor.sort((a, b) => a - b);
    const p50Ms = percentile(took, 50);
    const floorP50Ms = percentile(floor, 50);
    const ratio = p50Ms / floorP50Ms;
    return {
      replies: took.length,
      p50Ms,
      p99Ms: percentile(took, 99),
      floorP50Ms,
      ratio,
      // About 20 store calls per reply (reads, the claim, the reply, the outcome): 30× one query leaves room.
      ...check(ratioGoal('≤', 30, 'one store query'), { ratio }),
    };
  } finally {
    await emulators.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
