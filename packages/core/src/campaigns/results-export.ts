import { EXPORT_PART_ROWS } from '@asistone/contract/campaign-results';
import { recordAuditEvent } from '../audit/audit-log.js';
import type { AuditStore } from '../audit/records.js';
import { csvCell } from '../platform/csv.js';
import { requireCampaign } from './campaigns.js';
import { maskPhone } from './phone-mask.js';
import { contactsOf, type ResultsViewDeps, recipientItems } from './results-view.js';

/**
 * A campaign's results per recipient as CSV, for a spreadsheet: state, the times of each step,
 * WhatsApp's failure code and title, whether they were in the holdout, and their attributed
 * orders. A cell that a spreadsheet would read as a formula (a name like `=HYPERLINK(…)`) gets a
 * leading apostrophe and stays text (platform/csv.ts).
 *
 * The number is masked as on the page: the file is for reading results, and it leaves the
 * product unsealed, so it carries no more than the purpose needs; the contact id ties each row
 * to the inbox, where the business reaches the customer (and the contact's export has the whole
 * number).
 *
 * The file comes in parts of {@link EXPORT_PART_ROWS} recipients, one request each (a Query page
 * and its contacts in BatchGetItem), so a 100,000-recipient campaign is 20 requests that each stay
 * well inside the API's time and payload limits; the page joins them into one download.
 */

export const EXPORT_COLUMNS = [
  'contact_id',
  'name',
  'phone',
  'state',
  'sent_at',
  'delivered_at',
  'read_at',
  'replied_at',
  'failed_at',
  'failure_code',
  'failure_title',
  'holdout',
  'attributed_orders',
] as const;

const iso = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms).toISOString());

const HEADER = `${EXPORT_COLUMNS.join(',')}\r\n`;

export interface ExportPart {
  csv: string;
  /** The next part's cursor; null on the last. */
  cursor: string | null;
}

export async function exportResultsPart(
  deps: ResultsViewDeps & { store: ResultsViewDeps['store'] & AuditStore },
  tenantId: string,
  campaignId: string,
  cursor: string | undefined,
  actor: { userId: string; sourceAddress?: string | undefined },
): Promise<ExportPart> {
  await requireCampaign(deps.store, tenantId, campaignId);
  const page = await recipientItems(deps.store, tenantId, campaignId, { cursor, limit: EXPORT_PART_ROWS });
  const keys = await deps.keyring.forTenant(tenantId);
  const contacts = await contactsOf(
    deps.store,
    keys,
    tenantId,
    page.data.map((recipient) => recipient.contactId),
  );
  const rows = page.data.map((recipient) => {
    const contact = contacts.get(recipient.contactId);
    const row: Record<(typeof EXPORT_COLUMNS)[number], unknown> = {
      contact_id: recipient.contactId,
      name: contact?.name ?? '',
      phone: contact?.phone ? maskPhone(contact.phone) : '',
      state: recipient.state,
      sent_at: iso(recipient.sentAt),
      delivered_at: iso(recipient.deliveredAt),
      read_at: iso(recipient.readAt),
      replied_at: iso(recipient.repliedAt),
      failed_at: iso(recipient.failedAt),
      failure_code: recipient.failureCode ?? '',
      failure_title: recipient.failureTitle ?? '',
      holdout: recipient.state === 'holdout' ? 'yes' : 'no',
      attributed_orders: recipient.attributedOrders ?? '',
    };
    return row;
  });
  const first = cursor === undefined;
  const lines = rows.map((row) => `${EXPORT_COLUMNS.map((column) => csvCell(row[column])).join(',')}\r\n`).join('');
  // Later parts carry rows only: the header is the first part's.
  const csv = first ? HEADER + lines : lines;
  if (first) {
    await recordAuditEvent(deps.store, tenantId, {
      action: 'campaign.results_exported',
      actorId: actor.userId,
      target: { type: 'campaign', id: campaignId },
      sourceAddress: actor.sourceAddress,
    });
  }
  return { csv, cursor: page.cursor };
}
