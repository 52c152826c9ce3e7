import { outboxAnswer } from '@asistone/contract/dev-outbox';
import { readOutbox } from '@asistone/core/notify/dev-outbox';
import { MAIL_RECORDS } from '@asistone/core/notify/records';
import { isLocalStack } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import { problem } from '../lib/problems.js';
import { defineRoute } from '../lib/route.js';

const LINK = /https?:\/\/\S+/g;

/** Local stage only: the mails the product would have sent. Anywhere else it does not exist. */
export const devOutboxRoutes = [
  defineRoute({
    method: 'get',
    path: '/dev/outbox',
    access: 'public',
    summary: 'Mails the product would have sent, newest first (local stage only; 404 elsewhere)',
    answers: { 200: { description: 'Mails', schema: outboxAnswer } },
    async handle({ c }) {
      const { storeOf, keyring, config } = platform();
      if (!isLocalStack(config)) return problem(c, 404, 'not_found', 'No such API route');
      const mails = await readOutbox({ store: storeOf(MAIL_RECORDS), keyring });
      c.header('cache-control', 'no-store');
      return c.json({ mails: mails.map((mail) => ({ ...mail, links: mail.text.match(LINK) ?? [] })) });
    },
  }),
];
