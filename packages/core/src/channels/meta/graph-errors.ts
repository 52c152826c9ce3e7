/**
 * What went wrong when Meta's Graph API answered with an error, classified into the few kinds the
 * product acts on differently (retry later, ask for a template, reconnect, give up). Platform-free:
 * no logger, no store, so workers and tests use it as is.
 */

import type { SendFailure, SendFailureKind } from '../../inbox/channel-sender.js';

/**
 * The inbox's kinds of provider failure (inbox/channel-sender.ts SendFailureKind, with what each
 * means), which Meta's codes map to below.
 */
export type GraphErrorKind = SendFailureKind;

export interface GraphErrorFields {
  /** HTTP status; 0 when no answer came (network error or timeout). */
  status: number;
  code?: number;
  subcode?: number;
  type?: string;
  /** Meta's message (never carries the token: the client never puts it in a message). */
  title: string;
  fbtraceId?: string;
  /** From a Retry-After header, when Meta sends one. */
  retryAfterSeconds?: number;
}

/** Codes whose meaning is the same on every Graph endpoint (WhatsApp Cloud API, Send API, Instagram). */
const RATE_LIMITED = new Set([4, 17, 32, 613, 80001, 80002, 80006, 80007, 130429, 131048, 131056]);
const UNDELIVERABLE = new Set([131021, 131026, 131030, 131049, 131050, 131052, 131053]);
const PAUSED_TEMPLATE = new Set([132015, 132016]);
const AUTH = new Set([102, 190, 131005]);
const SERVER = new Set([1, 2, 131000, 131016, 133004]);
/** Send API (Messenger) subcode: "This message is sent outside of allowed window". */
const MESSENGER_OUTSIDE_WINDOW_SUBCODES = new Set([2018278, 2534022]);

/**
 * The kind of a Graph error from its code, subcode and HTTP status.
 *
 * @example
 * classifyGraphError({ status: 400, code: 131047 }) // 'outside-window'
 */
export function classifyGraphError(error: Pick<GraphErrorFields, 'status' | 'code' | 'subcode'>): GraphErrorKind {
  const { status, code, subcode } = error;
  if (status === 429 || (code !== undefined && RATE_LIMITED.has(code))) return 'rate-limited';
  if (code === 131047 || code === 551) return 'outside-window';
  if (subcode !== undefined && MESSENGER_OUTSIDE_WINDOW_SUBCODES.has(subcode)) return 'outside-window';
  if (code !== undefined && PAUSED_TEMPLATE.has(code)) return 'paused-template';
  if (code !== undefined && ((code >= 132000 && code <= 132012) || code === 132068 || code === 132069))
    return 'template';
  if (code !== undefined && UNDELIVERABLE.has(code)) return 'undeliverable';
  // 10 and 200-299 are permission errors (the token lacks a scope the call needs).
  if (status === 401 || (code !== undefined && (AUTH.has(code) || code === 10 || (code >= 200 && code <= 299)))) {
    return 'auth';
  }
  if (status === 0 || status >= 500 || (code !== undefined && SERVER.has(code))) return 'server';
  return 'invalid';
}

/**
 * The kind of a failure Meta reports later, in a `failed` status webhook (`errors[0].code`): the
 * same table as a refusal in the send's answer, so a code reads the same either way. The status
 * carries no HTTP status; a failure without a code is 'invalid'.
 *
 * @example
 * classifyStatusError(131026) // 'undeliverable', as classifyGraphError({ status: 400, code: 131026 })
 */
export function classifyStatusError(code: number | undefined): GraphErrorKind {
  return code === undefined ? 'invalid' : classifyGraphError({ status: 200, code });
}

/** A Graph API refusal: the inbox's SendFailure, with Meta's own fields beside it. */
export class GraphError extends Error implements SendFailure {
  readonly status: number;
  readonly code?: number;
  readonly subcode?: number;
  readonly type?: string;
  readonly title: string;
  readonly fbtraceId?: string;
  readonly retryAfterSeconds?: number;
  readonly kind: GraphErrorKind;

  constructor(fields: GraphErrorFields) {
    super(
      `Graph API error ${fields.status}${fields.code === undefined ? '' : ` code ${fields.code}`}: ${fields.title}`,
    );
    this.name = 'GraphError';
    this.status = fields.status;
    this.code = fields.code;
    this.subcode = fields.subcode;
    this.type = fields.type;
    this.title = fields.title;
    this.fbtraceId = fields.fbtraceId;
    this.retryAfterSeconds = fields.retryAfterSeconds;
    this.kind = classifyGraphError(fields);
  }

  /** Worth trying again later: Meta was busy or failing, the request itself was fine. */
  get retryable(): boolean {
    return this.kind === 'rate-limited' || this.kind === 'server';
  }
}

export type MediaRefusal =
  /** The URL (or a redirect) points at a host the caller does not allow. */
  | 'host-not-allowed'
  /** The host resolves to a private, loopback or link-local address. */
  | 'private-address'
  /** More bytes than the caller's limit. */
  | 'too-large'
  /** Too many redirects, or a redirect without a location. */
  | 'bad-redirect';

/** A media download the client refused before or while reading it (not an error Meta sent). */
export class MediaRefusedError extends Error {
  readonly reason: MediaRefusal;

  constructor(reason: MediaRefusal, detail: string) {
    super(`media download refused (${reason}): ${detail}`);
    this.name = 'MediaRefusedError';
    this.reason = reason;
  }
}

interface ErrorEnvelope {
  error?: {
    message?: unknown;
    type?: unknown;
    code?: unknown;
    error_subcode?: unknown;
    fbtrace_id?: unknown;
    error_user_msg?: unknown;
    error_data?: { details?: unknown };
  };
  /** api.instagram.com's OAuth endpoints answer in their own shape. */
  error_type?: unknown;
  code?: unknown;
  error_message?: unknown;
}

const asNumber = (value: unknown) =>
  typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
const asString = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/** Seconds from a Retry-After header (seconds or an HTTP date), when present and sensible. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * The GraphError for an answer that was not ok, from Meta's envelope
 * `{ error: { message, type, code, error_subcode, fbtrace_id } }` (or Instagram's OAuth shape);
 * a body that is neither still gives an error with the HTTP status.
 */
export function graphErrorFrom(status: number, body: unknown, retryAfter: string | null): GraphError {
  const envelope = (body && typeof body === 'object' ? body : {}) as ErrorEnvelope;
  const inner = envelope.error && typeof envelope.error === 'object' ? envelope.error : undefined;
  const details = asString(inner?.error_data?.details);
  return new GraphError({
    status,
    code: asNumber(inner?.code) ?? asNumber(envelope.code),
    subcode: asNumber(inner?.error_subcode),
    type: asString(inner?.type) ?? asString(envelope.error_type),
    title:
      [asString(inner?.message) ?? asString(envelope.error_message), details].filter(Boolean).join(': ') ||
      `HTTP ${status}`,
    fbtraceId: asString(inner?.fbtrace_id),
    retryAfterSeconds: retryAfterSeconds(retryAfter),
  });
}
