import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';

/**
 * A fake of NetGSM's REST v2 SMS API for the local stack and tests, speaking its real shapes:
 * HTTP Basic with an account's user code and password, `POST /sms/rest/v2/send`,
 * `POST /sms/rest/v2/report`, `GET /sms/rest/v2/msgheader`, and NetGSM's codes (30 bad
 * credentials, 40 unknown header, 51 no İYS brand for a commercial send, 70 bad parameter, 85
 * more than 20 messages to one number in a minute, 80 more than 10 report queries a minute, 60 no
 * records). A number listed without İYS consent gets report status 16 when sent with `iysfilter`
 * "11"; a number listed as unreachable stays 0 (pending). `GET /dev/netgsm/sent` shows what was
 * sent. Local only.
 */

export interface FakeNetgsmAccount {
  usercode: string;
  password: string;
  msgheaders: readonly string[];
  /** False: the account has no İYS brand code, so İYS-filtered (commercial) sending is refused with 51. */
  iysBrand?: boolean;
}

/** The demo business's NetGSM account on the fake (the local seed saves the same one). */
export const DEMO_NETGSM_ACCOUNT = {
  usercode: '8503020000',
  password: 'demo-netgsm-password',
  msgheaders: ['ASISTONE', 'LALECICEK'],
} as const satisfies FakeNetgsmAccount;

/** A number with no İYS consent: a commercial SMS (iysfilter 11) to it is rejected with status 16. */
export const FAKE_NO_IYS_CONSENT_NUMBER = '905550000016';
/** A number whose phone never answers: its report stays pending (status 0). */
export const FAKE_UNREACHABLE_NUMBER = '905550000000';

export interface FakeNetgsmMessage {
  jobid: string;
  usercode: string;
  msgheader: string;
  iysfilter: string;
  no: string;
  msg: string;
  at: number;
  /** The report status it will be given. */
  status: number;
}

export interface FakeNetgsmState {
  accounts: FakeNetgsmAccount[];
  noConsentNumbers: Set<string>;
  unreachableNumbers: Set<string>;
  sent: FakeNetgsmMessage[];
  /** Report query times per user code, for the 10-a-minute limit. */
  reportQueries: Map<string, number[]>;
}

export interface FakeNetgsmOptions {
  port?: number;
  accounts?: readonly FakeNetgsmAccount[];
  noConsentNumbers?: readonly string[];
  unreachableNumbers?: readonly string[];
  /** The fake's clock (tests move it to let a minute pass). */
  now?: () => number;
}

export interface FakeNetgsm {
  url: string;
  state: FakeNetgsmState;
  stop(): Promise<void>;
}

/** The settings that point a process at this fake. */
export function fakeNetgsmEnvironment(fake: Pick<FakeNetgsm, 'url'>) {
  return { NETGSM_BASE_URL: fake.url };
}

const MINUTE = 60_000;
const REPORTS_PER_MINUTE = 10;
const MESSAGES_PER_NUMBER_PER_MINUTE = 20;

/** NetGSM answers its refusals with a code in the body (406 here; the client reads the code). */
const refuse = (c: Context, code: string, description: string) => c.json({ code, description }, 406);

function accountOf(c: Context, state: FakeNetgsmState): FakeNetgsmAccount | undefined {
  const header = c.req.header('authorization') ?? '';
  const match = /^Basic\s+(.+)$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const usercode = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  return state.accounts.find((account) => account.usercode === usercode && account.password === password);
}

