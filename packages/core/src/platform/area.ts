import type * as z from 'zod';
import {
  type Access,
  EVERY_DEAD_LETTER_QUEUE,
  EVERY_QUEUE,
  type FunctionSettings,
  mergeAccess,
  mergeSettings,
} from './access.js';
import type { Blobs } from './blobs.js';
import type { Platform } from './context.js';
import type { TenantKeys } from './crypto/keyring.js';
import type { HealthCheck } from './health.js';
import type { Records, Store } from './store/service.js';

/**
 * How an area of the product (accounts, inbox, mail, ...) declares what it brings: its records,
 * queues, schedules, webhooks, what each of its functions may do, and its health checks. The
 * platform knows no area: a composition module above the areas lists them, and the stacks, the
 * local runtime and the tools read that one composed list.
 */

/** One Lambda: its entry point, its limits, and what it may touch. */
export interface FunctionDeclaration {
  description: string;
  /** Entry point relative to the repository root: `<file>.<export>`. */
  handler: string;
  timeoutSeconds: number;
  access: Access;
  settings?: FunctionSettings;
  memoryMb?: number;
}

/** A queue message always names its tenant: claim-checked bodies are stored under it. */
export type QueueMessageSchema = z.ZodType<{ tenantId: string }>;

/**
 * A queue with its dead-letter queue and its consumer. The Queues stack builds all three from
 * this; the local runtime creates the same queues and polls them with the same settings.
 */
export interface QueueDeclaration<M extends QueueMessageSchema = QueueMessageSchema> {
  /** Logical name; the physical one is `asistone-<stage>-<name>`. */
  name: string;
  description: string;
  /** Producers and the consumer both validate against it. */
  message: M;
  /** Seconds a received message stays hidden; at least 6x the consumer's timeout, as AWS advises. */
  visibilityTimeoutSeconds: number;
  batchSize: number;
  /** Receives before a message is moved to the dead-letter queue. */
  maxReceiveCount: number;
  /**
   * Most consumer instances at once (Lambda's SQS maximum concurrency, 2 or more), for
   * consumers that call a rate-limited provider. Locally each queue has one poller anyway.
   */
  maxConcurrency?: number;
  /** Handle a batch's messages one after another instead of in parallel (rate-limited providers). */
  sequential?: boolean;
  /**
   * How old the oldest waiting message may get before the queue's age alarm fires. Unset, the
   * larger of 15 minutes and the time all its receives may take (visibility timeout × receives).
   */
  ageBudgetSeconds?: number;
  /** The consumer; it may always read and delete claim-checked bodies and feed its own dead-letter queue. */
  consumer: FunctionDeclaration;
}

/** What a queue's messages look like, from its declaration. */
export type MessageOf<Q extends QueueDeclaration> = z.infer<Q['message']>;

/** An EventBridge schedule (UTC) with its own function; croner runs the same handler locally. */
export interface ScheduleDeclaration extends FunctionDeclaration {
  name: string;
  /** Five-field cron in UTC: minute hour day-of-month month day-of-week. */
  cron: string;
  /**
   * A CloudWatch alarm on AWS whenever a run logs a warning with exactly `logMessage` (a metric
   * filter on the function's log group counts them as `metric`); locally the warning line is the alarm.
   */
  alarm?: { metric: string; logMessage: string; description: string; runbook: string };
}

/**
 * An outside service an area calls (Meta, Shopify, OpenAI...). Each gets two alarms: it refused
 * our credentials, or it is rate limiting us, counted from the `provider refused` lines its
 * clients log (platform/provider-refusals.ts).
 */
export interface ProviderDeclaration {
  /** As the refusal lines name it: `meta`, `shopify`... */
  name: string;
  /** What a refusal of each kind means for merchants, for the alarm's description. */
  auth: string;
  rateLimit: string;
}

/** A provider's webhook: one function with a public URL, `/webhooks/<name>/*` on the local gateway. */
export interface WebhookDeclaration extends FunctionDeclaration {
  name: string;
}

