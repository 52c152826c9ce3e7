import { type Context, Hono } from 'hono';
import * as z from 'zod';
import { setUsage, THROTTLE_CODES } from './meta-ads-usage.js';
import { ADS_SCOPES, addAdAccount, type FakeMetaState, issueToken } from './meta-state.js';

/**
 * `/dev/meta/ads/*`: controls for the Marketing API fake, for tests and the local stack: create
 * an ad account with history, throttle an account's next calls, set its usage, fail a report
 * run, move the fake's clock, and read the calls it received.
 */

const SIXTY_DAYS = 60 * 24 * 3600;

/** `act_123` or `123`: the 15 digits either way. */
const accountIdInput = z
  .string()
  .regex(/^(act_)?[0-9]{1,20}$/)
  .transform((id) => id.replace(/^act_/, ''));

const accountInput = z.object({
  months: z.number().int().min(1).max(37).default(18),
  campaigns: z.number().int().min(1).max(20).default(3),
  adsetsPerCampaign: z.number().int().min(1).max(10).default(2),
  adsPerAdset: z.number().int().min(1).max(10).default(2),
  name: z.string().min(1).max(200).optional(),
});

const throttleInput = z.object({
  accountId: accountIdInput,
  calls: z.number().int().min(0).max(1000),
  code: z
    .number()
    .int()
    .refine((code) => THROTTLE_CODES.includes(code), { message: 'one of 4, 17, 613, 80000' }),
  /** What `estimated_time_to_regain_access` says while throttled. */
  regainMinutes: z.number().int().min(0).max(60).default(1),
});

const usageInput = z.object({ accountId: accountIdInput, percent: z.number().min(0).max(100) });
const reportFailInput = z.object({ reportRunId: z.string().regex(/^[0-9]{1,30}$/) });
const clockInput = z.object({
  advanceSeconds: z
    .number()
    .min(0)
    .max(400 * 24 * 3600),
});

async function parse<T extends z.ZodType>(c: Context, schema: T) {
  return schema.safeParse(await c.req.json().catch(() => ({})));
}

const invalid = (c: Context, issues: unknown) => c.json({ error: 'invalid_request', issues }, 400);

export function adsDevRoutes(state: FakeMetaState) {
  const app = new Hono();

  app.post('/accounts', async (c) => {
    const parsed = await parse(c, accountInput);
    if (!parsed.success) return invalid(c, parsed.error.issues);
    const account = addAdAccount(state, parsed.data);
    // A token that reads it, so a test need not go through the login popup.
    const accessToken = issueToken(state, {
      kind: 'user',
      targets: new Set([account.accountId]),
      scopes: ADS_SCOPES,
      expiresIn: SIXTY_DAYS,
    });
    return c.json(
      {
        account: { id: account.id, accountId: account.accountId, name: account.name, firstDay: account.firstDay },
        campaigns: account.campaigns,
        accessToken,
      },
      201,
    );
  });

  app.post('/throttle', async (c) => {
    const parsed = await parse(c, throttleInput);
    if (!parsed.success) return invalid(c, parsed.error.issues);
    const { accountId, ...script } = parsed.data;
    if (script.calls === 0) state.ads.throttles.delete(accountId);
    else state.ads.throttles.set(accountId, script);
    return c.json({ accountId, ...script });
  });

  app.post('/usage', async (c) => {
    const parsed = await parse(c, usageInput);
    if (!parsed.success) return invalid(c, parsed.error.issues);
    setUsage(state, parsed.data.accountId, parsed.data.percent);
    return c.json(parsed.data);
  });

  app.post('/report-fail', async (c) => {
    const parsed = await parse(c, reportFailInput);
    if (!parsed.success) return invalid(c, parsed.error.issues);
    const run = state.ads.reports.get(parsed.data.reportRunId);
    if (!run) return c.json({ error: 'unknown_report_run' }, 404);
    run.failed = true;
    return c.json({ reportRunId: run.id, failed: true });
  });

  app.post('/clock', async (c) => {
    const parsed = await parse(c, clockInput);
    if (!parsed.success) return invalid(c, parsed.error.issues);
    state.ads.clockOffsetMs += parsed.data.advanceSeconds * 1000;
    return c.json({ now: new Date(state.now()).toISOString() });
  });

  app.get('/calls', (c) => c.json({ calls: state.ads.calls }));
  app.delete('/calls', (c) => {
    state.ads.calls.length = 0;
    return c.body(null, 204);
  });

  return app;
}
