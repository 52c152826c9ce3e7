import type { Logger } from '@aws-lambda-powertools/logger';
import type { DeliveryDeps, MailQueue } from '../notify/outbound.js';
import type { TenantKeyring } from '../platform/crypto/keyring.js';
import type { Store } from '../platform/store/service.js';

/** What the accounts area needs from the platform; handlers build it once per process. */
export interface AccountsDeps {
  store: Store;
  keyring: TenantKeyring;
  /** Mail is never sent from a request: it is queued for the mail worker. */
  mails: MailQueue;
  log: Logger;
  /** HS256 key of access tokens. */
  tokenSecret: string;
  /** The web app's origin; links in mails point there. */
  appUrl: string;
}

/** What the mail worker needs to finish the accounts' mail requests. */
export interface AccountsMailDeps extends DeliveryDeps {
  appUrl: string;
}

/** Where a request came from, for rate limits, sessions and the audit log. */
export interface RequestOrigin {
  sourceAddress?: string | undefined;
  userAgent?: string | undefined;
}

/** A signed-in person acting in a business. */
export interface Actor extends RequestOrigin {
  userId: string;
}