/**
 * Why a data class's items are kept as long as they are: `created` counts from each item's
 * creation (the retention purge deletes older ones), `account-deletion` keeps them while the
 * business lives (the tenant purge removes them), `legal` keeps them for a legal duty even
 * after the business is gone (billing records, deletion receipts).
 */
export type RetentionBasis = 'created' | 'account-deletion' | 'legal';

/**
 * Where some of a tenant's items are, found by Query only (never a Scan): one partition (by
 * sort-key prefix), or the tenant's items across partitions through the table's `byTenant`
 * index (every item carries its `tenantId`; the index holds keys only), by sort-key prefix.
 */
export type DataLocation = { partition: string; skPrefix: string } | { index: 'byTenant'; skPrefix: string };

/** Reads item keys for a data class that finds its partitions from other records. */
export interface PartitionReader {
  keys(location: DataLocation): AsyncIterable<{ pk: string; sk: string }>;
}

/**
 * One kind of data an area keeps, declared next to the area: what it is, whether it holds
 * personal data, how long it is kept, and how to find one tenant's items without a Scan.
 * The privacy area's purges read these declarations only, so an area added later needs no
 * edit there.
 */
export interface DataClass {
  /** `<area>.<what>`, e.g. `inbox.messages`. */
  name: string;
  description: string;
  personal: boolean;
  retention: { days: number; basis: RetentionBasis };
  /** Where one tenant's items of this class are. */
  partitions(reader: PartitionReader, tenantId: string): AsyncIterable<DataLocation>;
  /**
   * Each item's sort key is `<skPrefix><creation time, epoch ms>#…`, so "created before" is
   * one key range and the retention purge can find what is past retention by Query. Absent:
   * no created time to query by, and only the tenant purge (or a TTL) removes the items.
   */
  createdInSortKey?: boolean;
  /**
   * Businesses whose items of this class outlive the business (a `legal` class: invoices): the
   * retention purge visits them beside the business list, which no longer names a deleted one.
   * Answers business ids from a directory the area keeps, read by Query.
   */
  keptBeyondBusinesses?(reader: PartitionReader): AsyncIterable<string>;
}

/** A data class whose items are all found at fixed locations (most of them). */
export function atLocations(locate: (tenantId: string) => DataLocation[]): DataClass['partitions'] {
  return async function* (_reader, tenantId) {
    yield* locate(tenantId);
  };
}

/** What an area gets to find, export and erase one contact's data. */
export interface ContactDataContext {
  tenantId: string;
  contactId: string;
  /** The business's keys: sealed fields are opened for an export; blind indexes find items. */
  keys: TenantKeys;
  /** The area binds its own records (the platform knows none). */
  storeOf<R extends Records>(records: R): Store<R>;
  blobs: Pick<Blobs, 'list' | 'delete' | 'presignGet'>;
}

/** Rows of an export, by section (`messages`, `consents`, ...): each section is one CSV in the archive. */
export type ContactRows = Readonly<Record<string, readonly Record<string, unknown>[]>>;

/**
 * How an area exports and erases what it holds about one of the business's customers (a
 * contact), declared next to its data classes, so the privacy engine's access, portability and
 * erasure need no edit when an area is added.
 */
export interface ContactData {
  /** The data class it covers (`inbox.messages`), named in the erasure's receipt. */
  dataClass: string;
  export(ctx: ContactDataContext): Promise<ContactRows>;
  /**
   * Removes it all, objects included, children before the records that lead to them, so a run
   * stopped halfway is finished by running it again. Answers what it removed.
   */
  erase(ctx: ContactDataContext): Promise<{ items: number; objects: number }>;
  /**
   * It holds the contact's own record, which says the contact exists: erased after every
   * other area's data, so an erasure stopped halfway still finds the contact and can be rerun.
   */
  holdsContact?: boolean;
}

