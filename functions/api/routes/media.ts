import { mediaAnswer } from '@asistone/contract/inbox';
import { mediaView } from '@asistone/core/inbox/media';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { platform } from '@asistone/core/platform/context';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { defineRoute } from '../lib/route.js';

/** Customers' media, as copied into the business's storage by the media worker. */
export const mediaRoutes = [
  defineRoute({
    method: 'get',
    path: '/businesses/:tenantId/conversations/:conversationId/messages/:messageId/media',
    access: 'conversations.read',
    summary: "A message's media: a 5-minute download link once stored, its reason if it failed, or pending",
    answers: { 200: { description: 'Where the media stands', schema: mediaAnswer } },
    async handle({ c, business, params }) {
      const { storeOf, keyring, blobs } = platform();
      const view = await mediaView(
        {
          store: storeOf({ ...INBOX_RECORDS, ...TENANCY_RECORDS }),
          keys: await keyring.forTenant(business.tenantId),
          blobs,
        },
        {
          tenantId: business.tenantId,
          conversationId: params.conversationId ?? '',
          messageId: params.messageId ?? '',
        },
      );
      // A link that lives five minutes must not outlive them in a cache.
      c.header('cache-control', 'no-store');
      return c.json(view);
    },
  }),
];
