import { randomBytes } from 'node:crypto';
import { chmod, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';

interface LocalSecrets {
  authTokenSecret: string;
}

/**
 * Secrets the local stack makes for itself on first start and keeps under the data folder
 * (`secrets.json`, mode 0600), so sessions survive a restart without anyone writing a `.env`.
 */
export async function localSecrets(dataDir: string): Promise<LocalSecrets> {
  const path = join(dataDir, 'secrets.json');
  const fresh: LocalSecrets = { authTokenSecret: randomBytes(48).toString('base64url') };
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
  return JSON.parse(await readFile(path, 'utf8')) as LocalSecrets;
}
