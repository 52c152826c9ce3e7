import {
  channelSchema,
  channelsAnswer,
  channelTestAnswer,
  connectInstagramBody,
  connectMessengerBody,
  connectWhatsAppBody,
  messengerLoginAnswer,
  messengerLoginBody,
  metaSetupAnswer,
  sandboxCustomerMessageAnswer,
  sandboxCustomerMessageBody,
  sandboxThreadAnswer,
  sandboxThreadQuery,
} from '@asistone/contract/channels';
import { AI_REPLIES_QUEUE, aiReplyRequestOf } from '@asistone/core/ai/queue';
import { AI_RECORDS } from '@asistone/core/ai/records';
import { sandboxAiOutcomes } from '@asistone/core/ai/trial';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { BILLING_ACCOUNT_RECORDS } from '@asistone/core/billing/records';
import { USAGE_RECORDS } from '@asistone/core/billing/usage-records';
import type { MetaConnectDeps } from '@asistone/core/channels/connect/deps';
import { connectInstagram } from '@asistone/core/channels/connect/instagram';
import { channelView, disconnectChannel, listChannels, testChannel } from '@asistone/core/channels/connect/manage';
import { connectMessengerPages, startMessengerLogin } from '@asistone/core/channels/connect/messenger';
import { connectSandbox, sandboxThread, sendAsSandboxCustomer } from '@asistone/core/channels/connect/sandbox';
import { connectWhatsApp } from '@asistone/core/channels/connect/whatsapp';
import { graphClient } from '@asistone/core/channels/meta/graph';
import { applyConsentKeyword } from '@asistone/core/inbox/consent';
import type { InboundMessage, RecordedMessage } from '@asistone/core/inbox/inbound';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { isLocalStack, metaGraphSettings } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import { ConfigError } from '@asistone/core/platform/errors';
import { once } from '@asistone/core/platform/once';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import type { ChannelKind } from '@asistone/core/tenancy/tenants';
import type * as z from 'zod';
import { withSecrets } from '../../lib/secrets.js';
import { log } from '../lib/deps.js';
import { defineRoute } from '../lib/route.js';

/**
 * What connecting needs, built on first use: the Graph client pointed where the stage says
 * (Meta in AWS, the fake Meta on the local stack) and the platform app's secrets, read once.
 */
const connectDeps = once(async (): Promise<MetaConnectDeps> => {
  const { storeOf, keyring } = platform();
  const env = await withSecrets(process.env);
  const settings = metaGraphSettings(env);
  return {
    store: storeOf({
      ...TENANCY_RECORDS,
      ...AUDIT_RECORDS,
      ...INBOX_RECORDS,
      ...BILLING_ACCOUNT_RECORDS,
      ...USAGE_RECORDS,
    }),
    keyring,
    log,
    graph: graphClient(settings),
    meta: {
      appId: settings.appId ?? '',
      appSecret: env.META_APP_SECRET ?? '',
      graphVersion: settings.version,
      embeddedSignupConfigId: settings.embeddedSignupConfigId,
      instagramAppId: settings.instagramAppId,
      instagramAppSecret: env.META_INSTAGRAM_APP_SECRET || undefined,
    },
  };
});

/** For the routes that call Meta as the platform app: an installation without one cannot. */
async function metaDeps(): Promise<MetaConnectDeps> {
  const deps = await connectDeps();
  if (!deps.meta.appId || !deps.meta.appSecret) {
    throw new ConfigError('META_APP_ID and META_APP_SECRET are needed to connect Meta channels');
  }
  return deps;
}

/** Where the fake Meta's dialogs are served by the local gateway (`/dev/meta/*`, local stack only). */
const LOCAL_DIALOGS = {
  embeddedSignup: '/dev/meta/dialog/embedded-signup',
  facebookLogin: '/dev/meta/dialog/facebook-login',
  instagramLogin: '/dev/meta/dialog/instagram-login',
};

const actorOf = (caller: { userId: string }, origin: { sourceAddress?: string | undefined }) => ({
  userId: caller.userId,
  sourceAddress: origin.sourceAddress,
});
type Actor = ReturnType<typeof actorOf>;

const CHANNEL = '/businesses/:tenantId/channels';

/**
 * A route that connects one channel as the caller, answered (201) as Settings › Channels shows
 * it; `connect` picks its deps (metaDeps where Meta is called as the platform app).
 */
function connectRoute<B>(route: {
  path: string;
  summary: string;
  body: z.ZodType<B>;
  connect: (actor: Actor, tenantId: string, body: B) => Promise<Parameters<typeof channelView>[0]>;
}) {
  return defineRoute({
    method: 'post',
    path: route.path,
    access: 'channels.manage',
    summary: route.summary,
    body: route.body,
    answers: { 201: { description: 'Connected', schema: channelSchema } },
    async handle({ c, business, caller, body, origin }) {
      return c.json(channelView(await route.connect(actorOf(caller, origin), business.tenantId, body)), 201);
    },
  });
}

/** The channel a `/:channelKind/:channelId` path names (an unknown kind names no channel). */
const namedChannel = (params: Record<string, string>) =>
  [params.channelKind as ChannelKind, params.channelId ?? ''] as const;

