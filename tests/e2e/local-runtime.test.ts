import { spawnSync } from 'node:child_process';
import { PRODUCT } from '@asistone/core/product/areas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_HEADERS } from '../../packages/core/src/platform/security-headers.js';
import { eventually, ROOT, type RunningStack, startStack } from '../support/local-stack.js';

/** The local gateway serves the web app as CloudFront would, and the ops tools work against it. */
let stack: RunningStack;
beforeAll(async () => {
  stack = await startStack();
  await eventually(async () => {
    const health = await (await fetch(`${stack.url}/api/health`)).json();
    return health.components.web.detail.build === 'ready' ? true : undefined;
  }, 60_000);
});
afterAll(() => stack?.stop());

describe('the local gateway', () => {
  it('serves the web app with the security headers CloudFront sends', async () => {
    const page = await fetch(`${stack.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(page.headers.get(name)).toBe(value);
  });

  it('answers client-side routes with the app, and assets with long caching', async () => {
    const html = await (await fetch(`${stack.url}/b/demo/inbox`)).text();
    expect(html).toContain('<div id="root"></div>');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${stack.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('never serves files from outside the build', async () => {
    const outside = await fetch(`${stack.url}/..%2f..%2fpackage.json`);
    expect(await outside.text()).not.toContain('"workspaces"');
  });

  it('answers unknown API routes with the API’s own 404', async () => {
    const response = await fetch(`${stack.url}/api/nothing-here`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'not_found' });
  });
});

describe('npm run invoke', () => {
  it('runs one handler with a sample event against the running stack', () => {
    const run = spawnSync(
      'npm',
      ['run', '--silent', 'invoke', '--', 'schedule-dead-letter-watch', 'events/schedule-dead-letter-watch.json'],
      { cwd: ROOT, env: { ...process.env, ASISTONE_DATA_DIR: stack.dataDir, LOG_LEVEL: 'WARN' }, encoding: 'utf8' },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.slice(run.stdout.indexOf('{\n')))).toEqual({
      deadLetters: 0,
      byQueue: Object.fromEntries(PRODUCT.queueNames.map((queue) => [queue, 0])),
    });
  });

  it('names the functions it knows when asked for one it does not', () => {
    const run = spawnSync('npm', ['run', '--silent', 'invoke', '--', 'nope', 'events/api-health.json'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('webhook-meta');
  });
});
