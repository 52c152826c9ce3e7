import type { Logger } from '@aws-lambda-powertools/logger';
import type { AUDIT_RECORDS } from '../../audit/records.js';
import type { UsageStore } from '../../billing/usage.js';
import type { INBOX_RECORDS } from '../../inbox/records.js';
import type { TenantKeyring } from '../../platform/crypto/keyring.js';
import { ProductError, RateLimitedError, ValidationError } from '../../platform/errors.js';
import type { Store } from '../../platform/store/service.js';
import type { TENANCY_RECORDS } from '../../tenancy/records.js';
import type { GraphClient } from '../meta/graph.js';
import { GraphError } from '../meta/graph-errors.js';

/** What connecting channels asks of Meta's Graph API: the client's methods this folder calls. */
export type ConnectGraph = Pick<
  GraphClient,
  | 'exchangeCode'
  | 'exchangeUserToken'
  | 'debugToken'
  | 'subscribeApp'
  | 'unsubscribeApp'
  | 'registerPhone'
  | 'phoneNumber'
  | 'wabaPhoneNumbers'
  | 'pages'
  | 'instagramExchangeCode'
  | 'instagramLongLived'
  | 'instagramRefresh'
  | 'instagramMe'
>;

/** The platform Meta app as connecting needs it: public ids, and the secrets the code exchanges take. */
export interface MetaAppSettings {
  appId: string;
  appSecret: string;
  graphVersion: string;
  embeddedSignupConfigId?: string | undefined;
  instagramAppId?: string | undefined;
  instagramAppSecret?: string | undefined;
}

/** Channels and their logins, the audit log, and the inbox (the sandbox's customer writes there). */
export type ConnectStore = Store<typeof TENANCY_RECORDS & typeof AUDIT_RECORDS & typeof INBOX_RECORDS>;

export interface ConnectDeps {
  store: ConnectStore;
  keyring: TenantKeyring;
  log: Logger;
  graph: ConnectGraph;
  meta: MetaAppSettings;
}

/** Connecting a Meta channel also reads the plan: a channel beyond its number is refused. */
export type MetaConnectDeps = ConnectDeps & { store: UsageStore };

/** The person connecting, for the audit log. */
export interface ConnectActor {
  userId: string;
  sourceAddress?: string | undefined;
}

/**
 * What a merchant is told when Meta refuses a step: Meta's own title (it names no person), and
 * what to do. A refused code or permission is the caller's (400, nothing stored); Meta rate
 * limiting is a 429; Meta being down stays our failure (500) so it is logged and alarmed.
 */
export function explainGraphFailure(error: unknown, step: string, field?: string): never {
  if (!(error instanceof GraphError)) throw error;
  if (error.kind === 'rate-limited') {
    throw new RateLimitedError(error.retryAfterSeconds ?? 60, `Meta is limiting requests (${step}): try again shortly`);
  }
  if (error.kind === 'server') throw error;
  throw new ValidationError(`Meta refused the ${step}: ${error.title}`, field ? [field] : []);
}

/** A channel already connected to another business: Meta delivers its messages to one business only. */
export class ChannelTakenError extends ProductError {
  override name = 'ChannelTakenError';
  constructor(what: string) {
    super('conflict', `This ${what} is already connected to another business on Asistone`);
  }
}
