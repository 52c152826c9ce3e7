/**
 * The one DynamoDB table, declared once: the Storage stack builds it from this, and the local
 * runtime creates the same table in dynalite.
 */
export const TABLE = {
  /** Suffix of the physical name: `asistone-<stage>-records`. */
  name: 'records',
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Cost clean-up only: retention is enforced by explicit jobs, never by TTL. */
  ttlAttribute: 'expiresAt',
  indexes: {
    /** General-purpose lookups (e.g. a contact by phone blind index, inbox by recency). */
    gsi1: { partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: 'ALL' },
    gsi2: { partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projection: 'ALL' },
    /** Every item of a tenant, keys only: purging a tenant costs what the tenant holds. */
    byTenant: { partitionKey: 'tenantId', sortKey: 'sk', projection: 'KEYS_ONLY' },
  },
} as const;

export type IndexName = keyof typeof TABLE.indexes;

/** Physical resource names, identical in AWS and locally, so tools can find them by stage. */
export function resourceName(stage: string, name: string): string {
  return `asistone-${stage}-${name}`;
}
