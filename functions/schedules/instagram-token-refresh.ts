import { ACCOUNT_RECORDS } from '@asistone/core/accounts/records';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { refreshInstagramTokens } from '@asistone/core/channels/connect/token-refresh';
import { graphClient } from '@asistone/core/channels/meta/graph';
import { mailQueue } from '@asistone/core/notify/outbound';
import { metaGraphSettings, readLinksConfig } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { runTime } from '../lib/run-time.js';
import { withSecrets } from '../lib/secrets.js';

/**
 * Daily: refreshes Instagram Login tokens before they lapse, marks the ones that will, and
 * mails owners and admins once per expiry (channels/connect/token-refresh.ts).
 */
const log = createLogger('instagram-token-refresh');

export const handler = middy(async (event: unknown) => {
  const { storeOf, keyring, producer } = platform();
  const env = await withSecrets(process.env);
  return refreshInstagramTokens(
    {
      store: storeOf({ ...ACCOUNT_RECORDS, ...TENANCY_RECORDS, ...AUDIT_RECORDS }),
      keyring,
      graph: graphClient(metaGraphSettings(env)),
      mails: mailQueue(producer),
      appUrl: readLinksConfig(env).APP_URL,
      log,
    },
    runTime(event),
  );
}).use(injectLambdaContext(log, { resetKeys: true }));
