import * as z from 'zod';
import { ConfigError } from './errors.js';

/**
 * The environment every Asistone process reads. Stacks set these on each Lambda; the local
 * runtime sets them for its in-process handlers. Read once, validated once.
 */
const schema = z.object({
  STAGE: z.string().min(1).default('local'),
  AWS_REGION: z.string().min(1).default('eu-central-1'),
  TABLE_NAME: z.string().min(3),
  MEDIA_BUCKET: z.string().min(3),
  KEY_PROVIDER: z.enum(['local', 'kms']),
  /** Folder holding the local wrapping keys (KEY_PROVIDER=local). */
  LOCAL_KEY_DIR: z.string().optional(),
  /** The local runtime's status report (`npm start` only): gateway, pollers, scheduler. */
  LOCAL_RUNTIME_STATUS: z.string().optional(),
  /** Minutes an unwrapped tenant data key stays in memory. */
  DATA_KEY_CACHE_MINUTES: z.coerce.number().int().min(1).max(60).default(5),
  LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']).default('INFO'),
  /** Local emulators: one endpoint per AWS API, unset in AWS. */
  AWS_ENDPOINT_URL_DYNAMODB: z.url().optional(),
  AWS_ENDPOINT_URL_SQS: z.url().optional(),
  AWS_ENDPOINT_URL_S3: z.url().optional(),
});

export type Config = z.infer<typeof schema> & {
  /** URL of a declared queue, from `QUEUE_URL_<NAME>`; throws a clear error if unset. */
  queueUrl(queue: string): string;
  /** Every queue this process was given a URL for, by logical name (what it may send to or watch). */
  queueUrls(): Record<string, string>;
};

/**
 * True only on the embedded local stack (keys in local files): never in AWS, whatever the
 * stage is called. Gates what exists only there, such as the dev outbox.
 */
export function isLocalStack(config: Pick<Config, 'KEY_PROVIDER'>): boolean {
  return config.KEY_PROVIDER === 'local';
}

const QUEUE_URL_PREFIX = 'QUEUE_URL_';

/** The env variable carrying a queue's URL: `meta-events` → `QUEUE_URL_META_EVENTS`. */
export function queueUrlVariable(queue: string): string {
  return `${QUEUE_URL_PREFIX}${queue.toUpperCase().replaceAll('-', '_')}`;
}

/**
 * Parses the environment. Errors name every missing or invalid variable at once.
 *
 * @example
 * const config = readConfig(process.env);
 * config.queueUrl('meta-events');
 */
export function readConfig(env: Record<string, string | undefined>): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  if (parsed.data.KEY_PROVIDER === 'local' && !parsed.data.LOCAL_KEY_DIR) {
    throw new ConfigError('invalid configuration: LOCAL_KEY_DIR is required when KEY_PROVIDER=local');
  }
  return {
    ...parsed.data,
    queueUrl(queue) {
      const variable = queueUrlVariable(queue);
      const url = env[variable];
      if (!url) throw new ConfigError(`invalid configuration: ${variable} is not set`);
      return url;
    },
    queueUrls() {
      // Queue names are lower-case words joined by hyphens, so the variable name maps back.
      return Object.fromEntries(
        Object.entries(env)
          .filter((entry): entry is [string, string] => entry[0].startsWith(QUEUE_URL_PREFIX) && Boolean(entry[1]))
          .map(([variable, url]) => [variable.slice(QUEUE_URL_PREFIX.length).toLowerCase().replaceAll('_', '-'), url]),
      );
    },
  };
}

/** Where the web app is served: links in mails point there (trailing slashes dropped). */
const appUrl = z.url().transform((url) => url.replace(/\/+$/, ''));

/**
 * What signing in needs. Only the API reads it, so processes that never issue a token
 * (webhooks, workers) start without these secrets.
 */
const accountsSchema = z.object({
  /** Signs access tokens (HS256); SSM in AWS, generated under the data folder locally. */
  AUTH_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters'),
  /** Links in invitations, which the API renders. */
  APP_URL: appUrl,
});

export type AccountsConfig = z.infer<typeof accountsSchema>;

/** What sending mail needs. Only the mail worker reads it: no other function holds the Resend key. */
const mailSchema = z.object({
  /** Resend API key; unused on the local stage, where mails go to the dev outbox. */
  RESEND_API_KEY: z.string().min(1).optional(),
  MAIL_FROM: z.string().min(3).default('Asistone <no-reply@asistone.ai>'),
});

export type MailConfig = z.infer<typeof mailSchema>;

