import { randomUUID } from 'node:crypto';
import { recordAuditEvent } from '../../audit/audit-log.js';
import {
  contactIdOf,
  conversationIdOf,
  type InboundMessage,
  type RecordedMessage,
  recordInbound,
} from '../../inbox/inbound.js';
import type { TenantKeys } from '../../platform/crypto/keyring.js';
import { ConflictError, SealedDataError } from '../../platform/errors.js';
import { type ChannelItem, saveConnectedChannel } from '../../tenancy/tenants.js';
import type { ConnectActor, ConnectDeps } from './deps.js';

/**
 * The sandbox channel: a business plays its own customer, without any Meta account, and sees
 * the conversation in its inbox like any other. One per business; its id is always `sandbox`.
 * Its customer's messages go through the inbox's own `recordInbound`, as Meta's do, and replies
 * to it are marked delivered by the outbound worker without any provider.
 */
export const SANDBOX_ID = 'sandbox';

export async function connectSandbox(deps: ConnectDeps, actor: ConnectActor, tenantId: string): Promise<ChannelItem> {
  const existing = await deps.store.entities.channel.get({ tenantId, kind: 'sandbox', externalId: SANDBOX_ID }).go();
  if (existing.data && existing.data.status !== 'disconnected') return existing.data;
  const channel = await saveConnectedChannel(deps, tenantId, {
    kind: 'sandbox',
    externalId: SANDBOX_ID,
    label: 'Sandbox',
  });
  await recordAuditEvent(deps.store, tenantId, {
    action: 'integration.connected',
    actorId: actor.userId,
    target: { type: 'channel', id: `sandbox:${SANDBOX_ID}` },
    sourceAddress: actor.sourceAddress,
    detail: { kind: 'sandbox' },
  });
  return channel;
}

async function requireSandbox(deps: Pick<ConnectDeps, 'store'>, tenantId: string): Promise<void> {
  const found = await deps.store.entities.channel.get({ tenantId, kind: 'sandbox', externalId: SANDBOX_ID }).go();
  if (found.data?.status !== 'connected') throw new ConflictError('Connect the sandbox channel first');
}

/**
 * The simulated customer's id on the sandbox channel: one customer per name, as a phone number
 * is one customer on WhatsApp. A blind index, so the name itself is never a key.
 */
const customerIdOf = (keys: TenantKeys, customerName: string) =>
  `sbx_${keys.blindIndex('sandbox-customer', customerName.trim().normalize('NFC').toLocaleLowerCase('tr')).slice(0, 20)}`;

/** The conversation `recordInbound` files a sandbox customer's messages under (no user id: by their id). */
const conversationOf = (keys: TenantKeys, customerId: string) =>
  conversationIdOf(keys, 'sandbox', SANDBOX_ID, contactIdOf(keys, 'sandbox', customerId));

/**
 * The simulated customer writes to the business: recorded exactly as a WhatsApp message would
 * be (contact, message, conversation; name and text sealed), so it shows in the inbox at once.
 */
export async function sendAsSandboxCustomer(
  deps: Pick<ConnectDeps, 'store' | 'keyring'> & {
    /** Called once the message is stored, as Meta's worker does (consent keywords: inbox/consent.ts). */
    onRecorded?: (message: InboundMessage, recorded: RecordedMessage) => Promise<void>;
  },
  tenantId: string,
  input: { customerName: string; text: string },
  nowMs = Date.now(),
): Promise<{ messageId: string; conversationId: string }> {
  await requireSandbox(deps, tenantId);
  const keys = await deps.keyring.forTenant(tenantId);
  const message = {
    tenantId,
    channel: { kind: 'sandbox', externalId: SANDBOX_ID },
    sender: { externalId: customerIdOf(keys, input.customerName), name: input.customerName.trim() },
    providerMessageId: `sandbox.${randomUUID()}`,
    sentAt: nowMs,
    receivedAt: nowMs,
    position: 0,
    type: 'text',
    text: input.text,
  } satisfies InboundMessage;
  const recorded = await recordInbound({ store: deps.store, keys }, message);
  await deps.onRecorded?.(message, recorded);
  return { messageId: recorded.messageId, conversationId: recorded.conversationId };
}

