/**
 * The figures `npm run bench -- cost-inputs` prints, by name, with their units and goals: the
 * inputs of the AWS bill that docs/cost.md prices. Kept apart from the benchmark (no product or
 * emulator import), so the doc's test (tests/static/cost-doc.test.ts) checks the doc's citations
 * against this list without running anything.
 *
 * Paths:
 * - `inbound`: one customer message (webhook-meta → worker-meta-events → worker-ai-replies with
 *   the agent off, as every business's messages go through it);
 * - `reply`: one agent reply (queued as the API's reply route does, sent by worker-outbound, and
 *   Meta's sent, delivered and read status webhooks through webhook-meta → worker-meta-events);
 * - `campaign`: one campaign recipient (worker-campaign-fanout, worker-campaign-send, and its
 *   three status webhooks);
 * - `poll`: one tick of an open inbox (every 1.5 s in the web app): the conversation list, the
 *   open conversation and its newest messages, three requests to the API function.
 */

export interface CostFigureSpec {
  name: string;
  unit: string;
  /** `ratio`: against the floor (a bare DynamoDB PutItem + GetItem round trip); `value`: absolute. */
  of: 'ratio' | 'value';
  limit: number;
}

export type CostPath = 'inbound' | 'reply' | 'campaign' | 'poll';

/** What each path's figures are per. */
export const PER: Record<CostPath, string> = {
  inbound: 'message',
  reply: 'reply',
  campaign: 'recipient',
  poll: 'poll',
};

/**
 * The functions on each path, each with its goal for its handler time per unit of the path, in
 * floor round trips. `api (queueReply)` is the reply route's own work (the API function's time
 * around it is not counted).
 */
export const PATH_FUNCTIONS: Record<CostPath, Record<string, number>> = {
  inbound: { 'webhook-meta': 3, 'worker-meta-events': 15, 'worker-ai-replies': 10 },
  reply: { 'api (queueReply)': 10, 'worker-outbound': 15, 'webhook-meta': 6, 'worker-meta-events': 30 },
  campaign: { 'worker-campaign-fanout': 5, 'worker-campaign-send': 10, 'webhook-meta': 6, 'worker-meta-events': 30 },
  poll: { api: 15 },
};

const perPath = (path: CostPath, limits: PathLimits): CostFigureSpec[] => [
  { name: `${path}: Lambda invocations per ${PER[path]}`, unit: 'invocations', of: 'value', limit: limits.invocations },
  ...Object.entries(PATH_FUNCTIONS[path]).map(([fn, limit]) => ({
    name: `${path}: ${fn} duration per ${PER[path]}`,
    unit: 'ms',
    of: 'ratio' as const,
    limit,
  })),
  { name: `${path}: Lambda duration per ${PER[path]}`, unit: 'ms', of: 'ratio', limit: limits.durationRatio },
  { name: `${path}: DynamoDB write units per ${PER[path]}`, unit: 'WRU', of: 'value', limit: limits.writeUnits },
  { name: `${path}: DynamoDB read units per ${PER[path]}`, unit: 'RRU', of: 'value', limit: limits.readUnits },
  { name: `${path}: SQS requests per ${PER[path]}`, unit: 'requests', of: 'value', limit: limits.sqs },
  { name: `${path}: S3 requests per ${PER[path]}`, unit: 'requests', of: 'value', limit: 0 },
  { name: `${path}: KMS calls per warm ${PER[path]}`, unit: 'calls', of: 'value', limit: 0 },
  ...(path === 'poll'
    ? []
    : [
        {
          name: `${path}: DynamoDB storage per ${PER[path]}`,
          unit: 'bytes',
          of: 'value' as const,
          limit: limits.storageBytes,
        },
      ]),
  { name: `${path}: log bytes per ${PER[path]}`, unit: 'bytes', of: 'value', limit: limits.logBytes },
];

interface PathLimits {
  invocations: number;
  durationRatio: number;
  writeUnits: number;
  readUnits: number;
  sqs: number;
  storageBytes: number;
  logBytes: number;
}

/**
 * Goals, and why:
 * - invocations: one per function on the path (3 inbound; a reply's send and its three statuses'
 *   webhook and worker, 7; a recipient's share of fan-out and send, 2 or fewer, and 6 for its
 *   statuses);
 * - duration: the path's summed handler time in floor round trips. A new message is about ten
 *   store calls (contact, conversation, message, settlement, the agent's gate), a status two or
 *   three: 30× the floor for a message, 60× for a reply with its statuses, 30× for a recipient;
 * - write units: the inbox's three writes per message (contact, message, conversation) with their
 *   index copies and the worker's settlement, ≤ 12; a reply and its three status updates ≤ 16;
 *   a recipient's claim, outcome, counters and statuses ≤ 16;
 * - read units, SQS requests: what the path's design needs, with room;
 * - KMS calls per warm message: 0 (the data key is cached per container);
 * - storage: a message's items and their index copies ≤ 4 KB; a recipient's ≤ 3 KB;
 * - log bytes: ≤ 2 KB per message (CloudWatch Logs ingestion is priced per GB).
 */
export const COST_FIGURES: readonly CostFigureSpec[] = [
  ...perPath('inbound', {
    invocations: 3,
    durationRatio: 30,
    writeUnits: 12,
    readUnits: 8,
    sqs: 8,
    storageBytes: 4096,
    logBytes: 2048,
  }),
  ...perPath('reply', {
    invocations: 8,
    durationRatio: 60,
    writeUnits: 16,
    readUnits: 16,
    sqs: 16,
    storageBytes: 4096,
    logBytes: 4096,
  }),
  ...perPath('campaign', {
    invocations: 8,
    durationRatio: 30,
    writeUnits: 16,
    readUnits: 16,
    sqs: 16,
    storageBytes: 3072,
    logBytes: 4096,
  }),
  ...perPath('poll', {
    invocations: 3,
    durationRatio: 15,
    writeUnits: 0,
    readUnits: 8,
    sqs: 0,
    storageBytes: 0,
    logBytes: 1536,
  }),
  { name: 'poll: API answer bytes per poll', unit: 'bytes', of: 'value', limit: 65536 },
  { name: 'cold start: KMS calls per business', unit: 'calls', of: 'value', limit: 2 },
  { name: 'warm container: RSS', unit: 'MB', of: 'value', limit: 512 },
  { name: 'warm container: heap used', unit: 'MB', of: 'value', limit: 256 },
];

export const COST_FIGURE_NAMES: readonly string[] = COST_FIGURES.map((spec) => spec.name);
