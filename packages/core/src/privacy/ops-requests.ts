import { contactIdSchema } from '@asistone/contract/contacts';
import { PRIVACY_REQUEST_KINDS, type PrivacyRequest, type PrivacyRequestKind } from '@asistone/contract/privacy';
import { recordAuditEvent } from '../audit/audit-log.js';
import { AUDIT_RECORDS } from '../audit/records.js';
import { ContactRecord } from '../inbox/records.js';
import { NotFoundError, ValidationError } from '../platform/errors.js';
import type { Store } from '../platform/store/service.js';
import { TenantRecord } from '../tenancy/records.js';
import { getPrivacyRequest, openPrivacyRequest, PRIVACY_REQUEST_RECORDS } from './privacy-requests.js';
import { assertBusinessId } from './purge.js';

/**
 * What ops do by hand for the privacy engine (`npm run privacy`): record a request that arrived
 * by mail, with the same deadline clock as one from the app, and check the ids an operator
 * types before anything is read. The work itself (export, erasure) is the app's own
 * (contact-rights.ts), so receipts and audit entries are the same.
 */

export const OPS_RECORDS = {
  ...PRIVACY_REQUEST_RECORDS,
  ...AUDIT_RECORDS,
  tenant: TenantRecord,
  contact: ContactRecord,
};
export type OpsStore = Store<typeof OPS_RECORDS>;

const DAY_MS = 24 * 3600 * 1000;

/** Kinds a mail can ask for: Meta's data deletion arrives only through its own signed callback. */
export const MAILED_REQUEST_KINDS = PRIVACY_REQUEST_KINDS.filter((kind) => kind !== 'meta-data-deletion');

/** Control characters would forge lines in a terminal or a log; a name is short and printable. */
const hasControl = (value: string) =>
  [...value].some((char) => {
    const code = char.codePointAt(0) as number;
    return code < 0x20 || (code >= 0x7f && code <= 0x9f);
  });

/** An operator's name as the audit log keeps it (`ops:<name>`). */
export function opsActor(name: string): string {
  if (!/^[A-Za-z0-9._@-]{1,64}$/.test(name)) {
    throw new ValidationError('an operator name is 1 to 64 letters, digits, ".", "_", "@" or "-"');
  }
  return `ops:${name}`;
}

function describeBadId(what: string, value: string): string {
  if (value.length > 64) return `${what} id is too long (at most 64 characters)`;
  if (hasControl(value)) return `${what} id contains control characters`;
  return `${what} id may hold only letters, digits, "-" and "_"`;
}

/** Checks a business id's shape; the message says what is wrong without echoing the input. */
export function checkBusinessId(tenantId: string): string {
  try {
    assertBusinessId(tenantId);
  } catch {
    throw new ValidationError(
      tenantId.length === 0 ? 'a business id is required' : describeBadId('the business', tenantId),
    );
  }
  return tenantId;
}

export function checkContactId(contactId: string): string {
  if (!contactIdSchema.safeParse(contactId).success) {
    throw new ValidationError(
      contactId.length === 0 ? 'a contact id is required' : describeBadId('the contact', contactId),
    );
  }
  return contactId;
}

/** Request ids are `pr_<13 digits>_<hex>` (privacy-requests.ts). */
export function checkRequestId(requestId: string): string {
  if (!/^pr_\d{13}_[0-9a-f]{1,64}$/.test(requestId)) {
    throw new ValidationError(
      requestId.length > 100
        ? 'the request id is too long'
        : hasControl(requestId)
          ? 'the request id contains control characters'
          : 'not a request id (pr_<time>_<hex>)',
    );
  }
  return requestId;
}

export async function requireBusiness(store: OpsStore, tenantId: string): Promise<void> {
  const { data } = await store.entities.tenant.get({ tenantId }).go({ attributes: ['tenantId'] });
  if (!data) throw new NotFoundError('no such business');
}

export async function requireContact(store: OpsStore, tenantId: string, contactId: string): Promise<void> {
  const { data } = await store.entities.contact.get({ tenantId, contactId }).go({ attributes: ['contactId'] });
  if (!data) throw new NotFoundError('no such contact in this business');
}

/** The open request an operator names, checked against the contact it is about. */
export async function requireOpenRequest(
  store: OpsStore,
  tenantId: string,
  requestId: string,
): Promise<PrivacyRequest> {
  const request = await getPrivacyRequest(store, tenantId, checkRequestId(requestId));
  if (!request) throw new NotFoundError('no such request in this business');
  if (request.status !== 'open') throw new ValidationError(`the request is already ${request.status}`);
  return request;
}

export interface MailedRequest {
  tenantId: string;
  kind: string;
  /** When the mail arrived (ISO date or time): the 30 days count from it. */
  received: string;
  contactId?: string;
  /** `ops:<name>`. */
  by: string;
}

/**
 * Records a request that arrived by mail: source `email`, its deadline counted from when the mail
 * arrived, audited `privacy.request_recorded` as the operator. Nothing is written unless every
 * part checks out (business, kind, date, contact).
 */
export async function recordMailedRequest(
  store: OpsStore,
  input: MailedRequest,
  now = Date.now(),
): Promise<PrivacyRequest> {
  const tenantId = checkBusinessId(input.tenantId);
  if (!(MAILED_REQUEST_KINDS as readonly string[]).includes(input.kind)) {
    throw new ValidationError(`the kind is one of: ${MAILED_REQUEST_KINDS.join(', ')}`);
  }
  const kind = input.kind as PrivacyRequestKind;
  const receivedAt = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(input.received)
    ? Date.parse(input.received)
    : Number.NaN;
  if (!Number.isFinite(receivedAt))
    throw new ValidationError('--received is an ISO date, e.g. 2026-11-30 or 2026-11-30T09:15:00Z');
  // A minute of clock skew, not a mail from the future; and not older than the records we keep.
  if (receivedAt > now + 60_000) throw new ValidationError('--received is in the future');
  if (receivedAt < now - 365 * DAY_MS) throw new ValidationError('--received is more than a year ago');
  const contactId = input.contactId === undefined ? undefined : checkContactId(input.contactId);
  await requireBusiness(store, tenantId);
  if (contactId) await requireContact(store, tenantId, contactId);

  const request = await openPrivacyRequest(store, {
    tenantId,
    kind,
    source: 'email',
    requestedBy: input.by,
    receivedAt,
    ...(contactId ? { contactId } : {}),
  });
  await recordAuditEvent(store, tenantId, {
    action: 'privacy.request_recorded',
    actorId: input.by,
    target: { type: 'privacy-request', id: request.requestId },
    detail: { kind, source: 'email', dueAt: request.dueAt },
  });
  return request;
}
