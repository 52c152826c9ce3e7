import { GraphError, graphErrorFrom } from './graph-errors.js';
import { downloadMediaFrom, type MediaDownloadOptions } from './graph-media.js';
import { reportedGraphError } from './provider.js';

/**
 * Meta's Graph API, as the product uses it: connecting channels (code exchange, token checks,
 * webhook subscriptions, number registration), sending (WhatsApp Cloud API, Messenger and
 * Instagram Send API), media and templates. Tokens are passed per call and only ever travel in
 * the Authorization header or the query Meta requires; no message or error carries them.
 */

export const DEFAULT_GRAPH_VERSION = 'v25.0';

export interface GraphClientOptions {
  /** https://graph.facebook.com (the local fake on the local stack). */
  baseUrl: string;
  /** https://graph.instagram.com: Instagram Login tokens and accounts. */
  instagramBaseUrl: string;
  /** https://api.instagram.com: Instagram Login's code exchange. Defaults to `instagramBaseUrl`'s sibling. */
  instagramApiUrl?: string;
  version?: string;
  fetch?: typeof fetch;
  /** Per request (default 10 s; Lambda has the rest of its time for the retry). */
  timeoutMs?: number;
}

/** Which Graph host a Messenger-style call goes to: Pages and FB-Login IG on Facebook, IG Login on Instagram. */
export type MessagingHost = 'facebook' | 'instagram';

export interface DebuggedToken {
  appId: string;
  isValid: boolean;
  /** Epoch seconds; absent when the token never expires. */
  expiresAt?: number;
  scopes: string[];
  granularScopes: { scope: string; targetIds: string[] }[];
}

/** A number of a WhatsApp Business Account, as the account's phone_numbers edge lists it. */
export interface WabaPhoneNumber {
  id: string;
  displayPhoneNumber: string;
  verifiedName: string;
  qualityRating: string;
}

export interface WhatsAppTemplate {
  name: string;
  language: string;
  status: string;
  category: string;
  components: unknown[];
}

export interface IssuedToken {
  accessToken: string;
  /** Seconds until it expires, when Meta says. */
  expiresIn?: number;
}

type Query = Record<string, string | undefined>;

interface Call {
  method?: 'GET' | 'POST' | 'DELETE';
  base?: 'facebook' | 'instagram' | 'instagram-api';
  /** Prefix the version (`/v25.0/...`); Instagram's token endpoints have none. */
  versioned?: boolean;
  token?: string;
  query?: Query;
  json?: unknown;
  form?: Query;
}

/**
 * @example
 * const graph = graphClient(metaGraphSettings(process.env));
 * const { messageId } = await graph.sendWhatsApp(phoneNumberId, token, {
 *   messaging_product: 'whatsapp', to: '905551112233', type: 'text', text: { body: 'Merhaba' },
 * });
 */
