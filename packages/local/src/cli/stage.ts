import { resolve } from 'node:path';
import { readConfig } from '@asistone/core/platform/config';
import { createPlatform, type Platform, platform } from '@asistone/core/platform/context';
import { resourceName, TABLE } from '@asistone/core/platform/store/table';
import { withLocalEnvironment } from '../environment.js';
import { ROOT } from '../lambda.js';

/**
 * An ops command's options (`--name value`, and flags that stand alone), checked before anything
 * is read: an unknown option, a missing value or a value given twice answers undefined, which the
 * command turns into its usage (exit 2).
 */
export function readOptions(args: readonly string[], valued: readonly string[], flags: readonly string[] = []) {
  const values = new Map<string, string>();
  const set = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (flags.includes(arg)) {
      set.add(arg);
      continue;
    }
    if (!valued.includes(arg) || i + 1 >= args.length || values.has(arg)) return undefined;
    values.set(arg, args[++i] as string);
  }
  return {
    option: (name: string) => values.get(`--${name}`),
    flag: (name: string) => set.has(`--${name}`),
  };
}

/**
 * Runs an ops command on the platform it names: with `--stage`, that AWS stage's (credentials and
 * region from the usual AWS environment; table, bucket and tenant keys by name), else the local
 * stack's (.asistone, or ASISTONE_DATA_DIR).
 */
export async function onPlatform(stage: string | undefined, work: (parts: Platform) => Promise<void>): Promise<void> {
  if (stage) {
    const region = process.env.AWS_REGION ?? 'eu-central-1';
    await work(
      createPlatform(
        readConfig({
          STAGE: stage,
          AWS_REGION: region,
          TABLE_NAME: resourceName(stage, TABLE.name),
          MEDIA_BUCKET: resourceName(stage, 'media'),
          KEY_PROVIDER: 'kms',
        }),
      ),
    );
    return;
  }
  const dataDir = resolve(ROOT, process.env.ASISTONE_DATA_DIR ?? '.asistone');
  await withLocalEnvironment(dataDir, () => work(platform()));
}
