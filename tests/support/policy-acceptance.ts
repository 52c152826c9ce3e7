import { ACCOUNT_RECORDS, ACCOUNTS_TENANT } from '../../packages/core/src/accounts/records.js';
import { readConfig } from '../../packages/core/src/platform/config.js';
import { createPlatform } from '../../packages/core/src/platform/context.js';
import { localAws } from './local-aws.js';

/** A terms version from before the current ones were published. */
export const OLDER_TERMS_VERSION = '2025-06-01';

/**
 * Makes a person of a running local stack look as if they had signed up before the current
 * terms and privacy policy were published, by setting their account's recorded sign-up version
 * to an earlier date. Sign-up takes only the current version, so the API cannot make such an
 * account, and the published declaration stays as it is.
 */
export async function signedUpEarlier(dataDir: string, userId: string): Promise<void> {
  await createPlatform(readConfig(localAws(dataDir).env))
    .storeOf(ACCOUNT_RECORDS)
    .entities.user.patch({ tenantId: ACCOUNTS_TENANT, userId })
    .set({ termsVersion: OLDER_TERMS_VERSION })
    .go();
}
