import type { AccountsDeps } from '@asistone/core/accounts/deps';
import { ACCOUNT_RECORDS } from '@asistone/core/accounts/records';
import { accountRequestQueue } from '@asistone/core/accounts/requests';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { BILLING_ACCOUNT_RECORDS } from '@asistone/core/billing/records';
import type { UsageStore } from '@asistone/core/billing/usage';
import { USAGE_RECORDS } from '@asistone/core/billing/usage-records';
import { mailQueue } from '@asistone/core/notify/outbound';
import { readAccountsConfig } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { once } from '@asistone/core/platform/once';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { withSecrets } from '../../lib/secrets.js';

export const log = createLogger('api');

async function build(): Promise<AccountsDeps & { store: UsageStore }> {
  const { storeOf, keyring, producer } = platform();
  const settings = readAccountsConfig(await withSecrets(process.env));
  return {
    // The plan's records too: inviting takes a seat of the plan (billing/seats.ts).
    store: storeOf({
      ...ACCOUNT_RECORDS,
      ...TENANCY_RECORDS,
      ...AUDIT_RECORDS,
      ...BILLING_ACCOUNT_RECORDS,
      ...USAGE_RECORDS,
    }),
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
export const accounts: () => Promise<AccountsDeps & { store: UsageStore }> = once(build);
