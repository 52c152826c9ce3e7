import { SSMClient } from '@aws-sdk/client-ssm';
import config from '../../../../sst.config.js';
import { readOptions } from './stage.js';
import { checkStageSecrets, formatCheck, secretNames, ssmParameterNames } from './stage-secrets.js';

const USAGE = `usage: npm run secrets -- check --stage <name> [--optional <NAME,NAME>]
       npm run secrets -- list --stage <name>
  check        every secret the stage's functions read is set in SSM; exits 1 naming the missing
               ones (names only: no value is read)
  list         the parameters the stage's functions read, without asking AWS
  --optional   secrets the stage goes without on purpose (reported, not failed on)
Credentials from the usual AWS environment; the region is the app's unless AWS_REGION says otherwise.
`;

function usage(): never {
  process.stderr.write(USAGE);
  process.exit(2);
}

const [command, ...rest] = process.argv.slice(2);
const options = readOptions(rest, ['--stage', '--optional']);
const stage = options?.option('stage');
if (!options || !stage || (command !== 'check' && command !== 'list')) usage();
const optional = (options.option('optional') ?? '')
  .split(',')
  .map((name) => name.trim())
  .filter(Boolean);
const unknown = optional.filter((name) => !secretNames().includes(name));
if (unknown.length > 0) {
  process.stderr.write(`--optional names no secret a function reads: ${unknown.join(', ')}\n`);
  usage();
}

if (command === 'list') {
  const nothingSet = async () => new Set<string>();
  const check = await checkStageSecrets(stage, nothingSet, optional);
  for (const parameter of check.parameters) {
    process.stdout.write(`${parameter.name}  ${parameter.path}  (${parameter.readBy.join(', ')})\n`);
  }
} else {
  const region = process.env.AWS_REGION ?? config.config({ stage } as never).region;
  const ssm = new SSMClient({ region });
  try {
    const check = await checkStageSecrets(stage, ssmParameterNames(ssm), optional);
    process.stdout.write(formatCheck(check));
    if (check.missing.length > 0) process.exitCode = 1;
  } catch (error) {
    // No credentials, no permission, no network: the check fails rather than waving the deploy through.
    process.stderr.write(`could not list the parameters of ${stage}: ${(error as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    ssm.destroy();
  }
}
