import { contactIdOf } from '@asistone/core/inbox/inbound';
import type { INBOX_RECORDS } from '@asistone/core/inbox/records';
import type { TenantKeys } from '@asistone/core/platform/crypto/keyring';
import type { Store } from '@asistone/core/platform/store/service';

/** The n-th bench customer's WhatsApp id (Turkish mobile numbers, never a real person's). */
export const waIdOf = (n: number) => `9053${String(n).padStart(8, '0')}`;

export interface BenchCustomer {
  n: number;
  contactId: string;
  e164: string;
}

/** Customers `from` … `from + count - 1`, with the contact ids the inbox would give them. */
export function benchCustomers(keys: TenantKeys, from: number, count: number): BenchCustomer[] {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    const waId = waIdOf(n);
    return { n, contactId: contactIdOf(keys, 'whatsapp', waId), e164: `+${waId}` };
  });
}

/**
 * Stores the customers as contacts (phone sealed) who granted WhatsApp marketing consent by an
 * import registered with İYS: an audience a campaign may send to, as a list upload leaves it.
 */
export async function putConsentingCustomers(
  store: Store<typeof INBOX_RECORDS>,
  keys: TenantKeys,
  tenantId: string,
  customers: readonly BenchCustomer[],
  at: number,
): Promise<void> {
  await store.entities.contact
    .put(
      customers.map(({ contactId, e164 }) => ({
        tenantId,
        contactId,
        phone: keys.seal('contact', 'phone', contactId, e164),
      })),
    )
    .go({ concurrent: 8 });
  await store.entities.consentState
    .put(
      customers.map(({ contactId }) => ({
        tenantId,
        contactId,
        channel: 'whatsapp' as const,
        purpose: 'marketing' as const,
        state: 'granted' as const,
        source: 'import' as const,
        at,
        iys: true,
        entryId: `import_bench_${contactId}`,
      })),
    )
    .go({ concurrent: 8 });
}
