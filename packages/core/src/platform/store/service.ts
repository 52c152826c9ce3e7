import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Service } from 'electrodb';
import {
  EmailLookupRecord,
  InviteRecord,
  MembershipRecord,
  OwnershipRecord,
  PasswordResetRecord,
  RefreshTokenRecord,
  SessionRecord,
  SignUpRecord,
  ThrottleRecord,
  UserRecord,
} from '../../accounts/records.js';
import { AuditEventRecord } from '../../audit/records.js';
import { ContactRecord, ConversationRecord, MessageRecord } from '../../inbox/records.js';
import { DevMailRecord, MailReceiptRecord } from '../../notify/records.js';
import { ChannelRecord, MetaAppRecord, TenantKeyRecord, TenantRecord } from '../../tenancy/records.js';

/**
 * Every record type in the one table, as an ElectroDB service.
 *
 * @example
 * const store = createStore(dynamo, config.TABLE_NAME);
 * await store.entities.tenant.get({ tenantId }).go();
 */
export function createStore(client: DynamoDBClient, table: string) {
  const documents = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return new Service(
    {
      tenant: TenantRecord,
      tenantKey: TenantKeyRecord,
      metaApp: MetaAppRecord,
      channel: ChannelRecord,
      contact: ContactRecord,
      conversation: ConversationRecord,
      message: MessageRecord,
      user: UserRecord,
      accountEmail: EmailLookupRecord,
      signUp: SignUpRecord,
      session: SessionRecord,
      refreshToken: RefreshTokenRecord,
      passwordReset: PasswordResetRecord,
      throttle: ThrottleRecord,
      membership: MembershipRecord,
      ownership: OwnershipRecord,
      invite: InviteRecord,
      auditEvent: AuditEventRecord,
      devMail: DevMailRecord,
      mailReceipt: MailReceiptRecord,
    },
    { client: documents, table },
  );
}

export type Store = ReturnType<typeof createStore>;

/** True when a conditional write lost because the item already exists (or the condition failed). */
export function isConditionFailure(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const name = (current as { name?: string }).name;
    if (name === 'ConditionalCheckFailedException') return true;
    if ((current as { code?: number }).code === 4001) return true; // ElectroDB: conditional check failed
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
