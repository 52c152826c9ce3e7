import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESBUILD_OPTIONS } from '../../stacks/bundling.js';
import { localAws } from '../support/local-aws.js';
import { eventually, ROOT, type RunningStack, startStack } from '../support/local-stack.js';

/**
 * The artifact Lambda runs, not the sources: the Meta webhook bundled with the stacks' esbuild
 * settings, loaded in a fresh Node 22 and invoked with the sample function-URL event against
 * the local stack's emulators. Bundling tricks that break the SDK's HTTP stack fail here.
 */
let stack: RunningStack;
beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
});
afterAll(() => stack?.stop());

describe('the bundled Meta webhook', () => {
  it('verifies, queues and gets the message recorded, through real SDK calls', async () => {
    // Split as deployed: the entry and the chunks it loads on first use (S3, SSM) side by side.
    const outdir = mkdtempSync(join(tmpdir(), 'asistone-bundle-'));
    const out = join(outdir, 'meta.mjs');
    await build({
      ...ESBUILD_OPTIONS,
      mainFields: [...ESBUILD_OPTIONS.mainFields],
      plugins: [...ESBUILD_OPTIONS.plugins],
      entryPoints: [join(ROOT, 'functions/webhooks/meta.ts')],
      outdir,
      absWorkingDir: ROOT,
      logLevel: 'silent',
    });
    const { env } = JSON.parse(readFileSync(join(stack.dataDir, 'running.json'), 'utf8'));
    const runner = `
      const { handler } = await import(${JSON.stringify(out)});
      const event = JSON.parse(require('node:fs').readFileSync(${JSON.stringify(join(ROOT, 'events/webhook-meta-whatsapp-text.json'))}, 'utf8'));
      const result = await handler(event, { functionName: 'meta', awsRequestId: 'r1', getRemainingTimeInMillis: () => 9000 });
      process.stdout.write('RESULT ' + JSON.stringify(result) + '\\n');`;
    const child = spawnSync(
      join(ROOT, 'node_modules/.bin/node'),
      [
        '--input-type=module',
        '-e',
        `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);${runner}`,
      ],
      {
        env: { PATH: process.env.PATH, ...env, LOG_LEVEL: 'WARN' },
        encoding: 'utf8',
      },
    );
    const result = JSON.parse(/RESULT (.*)/.exec(child.stdout)?.[1] ?? 'null');
    expect(result, child.stdout + child.stderr).toMatchObject({ statusCode: 200, body: 'EVENT_RECEIVED' });

    const aws = localAws(stack.dataDir);
    await eventually(async () =>
      (await aws.dumpTable()).some((item) => item.__edb_e__ === 'message') ? true : undefined,
    );
  });
});
