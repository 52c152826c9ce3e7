import type { Logger } from '@aws-lambda-powertools/logger';
import type { MailQueue } from '../notify/outbound.js';
import type { TenantKeyring } from '../platform/crypto/keyring.js';
import type { AccountsStore } from './records.js';
import type { AccountRequestQueue } from './requests.js';

/** What the accounts area needs from the platform; handlers build it once per process. */
export interface AccountsDeps {
  store: AccountsStore;
  keyring: TenantKeyring;
  /** Rendered mails (invitations) are queued for the mail worker, never sent from a request. */
  mails: MailQueue;
  /** Requests whose mail depends on whether an account exists, decided by their own worker. */
  requests: AccountRequestQueue;
  log: Logger;
  /** HS256 key of access tokens. */
  tokenSecret: string;
  /** The web app's origin; links in mails point there. */
  appUrl: string;
}

/** What the account-requests worker needs: it looks accounts up and queues the finished mail. */
export interface AccountRequestDeps {
  store: AccountsStore;
  keyring: TenantKeyring;
  mails: MailQueue;
  log: Logger;
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