/** Settings › Channels: connecting, testing and disconnecting channels, and the sandbox's simulator. */
export const channelRoutes = [
  defineRoute({
    method: 'get',
    path: CHANNEL,
    access: 'conversations.read',
    summary: 'The channels of the business (tokens are never shown)',
    answers: { 200: { description: 'Channels', schema: channelsAnswer } },
    async handle({ c, business }) {
      return c.json({ channels: await listChannels(await connectDeps(), business.tenantId) });
    },
  }),
  defineRoute({
    method: 'get',
    path: `${CHANNEL}/meta-setup`,
    access: 'channels.manage',
    summary: "What the web app needs to open Meta's Embedded Signup, Facebook Login and Instagram Login",
    answers: { 200: { description: 'Public ids of the platform Meta app', schema: metaSetupAnswer } },
    async handle({ c }) {
      const { meta } = await connectDeps();
      return c.json({
        appId: meta.appId || null,
        embeddedSignupConfigId: meta.embeddedSignupConfigId ?? null,
        graphVersion: meta.graphVersion,
        instagramAppId: meta.instagramAppId ?? null,
        ...(isLocalStack(platform().config) && { dialogs: LOCAL_DIALOGS }),
      });
    },
  }),
  connectRoute({
    path: `${CHANNEL}/whatsapp`,
    summary: 'Connect a WhatsApp number finished in Embedded Signup (the code works once, for 30 seconds)',
    body: connectWhatsAppBody,
    connect: async (actor, tenantId, body) => connectWhatsApp(await metaDeps(), actor, tenantId, body),
  }),
  defineRoute({
    method: 'post',
    path: `${CHANNEL}/messenger/login`,
    access: 'channels.manage',
    summary: 'Exchange a Facebook Login code and list the Pages it may connect (kept 10 minutes)',
    body: messengerLoginBody,
    answers: { 200: { description: 'Pages to pick from', schema: messengerLoginAnswer } },
    async handle({ c, business, caller, body, origin }) {
      return c.json(await startMessengerLogin(await metaDeps(), actorOf(caller, origin), business.tenantId, body));
    },
  }),
  defineRoute({
    method: 'post',
    path: `${CHANNEL}/messenger`,
    access: 'channels.manage',
    summary: 'Connect the Pages picked from a Facebook Login',
    body: connectMessengerBody,
    answers: { 201: { description: 'Connected', schema: channelsAnswer } },
    async handle({ c, business, caller, body, origin }) {
      const channels = await connectMessengerPages(await metaDeps(), actorOf(caller, origin), business.tenantId, body);
      return c.json({ channels: channels.map(channelView) }, 201);
    },
  }),
  connectRoute({
    path: `${CHANNEL}/instagram`,
    summary: 'Connect an Instagram professional account by Instagram Login (60-day token, kept fresh)',
    body: connectInstagramBody,
    connect: async (actor, tenantId, body) => connectInstagram(await connectDeps(), actor, tenantId, body),
  }),
  defineRoute({
    method: 'post',
    path: `${CHANNEL}/sandbox`,
    access: 'channels.manage',
    summary: 'Connect the sandbox channel, where the business plays its own customer (one per business)',
    answers: { 201: { description: 'Connected (or already was)', schema: channelSchema } },
    async handle({ c, business, caller, origin }) {
      const channel = await connectSandbox(await connectDeps(), actorOf(caller, origin), business.tenantId);
      return c.json(channelView(channel), 201);
    },
  }),
  defineRoute({
    method: 'post',
    path: `${CHANNEL}/sandbox/customer-messages`,
    access: 'conversations.reply',
    summary: "The simulator: a message from the sandbox's customer, recorded as any customer message",
    body: sandboxCustomerMessageBody,
    answers: { 201: { description: 'Recorded', schema: sandboxCustomerMessageAnswer } },
    async handle({ c, business, body }) {
      const deps = await connectDeps();
      const { producer } = platform();
      // The simulated customer's STOP / DUR withdraws consent and is confirmed, as on Meta's channels.
      // Then the AI agent's turn (ai/agent.ts), as for Meta's channels: how a merchant tries it.
      const onRecorded = async (message: InboundMessage, recorded: RecordedMessage) => {
        await applyConsentKeyword({ ...deps, producer }, message, recorded);
        await producer.send(AI_REPLIES_QUEUE, aiReplyRequestOf(message, recorded));
      };
      return c.json(await sendAsSandboxCustomer({ ...deps, onRecorded }, business.tenantId, body), 201);
    },
  }),
  defineRoute({
    method: 'get',
    path: `${CHANNEL}/sandbox/customer-messages`,
    access: 'conversations.reply',
    summary: "The simulator: the sandbox customer's thread as they see it, with the replies' statuses",
    query: sandboxThreadQuery,
    answers: { 200: { description: 'Thread, oldest first', schema: sandboxThreadAnswer } },
    async handle({ c, business, query }) {
      // The agent's replies show what answered and, after a handoff, why: the merchant trying it sees it here.
      const aiStore = platform().storeOf(AI_RECORDS);
      const aiOutcomes = (conversationId: string) => sandboxAiOutcomes(aiStore, business.tenantId, conversationId);
      return c.json(
        await sandboxThread({ ...(await connectDeps()), aiOutcomes }, business.tenantId, query.customerName),
      );
    },
  }),
  defineRoute({
    method: 'delete',
    path: `${CHANNEL}/:channelKind/:channelId`,
    access: 'channels.manage',
    summary: 'Disconnect a channel: unsubscribed at Meta, no longer routed, its conversations kept',
    answers: { 204: { description: 'Disconnected (or already was)' } },
    async handle({ c, business, caller, params, origin }) {
      await disconnectChannel(await connectDeps(), actorOf(caller, origin), business.tenantId, ...namedChannel(params));
      return c.body(null, 204);
    },
  }),
  defineRoute({
    method: 'post',
    path: `${CHANNEL}/:channelKind/:channelId/test`,
    access: 'channels.manage',
    summary: 'Test a channel: its token, and that Meta answers for its number, Page or account',
    answers: { 200: { description: 'Each check and its outcome', schema: channelTestAnswer } },
    async handle({ c, business, params }) {
      return c.json(await testChannel(await connectDeps(), business.tenantId, ...namedChannel(params)));
    },
  }),
];
