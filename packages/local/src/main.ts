import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lambda.js';
import { startLocalStack } from './stack.js';

/**
 * `npm start`: runs Asistone on this machine. Settings come from the environment or `.env`
 * (see `.env.example`); everything else is created on first start under the data folder.
 */
const envFile = join(ROOT, '.env');
if (existsSync(envFile)) process.loadEnvFile(envFile);

const stack = await startLocalStack({
  port: Number(process.env.PORT ?? 3000),
  dataDir: process.env.ASISTONE_DATA_DIR ?? '.asistone',
  buildWeb: process.env.ASISTONE_BUILD_WEB !== 'false',
});

process.stdout.write(
  [
    `Asistone is running (stage local, data in ${stack.dataDir})`,
    `  web app        ${stack.url}/`,
    `  API health     ${stack.url}/api/health`,
    `  Meta webhook   ${stack.url}/webhooks/meta   (one app for every business; see README to send a signed message)`,
    `  fake Meta      ${stack.url}/dev/meta/state   (stands in for Meta's Graph API, login dialogs and customers)`,
    'Press Ctrl+C to stop; queued work is finished first.',
    '',
  ].join('\n'),
);

// `npm start` runs this process itself (`exec node --import tsx`, no launcher in between), so
// npm's SIGTERM or SIGINT arrives here and npm exits with the code chosen here. A second signal
// while draining is ignored: the drain has its own deadline.
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`${signal}: draining queues and stopping...\n`);
  try {
    await stack.stop();
  } catch (error) {
    process.stderr.write(`stopping failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  process.stdout.write('stopped cleanly\n');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
