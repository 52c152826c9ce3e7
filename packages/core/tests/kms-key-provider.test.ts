import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KmsKeyProvider } from '../src/platform/crypto/kms-key-provider.js';

/**
 * A stand-in for KMS's JSON API (AWS is never called from tests): it keeps keys in memory,
 * wraps data keys with them, and enforces the encryption context and key state as KMS does.
 */
function fakeKms() {
  const keys = new Map<string, { material: Buffer; enabled: boolean; tags: unknown; deletionDays?: number }>();
  const aliases = new Map<string, string>();
  const calls: { action: string; input: Record<string, unknown> }[] = [];
  /** Keys whose first data-key request is denied, as while KMS has not yet seen new tags. */
  const deniedOnce = new Set<string>();
  const server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const action = String(req.headers['x-amz-target']).split('.')[1] as string;
    const input = JSON.parse(raw || '{}');
    calls.push({ action, input });
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(body));
    };
    const key = keys.get(aliases.get(input.KeyId) ?? input.KeyId);
    const context = JSON.stringify(input.EncryptionContext ?? {});
    switch (action) {
      case 'CreateKey': {
        const arn = `arn:aws:kms:eu-central-1:111122223333:key/${randomBytes(8).toString('hex')}`;
        keys.set(arn, { material: randomBytes(32), enabled: true, tags: input.Tags });
        return reply(200, { KeyMetadata: { Arn: arn, KeyId: arn, Enabled: true } });
      }
      case 'DescribeKey':
        if (!key) return reply(400, { __type: 'NotFoundException', message: 'no such key' });
        return reply(200, {
          KeyMetadata: {
            Arn: aliases.get(input.KeyId) ?? input.KeyId,
            Enabled: key.enabled,
            KeyState: key.deletionDays ? 'PendingDeletion' : key.enabled ? 'Enabled' : 'Disabled',
          },
        });
      case 'CreateAlias':
        aliases.set(input.AliasName, input.TargetKeyId);
        return reply(200, {});
      case 'GenerateDataKey': {
        if (deniedOnce.delete(input.KeyId)) {
          return reply(400, { __type: 'AccessDeniedException', message: 'tags not visible yet' });
        }
        if (!key?.enabled) return reply(400, { __type: 'DisabledException', message: 'key is disabled' });
        const plaintext = randomBytes(32);
        const iv = randomBytes(12);
        const cipher = createCipheriv('aes-256-gcm', key.material, iv);
        cipher.setAAD(Buffer.from(context));
        const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
        return reply(200, {
          KeyId: input.KeyId,
          Plaintext: plaintext.toString('base64'),
          CiphertextBlob: Buffer.concat([iv, body]).toString('base64'),
        });
      }
      case 'Decrypt': {
        if (!key?.enabled) return reply(400, { __type: 'DisabledException', message: 'key is disabled' });
        const blob = Buffer.from(input.CiphertextBlob, 'base64');
        try {
          const decipher = createDecipheriv('aes-256-gcm', key.material, blob.subarray(0, 12));
          decipher.setAAD(Buffer.from(context));
          decipher.setAuthTag(blob.subarray(blob.length - 16));
          const plaintext = Buffer.concat([decipher.update(blob.subarray(12, blob.length - 16)), decipher.final()]);
          return reply(200, { KeyId: input.KeyId, Plaintext: plaintext.toString('base64') });
        } catch {
          return reply(400, { __type: 'InvalidCiphertextException', message: 'invalid ciphertext' });
        }
      }
      case 'DisableKey':
        // As KMS does: a key pending deletion can be neither disabled nor scheduled again.
        if (key?.deletionDays) return reply(400, { __type: 'KMSInvalidStateException', message: 'pending deletion' });
        if (key) key.enabled = false;
        return reply(200, {});
      case 'ScheduleKeyDeletion':
        if (key?.deletionDays) return reply(400, { __type: 'KMSInvalidStateException', message: 'pending deletion' });
        if (key) key.deletionDays = input.PendingWindowInDays;
        return reply(200, { KeyId: input.KeyId });
      default:
        return reply(400, { __type: 'UnsupportedOperationException', message: action });
    }
  });
  return { server, keys, aliases, calls, deniedOnce };
}

let kms: ReturnType<typeof fakeKms>;
let provider: KmsKeyProvider;
beforeAll(async () => {
  kms = fakeKms();
  await new Promise<void>((resolve) => kms.server.listen(0, '127.0.0.1', resolve));
  const { port } = kms.server.address() as AddressInfo;
  const client = new KMSClient({
    region: 'eu-central-1',
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  provider = new KmsKeyProvider(client, 'prod');
});
afterAll(() => new Promise<void>((resolve) => (kms.server as Server).close(() => resolve())));

describe('KmsKeyProvider', () => {
  it('creates one tagged, aliased key per tenant', async () => {
    const keyRef = await provider.createTenantKey('t_shop');
    expect(kms.keys.get(keyRef)?.tags).toEqual([
      { TagKey: 'asistone:stage', TagValue: 'prod' },
      { TagKey: 'asistone:tenant', TagValue: 't_shop' },
    ]);
    expect(kms.aliases.get('alias/asistone/prod/tenant/t_shop')).toBe(keyRef);
  });

  it('reuses the key its alias names when provisioning is retried', async () => {
    const first = await provider.createTenantKey('t_retry');
    expect(await provider.createTenantKey('t_retry')).toBe(first);
    expect(kms.calls.filter((call) => call.action === 'CreateKey')).toHaveLength(
      kms.calls.filter((call) => call.action === 'CreateAlias').length,
    );
  });

  it('waits out access denied while a new key’s tags propagate', async () => {
    const keyRef = await provider.createTenantKey('t_new');
    kms.deniedOnce.add(keyRef);
    const { plaintext, wrapped } = await provider.generateDataKey('t_new', keyRef);
    expect(await provider.unwrapDataKey('t_new', keyRef, wrapped)).toEqual(plaintext);
  });

  it('binds data keys to the tenant through the encryption context', async () => {
    const keyRef = await provider.createTenantKey('t_a');
    const { plaintext, wrapped } = await provider.generateDataKey('t_a', keyRef);
    expect(await provider.unwrapDataKey('t_a', keyRef, wrapped)).toEqual(plaintext);
    await expect(provider.unwrapDataKey('t_b', keyRef, wrapped)).rejects.toThrow(/invalid ciphertext/);
    const generate = kms.calls.find((call) => call.action === 'GenerateDataKey' && call.input.KeyId === keyRef);
    expect(generate?.input).toMatchObject({ KeySpec: 'AES_256', EncryptionContext: { tenant: 't_a' } });
  });

  it('destroys a tenant key at once and schedules its deletion', async () => {
    const keyRef = await provider.createTenantKey('t_gone');
    const { wrapped } = await provider.generateDataKey('t_gone', keyRef);
    await provider.destroyTenantKey('t_gone', keyRef);
    expect(kms.keys.get(keyRef)).toMatchObject({ enabled: false, deletionDays: 7 });
    await expect(provider.unwrapDataKey('t_gone', keyRef, wrapped)).rejects.toThrow(/disabled/);
    // An account deletion cut off after this is run again: a key already pending deletion is done.
    await expect(provider.destroyTenantKey('t_gone', keyRef)).resolves.toBeUndefined();
    expect(kms.keys.get(keyRef)).toMatchObject({ enabled: false, deletionDays: 7 });
  });
});
