import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SealedDataError, TenantKeyMissingError } from '../errors.js';
import type { KeyProvider } from './key-provider.js';

const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Key provider for one machine: each tenant's wrapping key is a 32-byte file under `dir`
 * (mode 0600). Destroying a tenant's key overwrites and removes that file.
 */
export class LocalKeyProvider implements KeyProvider {
  readonly kind = 'local';
  constructor(private readonly dir: string) {}

  private path(tenantId: string): string {
    // Tenant ids become file names: refuse anything that could walk out of the folder.
    if (!TENANT_ID.test(tenantId)) throw new Error('invalid tenant id for a key file');
    return join(this.dir, `${tenantId}.key`);
  }

  async createTenantKey(tenantId: string): Promise<string> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = await open(this.path(tenantId), 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return undefined;
      throw error;
    });
    if (file) {
      await file.writeFile(randomBytes(32));
      await file.close();
    }
    return `local:${tenantId}`;
  }

  private async wrappingKey(tenantId: string): Promise<Buffer> {
    try {
      return await readFile(this.path(tenantId));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new TenantKeyMissingError(tenantId);
      throw error;
    }
  }

  async generateDataKey(tenantId: string, _keyRef: string) {
    const plaintext = randomBytes(32);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', await this.wrappingKey(tenantId), iv);
    cipher.setAAD(Buffer.from(`tenant=${tenantId}`));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { plaintext, wrapped: Buffer.concat([iv, cipher.getAuthTag(), body]) };
  }

  async unwrapDataKey(tenantId: string, _keyRef: string, wrapped: Buffer): Promise<Buffer> {
    const decipher = createDecipheriv('aes-256-gcm', await this.wrappingKey(tenantId), wrapped.subarray(0, 12));
    decipher.setAAD(Buffer.from(`tenant=${tenantId}`));
    decipher.setAuthTag(wrapped.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(wrapped.subarray(28)), decipher.final()]);
    } catch {
      throw new SealedDataError('data key does not belong to this tenant');
    }
  }

  async destroyTenantKey(tenantId: string, _keyRef: string): Promise<void> {
    const path = this.path(tenantId);
    const file = await open(path, 'r+').catch(() => undefined);
    if (file) {
      await file.writeFile(randomBytes(32));
      await file.close();
    }
    await rm(path, { force: true });
  }
}
