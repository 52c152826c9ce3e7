import type { Context } from 'hono';
import { failureResponse, GraphFailure } from './meta-http.js';
import type { FakeMetaState, ScriptedError } from './meta-state.js';

/**
 * The Marketing API's business use case (BUC) rate limit, per ad account: each call adds to a
 * usage percentage that decays to 0 over 300 s of the fake's clock; past 100 the call is refused
 * with 80000, and every answer reports the usage in `X-Business-Use-Case-Usage`. Dev scripts
 * can also make an account's next calls fail with Meta's other throttle codes. Each call is
 * logged (without its token), so a test can check pacing and that only ids and params were sent.
 */

const DECAY_MS = 300_000;

/**
 * What each kind of call adds to the account's usage, in percent. A report run's status polls
 * and result pages cost next to nothing at Meta (the run's cost is paid when it starts), so they
 * count nothing here: a local backfill of 18 months is paced by its 24 starts, not held back.
 */
export const ADS_CALL_COST = { accounts: 0, insights: 1, report: 1, poll: 0, page: 0 } as const;

/** Meta's throttle errors by code (all answered HTTP 400, as Graph answers throttles). */
const THROTTLES: Record<number, Omit<ScriptedError, 'status'>> = {
  4: { code: 4, message: '(#4) Application request limit reached' },
  17: { code: 17, subcode: 2446079, message: '(#17) User request limit reached' },
  613: {
    code: 613,
    subcode: 1487742,
    message: '(#613) There have been too many calls from this ad-account. Please wait a bit and try again.',
  },
  80000: {
    code: 80000,
    subcode: 2446079,
    message: '(#80000) There have been too many calls from this ad-account. Wait a bit and try again.',
  },
};
export const THROTTLE_CODES = Object.keys(THROTTLES).map(Number);

export function usageOf(state: FakeMetaState, accountId: string): number {
  const usage = state.ads.usage.get(accountId);
  if (!usage) return 0;
  return Math.max(0, usage.percent - ((state.now() - usage.atMs) / DECAY_MS) * 100);
}

export function setUsage(state: FakeMetaState, accountId: string, percent: number): void {
  state.ads.usage.set(accountId, { percent, atMs: state.now() });
}

/** A refused call reports the quota as used up, whatever the decay says. */
function usageHeader(accountId: string, percent: number, regainMinutes: number): string {
  const whole = regainMinutes > 0 ? 100 : Math.min(100, Math.round(percent));
  return JSON.stringify({
    [accountId]: [
      {
        type: 'ads_insights',
        call_count: whole,
        total_cputime: Math.round(whole * 0.4),
        total_time: Math.round(whole * 0.6),
        estimated_time_to_regain_access: regainMinutes,
        ads_api_access_tier: 'standard_access',
      },
    ],
  });
}

/** Throws the throttle scripted for this account's next call, if one is left. */
function scriptedThrottle(state: FakeMetaState, accountId: string): void {
  const script = state.ads.throttles.get(accountId);
  if (!script || script.calls <= 0) return;
  script.calls -= 1;
  if (script.calls === 0) state.ads.throttles.delete(accountId);
  throw new AdsThrottle({ status: 400, ...(THROTTLES[script.code] ?? { code: script.code }) }, script.regainMinutes);
}

/** A refusal for the rate, with the minutes the header reports. */
class AdsThrottle extends GraphFailure {
  constructor(
    failure: ScriptedError,
    readonly regainMinutes: number,
  ) {
    super(failure);
  }
}

/** Adds `cost` to the account's usage, or throws 80000 when that would pass 100. */
function charge(state: FakeMetaState, accountId: string, cost: number): void {
  const current = usageOf(state, accountId);
  if (current + cost > 100) {
    // Usage falls 1% every 3 s: the minutes until this call would fit again.
    const regainMinutes = Math.max(1, Math.ceil(((current + cost - 100) * DECAY_MS) / 100 / 60_000));
    throw new AdsThrottle({ code: 80000, ...THROTTLES[80000], status: 400 }, regainMinutes);
  }
  setUsage(state, accountId, current + cost);
}

const withoutToken = (params: Record<string, string>) => {
  const { access_token: _token, ...rest } = params;
  return rest;
};

export interface AdsCall {
  /** The account the call is counted against (unknown before the route reads it: `undefined`). */
  accountId?: string;
  cost: number;
  /** A POST's parameters, for the call log. */
  body?: Record<string, string>;
  /** Token and permission checks: they run before the rate is counted, as at Meta. */
  check?: () => void;
}

/**
 * Runs an ads route: checks access, then scripted throttles, then the usage; answers Meta's
 * error envelope on failure; and puts the usage header on every answer.
 */
export async function adsCall(
  state: FakeMetaState,
  c: Context,
  call: AdsCall,
  run: () => Response | Promise<Response>,
): Promise<Response> {
  let regainMinutes = 0;
  let response: Response;
  try {
    call.check?.();
    if (call.accountId !== undefined && call.cost > 0) {
      scriptedThrottle(state, call.accountId);
      charge(state, call.accountId, call.cost);
    }
    response = await run();
  } catch (error) {
    if (!(error instanceof GraphFailure)) throw error;
    if (error instanceof AdsThrottle) regainMinutes = error.regainMinutes;
    response = failureResponse(c, error.failure);
  }
  if (call.accountId !== undefined) {
    response.headers.set(
      'x-business-use-case-usage',
      usageHeader(call.accountId, usageOf(state, call.accountId), regainMinutes),
    );
  }
  state.ads.calls.push({
    method: c.req.method,
    path: c.req.path,
    query: withoutToken(c.req.query()),
    ...(call.body ? { body: withoutToken(call.body) } : {}),
    ...(call.accountId !== undefined ? { accountId: call.accountId } : {}),
    status: response.status,
    at: state.now(),
  });
  if (state.ads.calls.length > 5000) state.ads.calls.splice(0, 2500);
  return response;
}
