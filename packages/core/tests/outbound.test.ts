import type { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaDelivery } from '../src/channels/meta/envelope.js';
import { processMetaDelivery } from '../src/channels/meta/events.js';
import { GraphError } from '../src/channels/meta/graph-errors.js';
import { type ChannelSender, SendLaterError } from '../src/inbox/channel-sender.js';
import { recordInbound } from '../src/inbox/inbound.js';
import { listMessages } from '../src/inbox/messages.js';
import { type OutboundDeps, type OutboundRequest, processOutbound } from '../src/inbox/outbound.js';
import { queueReply } from '../src/inbox/replies.js';
import { applyStatus } from '../src/inbox/statuses.js';
import { createTenant, saveConnectedChannel } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';
import { whatsappMessagesDelivery } from './support/whatsapp-delivery.js';

/**
 * The outbound worker against the local DynamoDB, with Meta replaced by a scripted sender:
 * what a failure leaves on the message, when it goes back to the queue, that a reply is sent
 * once, and that Meta's statuses (by the provider's id) find a reply stored before that id existed.
 */
let test: TestPlatform;
const SHOP = { tenantId: 't_outbound', number: '100000000000401', waba: '100000000000402' };
const quiet = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;

let conversationId: string;
const queued: OutboundRequest[] = [];

beforeAll(async () => {
  test = await startTestPlatform();
  const deps = { store: test.platform.store, keyring: test.platform.keyring };
  await createTenant(deps, SHOP.tenantId, 'Çiçekçi');
  await saveConnectedChannel(
    deps,
    SHOP.tenantId,
    { kind: 'whatsapp', externalId: SHOP.number, label: 'Çiçekçi', accountId: SHOP.waba },
    { accessToken: 'EAAtest-token' },
  );
  const now = Date.now();
  const keys = await test.platform.keyring.forTenant(SHOP.tenantId);
  const recorded = await recordInbound(
    { store: test.platform.store, keys },
    {
      tenantId: SHOP.tenantId,
      channel: { kind: 'whatsapp', externalId: SHOP.number },
      sender: { externalId: '905551112233', phone: '+905551112233', name: 'Ayşe' },
      providerMessageId: 'wamid.customer1',
      sentAt: now,
      receivedAt: now,
      position: 0,
      type: 'text',
      text: 'Merhaba',
    },
  );
  conversationId = recorded.conversationId;
});
afterAll(() => test.stop());

/** A sender that answers with the scripted outcomes, in turn, and counts its calls. */
function scriptedSender(outcomes: (string | Error | (() => Promise<string>))[]) {
  const sent: { to: string | undefined; content: unknown }[] = [];
  const sender: ChannelSender = {
    async send(_channel, to, content) {
      const outcome = outcomes.shift() ?? 'wamid.default';
      sent.push({ to: to.externalId, content });
      if (outcome instanceof Error) throw outcome;
      return { providerMessageId: typeof outcome === 'function' ? await outcome() : outcome };
    },
    async markRead() {},
    async typing() {},
  };
  return { sender, sent };
}

function deps(sender: ChannelSender): OutboundDeps {
  return {
    store: test.platform.store,
    keyring: test.platform.keyring,
    sender,
    documents: DynamoDBDocumentClient.from(test.platform.aws.dynamo),
    log: quiet,
    attempts: 1,
  };
}

async function newReply(text: string) {
  const { message } = await queueReply(
    {
      store: test.platform.store,
      keyring: test.platform.keyring,
      producer: { send: async (_queue, request) => void queued.push(request as OutboundRequest) },
    },
    SHOP.tenantId,
    conversationId,
    'u_agent',
    { kind: 'text', text, clientId: `client-${text.replace(/\W/g, '')}-${Date.now()}` },
  );
  const request = queued.at(-1) as OutboundRequest;
  expect(request).toMatchObject({ kind: 'send', messageId: message.id });
  return request;
}

async function stored(id: string) {
  const { messages } = await listMessages(
    { store: test.platform.store, keyring: test.platform.keyring },
    SHOP.tenantId,
    conversationId,
  );
  return messages.find((m) => m.id === id);
}

const rateLimited = () => new GraphError({ status: 429, code: 130429, title: 'Rate limit hit', retryAfterSeconds: 1 });

