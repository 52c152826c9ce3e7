import { DEFAULT_LANGUAGE } from '@asistone/contract/accounts';
import {
  currentPolicyVersion,
  declarationProblems,
  type PendingPolicy,
  POLICY_DOCUMENTS,
  POLICY_MESSAGES,
  POLICY_VERSIONS,
  type PolicyDocument,
  type PolicyVersions,
  versionInForceOn,
} from '@asistone/contract/policies';
import { type DynamoDBClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { recordInBusinesses } from '../audit/audit-log.js';
import { sealMail } from '../notify/outbound.js';
import { ConflictError, UnauthenticatedError, ValidationError } from '../platform/errors.js';
import { isConditionFailure } from '../platform/store/service.js';
import type { AccountsDeps, Actor } from './deps.js';
import { accountKeys, loadUser, type UserItem } from './people.js';
import { policyChangedMail } from './policy-mail.js';
import { ACCOUNTS_TENANT } from './records.js';

/**
 * Versions of the terms and the privacy policy, per person: which current versions they still
 * have to acknowledge, their acceptances (append-only, one record per document and version),
 * and the publication mail that tells every account holder what changed.
 *
 * The published versions come from the contract's declaration; `policies` may be given instead
 * so that tests can publish a version without editing the declaration.
 */
export interface PolicyOptions {
  policies?: PolicyVersions;
}

type StoreDeps = Pick<AccountsDeps, 'store'>;

/** Versions of each document the person accepted, from their acceptance records. */
async function acceptedVersions(deps: StoreDeps, userId: string): Promise<Map<PolicyDocument, Set<string>>> {
  const { data } = await deps.store.entities.policyAcceptance.query
    .byUser({ tenantId: ACCOUNTS_TENANT, userId })
    .go({ pages: 'all' });
  const accepted = new Map<PolicyDocument, Set<string>>(POLICY_DOCUMENTS.map((document) => [document, new Set()]));
  for (const item of data) accepted.get(item.document)?.add(item.version);
  return accepted;
}

/**
 * True when the person accepted the document's current version: by accepting it after sign-in,
 * or at sign-up (or when joining by invitation), whose one checkbox accepts both the terms and
 * the privacy policy as they stood at the recorded `termsVersion`.
 */
function hasAccepted(
  document: PolicyDocument,
  user: Pick<UserItem, 'termsVersion'>,
  accepted: Map<PolicyDocument, Set<string>>,
  policies: PolicyVersions,
): boolean {
  const current = currentPolicyVersion(document, policies).version;
  if (accepted.get(document)?.has(current)) return true;
  return user.termsVersion !== undefined && versionInForceOn(document, user.termsVersion, policies) === current;
}

/**
 * The documents whose current version the person has not accepted yet, with what changed, for
 * the web app to ask at sign-in. Empty for a person who accepted everything current.
 */
export async function pendingPolicies(
  deps: StoreDeps,
  userId: string,
  options: PolicyOptions = {},
): Promise<PendingPolicy[]> {
  const policies = options.policies ?? POLICY_VERSIONS;
  const [user, accepted] = await Promise.all([loadUser(deps, userId), acceptedVersions(deps, userId)]);
  if (!user) throw new UnauthenticatedError();
  return POLICY_DOCUMENTS.filter((document) => !hasAccepted(document, user, accepted, policies)).map((document) => {
    const current = currentPolicyVersion(document, policies);
    return {
      document,
      version: current.version,
      publishedOn: current.publishedOn,
      changes: { tr: [...current.changes.tr], en: [...current.changes.en] },
    };
  });
}

export interface PolicyAcceptance {
  document: PolicyDocument;
  version: string;
  acceptedAt: number;
}

/**
 * Records that the person accepted a document's current version. Only the current version is
 * taken (an older one: {@link ValidationError}, nothing recorded). Idempotent: the record's key
 * is the document and version and it is created conditionally, so a repeat or a concurrent
 * accept answers the first record and writes nothing more.
 *
 * Audited as `policy.accepted` in each business the person belongs to: the audit log is kept
 * per business (there is no log of the accounts space that anyone reads), as sign-ins are, so
 * each business's owners and admins see when their team acknowledged a new version. A person in
 * no business still has the acceptance record itself as proof.
 */
export async function acceptPolicy(
  deps: StoreDeps,
  actor: Actor,
  acceptance: { document: PolicyDocument; version: string },
  options: PolicyOptions & { now?: number } = {},
): Promise<PolicyAcceptance> {
  const policies = options.policies ?? POLICY_VERSIONS;
  const { document, version } = acceptance;
  if (!POLICY_DOCUMENTS.includes(document)) throw new ValidationError('terms or privacy', ['document']);
  if (currentPolicyVersion(document, policies).version !== version) {
    throw new ValidationError(POLICY_MESSAGES.notCurrent, ['version']);
  }
  const { userId } = actor;
  if (!(await loadUser(deps, userId))) throw new UnauthenticatedError();
  const acceptedAt = options.now ?? Date.now();
  try {
    await deps.store.entities.policyAcceptance
      .create({ tenantId: ACCOUNTS_TENANT, userId, document, version, acceptedAt })
      .go({ response: 'none' });
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const first = await deps.store.entities.policyAcceptance
      .get({ tenantId: ACCOUNTS_TENANT, userId, document, version })
      .go();
    if (!first.data) throw new ConflictError('The acceptance could not be recorded: try again');
    return { document, version, acceptedAt: first.data.acceptedAt };
  }
  const memberships = await deps.store.entities.membership.query.byPerson({ userId }).go({ pages: 'all' });
  await recordInBusinesses(
    deps.store,
    memberships.data.map((membership) => membership.tenantId),
    {
      action: 'policy.accepted',
      actorId: userId,
      target: { type: 'policy', id: `${document}@${version}` },
      sourceAddress: actor.sourceAddress,
      detail: { document, version },
    },
  );
  return { document, version, acceptedAt };
}

/** What publishing needs: the accounts area's records, keys and mail queue, and the table for the Query. */
export interface PublishDeps extends Pick<AccountsDeps, 'store' | 'keyring' | 'mails' | 'log' | 'appUrl'> {
  dynamo: DynamoDBClient;
  table: string;
}

export interface PublishProgress {
  /** Account holders looked at so far. */
  seen: number;
  queued: number;
}

export interface PublishReport {
  document: PolicyDocument;
  version: string;
  /** Every account holder found. */
  accountHolders: number;
  /** Mails queued by this run. */
  queued: number;
  /** Already mailed about this version by an earlier run. */
  alreadyMailed: number;
  /** Accepted this version already (signed up or joined under it): nothing to tell them. */
  alreadyAccepted: number;
}

/**
 * Every account's user id, by Query on the byTenant index (the accounts tenant, the `user` sort
 * key): never a Scan, and the cost follows the number of accounts, not the table's size.
 */
export async function* accountHolders(deps: Pick<PublishDeps, 'dynamo' | 'table'>): AsyncIterable<string> {
  const input: QueryCommandInput = {
    TableName: deps.table,
    IndexName: 'byTenant',
    KeyConditionExpression: '#tenant = :tenant AND begins_with(#sk, :user)',
    ExpressionAttributeNames: { '#tenant': 'tenantId', '#sk': 'sk', '#pk': 'pk' },
    ExpressionAttributeValues: { ':tenant': { S: ACCOUNTS_TENANT }, ':user': { S: 'user' } },
    ProjectionExpression: '#pk, #sk',
  };
  const prefix = `t#${ACCOUNTS_TENANT}#user#`;
  let start: QueryCommandInput['ExclusiveStartKey'];
  do {
    const page = await deps.dynamo.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      const pk = item.pk?.S;
      // `user` is the account record's whole sort key; other keys starting with it are not accounts.
      if (item.sk?.S === 'user' && pk?.startsWith(prefix)) yield pk.slice(prefix.length);
    }
    start = page.LastEvaluatedKey;
  } while (start);
}