export function graphClient(options: GraphClientOptions) {
  const fetchFn = options.fetch ?? fetch;
  const version = options.version ?? DEFAULT_GRAPH_VERSION;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const bases = {
    facebook: options.baseUrl.replace(/\/+$/, ''),
    instagram: options.instagramBaseUrl.replace(/\/+$/, ''),
    'instagram-api': (options.instagramApiUrl ?? options.instagramBaseUrl.replace('graph.', 'api.')).replace(
      /\/+$/,
      '',
    ),
  };

  async function call<T>(path: string, spec: Call = {}): Promise<T> {
    const base = bases[spec.base ?? 'facebook'];
    const url = new URL(`${base}${spec.versioned === false ? '' : `/${version}`}${path}`);
    for (const [name, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, value);
    }
    const headers: Record<string, string> = {};
    if (spec.token) headers.authorization = `Bearer ${spec.token}`;
    let body: string | undefined;
    if (spec.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(spec.json);
    } else if (spec.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(
        Object.entries(spec.form).filter((entry): entry is [string, string] => entry[1] !== undefined),
      ).toString();
    }
    let response: Response;
    try {
      response = await fetchFn(url, {
        method: spec.method ?? 'GET',
        headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      // The URL may hold a secret (client_secret, access_token): only the error's kind is kept.
      const timedOut = (error as Error).name === 'TimeoutError';
      throw new GraphError({ status: 0, title: timedOut ? `no answer in ${timeoutMs} ms` : 'network error' });
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok || parsed === undefined || (parsed as { error?: unknown }).error !== undefined) {
      throw reportedGraphError(
        graphErrorFrom(response.ok ? 502 : response.status, parsed, response.headers.get('retry-after')),
      );
    }
    return parsed as T;
  }

  /** Answers `{ success: true }` (Meta sometimes says `"true"`); anything else is a failure. */
  async function succeed(path: string, spec: Call): Promise<void> {
    const answer = await call<{ success?: unknown }>(path, spec);
    if (answer.success !== true && answer.success !== 'true') {
      throw new GraphError({ status: 502, title: 'Meta did not confirm the change' });
    }
  }

  async function allPages<T>(path: string, token: string, query: Query, limit = 20): Promise<T[]> {
    const items: T[] = [];
    let after: string | undefined;
    // Follows the `after` cursor rather than `paging.next`, so a page never sends the token elsewhere.
    for (let page = 0; page < limit; page += 1) {
      const answer = await call<{ data?: T[]; paging?: { cursors?: { after?: string }; next?: string } }>(path, {
        token,
        query: { ...query, after },
      });
      items.push(...(answer.data ?? []));
      after = answer.paging?.next ? answer.paging.cursors?.after : undefined;
      if (!after) break;
    }
    return items;
  }

  const issued = (answer: { access_token?: string; expires_in?: number }): IssuedToken => {
    if (!answer.access_token) throw new GraphError({ status: 502, title: 'no access token in the answer' });
    return { accessToken: answer.access_token, ...(answer.expires_in ? { expiresIn: answer.expires_in } : {}) };
  };

  return {
    version,

    /** Embedded Signup / Facebook Login code → token (server to server; the code lives 30 s). */
    async exchangeCode(input: { appId: string; appSecret: string; code: string; redirectUri?: string }) {
      return issued(
        await call('/oauth/access_token', {
          query: {
            client_id: input.appId,
            client_secret: input.appSecret,
            code: input.code,
            redirect_uri: input.redirectUri,
          },
        }),
      );
    },

    /** A short-lived Facebook user token → a long-lived one (Page tokens derived from it do not expire). */
    async exchangeUserToken(input: { appId: string; appSecret: string; token: string }) {
      return issued(
        await call('/oauth/access_token', {
          query: {
            grant_type: 'fb_exchange_token',
            client_id: input.appId,
            client_secret: input.appSecret,
            fb_exchange_token: input.token,
          },
        }),
      );
    },

    /** What a token grants; `appToken` is `<app id>|<app secret>`. */
    async debugToken(input: { inputToken: string; appToken: string }): Promise<DebuggedToken> {
      const { data } = await call<{
        data?: {
          app_id?: string;
          is_valid?: boolean;
          expires_at?: number;
          scopes?: string[];
          granular_scopes?: { scope: string; target_ids?: string[] }[];
        };
      }>('/debug_token', { query: { input_token: input.inputToken, access_token: input.appToken } });
      return {
        appId: String(data?.app_id ?? ''),
        isValid: data?.is_valid === true,
        ...(data?.expires_at ? { expiresAt: data.expires_at } : {}),
        scopes: data?.scopes ?? [],
        granularScopes: (data?.granular_scopes ?? []).map((entry) => ({
          scope: entry.scope,
          targetIds: entry.target_ids ?? [],
        })),
      };
    },

    /** Subscribes the app to a WABA's, Page's or Instagram account's webhooks. */
    async subscribeApp(
      accountOrPageId: string,
      token: string,
      fields?: readonly string[],
      host: MessagingHost = 'facebook',
    ) {
      await succeed(`/${encodeURIComponent(accountOrPageId)}/subscribed_apps`, {
        method: 'POST',
        base: host,
        token,
        query: { subscribed_fields: fields?.join(',') },
      });
    },

    async unsubscribeApp(accountOrPageId: string, token: string, host: MessagingHost = 'facebook') {
      await succeed(`/${encodeURIComponent(accountOrPageId)}/subscribed_apps`, { method: 'DELETE', base: host, token });
    },

    /** Registers a WhatsApp number for the Cloud API; the PIN becomes its two-step verification PIN. */
    async registerPhone(phoneNumberId: string, token: string, pin: string) {
      await succeed(`/${encodeURIComponent(phoneNumberId)}/register`, {
        method: 'POST',
        token,
        json: { messaging_product: 'whatsapp', pin },
      });
    },

    /** The number as Meta knows it (the connection test). */
    async phoneNumber(phoneNumberId: string, token: string) {
      const answer = await call<{ display_phone_number?: string; verified_name?: string; quality_rating?: string }>(
        `/${encodeURIComponent(phoneNumberId)}`,
        { token, query: { fields: 'display_phone_number,verified_name,quality_rating' } },
      );
      return {
        displayPhoneNumber: answer.display_phone_number ?? '',
        verifiedName: answer.verified_name ?? '',
        qualityRating: answer.quality_rating ?? 'UNKNOWN',
      };
    },

    /** Sends a Cloud API message (`body` in Meta's shape: messaging_product, to, type, ...). */
    async sendWhatsApp(phoneNumberId: string, token: string, body: Record<string, unknown>) {
      const answer = await call<{ messages?: { id?: string }[]; contacts?: { wa_id?: string }[] }>(
        `/${encodeURIComponent(phoneNumberId)}/messages`,
        { method: 'POST', token, json: { messaging_product: 'whatsapp', ...body } },
      );
      const messageId = answer.messages?.[0]?.id;
      if (!messageId) throw new GraphError({ status: 502, title: 'no message id in the answer' });
      return { messageId, ...(answer.contacts?.[0]?.wa_id ? { waId: answer.contacts[0].wa_id } : {}) };
    },

    /** Marks a customer's message read (blue ticks), optionally showing "typing…" for up to 25 s. */
    async markWhatsAppRead(phoneNumberId: string, token: string, messageId: string, typing = false) {
      await succeed(`/${encodeURIComponent(phoneNumberId)}/messages`, {
        method: 'POST',
        token,
        json: {
          messaging_product: 'whatsapp',
          status: 'read',
          message_id: messageId,
          ...(typing ? { typing_indicator: { type: 'text' } } : {}),
        },
      });
    },

    /** Send API (Messenger, Instagram): `body` has recipient, message, messaging_type and tag. */
    async sendMessaging(pageOrIgId: string, token: string, body: Record<string, unknown>, host: MessagingHost) {
      const answer = await call<{ message_id?: string; recipient_id?: string }>(
        `/${encodeURIComponent(pageOrIgId)}/messages`,
        { method: 'POST', base: host, token, json: body },
      );
      if (!answer.message_id) throw new GraphError({ status: 502, title: 'no message id in the answer' });
      return { messageId: answer.message_id, recipientId: answer.recipient_id ?? '' };
    },

    /** typing_on / typing_off / mark_seen to a Messenger or Instagram customer. */
    async senderAction(
      pageOrIgId: string,
      token: string,
      recipientId: string,
      action: 'typing_on' | 'typing_off' | 'mark_seen',
      host: MessagingHost,
    ) {
      await call(`/${encodeURIComponent(pageOrIgId)}/messages`, {
        method: 'POST',
        base: host,
        token,
        json: { recipient: { id: recipientId }, sender_action: action },
      });
    },

    /** Where a WhatsApp media id's bytes are (the URL lives 5 minutes) and what they should be. */
    async mediaInfo(mediaId: string, token: string) {
      const answer = await call<{ url?: string; mime_type?: string; sha256?: string; file_size?: number | string }>(
        `/${encodeURIComponent(mediaId)}`,
        { token },
      );
      if (!answer.url) throw new GraphError({ status: 502, title: 'no media url in the answer' });
      return {
        url: answer.url,
        mimeType: answer.mime_type ?? 'application/octet-stream',
        sha256: answer.sha256 ?? '',
        fileSize: Number(answer.file_size ?? 0),
      };
    },

    /** The bytes at a media URL, within the caller's host and size limits (see graph-media.ts). */
    async downloadMedia(url: string, token: string | undefined, limits: MediaDownloadOptions) {
      return downloadMediaFrom(fetchFn, url, token, limits, timeoutMs * 3);
    },

    /**
     * The numbers of a WhatsApp Business Account, all pages: proves a number is that WABA's (a
     * token may grant several WABAs of one business) and names it.
     */
    async wabaPhoneNumbers(wabaId: string, token: string): Promise<WabaPhoneNumber[]> {
      const rows = await allPages<{
        id?: string;
        display_phone_number?: string;
        verified_name?: string;
        quality_rating?: string;
      }>(`/${encodeURIComponent(wabaId)}/phone_numbers`, token, {
        fields: 'id,display_phone_number,verified_name,quality_rating',
        limit: '100',
      });
      return rows.map((row) => ({
        id: row.id ?? '',
        displayPhoneNumber: row.display_phone_number ?? '',
        verifiedName: row.verified_name ?? '',
        qualityRating: row.quality_rating ?? 'UNKNOWN',
      }));
    },

    /** Every message template of a WABA, all pages. */
    async templates(wabaId: string, token: string): Promise<WhatsAppTemplate[]> {
      const rows = await allPages<Partial<WhatsAppTemplate>>(
        `/${encodeURIComponent(wabaId)}/message_templates`,
        token,
        {
          fields: 'name,language,status,category,components',
          limit: '100',
        },
      );
      return rows.map((row) => ({
        name: row.name ?? '',
        language: row.language ?? '',
        status: row.status ?? '',
        category: row.category ?? '',
        components: row.components ?? [],
      }));
    },

    /** The Pages a Facebook user manages, with their Page tokens. */
    async pages(userToken: string) {
      const rows = await allPages<{ id: string; name?: string; access_token?: string }>('/me/accounts', userToken, {
        fields: 'id,name,access_token',
        limit: '100',
      });
      return rows.map((row) => ({ id: row.id, name: row.name ?? '', accessToken: row.access_token ?? '' }));
    },

    /** Instagram Login: code → short-lived (1 h) Instagram user token. */
    async instagramExchangeCode(input: { appId: string; appSecret: string; code: string; redirectUri: string }) {
      const answer = await call<{
        access_token?: string;
        user_id?: string | number;
        data?: { access_token?: string; user_id?: string | number }[];
      }>('/oauth/access_token', {
        method: 'POST',
        base: 'instagram-api',
        versioned: false,
        form: {
          client_id: input.appId,
          client_secret: input.appSecret,
          grant_type: 'authorization_code',
          redirect_uri: input.redirectUri,
          code: input.code,
        },
      });
      // Older answers are flat, newer ones wrap it in `data`.
      const token = answer.data?.[0] ?? answer;
      return { ...issued(token), userId: String(token.user_id ?? '') };
    },

    /** Short-lived → long-lived (60 days) Instagram user token. */
    async instagramLongLived(token: string, appSecret: string) {
      return issued(
        await call('/access_token', {
          base: 'instagram',
          versioned: false,
          query: { grant_type: 'ig_exchange_token', client_secret: appSecret, access_token: token },
        }),
      );
    },

    /** A long-lived token at least 24 h old → a fresh 60-day one. */
    async instagramRefresh(token: string) {
      return issued(
        await call('/refresh_access_token', {
          base: 'instagram',
          versioned: false,
          query: { grant_type: 'ig_refresh_token', access_token: token },
        }),
      );
    },

    /** The professional account behind an Instagram user token (`user_id` is what webhooks carry). */
    async instagramMe(token: string) {
      const answer = await call<{ user_id?: string | number; id?: string; username?: string }>('/me', {
        base: 'instagram',
        token,
        query: { fields: 'user_id,username' },
      });
      return { userId: String(answer.user_id ?? answer.id ?? ''), username: answer.username ?? '' };
    },
  };
}

export type GraphClient = ReturnType<typeof graphClient>;
export { isMetaMediaHost, type MediaDownloadOptions, mediaHostPolicy } from './graph-media.js';