describe('queueing a reply', () => {
  it('completes a request that stopped after fixing its key, when the app retries it', async () => {
    const replyDeps = {
      store: test.platform.store,
      keyring: test.platform.keyring,
      producer: { send: async (_queue: unknown, request: unknown) => void queued.push(request as OutboundRequest) },
    };
    const input = { kind: 'text' as const, text: 'Yarım kalan', clientId: 'client-half-done-1' };
    // The first attempt wrote its request record and stopped (no message, nothing queued).
    const first = await queueReply(replyDeps, SHOP.tenantId, conversationId, 'u_agent', input);
    await test.platform.store.entities.message
      .delete({
        tenantId: SHOP.tenantId,
        conversationId,
        sentAt: Date.parse(first.message.sentAt),
        messageId: first.message.id,
      })
      .go();
    const before = queued.length;
    const retried = await queueReply(replyDeps, SHOP.tenantId, conversationId, 'u_agent', input);
    expect(retried).toMatchObject({
      created: true,
      message: { id: first.message.id, sentAt: first.message.sentAt, status: 'queued' },
    });
    expect(queued.slice(before)).toEqual([
      {
        kind: 'send',
        tenantId: SHOP.tenantId,
        conversationId,
        messageId: first.message.id,
        sentAt: Date.parse(first.message.sentAt),
      },
    ]);
    const again = await queueReply(replyDeps, SHOP.tenantId, conversationId, 'u_agent', input);
    expect(again.created).toBe(false);
    expect(again.message.id).toBe(first.message.id);
  });
});

describe('Messenger replies', () => {
  it('go with the HUMAN_AGENT tag after 24 hours, and not at all after 7 days', async () => {
    const deps0 = { store: test.platform.store, keyring: test.platform.keyring };
    const page = '100000000000499';
    await saveConnectedChannel(
      deps0,
      SHOP.tenantId,
      { kind: 'messenger', externalId: page, label: 'Sayfa' },
      { accessToken: 'EAApage' },
    );
    const keys = await test.platform.keyring.forTenant(SHOP.tenantId);
    const day = 24 * 3600 * 1000;
    const conversationAt = async (psid: string, ago: number) =>
      (
        await recordInbound(
          { store: test.platform.store, keys },
          {
            tenantId: SHOP.tenantId,
            channel: { kind: 'messenger', externalId: page },
            sender: { externalId: psid },
            providerMessageId: `m_${psid}`,
            sentAt: Date.now() - ago,
            receivedAt: Date.now() - ago,
            position: 0,
            type: 'text',
            text: 'Merhaba',
          },
        )
      ).conversationId;
    const threeDays = await conversationAt('1111111111', 3 * day);
    const eightDays = await conversationAt('2222222222', 8 * day);
    const options: unknown[] = [];
    const sender: ChannelSender = {
      async send(_channel, to, _content, sendOptions) {
        options.push({ to: to.externalId, ...sendOptions });
        return { providerMessageId: `m_reply_${options.length}` };
      },
      async markRead() {},
      async typing() {},
    };
    const replyDeps = {
      ...deps0,
      producer: { send: async (_queue: unknown, request: unknown) => void queued.push(request as OutboundRequest) },
    };
    const tagged = await queueReply(replyDeps, SHOP.tenantId, threeDays, 'u_agent', {
      kind: 'text',
      text: 'Geç yanıt',
      clientId: 'client-late-1',
    });
    await processOutbound(deps(sender), queued.at(-1) as OutboundRequest, { receiveCount: 1 });
    expect(options).toEqual([{ to: '1111111111', humanAgentTag: true, reference: tagged.message.id }]);
    await expect(
      queueReply(replyDeps, SHOP.tenantId, eightDays, 'u_agent', {
        kind: 'text',
        text: 'Çok geç',
        clientId: 'client-late-2',
      }),
    ).rejects.toMatchObject({ code: 'window_closed' });
    expect(options).toHaveLength(1);
  });
});

