import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { PermanentError, ProductError, ValidationError } from '@asistone/core/platform/errors';
import {
  checkBusinessId,
  checkContactId,
  MAILED_REQUEST_KINDS,
  OPS_RECORDS,
  type OpsStore,
  opsActor,
  recordMailedRequest,
  requireBusiness,
  requireContact,
  requireOpenRequest,
} from '@asistone/core/privacy/ops-requests';
import { listPrivacyRequests } from '@asistone/core/privacy/privacy-requests';
import { contactRights, type PlatformParts } from './privacy-rights.js';
import { onPlatform, readOptions } from './stage.js';

const USAGE = `usage: npm run privacy -- <command> --tenant <id> [options] [--by <name>] [--stage <name>]
  record --tenant <id> --kind <kind> --received <ISO date> [--contact <id>]
                         record a request that arrived by mail: its 30-day deadline counts
                         from --received (kinds: ${MAILED_REQUEST_KINDS.join(', ')})
  export --tenant <id> --contact <id> [--request <id>] [--out <path>]
                         export everything held about the contact: prints the archive's link
                         (a few minutes), and with --out writes the archive there
  erase  --tenant <id> --contact <id> [--request <id>]
                         erase the contact and print the receipt
  list   --tenant <id>   the business's requests, their deadlines and receipts
--request completes a request recorded earlier (e.g. by record); --by names the operator (default:
the OS user). Without --stage it works on the local stack (.asistone); with it, on that AWS stage.
`;

const VALUED = ['--tenant', '--contact', '--request', '--kind', '--received', '--out', '--by', '--stage'];
const COMMANDS = ['record', 'export', 'erase', 'list'] as const;
type Command = (typeof COMMANDS)[number];

/** The command line, checked before anything is read: a wrong option is a usage error (exit 2). */
function parseArgs(argv: string[]) {
  const [command, ...rest] = argv;
  const options = readOptions(rest, VALUED);
  if (!options || !COMMANDS.includes(command as Command)) return undefined;
  return { command: command as Command, option: options.option };
}

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

const args = parseArgs(process.argv.slice(2));
if (!args) fail(USAGE, 2);
const { command, option } = args;

function required(name: string): string {
  const value = option(name);
  if (value === undefined) fail(`--${name} is required for ${command}\n\n${USAGE}`, 2);
  return value;
}

const iso = (value: string | null) => (value ? value.replace(/\.\d{3}Z$/, 'Z') : '-');

async function run(parts: PlatformParts) {
  const store: OpsStore = parts.storeOf(OPS_RECORDS);
  const by = opsActor(option('by') ?? userInfo().username);
  const tenantId = checkBusinessId(required('tenant'));

  if (command === 'record') {
    const contact = option('contact');
    const request = await recordMailedRequest(store, {
      tenantId,
      kind: required('kind'),
      received: required('received'),
      by,
      ...(contact === undefined ? {} : { contactId: contact }),
    });
    process.stdout.write(
      `recorded ${request.requestId}: ${request.kind} by mail, received ${iso(request.requestedAt)}, due ${iso(request.dueAt)}\n`,
    );
    return;
  }

  if (command === 'list') {
    await requireBusiness(store, tenantId);
    const requests = await listPrivacyRequests(store, tenantId);
    if (requests.length === 0) process.stdout.write(`no requests in ${tenantId}\n`);
    for (const request of requests) {
      const receipt = request.receipt
        ? `, receipt ${request.receipt.receiptId} (${request.receipt.items.map((i) => `${i.dataClass} ${i.count}`).join(', ') || 'nothing held'})`
        : '';
      process.stdout.write(
        `${request.requestId}  ${request.kind.padEnd(20)} ${request.source.padEnd(5)} ${request.status.padEnd(9)} received ${iso(request.requestedAt)}  due ${iso(request.dueAt)}${request.completedAt ? `  done ${iso(request.completedAt)}` : ''}${receipt}\n`,
      );
    }
    return;
  }

  // export, erase: the app's own functions, as the operator.
  const contactId = checkContactId(required('contact'));
  await requireBusiness(store, tenantId);
  await requireContact(store, tenantId, contactId);
  const requestOption = option('request');
  if (requestOption !== undefined) await requireOpenRequest(store, tenantId, requestOption);
  const requester = {
    by,
    source: 'ops' as const,
    ...(requestOption === undefined ? {} : { requestId: requestOption }),
  };
  const rights = contactRights(parts);

  if (command === 'export') {
    const out = option('out');
    const archive = await rights.exportContact(requester, tenantId, contactId);
    // On the local stack the link is a path the gateway of `npm start` serves (its media store);
    // in AWS it is already S3's full presigned URL.
    const link = new URL(archive.url, process.env.APP_URL ?? 'http://localhost:3000').toString();
    process.stdout.write(
      `exported ${contactId} (request ${archive.requestId})\n  ${archive.fileName}\n  ${link}\n  link works until ${iso(archive.expiresAt)}\n`,
    );
    if (out) {
      const response = await fetch(link).catch(() => undefined);
      if (!response?.ok)
        fail(
          `could not download the archive from ${new URL(link).origin}${response ? `: HTTP ${response.status}` : ' (is npm start running?)'}`,
        );
      const path = resolve(out);
      writeFileSync(path, new Uint8Array(await response.arrayBuffer()), { mode: 0o600 });
      process.stdout.write(`  written to ${path}\n`);
    }
    return;
  }

  const receipt = await rights.eraseContact(requester, tenantId, contactId);
  process.stdout.write(
    `erased ${contactId}: receipt ${receipt.receiptId} (request ${receipt.requestId}), ${iso(receipt.erasedAt)} by ${receipt.erasedBy}\n${receipt.removed.map((r) => `  ${r.dataClass.padEnd(24)} removed ${r.count}`).join('\n')}\n`,
  );
}

async function guarded(parts: PlatformParts) {
  try {
    await run(parts);
  } catch (error) {
    // A refusal (bad id, no such contact, unknown request) is an answer, not a crash; its
    // message never echoes what was typed.
    if (error instanceof ProductError || error instanceof ValidationError || error instanceof PermanentError) {
      fail(error.message);
    }
    throw error;
  }
}

await onPlatform(option('stage'), guarded);
process.exit(0);
