import * as z from 'zod';
import type { ProviderDeclaration } from '../platform/area.js';
import { PermanentError } from '../platform/errors.js';
import { providerRefused } from '../platform/provider-refusals.js';

/**
 * NetGSM's REST v2 API (`https://api.netgsm.com.tr/sms/rest/v2/*`): HTTP Basic with the
 * business's own user code and password, JSON bodies, and a `code` in every answer ("00" is
 * OK). Never logs or echoes the credentials, the numbers or the texts: errors carry NetGSM's
 * code only.
 */

export const NETGSM_BASE_URL = 'https://api.netgsm.com.tr';

export interface NetgsmCredentials {
  usercode: string;
  password: string;
}

/** İYS filter: "0" informational (no İYS check), "11" commercial to an individual (BIREYSEL). */
export type IysFilter = '0' | '11';

export interface NetgsmSend {
  msgheader: string;
  iysfilter: IysFilter;
  messages: { msg: string; no: string }[];
}

/** One number's line in a delivery report. */
export interface NetgsmReportLine {
  jobid: string;
  number?: string | undefined;
  status: number;
}

export interface NetgsmClient {
  /** Queues the messages; answers NetGSM's job id. */
  send(credentials: NetgsmCredentials, body: NetgsmSend): Promise<{ jobId: string }>;
  /** Delivery lines for these jobs (NetGSM allows 10 report queries a minute: batch the ids). */
  report(credentials: NetgsmCredentials, jobIds: readonly string[]): Promise<NetgsmReportLine[]>;
  /** The sender headers (`msgheader`) defined on the account. */
  headers(credentials: NetgsmCredentials): Promise<string[]>;
}

/** What each NetGSM code means to a merchant (never the provider's own words, which may change). */
const CODE_MEANINGS: Record<string, string> = {
  '20': 'The message text was refused (empty or too long)',
  '30': 'NetGSM refused the user code or password, or API access is not allowed from our servers',
  '40': 'The sender header (msgheader) is not defined on this NetGSM account',
  '50': 'İYS-controlled sending is not enabled on this NetGSM account',
  '51': 'This NetGSM account has no İYS brand code',
  '60': 'NetGSM has no records for this query',
  '70': 'NetGSM refused a parameter of the request',
  '80': 'NetGSM rate limit reached; trying again later',
  '85': 'Too many messages to the same number within a minute; trying again later',
  '100': 'NetGSM had a system error; trying again later',
  '101': 'NetGSM had a system error; trying again later',
};

/** NetGSM refused for good (bad credentials, header, İYS setup, text): retrying will not help. */
/** NetGSM, each business's own SMS account, as the sms area declares it for its alarms. */
export const NETGSM_PROVIDER = {
  name: 'netgsm',
  auth: "NetGSM refused a business's user code or password (or our servers' address): that business's SMS stop until it fixes its settings",
  rateLimit: 'NetGSM asked us to slow down: SMS wait and are retried',
} as const satisfies ProviderDeclaration;

/** Code 30 is NetGSM's "wrong credentials or address not allowed": counted for its alarm. */
function refused(code: string): NetgsmRefusedError {
  if (code === '30') providerRefused(NETGSM_PROVIDER, 'auth', { code });
  return new NetgsmRefusedError(code);
}

export class NetgsmRefusedError extends PermanentError {
  override name = 'NetgsmRefusedError';
  constructor(
    readonly code: string,
    message = CODE_MEANINGS[code] ?? `NetGSM refused the request (code ${code})`,
  ) {
    super(message);
  }
}

/**
 * NetGSM is busy or limited (80 rate limit, 85 duplicate limit, 100/101 system error, HTTP 5xx or
 * no answer): not a PermanentError, so a queue retries it later.
 */
export class NetgsmBusyError extends Error {
  override name = 'NetgsmBusyError';
  constructor(
    readonly code: string,
    message = CODE_MEANINGS[code] ?? `NetGSM did not answer (code ${code})`,
  ) {
    super(message);
  }
}

const TRANSIENT_CODES = new Set(['80', '85', '100', '101']);

/** The merchant's words for a NetGSM code. */
export function netgsmCodeMeaning(code: string): string | undefined {
  return CODE_MEANINGS[code];
}

const answer = z.object({ code: z.coerce.string(), description: z.string().optional() }).loose();
const sendAnswer = answer.extend({ jobid: z.coerce.string().optional() });
const reportAnswer = answer.extend({
  jobs: z
    .array(
      z
        .object({
          jobid: z.coerce.string(),
          number: z.coerce.string().optional(),
          status: z.coerce.number().int(),
        })
        .loose(),
    )
    .optional(),
});
const headersAnswer = answer.extend({
  msgheaders: z.array(z.string()).optional(),
  msgheader: z.array(z.string()).optional(),
});

export interface NetgsmClientOptions {
  /** `NETGSM_BASE_URL` on the local stack (the fake); NetGSM's own host otherwise. */
  baseUrl?: string | undefined;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/**
 * @example
 * const netgsm = netgsmClient({ baseUrl: process.env.NETGSM_BASE_URL });
 * await netgsm.headers({ usercode, password });
 */
export function netgsmClient(options: NetgsmClientOptions = {}): NetgsmClient {
  const base = (options.baseUrl || NETGSM_BASE_URL).replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function call<S extends z.ZodType<{ code: string }>>(
    credentials: NetgsmCredentials,
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    body?: unknown,
  ): Promise<z.infer<S>> {
    const authorization = `Basic ${Buffer.from(`${credentials.usercode}:${credentials.password}`).toString('base64')}`;
    let response: Response;
    try {
      response = await doFetch(`${base}/sms/rest/v2/${path}`, {
        method,
        headers: { authorization, 'content-type': 'application/json', accept: 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      // No answer (network, timeout): whether NetGSM acted is unknown; the caller decides.
      throw new NetgsmBusyError('no-answer', 'NetGSM did not answer');
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      if (response.status === 401 || response.status === 403) throw refused('30');
      if (response.status >= 500) throw new NetgsmBusyError(`http-${response.status}`, 'NetGSM had a system error');
      throw new NetgsmBusyError(`http-${response.status}`, 'NetGSM answered with an unexpected shape');
    }
    const code = parsed.data.code.padStart(2, '0');
    if (code === '00') return parsed.data;
    if (code === '80') providerRefused(NETGSM_PROVIDER, 'rate-limit', { code });
    if (TRANSIENT_CODES.has(code)) throw new NetgsmBusyError(code);
    throw refused(code);
  }

  return {
    async send(credentials, body) {
      const result = await call(credentials, 'POST', 'send', sendAnswer, { ...body, encoding: 'TR' });
      if (!result.jobid) throw new NetgsmBusyError('no-jobid', 'NetGSM accepted the message without a job id');
      return { jobId: result.jobid };
    },
    async report(credentials, jobIds) {
      try {
        const result = await call(credentials, 'POST', 'report', reportAnswer, {
          jobids: jobIds,
          pagenumber: 0,
          pagesize: 100,
        });
        return (result.jobs ?? []).map((line) => ({ jobid: line.jobid, number: line.number, status: line.status }));
      } catch (error) {
        // 60: no records yet for these jobs, which is an answer, not a failure.
        if (error instanceof NetgsmRefusedError && error.code === '60') return [];
        throw error;
      }
    },
    async headers(credentials) {
      const result = await call(credentials, 'GET', 'msgheader', headersAnswer);
      return result.msgheaders ?? result.msgheader ?? [];
    },
  };
}
