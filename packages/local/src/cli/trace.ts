import { resolve } from 'node:path';
import { resourceName } from '@asistone/core/platform/store/table';
import { validTraceId } from '@asistone/core/platform/trace';
import { ROOT } from '../lambda.js';
import { localLogFile, readLogLines } from '../log-file.js';

const USAGE = `usage: npm run trace -- <trace id> [--stage <name>]
Prints one delivery's path in time order (webhook, API request or scheduled run, then every
queue worker it reached) from the local stack's log file (.asistone/logs). The id is on every log
line as traceId, e.g. on the line "webhook answered". With --stage, prints the CloudWatch Logs
Insights query that finds the same path in that AWS stage.
`;

/** What a line may show besides its message: ids, counts and outcomes, never a payload. */
const SHOWN = [
  'queue',
  'messageId',
  'receiveCount',
  'webhook',
  'schedule',
  'status',
  'ms',
  'outcome',
  'reason',
  'provider',
  'tenantId',
] as const;

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
}

const stage = option('stage');
const args = process.argv.slice(2).filter((arg, index, all) => arg !== '--stage' && all[index - 1] !== '--stage');
const traceId = validTraceId(args[0]);
if (!traceId || args.length !== 1) {
  process.stderr.write(USAGE);
  process.exit(2);
}

if (stage) {
  const prefix = `/aws/lambda/${resourceName(stage, '')}`;
  const query = [
    `fields @timestamp, function_name, service, level, message, ${SHOWN.join(', ')}`,
    `| filter traceId = "${traceId}"`,
    '| sort @timestamp asc',
    '| limit 1000',
  ].join('\n');
  process.stdout.write(
    [
      `In CloudWatch › Logs Insights, select the log groups starting with ${prefix} and run:`,
      '',
      query,
      '',
      'or from a shell with the stage account’s credentials:',
      '',
      `aws logs start-query --log-group-name-prefix '${prefix}' \\`,
      `  --start-time $(date -d '-7 days' +%s) --end-time $(date +%s) \\`,
      `  --query-string '${query.replaceAll('\n', ' ')}'`,
      'aws logs get-query-results --query-id <the queryId it answered>',
      '',
      `X-Ray (CloudWatch › Traces) finds its requests and messages with: annotation.traceId = "${traceId}"`,
      '',
    ].join('\n'),
  );
  process.exit(0);
}

const file = localLogFile(resolve(ROOT, process.env.ASISTONE_DATA_DIR ?? '.asistone'));
const { lines } = await readLogLines(file, 0);
const path = lines
  .map((line, order) => ({ line, order, at: Date.parse(String(line.timestamp)) }))
  .filter(({ line }) => line.traceId === traceId)
  .sort((a, b) => (a.at || 0) - (b.at || 0) || a.order - b.order);

if (path.length === 0) {
  process.stderr.write(
    lines.length === 0
      ? `no log lines in ${file}: is this the data folder of the local stack (ASISTONE_DATA_DIR)?\n`
      : `no log line carries trace id ${traceId} in ${file}\n`,
  );
  process.exit(1);
}

/** The function that wrote the line (`worker-meta-events`), else its logger's service. */
function where(line: Record<string, unknown>): string {
  const fn = typeof line.function_name === 'string' ? line.function_name.replace(/^asistone-[\w]+?-/, '') : '';
  const service = String(line.service ?? '').replace(/^asistone-/, '');
  return fn && fn !== service ? `${fn} (${service})` : service;
}

function shown(line: Record<string, unknown>): string {
  return SHOWN.flatMap((key) => {
    const value = line[key];
    if (value === undefined || value === null || typeof value === 'object') return [];
    const text = String(value).replace(/\s+/g, ' ');
    return [`${key}=${text.length > 160 ? `${text.slice(0, 160)}…` : text}`];
  }).join(' ');
}

process.stdout.write(`trace ${traceId}: ${path.length} lines\n`);
for (const { line } of path) {
  const level = String(line.level ?? '').padEnd(5);
  process.stdout.write(`${line.timestamp}  ${level}  ${where(line)}  ${line.message}  ${shown(line)}`.trimEnd());
  process.stdout.write('\n');
}
process.exit(0);