/**
 * A reply the AI agent wrote, as the simulator shows it to the merchant trying the agent: which
 * settings answered (a version number, or a trial of the version in force or of a draft), the
 * records the answer used, and for a handoff notice why it handed over.
 */
export interface SandboxAiNote {
  version?: number;
  trial?: 'current' | 'draft';
  citations: { kind: 'order' | 'product' | 'knowledge'; id: string; label: string }[];
  handoffReason?: string;
}

export interface SandboxThreadMessage {
  id: string;
  direction: 'from-customer' | 'to-customer';
  type: string;
  text?: string;
  status: string;
  at: string;
  ai?: SandboxAiNote;
}

/** The agent's outcomes in one conversation by the reply or notice they sent (ai/trial.ts sandboxAiOutcomes). */
export type SandboxAiOutcomes = (
  conversationId: string,
) => Promise<Map<string, { handoffReason?: string; version?: number; trial?: 'current' | 'draft' }>>;

/** The AI agent's author id on the replies it writes (ai/handoff.ts AI_AUTHOR). */
const AI_AUTHOR = 'ai';

/** How much of the thread the simulator shows: the newest messages, oldest first. */
const THREAD_LIMIT = 100;

/**
 * The thread as the simulated customer sees it: their messages and the business's replies,
 * with each reply's delivery status (the outbound worker moves sandbox replies to delivered).
 */
export async function sandboxThread(
  deps: Pick<ConnectDeps, 'store' | 'keyring'> & {
    /** The agent's outcomes, so its replies show what answered and why it handed over (optional: the inbox's own callers). */
    aiOutcomes?: SandboxAiOutcomes;
  },
  tenantId: string,
  customerName: string,
): Promise<{ conversationId: string; messages: SandboxThreadMessage[] }> {
  await requireSandbox(deps, tenantId);
  const keys = await deps.keyring.forTenant(tenantId);
  const conversationId = conversationOf(keys, customerIdOf(keys, customerName));
  const [page, outcomes] = await Promise.all([
    deps.store.entities.message.query
      .byConversation({ tenantId, conversationId })
      .go({ order: 'desc', limit: THREAD_LIMIT }),
    deps.aiOutcomes?.(conversationId),
  ]);
  const messages = page.data.reverse().map((message) => {
    let text: string | undefined;
    try {
      text = message.text ? keys.open('message', 'text', message.messageId, message.text) : undefined;
    } catch (error) {
      // A reply sealed under another context shows without its text rather than failing the thread.
      if (!(error instanceof SealedDataError)) throw error;
    }
    const ai = message.authorId === AI_AUTHOR ? aiNoteOf(keys, message, outcomes?.get(message.messageId)) : undefined;
    return {
      id: message.messageId,
      direction: message.direction === 'inbound' ? ('from-customer' as const) : ('to-customer' as const),
      type: message.type,
      ...(text !== undefined && { text }),
      status: message.status,
      at: new Date(message.sentAt).toISOString(),
      ...(ai && { ai }),
    };
  });
  return { conversationId, messages };
}

/** What the agent's reply says of itself (its sealed details) and what its outcome record adds (a handoff's reason). */
function aiNoteOf(
  keys: TenantKeys,
  message: { messageId: string; details?: string | undefined },
  outcome: { handoffReason?: string; version?: number; trial?: 'current' | 'draft' } | undefined,
): SandboxAiNote {
  let details: { ai?: Partial<SandboxAiNote> } | undefined;
  try {
    details = message.details
      ? JSON.parse(keys.open('message', 'details', message.messageId, message.details))
      : undefined;
  } catch {
    // Unreadable details: the reply still shows, without its citations.
    details = undefined;
  }
  const version = details?.ai?.version ?? outcome?.version;
  const trial = details?.ai?.trial ?? outcome?.trial;
  return {
    ...(version !== undefined && { version }),
    ...(trial && { trial }),
    citations: Array.isArray(details?.ai?.citations) ? details.ai.citations : [],
    ...(outcome?.handoffReason && { handoffReason: outcome.handoffReason }),
  };
}
