import { AI_REPLIES_QUEUE, aiReplyRequestOf } from '@asistone/core/ai/queue';
import { CAMPAIGN_RECORDS } from '@asistone/core/campaigns/campaign-records';
import { applyCampaignStatus, noteCampaignReply } from '@asistone/core/campaigns/results';
import { type MetaEventDeps, processMetaDelivery } from '@asistone/core/channels/meta/events';
import { mediaRequestFor } from '@asistone/core/channels/meta/media-fetch';
import { MEDIA_QUEUE } from '@asistone/core/channels/meta/media-queue';
import { META_EVENTS_QUEUE } from '@asistone/core/channels/meta/queue';
import { applyConsentKeyword } from '@asistone/core/inbox/consent';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { metaGraphSettings } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { queueWorker } from '@asistone/core/platform/queue/worker';
import { channelDirectory } from '@asistone/core/tenancy/channel-directory';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';

/**
 * Consumes `meta-events`: each signed delivery becomes contacts, conversations and messages of
 * the businesses its changes belong to.
 */
const log = createLogger('meta-events');

/** The platform's Meta app ids, which sign Asistone's own sends (their echoes are not kept twice). */
function ownAppIds(): string[] {
  const { appId, instagramAppId } = metaGraphSettings(process.env);
  return [appId, instagramAppId].filter((id): id is string => Boolean(id));
}

/** Built on first message: its directory keeps who owns which channel for a minute, per container. */
let deps: MetaEventDeps | undefined;
function eventDeps(): MetaEventDeps {
  if (!deps) {
    const { storeOf, keyring, producer } = platform();
    const store = storeOf({ ...INBOX_RECORDS, ...TENANCY_RECORDS, ...CAMPAIGN_RECORDS });
    deps = {
      store,
      keyring,
      log,
      directory: channelDirectory(store),
      ownAppIds: ownAppIds(),
      // A campaign message's status settles its recipient (campaigns/results.ts), not the inbox.
      onCampaignStatus: (tenantId, update) => applyCampaignStatus({ store, keyring, log }, tenantId, update),
      // Media is copied by its own worker, as soon as the message is stored (WhatsApp's link
      // lives 5 minutes, its id 7 days); a redelivered message asks again, the copy is made once.
      async onRecorded(message, recorded) {
        const request = mediaRequestFor(await keyring.forTenant(message.tenantId), message, recorded);
        if (request) await producer.send(MEDIA_QUEUE, request);
        // A customer's STOP / DUR (or START / BAŞLA) changes their marketing consent and is
        // confirmed once: keyed by the message, so a redelivery records and replies nothing twice.
        await applyConsentKeyword({ store, keyring, producer, log }, message, recorded);
        // A customer writing back (a tapped quick-reply button too) after a campaign reached them.
        if (message.channel.kind === 'whatsapp') {
          await noteCampaignReply({ store, log }, message.tenantId, recorded.contactId, message.sentAt);
        }
        // The AI agent's turn (ai/agent.ts): it decides whether to answer, once per message.
        await producer.send(AI_REPLIES_QUEUE, aiReplyRequestOf(message, recorded));
      },
    };
  }
  return deps;
}

const worker = queueWorker(
  META_EVENTS_QUEUE,
  () => {
    const { blobs, deadLetters, settlements } = platform();
    return { blobs, deadLetters, settlements, log };
  },
  async (delivery) => {
    await processMetaDelivery(eventDeps(), delivery);
  },
);

export const handler = middy(worker).use(injectLambdaContext(log, { resetKeys: true }));