describe('the outbound worker', () => {
  it('sends to the customer’s number and finds the reply by the provider id for its statuses, even one that came first', async () => {
    const request = await newReply('Siparişiniz yolda');
    const { sender, sent } = scriptedSender([
      // Meta's `sent` status overtakes the answer: the status is kept and applied once the id is known.
      async () => {
        await applyStatus(
          { store: test.platform.store, keys: await test.platform.keyring.forTenant(SHOP.tenantId) },
          {
            tenantId: SHOP.tenantId,
            channelKind: 'whatsapp',
            providerMessageId: 'wamid.reply1',
            status: 'delivered',
            at: Date.now(),
          },
        );
        return 'wamid.reply1';
      },
    ]);
    await processOutbound(deps(sender), request, { receiveCount: 1 });
    expect(sent).toEqual([{ to: '905551112233', content: { kind: 'text', text: 'Siparişiniz yolda' } }]);
    expect((await stored(request.kind === 'send' ? request.messageId : ''))?.status).toBe('delivered');

    const later = await applyStatus(
      { store: test.platform.store, keys: await test.platform.keyring.forTenant(SHOP.tenantId) },
      {
        tenantId: SHOP.tenantId,
        channelKind: 'whatsapp',
        providerMessageId: 'wamid.reply1',
        status: 'read',
        at: Date.now() + 1000,
      },
    );
    expect(later).toBe('applied');
    expect((await stored(request.kind === 'send' ? request.messageId : ''))?.status).toBe('read');

    // A redelivery of the same request sends nothing.
    await processOutbound(deps(sender), request, { receiveCount: 2 });
    expect(sent).toHaveLength(1);
  });

  it('sends a rate-limited reply back to the queue, and on its last receive fails it with the reason and dead-letters it', async () => {
    const request = await newReply('Tekrar denenecek');
    const id = request.kind === 'send' ? request.messageId : '';
    const first = scriptedSender([rateLimited()]);
    await expect(processOutbound(deps(first.sender), request, { receiveCount: 1 })).rejects.toBeInstanceOf(
      SendLaterError,
    );
    expect((await stored(id))?.status).toBe('queued');

    const last = scriptedSender([rateLimited()]);
    await expect(processOutbound(deps(last.sender), request, { receiveCount: 5 })).rejects.toBeInstanceOf(
      SendLaterError,
    );
    expect(await stored(id)).toMatchObject({ status: 'failed', error: { code: 130429, reason: 'rate-limited' } });

    // Replayed from the dead-letter queue, it goes.
    const replay = scriptedSender(['wamid.replayed']);
    await processOutbound(deps(replay.sender), request, { receiveCount: 1 });
    expect((await stored(id))?.status).toBe('sent');
    expect(replay.sent).toHaveLength(1);
  });

  it('stores a permanent refusal with its reason and never sends it again', async () => {
    const request = await newReply('Ulaşmayacak');
    const id = request.kind === 'send' ? request.messageId : '';
    const { sender, sent } = scriptedSender([
      new GraphError({ status: 400, code: 131026, title: 'Message undeliverable' }),
      'wamid.never',
    ]);
    await processOutbound(deps(sender), request, { receiveCount: 1 });
    expect(await stored(id)).toMatchObject({
      status: 'failed',
      error: { code: 131026, title: 'Message undeliverable', reason: 'undeliverable' },
    });
    await processOutbound(deps(sender), request, { receiveCount: 2 });
    expect(sent).toHaveLength(1);
  });

  it('sends once when two deliveries of the same request run at once', async () => {
    const request = await newReply('Bir kez');
    const { sender, sent } = scriptedSender([
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        return 'wamid.once';
      },
      'wamid.twice',
    ]);
    const outcomes = await Promise.allSettled([
      processOutbound(deps(sender), request, { receiveCount: 1 }),
      processOutbound(deps(sender), request, { receiveCount: 1 }),
    ]);
    expect(sent).toHaveLength(1);
    // The one that found it taken goes back to the queue, and then finds it sent.
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1);
    await processOutbound(deps(sender), request, { receiveCount: 2 });
    expect(sent).toHaveLength(1);
    expect((await stored(request.kind === 'send' ? request.messageId : ''))?.status).toBe('sent');
  });
});

describe('the reason a person reads on a failed reply', () => {
  /** Meta's failed status for a sent reply, posted through the worker that takes Meta's deliveries. */
  async function failedStatus(wamid: string, code: number, title: string) {
    const body = whatsappMessagesDelivery(SHOP, {
      statuses: [
        {
          id: wamid,
          status: 'failed',
          timestamp: String(Math.floor(Date.now() / 1000) + 5),
          recipient_id: '905551112233',
          errors: [{ code, title, message: title }],
        },
      ],
    });
    await processMetaDelivery(
      { store: test.platform.store, keyring: test.platform.keyring, log: quiet },
      metaDelivery(body, Date.now()),
    );
  }

  it.each([
    [131026, 'Message undeliverable', 'undeliverable'],
    [131047, 'Re-engagement message', 'outside-window'],
    [131000, 'Something went wrong', 'server'],
  ])(
    'is the same for code %i whether Meta refuses the send or reports it failed later',
    async (code, title, reason) => {
      // Reported later: Meta accepted the reply, then its status webhook says it failed.
      const accepted = await newReply(`Sonra düşen ${code}`);
      const acceptedId = accepted.kind === 'send' ? accepted.messageId : '';
      await processOutbound(deps(scriptedSender([`wamid.failed-later-${code}`]).sender), accepted, { receiveCount: 1 });
      await failedStatus(`wamid.failed-later-${code}`, code, title);
      expect(await stored(acceptedId)).toMatchObject({ status: 'failed', error: { code, title, reason } });

      // Refused at once: Meta's answer to the send carries the same code (on the last receive, so
      // a retryable one is given up on too).
      const refused = await newReply(`Hemen düşen ${code}`);
      const refusedId = refused.kind === 'send' ? refused.messageId : '';
      const { sender } = scriptedSender([new GraphError({ status: 400, code, title })]);
      await processOutbound(deps(sender), refused, { receiveCount: 5 }).catch((error: unknown) => {
        if (!(error instanceof SendLaterError)) throw error;
      });
      expect(await stored(refusedId)).toMatchObject({ status: 'failed', error: { code, reason } });
    },
  );
});