/** The fake's routes, without a server (tests may mount it on their own). */
export function fakeNetgsmApp(state: FakeNetgsmState, now: () => number = Date.now): Hono {
  const app = new Hono();

  app.get('/sms/rest/v2/msgheader', (c) => {
    const account = accountOf(c, state);
    if (!account) return refuse(c, '30', 'Invalid username, password or no API access');
    return c.json({ code: '00', description: 'success', msgheaders: [...account.msgheaders] });
  });

  app.post('/sms/rest/v2/send', async (c) => {
    const account = accountOf(c, state);
    if (!account) return refuse(c, '30', 'Invalid username, password or no API access');
    const body = (await c.req.json().catch(() => undefined)) as
      | { msgheader?: unknown; iysfilter?: unknown; messages?: unknown }
      | undefined;
    const messages = Array.isArray(body?.messages) ? (body.messages as { msg?: unknown; no?: unknown }[]) : [];
    if (!body || typeof body.msgheader !== 'string' || messages.length === 0) {
      return refuse(c, '70', 'Invalid or missing parameter');
    }
    if (!account.msgheaders.includes(body.msgheader)) return refuse(c, '40', 'Message header not defined');
    const iysfilter = body.iysfilter === undefined ? '0' : String(body.iysfilter);
    if (!['0', '11', '12'].includes(iysfilter)) return refuse(c, '70', 'Invalid iysfilter');
    if (iysfilter !== '0' && account.iysBrand === false) return refuse(c, '51', 'No IYS brand code for this account');
    for (const message of messages) {
      if (typeof message.no !== 'string' || !/^\d{10,15}$/.test(message.no)) return refuse(c, '70', 'Invalid number');
      if (typeof message.msg !== 'string' || message.msg.length === 0 || message.msg.length > 1000) {
        return refuse(c, '20', 'Message text problem or too long');
      }
    }
    const at = now();
    for (const message of messages) {
      const recent = state.sent.filter((sent) => sent.no === message.no && at - sent.at < MINUTE).length;
      if (recent >= MESSAGES_PER_NUMBER_PER_MINUTE) {
        return refuse(c, '85', 'More than 20 tasks to the same number within 1 minute');
      }
    }
    const jobid = String(10_000_000_000 + (randomBytes(4).readUInt32BE() % 9_000_000_000));
    for (const message of messages) {
      const no = message.no as string;
      const status = state.unreachableNumbers.has(no)
        ? 0
        : iysfilter === '11' && state.noConsentNumbers.has(no)
          ? 16
          : 1;
      state.sent.push({
        jobid,
        usercode: account.usercode,
        msgheader: body.msgheader,
        iysfilter,
        no,
        msg: message.msg as string,
        at,
        status,
      });
    }
    return c.json({ code: '00', description: 'queued', jobid });
  });

  app.post('/sms/rest/v2/report', async (c) => {
    const account = accountOf(c, state);
    if (!account) return refuse(c, '30', 'Invalid username, password or no API access');
    const at = now();
    const queries = (state.reportQueries.get(account.usercode) ?? []).filter((time) => at - time < MINUTE);
    if (queries.length >= REPORTS_PER_MINUTE) {
      state.reportQueries.set(account.usercode, queries);
      return refuse(c, '80', 'Query limit exceeded');
    }
    queries.push(at);
    state.reportQueries.set(account.usercode, queries);
    const body = (await c.req.json().catch(() => undefined)) as { jobids?: unknown } | undefined;
    const jobids = Array.isArray(body?.jobids) ? body.jobids.map(String) : [];
    if (jobids.length === 0) return refuse(c, '70', 'Invalid or missing parameter');
    const lines = state.sent.filter((sent) => sent.usercode === account.usercode && jobids.includes(sent.jobid));
    if (lines.length === 0) return refuse(c, '60', 'No records found');
    return c.json({
      code: '00',
      description: 'success',
      jobs: lines.map((line) => ({
        jobid: line.jobid,
        number: line.no,
        status: line.status,
        operator: 30,
        msglen: 1,
        deliveredDate: line.status === 1 ? new Date(line.at + 2000).toISOString() : '',
        errorCode: 0,
      })),
    });
  });

  // For developers and tests: what was sent (numbers and texts are the fake's own, never real).
  app.get('/dev/netgsm/sent', (c) => c.json({ sent: state.sent }));

  return app;
}

export function createFakeNetgsmState(options: FakeNetgsmOptions = {}): FakeNetgsmState {
  return {
    accounts: [...(options.accounts ?? [DEMO_NETGSM_ACCOUNT])],
    noConsentNumbers: new Set(options.noConsentNumbers ?? [FAKE_NO_IYS_CONSENT_NUMBER]),
    unreachableNumbers: new Set(options.unreachableNumbers ?? [FAKE_UNREACHABLE_NUMBER]),
    sent: [],
    reportQueries: new Map(),
  };
}

/**
 * @example
 * const netgsm = await startFakeNetgsm();
 * process.env.NETGSM_BASE_URL = netgsm.url;
 */
export async function startFakeNetgsm(options: FakeNetgsmOptions = {}): Promise<FakeNetgsm> {
  const state = createFakeNetgsmState(options);
  const app = fakeNetgsmApp(state, options.now);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    stop: () => new Promise<void>((done) => server.close(() => done())),
  };
}
