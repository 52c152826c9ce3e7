/**
 * What a function does with the shared resources, in the product's terms. Areas declare it
 * next to the function; the stacks turn it into least-privilege IAM (stacks/permissions.ts) and
 * into the queue URLs the function is given. Plain data: no AWS construct is imported here.
 */

export type TableAction =
  | 'GetItem'
  /** Reads of up to 100 items in one call (ElectroDB's `get([...])`). */
  | 'BatchGetItem'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  /** Deletes (and puts) of up to 25 items in one call: the purges. */
  | 'BatchWriteItem'
  | 'Query'
  | 'DescribeTable';
/** `PutObjectTagging`: a put that tags the object (for a lifecycle rule by tag) needs it besides `PutObject`. */
export type BlobAction = 'GetObject' | 'PutObject' | 'DeleteObject' | 'PutObjectTagging';
/**
 * `create` covers what provisioning a tenant does: DescribeKey (by alias), CreateKey (tagged), TagResource, CreateAlias.
 * DisableKey and ScheduleKeyDeletion destroy a tenant's key (account deletion); DescribeKey tells a
 * key already pending deletion from another refusal.
 */
export type TenantKeyAction =
  | 'create'
  | 'GenerateDataKey'
  | 'Decrypt'
  | 'DisableKey'
  | 'ScheduleKeyDeletion'
  | 'DescribeKey';

/**
 * A queue by logical name (`mail`), its dead-letter queue (`mail-dlq`), or every declared queue
 * (`*`) or dead-letter queue (`*-dlq`), for functions that watch them all.
 */
export type QueueRef = string;
export const EVERY_QUEUE = '*';
export const EVERY_DEAD_LETTER_QUEUE = '*-dlq';

export interface Access {
  /** Item and table actions on the records table (Query includes its indexes). */
  table?: readonly TableAction[];
  /** Queues it sends messages to. */
  sends?: readonly QueueRef[];
  /** Queues whose attributes (depths) it reads. */
  inspects?: readonly QueueRef[];
  /** Object actions, only under `tenants/*` (every object lives under its tenant's prefix). */
  blobs?: readonly BlobAction[];
  /** HeadBucket on the media bucket (s3:ListBucket on the bucket itself). */
  headBucket?: boolean;
  /** What it does with per-tenant KMS keys (created at runtime, tagged with the stage). */
  tenantKeys?: readonly TenantKeyAction[];
  /** Whether it may check that KMS answers (kms:ListAliases), for the health report. */
  keyService?: boolean;
}

/** App-level secrets, read at runtime from SSM in AWS and from `.env` or the data folder locally. */
export type AppSecret =
  | 'AUTH_TOKEN_SECRET'
  | 'RESEND_API_KEY'
  /** Resend's webhook endpoint secret (`whsec_…`): signs its delivery events (Svix). */
  | 'RESEND_WEBHOOK_SECRET'
  /** The platform Meta app's secret: signs WhatsApp, Messenger and Instagram (Facebook Login) deliveries. */
  | 'META_APP_SECRET'
  /** The Instagram app's secret: signs deliveries for accounts connected by Instagram Login. */
  | 'META_INSTAGRAM_APP_SECRET'
  /** The token Meta echoes in the webhook's GET handshake. */
  | 'META_VERIFY_TOKEN'
  /** The Shopify app's client id and secret (the secret also signs Shopify's webhooks). */
  | 'SHOPIFY_CLIENT_ID'
  | 'SHOPIFY_CLIENT_SECRET'
  /** The Shopify app's private key: signs client assertions for background work's app-only tokens. */
  | 'SHOPIFY_APP_PRIVATE_KEY'
  /** The AI model's key (OpenAI or the compatible endpoint in OPENAI_BASE_URL): only the ai-replies and ai-content workers. */
  | 'OPENAI_API_KEY'
  /** iyzico's merchant API key and secret key: the subscription API (IYZWSv2) and, the secret, its webhook signatures. */
  | 'IYZICO_API_KEY'
  | 'IYZICO_SECRET_KEY';

/** Settings a function reads at runtime beyond the ones every function gets. */
export interface FunctionSettings {
  secrets?: readonly AppSecret[];
  /** The web app's URL (links in mails point there). */
  appUrl?: boolean;
  /**
   * It calls Meta's Graph API: gets META_GRAPH_URL, META_INSTAGRAM_GRAPH_URL, META_INSTAGRAM_API_URL,
   * META_GRAPH_VERSION and the app's public ids (META_APP_ID, META_EMBEDDED_SIGNUP_CONFIG_ID,
   * META_INSTAGRAM_APP_ID), read by `metaGraphSettings`.
   */
  metaGraph?: boolean;
  /**
   * It calls the AI agent's model: gets OPENAI_BASE_URL from the deploying shell when set (any
   * OpenAI-compatible endpoint), read by `openAiSettings`; OpenAI's own endpoint otherwise.
   */
  modelEndpoint?: boolean;
  /**
   * It talks to iyzico or checks its notifications: gets IYZICO_MERCHANT_ID and, when set,
   * IYZICO_BASE_URL from the deploying shell (neither is a secret; the keys are, in `secrets`).
   */
  iyzico?: boolean;
}

/** Unions several access declarations (e.g. what every worker does plus what one worker does). */
export function mergeAccess(...parts: Access[]): Access {
  const union = <T>(pick: (part: Access) => readonly T[] | undefined) => {
    const values = [...new Set(parts.flatMap((part) => pick(part) ?? []))];
    return values.length > 0 ? values : undefined;
  };
  return {
    table: union((part) => part.table),
    sends: union((part) => part.sends),
    inspects: union((part) => part.inspects),
    blobs: union((part) => part.blobs),
    headBucket: parts.some((part) => part.headBucket) || undefined,
    tenantKeys: union((part) => part.tenantKeys),
    keyService: parts.some((part) => part.keyService) || undefined,
  };
}

/** Unions several settings declarations. */
export function mergeSettings(...parts: (FunctionSettings | undefined)[]): FunctionSettings {
  const secrets = [...new Set(parts.flatMap((part) => part?.secrets ?? []))];
  return {
    ...(secrets.length > 0 ? { secrets } : {}),
    ...(parts.some((part) => part?.appUrl) ? { appUrl: true } : {}),
    ...(parts.some((part) => part?.metaGraph) ? { metaGraph: true } : {}),
    ...(parts.some((part) => part?.modelEndpoint) ? { modelEndpoint: true } : {}),
    ...(parts.some((part) => part?.iyzico) ? { iyzico: true } : {}),
  };
}
