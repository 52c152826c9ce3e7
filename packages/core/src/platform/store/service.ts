import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Entity, Service } from 'electrodb';

/** Record types by name, as an area declares them: ElectroDB entities without a client yet. */
// biome-ignore lint/suspicious/noExplicitAny: ElectroDB entities differ in all four type parameters.
export type Records = Record<string, Entity<any, any, any, any>>;

/**
 * The records one piece of code works with, bound to the table. Code asks for the records it
 * uses (`Store<typeof MAIL_RECORDS>`), so a store holding more records satisfies it, and a
 * function's bundle carries only the records its code names.
 */
export interface Store<R extends Records> {
  entities: R;
}

/**
 * Binds records to the one table.
 *
 * ElectroDB binds the client and table name onto the entity objects themselves, so every store
 * of a process shares them: a process works with one table.
 *
 * @example
 * const store = createStore(dynamo, config.TABLE_NAME, { ...TENANCY_RECORDS });
 * await store.entities.tenant.get({ tenantId }).go();
 */
export function createStore<R extends Records>(client: DynamoDBClient, table: string, records: R): Store<R> {
  const documents = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const service = new Service(records, { client: documents, table });
  return { entities: service.entities as unknown as R };
}

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
