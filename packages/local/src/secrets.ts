import { randomBytes } from 'node:crypto';
import { chmod, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

interface LocalSecrets {
  authTokenSecret: string;
  /** What the gateway, standing in for CloudFront, proves itself to the API with. */
  originSecret: string;
}

const newSecret = () => randomBytes(48).toString('base64url');

/**
 * Secrets the local stack makes for itself on first start and keeps under the data folder
 * (`secrets.json`, mode 0600), so sessions survive a restart without anyone writing a `.env`.
 */
export async function localSecrets(dataDir: string): Promise<LocalSecrets> {
  const path = join(dataDir, 'secrets.json');
  const fresh: LocalSecrets = { authTokenSecret: newSecret(), originSecret: newSecret() };
  const file = await open(path, 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST') return undefined;
    throw error;
  });
  if (file) {
    await file.writeFile(`${JSON.stringify(fresh, null, 2)}\n`);
    await file.close();
    return fresh;
  }
  await chmod(path, 0o600);
  const kept = JSON.parse(await readFile(path, 'utf8')) as Partial<LocalSecrets>;
  if (kept.authTokenSecret && kept.originSecret) return kept as LocalSecrets;
  // A data folder from before a secret existed: keep what is there, add what is missing.
  const completed = { ...fresh, ...kept } as LocalSecrets;
  await writeFile(path, `${JSON.stringify(completed, null, 2)}\n`, { mode: 0o600 });
  return completed;
}