/** Parses settings; errors name the variables, never their values. */
function parseSettings<T>(schema: z.ZodType<T>, env: Record<string, string | undefined>): T {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/**
 * The API's accounts settings.
 *
 * @example
 * const { AUTH_TOKEN_SECRET, APP_URL } = readAccountsConfig(process.env);
 */
export function readAccountsConfig(env: Record<string, string | undefined>): AccountsConfig {
  return parseSettings(accountsSchema, env);
}

/**
 * The mail worker's settings.
 *
 * @example
 * const { RESEND_API_KEY, MAIL_FROM } = readMailConfig(process.env);
 */
export function readMailConfig(env: Record<string, string | undefined>): MailConfig {
  return parseSettings(mailSchema, env);
}

/**
 * What the Meta webhook needs: the one platform app's secrets (every business connects to the
 * same app, so they are deployment secrets, not per-business ones).
 */
const metaAppSchema = z.object({
  META_APP_SECRET: z.string().min(16, 'must be at least 16 characters'),
  /** Only when Instagram accounts connect by Instagram Login, whose deliveries it signs. */
  META_INSTAGRAM_APP_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  META_VERIFY_TOKEN: z.string().min(8, 'must be at least 8 characters'),
});

export type MetaAppConfig = z.infer<typeof metaAppSchema>;

/**
 * The Meta webhook's settings.
 *
 * @example
 * const { META_APP_SECRET, META_VERIFY_TOKEN } = readMetaAppConfig(await withSecrets(process.env));
 */
export function readMetaAppConfig(env: Record<string, string | undefined>): MetaAppConfig {
  // An empty variable (e.g. `.env` with `META_INSTAGRAM_APP_SECRET=`) means "not set".
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  return parseSettings(metaAppSchema, present);
}

/**
 * The Shopify app's credentials (one public app for every business, like the Meta app):
 * deployment secrets. `SHOPIFY_SHOP_BASE_URL` is set only on the local stack, where every shop
 * is served by the fake Shopify under `<base>/<shop domain>` instead of `https://<shop domain>`.
 */
const shopifyAppSchema = z.object({
  SHOPIFY_CLIENT_ID: z.string().min(1),
  SHOPIFY_CLIENT_SECRET: z.string().min(16, 'must be at least 16 characters'),
  SHOPIFY_SHOP_BASE_URL: z.url().optional(),
  /**
   * The public app's RSA private key (PEM), which signs client assertions for application-only
   * tokens (background work). Optional: without it background work uses the merchant's token.
   */
  SHOPIFY_APP_PRIVATE_KEY: z.string().min(1).optional(),
});

export type ShopifyAppConfig = z.infer<typeof shopifyAppSchema>;

/**
 * @example
 * const { SHOPIFY_CLIENT_ID, SHOPIFY_CLIENT_SECRET } = readShopifyAppConfig(await withSecrets(process.env));
 */
export function readShopifyAppConfig(env: Record<string, string | undefined>): ShopifyAppConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  return parseSettings(shopifyAppSchema, present);
}

/** What the account-requests worker needs: links in the mails it queues point at the web app. */
const linksSchema = z.object({ APP_URL: appUrl });

export type LinksConfig = z.infer<typeof linksSchema>;

/**
 * @example
 * const { APP_URL } = readLinksConfig(process.env);
 */
export function readLinksConfig(env: Record<string, string | undefined>): LinksConfig {
  return parseSettings(linksSchema, env);
}

/** An empty variable (`.env` with `META_APP_ID=`) means "not set". */
const optionalSetting = z.preprocess((value) => (value === '' ? undefined : value), z.string().min(1).optional());
const baseUrl = (fallback: string) =>
  z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .url()
      .default(fallback)
      .transform((url) => url.replace(/\/+$/, '')),
  );

/**
 * Where Meta's Graph API is and which of the platform app's public ids the web needs. In AWS the
 * hosts are Meta's; on the local stack they point at the fake Meta (packages/local/src/fakes).
 */
const metaGraphSchema = z
  .object({
    META_GRAPH_URL: baseUrl('https://graph.facebook.com'),
    META_INSTAGRAM_GRAPH_URL: baseUrl('https://graph.instagram.com'),
    META_INSTAGRAM_API_URL: baseUrl('https://api.instagram.com'),
    META_GRAPH_VERSION: z.preprocess(
      (value) => (value === '' ? undefined : value),
      z
        .string()
        .regex(/^v\d+\.\d+$/, 'must look like v25.0')
        .default('v25.0'),
    ),
    /** The platform app (one for every business): public, the web's Embedded Signup needs it. */
    META_APP_ID: optionalSetting,
    META_EMBEDDED_SIGNUP_CONFIG_ID: optionalSetting,
    /** The Instagram app's id (Instagram Login), when accounts connect that way. */
    META_INSTAGRAM_APP_ID: optionalSetting,
  })
  .transform((settings) => ({
    /** Ready for `graphClient(...)`. */
    baseUrl: settings.META_GRAPH_URL,
    instagramBaseUrl: settings.META_INSTAGRAM_GRAPH_URL,
    instagramApiUrl: settings.META_INSTAGRAM_API_URL,
    version: settings.META_GRAPH_VERSION,
    appId: settings.META_APP_ID,
    embeddedSignupConfigId: settings.META_EMBEDDED_SIGNUP_CONFIG_ID,
    instagramAppId: settings.META_INSTAGRAM_APP_ID,
  }));

export type MetaGraphSettings = z.infer<typeof metaGraphSchema>;

/**
 * The Graph API's hosts and version and the platform app's public ids.
 *
 * @example
 * const graph = graphClient(metaGraphSettings(process.env));
 */
export function metaGraphSettings(env: Record<string, string | undefined>): MetaGraphSettings {
  return parseSettings(metaGraphSchema, env);
}
