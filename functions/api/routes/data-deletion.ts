import { dataDeletionStatusAnswer } from '@asistone/contract/data-deletion';
import { platform } from '@asistone/core/platform/context';
import { dataDeletionStatus, META_DATA_DELETION_RECORDS } from '@asistone/core/privacy/meta-data-deletion';
import { defineRoute } from '../lib/route.js';

/**
 * `GET /api/privacy/data-deletion/:code`: the status of one Meta data deletion callback, for the
 * link Meta shows the person (public: they have no account here). Status and times only; an
 * unknown or malformed code is 404. The code is 128 bits from the app secret: not guessable.
 */
export const dataDeletionRoutes = [
  defineRoute({
    method: 'get',
    path: '/privacy/data-deletion/:code',
    access: 'public',
    summary: 'Status of a Meta data deletion callback (by its confirmation code)',
    answers: { 200: { description: 'How far the deletion is', schema: dataDeletionStatusAnswer } },
    async handle({ c, params }) {
      const status = await dataDeletionStatus(platform().storeOf(META_DATA_DELETION_RECORDS), params.code ?? '');
      c.header('cache-control', 'no-store');
      return c.json(status);
    },
  }),
];