/** People handled at once while publishing: enough to go fast, few enough for the table and queue. */
const PUBLISH_BATCH = 20;

/**
 * Publishes the document's current version: queues, to every account holder who has not
 * accepted it yet, one `policy-changed` mail in their language listing the material changes.
 * Idempotent per document, version and person: a marker record is written once the mail is
 * queued, and a rerun skips everyone marked, so nobody is mailed twice (a crash between the
 * queueing and the marker queues again, and the mail worker's receipt of the same idempotency
 * key still sends it once). The declaration is checked first; a version dated in the future
 * is refused.
 */
export async function publishPolicy(
  deps: PublishDeps,
  document: PolicyDocument,
  options: PolicyOptions & { now?: number; onProgress?: (progress: PublishProgress) => void } = {},
): Promise<PublishReport> {
  const policies = options.policies ?? POLICY_VERSIONS;
  const problems = declarationProblems(policies);
  if (problems.length > 0) throw new ValidationError(`The declared versions are not valid: ${problems.join('; ')}`);
  const current = currentPolicyVersion(document, policies);
  const today = new Date(options.now ?? Date.now()).toISOString().slice(0, 10);
  if (current.publishedOn > today) {
    throw new ValidationError(
      `The ${document} version ${current.version} is to be published on ${current.publishedOn}`,
    );
  }
  const keys = await accountKeys(deps);
  const report: PublishReport = {
    document,
    version: current.version,
    accountHolders: 0,
    queued: 0,
    alreadyMailed: 0,
    alreadyAccepted: 0,
  };

  async function tell(userId: string): Promise<void> {
    const key = { tenantId: ACCOUNTS_TENANT, userId, document, version: current.version };
    const [user, marker, accepted] = await Promise.all([
      loadUser(deps, userId),
      deps.store.entities.policyMail.get(key).go(),
      acceptedVersions(deps, userId),
    ]);
    if (!user) return;
    report.accountHolders += 1;
    if (marker.data) {
      report.alreadyMailed += 1;
      return;
    }
    if (hasAccepted(document, user, accepted, policies)) {
      report.alreadyAccepted += 1;
      return;
    }
    const mail = policyChangedMail({
      to: keys.open('user', 'email', userId, user.email),
      name: keys.open('user', 'name', userId, user.name),
      userId,
      language: user.language ?? DEFAULT_LANGUAGE,
      document,
      version: current,
      appUrl: deps.appUrl,
    });
    await deps.mails.enqueue(sealMail(keys, mail));
    try {
      await deps.store.entities.policyMail.create({ ...key, queuedAt: Date.now() }).go({ response: 'none' });
      report.queued += 1;
    } catch (error) {
      // A concurrent run queued it too; the mail worker sends one mail per idempotency key.
      if (!isConditionFailure(error)) throw error;
      report.alreadyMailed += 1;
    }
  }

  let batch: string[] = [];
  let seen = 0;
  const flush = async () => {
    await Promise.all(batch.map(tell));
    seen += batch.length;
    batch = [];
    options.onProgress?.({ seen, queued: report.queued });
  };
  for await (const userId of accountHolders(deps)) {
    batch.push(userId);
    if (batch.length === PUBLISH_BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  deps.log.info('policy published', { ...report });
  return report;
}
