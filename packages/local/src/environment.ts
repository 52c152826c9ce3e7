import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readMetaAppConfig } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import { seedDemoTenant } from '@asistone/core/tenancy/demo';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { seedDemoAds } from './demo-ads.js';
import { seedDemoBilling } from './demo-billing.js';
import { seedDemoCampaigns } from './demo-campaigns.js';
import { seedDemoCartRecovery } from './demo-cart-recovery.js';
import { seedDemoChannelTokens, seedDemoOwner } from './demo-owner.js';
import { seedDemoShop } from './demo-shop.js';
import { seedDemoSms } from './demo-sms.js';
import { LOCAL_REGION, LOCAL_STAGE, startEmulators } from './emulators.js';

/** Written by a running `npm start`, so CLI commands reuse its emulators instead of the files. */
const RUNNING_FILE = 'running.json';
/** Rewritten every second by a running `npm start`: what `/api/health` reports about the runtime. */
export const RUNTIME_STATUS_FILE = 'runtime.json';

interface Running {
  pid: number;
  env: Record<string, string>;
}

/** The environment Lambda gives a function, pointed at this data folder's emulators. */
export function handlerEnvironment(dataDir: string, emulatorEnv: Record<string, string>): Record<string, string> {
  return {
    STAGE: LOCAL_STAGE,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    KEY_PROVIDER: 'local',
    LOCAL_KEY_DIR: join(dataDir, 'keys'),
    LOCAL_RUNTIME_STATUS: join(dataDir, RUNTIME_STATUS_FILE),
    // No X-Ray here: the tracer is never loaded (platform/xray.ts).
    POWERTOOLS_TRACE_ENABLED: 'false',
    ...emulatorEnv,
  };
}

/**
 * The local stack's Meta app settings, which the Meta webhook reads like the deployment secrets
 * it reads from SSM in AWS: `.env` may override the documented defaults.
 */
export function localMetaAppSettings(env: Record<string, string | undefined> = process.env): Record<string, string> {
  const instagram = env.DEMO_META_INSTAGRAM_APP_SECRET ?? 'asistone-demo-instagram-app-secret';
  const settings = {
    META_APP_SECRET: env.DEMO_META_APP_SECRET ?? 'asistone-demo-app-secret',
    META_VERIFY_TOKEN: env.DEMO_META_VERIFY_TOKEN ?? 'asistone-demo-verify-token',
    // Empty in `.env` turns the Instagram-Login secret off, as when it is not set in AWS.
    ...(instagram && { META_INSTAGRAM_APP_SECRET: instagram }),
  };
  // Checked at start, not at the first delivery: a too-short value stops `npm start` naming it.
  readMetaAppConfig(settings);
  return settings;
}

/**
 * The local Meta app's public ids (the fake Meta issues codes for them and checks them at code
 * exchange); `.env` may change them like the secrets.
 */
export function localMetaAppIds(env: Record<string, string | undefined> = process.env) {
  return {
    appId: env.DEMO_META_APP_ID || '100000000000900',
    instagramAppId: env.DEMO_META_INSTAGRAM_APP_ID || '100000000000901',
  };
}

/** Seeds what a fresh local data folder needs (the demo business and its channels); later calls change nothing. */
export async function seedLocalData(): Promise<void> {
  const { storeOf, keyring } = platform();
  await seedDemoTenant({ store: storeOf(TENANCY_RECORDS), keyring });
  // The demo owner (a known password) exists only here, on the local stack.
  await seedDemoOwner(platform());
  await seedDemoChannelTokens(platform());
  await seedDemoShop(platform());
  await seedDemoSms(platform());
  await seedDemoCampaigns(platform());
  await seedDemoCartRecovery(platform());
  await seedDemoAds(platform());
  await seedDemoBilling(platform());
}

export async function announceRunning(dataDir: string, env: Record<string, string>): Promise<void> {
  const running: Running = { pid: process.pid, env };
  await writeFile(join(dataDir, RUNNING_FILE), JSON.stringify(running), { mode: 0o600 });
}

export async function clearRunning(dataDir: string): Promise<void> {
  await rm(join(dataDir, RUNNING_FILE), { force: true });
}

function runningStack(dataDir: string): Running | undefined {
  const file = join(dataDir, RUNNING_FILE);
  if (!existsSync(file)) return undefined;
  const running = JSON.parse(readFileSync(file, 'utf8')) as Running;
  try {
    process.kill(running.pid, 0);
    return running;
  } catch {
    return undefined; // left behind by a stack that did not stop cleanly
  }
}

/**
 * Runs `work` with the handler environment of the local stack in `dataDir`: the running
 * `npm start`'s emulators if there is one, otherwise emulators started just for this call
 * (the on-disk stores allow one process at a time).
 */
export async function withLocalEnvironment<T>(dataDir: string, work: () => Promise<T>): Promise<T> {
  const running = runningStack(dataDir);
  if (running) {
    Object.assign(process.env, running.env);
    return work();
  }
  const emulators = await startEmulators(dataDir);
  Object.assign(process.env, handlerEnvironment(dataDir, emulators.env));
  // Where `npm start` would serve the web app: links in mails a CLI run makes point there.
  process.env.APP_URL ??= `http://localhost:${process.env.PORT ?? 3000}`;
  try {
    await seedLocalData();
    return await work();
  } finally {
    await emulators.stop();
  }
}