/** What an area gets to export the business's own data (its settings, what it wrote). */
export type BusinessDataContext = Omit<ContactDataContext, 'contactId'>;

/**
 * How an area exports what it holds of the business itself, beyond its customers (settings,
 * their versions, texts the team wrote), for the account export: declared next to its data
 * classes, so portability needs no edit when an area is added. Rows by section, as a contact's.
 */
export interface BusinessData {
  /** The data class it covers (`ai.agent-versions`). */
  dataClass: string;
  export(ctx: BusinessDataContext): Promise<ContactRows>;
}

/** A health check built from the running process's platform. */
export type HealthCheckFactory = (platform: Platform) => HealthCheck;

export interface AreaDeclaration {
  name: string;
  /** Its records in the one table. */
  records?: Records;
  queues?: readonly QueueDeclaration[];
  schedules?: readonly ScheduleDeclaration[];
  webhooks?: readonly WebhookDeclaration[];
  /** What the API function does for this area's routes. */
  api?: { access: Access; settings?: FunctionSettings };
  /** The outside services it calls, each watched for refusals (see {@link ProviderDeclaration}). */
  providers?: readonly ProviderDeclaration[];
  health?: Readonly<Record<string, HealthCheckFactory>>;
  /** The kinds of data it keeps, with their retention (see {@link DataClass}). */
  dataClasses?: readonly DataClass[];
  /** How it exports and erases one contact's data (see {@link ContactData}). */
  contactData?: readonly ContactData[];
  /** How it exports the business's own data for the account export (see {@link BusinessData}). */
  businessData?: readonly BusinessData[];
}

/**
 * Declares an area; the identity function keeps the literal types.
 *
 * @example
 * export const mailArea = defineArea({ name: 'mail', records: MAIL_RECORDS, queues: [MAIL_QUEUE] });
 */
export function defineArea<const A extends AreaDeclaration>(area: A): A {
  return area;
}

export type FunctionKind = 'webhook' | 'api' | 'worker' | 'schedule';

/** A Lambda of the product, with the name the stacks, `npm run invoke` and the benchmarks use. */
export interface ProductFunction extends FunctionDeclaration {
  name: string;
  kind: FunctionKind;
}

/**
 * What every consumer does, whatever it consumes: claim-checked bodies are read then removed,
 * and each message's settlement is looked up and recorded once (platform/queue/records.ts).
 */
const EVERY_CONSUMER: Access = { blobs: ['GetObject', 'DeleteObject'], table: ['GetItem', 'PutItem'] };

/** The dead-letter queue's logical name. */
export const deadLetterQueueName = (queue: string) => `${queue}-dlq` as const;

/**
 * Gathers areas into the product: every record, queue, schedule, webhook and function, with
 * the API's access the union of what each area's routes need. Throws on a name used twice or
 * on access to a queue nobody declares, so a mistake fails at the first import, not in AWS.
 */
