import type { AccountsDeps } from '@asistone/core/accounts/deps';
import { chooseMailer } from '@asistone/core/notify/choose-mailer';
import { readAccountsConfig } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { withSecrets } from './secrets.js';

export const log = createLogger('api');

let loading: Promise<AccountsDeps> | undefined;

async function build(): Promise<AccountsDeps> {
  const { store, keyring, config } = platform();
  const settings = readAccountsConfig(await withSecrets(process.env));
  return {
    store,
    keyring,
    log,
    tokenSecret: settings.AUTH_TOKEN_SECRET,
    appUrl: settings.APP_URL.replace(/\/+$/, ''),
    mailer: chooseMailer({
      stage: config.STAGE,
      resendApiKey: settings.RESEND_API_KEY,
      from: settings.MAIL_FROM,
      store,
      keyring,
    }),
  };
}

/**
 * The accounts area's dependencies, built on first use: a cold start reads the secrets only
 * when a request needs them, and a failed read is tried again by the next request.
 */
export function accounts(): Promise<AccountsDeps> {
  loading ??= build().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
