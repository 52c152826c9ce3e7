import type { AccountsDeps } from '@asistone/core/accounts/deps';
import { ACCOUNT_RECORDS } from '@asistone/core/accounts/records';
import { accountRequestQueue } from '@asistone/core/accounts/requests';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { mailQueue } from '@asistone/core/notify/outbound';
import { readAccountsConfig } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { once } from '@asistone/core/platform/once';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { withSecrets } from '../../lib/secrets.js';

export const log = createLogger('api');

async function build(): Promise<AccountsDeps> {
  const { storeOf, keyring, producer } = platform();
  const settings = readAccountsConfig(await withSecrets(process.env));
  return {
    store: storeOf({ ...ACCOUNT_RECORDS, ...TENANCY_RECORDS, ...AUDIT_RECORDS }),
    keyring,
    log,
    tokenSecret: settings.AUTH_TOKEN_SECRET,
    appUrl: settings.APP_URL,
    // Requests only enqueue: finished mails for the mail worker, account requests for theirs.
    mails: mailQueue(producer),
    requests: accountRequestQueue(producer),
  };
}

/**
 * The accounts area's dependencies, built on first use: a cold start reads the secrets only
 * when a request needs them, and a failed read is tried again by the next request.
 */
export const accounts: () => Promise<AccountsDeps> = once(build);