export function composeAreas(areas: readonly AreaDeclaration[], api: FunctionDeclaration) {
  const unique = (kind: string, names: string[]) => {
    const seen = new Set<string>();
    for (const name of names) {
      if (seen.has(name)) throw new Error(`${kind} "${name}" is declared twice`);
      seen.add(name);
    }
  };
  unique(
    'area',
    areas.map((area) => area.name),
  );
  const queues = areas.flatMap((area) => area.queues ?? []);
  const schedules = areas.flatMap((area) => area.schedules ?? []);
  const webhooks = areas.flatMap((area) => area.webhooks ?? []);
  const providers = areas.flatMap((area) => area.providers ?? []);
  unique(
    'provider',
    providers.map((provider) => provider.name),
  );
  unique(
    'queue',
    queues.map((queue) => queue.name),
  );
  unique(
    'schedule',
    schedules.map((schedule) => schedule.name),
  );
  unique(
    'webhook',
    webhooks.map((webhook) => webhook.name),
  );

  const records: Records = {};
  for (const area of areas) {
    for (const [name, record] of Object.entries(area.records ?? {})) {
      if (name in records) throw new Error(`record "${name}" is declared twice`);
      records[name] = record;
    }
  }

  const health: Record<string, HealthCheckFactory> = {};
  for (const area of areas) {
    for (const [name, check] of Object.entries(area.health ?? {})) {
      if (name in health) throw new Error(`health check "${name}" is declared twice`);
      health[name] = check;
    }
  }

  const dataClasses = areas.flatMap((area) => area.dataClasses ?? []);
  unique(
    'data class',
    dataClasses.map((dataClass) => dataClass.name),
  );

  // How areas export (and erase) what a data class holds: one per class, and only declared classes.
  const classNames = new Set(dataClasses.map((dataClass) => dataClass.name));
  const perClass = <E extends { dataClass: string }>(what: string, entries: E[]): E[] => {
    unique(
      `${what} of class`,
      entries.map((entry) => entry.dataClass),
    );
    for (const entry of entries) {
      if (!classNames.has(entry.dataClass))
        throw new Error(`${what} names class "${entry.dataClass}", which no area declares`);
    }
    return entries;
  };
  const contactData = perClass(
    'contact data',
    areas.flatMap((area) => area.contactData ?? []),
  );
  const businessData = perClass(
    'business data',
    areas.flatMap((area) => area.businessData ?? []),
  );

  const queueNames = queues.map((queue) => queue.name);
  const functions: ProductFunction[] = [
    ...webhooks.map(({ name, ...fn }) => ({ ...fn, name: `webhook-${name}`, kind: 'webhook' as const })),
    {
      ...api,
      name: 'api',
      kind: 'api' as const,
      access: mergeAccess(api.access, ...areas.map((area) => area.api?.access ?? {})),
      settings: mergeSettings(api.settings, ...areas.map((area) => area.api?.settings)),
    },
    ...queues.map((queue) => ({
      ...queue.consumer,
      name: `worker-${queue.name}`,
      kind: 'worker' as const,
      access: mergeAccess(EVERY_CONSUMER, { sends: [deadLetterQueueName(queue.name)] }, queue.consumer.access),
    })),
    ...schedules.map(({ name, cron: _cron, ...fn }) => ({
      ...fn,
      name: `schedule-${name}`,
      kind: 'schedule' as const,
    })),
  ];
  unique(
    'function',
    functions.map((fn) => fn.name),
  );

  const known = new Set([
    EVERY_QUEUE,
    EVERY_DEAD_LETTER_QUEUE,
    ...queueNames,
    ...queueNames.map((name) => deadLetterQueueName(name)),
  ]);
  for (const fn of functions) {
    for (const ref of [...(fn.access.sends ?? []), ...(fn.access.inspects ?? [])]) {
      if (!known.has(ref)) throw new Error(`${fn.name} names queue "${ref}", which no area declares`);
    }
  }

  return {
    areas,
    records,
    queues,
    queueNames,
    schedules,
    webhooks,
    providers,
    functions,
    health,
    dataClasses,
    contactData,
    businessData,
    /** A function by name (`worker-mail`), or undefined. */
    fn: (name: string) => functions.find((fn) => fn.name === name),
  };
}

export type Product = ReturnType<typeof composeAreas>;

/** Queue references with `*` and `*-dlq` replaced by the queues they stand for. */
export function expandQueueRefs(refs: readonly string[], queueNames: readonly string[]): string[] {
  const expand = (ref: string) =>
    ref === EVERY_QUEUE
      ? [...queueNames]
      : ref === EVERY_DEAD_LETTER_QUEUE
        ? queueNames.map((name) => deadLetterQueueName(name))
        : [ref];
  return [...new Set(refs.flatMap(expand))];
}

/** Splits `functions/x/y.handler` into the source file (without extension) and the export. */
export function splitHandler(handler: string): { file: string; exportName: string } {
  const dot = handler.lastIndexOf('.');
  return { file: handler.slice(0, dot), exportName: handler.slice(dot + 1) };
}
