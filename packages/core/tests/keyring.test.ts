import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SealedDataError, TenantKeyMissingError } from '../src/platform/errors.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

let test: TestPlatform;
beforeAll(async () => {
  test = await startTestPlatform();
});
afterAll(() => test.stop());

describe('TenantKeyring', () => {
  it('gives each tenant its own keys: one tenant cannot open another tenant’s data', async () => {
    const { keyring } = test.platform;
    await keyring.provision('t_a');
    await keyring.provision('t_b');
    const a = await keyring.forTenant('t_a');
    const b = await keyring.forTenant('t_b');
    const sealed = a.seal('contact', 'phone', 'ct_1', '+905551112233');
    expect(a.open('contact', 'phone', 'ct_1', sealed)).toBe('+905551112233');
    expect(() => b.open('contact', 'phone', 'ct_1', sealed)).toThrow(SealedDataError);
    expect(a.blindIndex('phone', '+905551112233')).toBe(a.blindIndex('phone', '+905551112233'));
    expect(a.blindIndex('phone', '+905551112233')).not.toBe(b.blindIndex('phone', '+905551112233'));
  });

  it('keeps the first key when provisioning runs twice', async () => {
    const { keyring } = test.platform;
    await keyring.provision('t_twice');
    const sealed = (await keyring.forTenant('t_twice')).seal('tenant', 'name', 't_twice', 'Kahve Dükkanı');
    await keyring.provision('t_twice');
    const reloaded = await keyring.forTenant('t_twice');
    expect(reloaded.open('tenant', 'name', 't_twice', sealed)).toBe('Kahve Dükkanı');
  });

  it('stores only the wrapped data key', async () => {
    const { keyring, store } = test.platform;
    await keyring.provision('t_wrapped');
    const record = await store.entities.tenantKey.get({ tenantId: 't_wrapped' }).go();
    expect(record.data?.provider).toBe('local');
    // 12-byte IV + 16-byte tag + 32-byte key: a wrapped key, not a bare one.
    expect(Buffer.from(record.data?.wrappedDataKey ?? '', 'base64')).toHaveLength(60);
  });

  it('crypto-shreds a tenant: after destroy nothing it sealed can be opened, even with a new key', async () => {
    const { keyring } = test.platform;
    await keyring.provision('t_gone');
    const sealed = (await keyring.forTenant('t_gone')).seal('message', 'text', 'ms_1', 'Merhaba');
    await keyring.destroy('t_gone');
    await expect(keyring.forTenant('t_gone')).rejects.toThrow(TenantKeyMissingError);
    await keyring.provision('t_gone');
    const fresh = await keyring.forTenant('t_gone');
    expect(() => fresh.open('message', 'text', 'ms_1', sealed)).toThrow(SealedDataError);
  });

  it('refuses tenants that were never provisioned', async () => {
    await expect(test.platform.keyring.forTenant('t_never')).rejects.toThrow(TenantKeyMissingError);
  });
});
