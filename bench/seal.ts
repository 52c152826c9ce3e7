import { createCipheriv, createDecipheriv, createSecretKey, randomBytes } from 'node:crypto';
import type { KeyProvider } from '@asistone/core/platform/crypto/key-provider';
import { TenantKeyring } from '@asistone/core/platform/crypto/keyring';
import type { KEY_RECORDS } from '@asistone/core/platform/crypto/records';
import { openField, type SealContext, sealField } from '@asistone/core/platform/crypto/sealing';
import type { Store } from '@asistone/core/platform/store/service';
import { atLeast, type Comparison, compare, type GoalCheck, type MeasureOptions } from './lib/measure.js';

/** What a customer writes on WhatsApp: Turkish letters and emoji, about 60 characters. */
export const MESSAGE_TEXT = 'Merhaba! Siparişim #1042 ne zaman kargoya verilir? Teşekkürler 🙏😊';

const TENANT_ID = 't_bench_store';
const CONTEXT: SealContext = {
  tenantId: TENANT_ID,
  entity: 'message',
  field: 'text',
  itemKey: 'wamid.HBgMOTA1NTUxMTEyMjMzFQIAEhgUM0E',
};

export interface SealRow extends Comparison, GoalCheck {
  name: string;
}

/** The floor: AES-256-GCM with a ready key object, no additional data, no encoding. */
function rawGcm(key: ReturnType<typeof createSecretKey>) {
  return {
    seal(plaintext: string) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return { iv, tag: cipher.getAuthTag(), body };
    },
    open(sealed: { iv: Buffer; tag: Buffer; body: Buffer }) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
      decipher.setAuthTag(sealed.tag);
      return Buffer.concat([decipher.update(sealed.body), decipher.final()]).toString('utf8');
    },
  };
}

/**
 * A keyring whose data key comes from memory: the stored record and the provider are stubs,
 * so the measured path is the production one from `forTenant` on, with no DynamoDB behind it.
 */
async function inMemoryTenantKeys() {
  const dataKey = randomBytes(32);
  const provider: KeyProvider = {
    kind: 'local',
    createTenantKey: async () => 'bench',
    generateDataKey: async () => ({ plaintext: Buffer.from(dataKey), wrapped: Buffer.from(dataKey) }),
    unwrapDataKey: async () => Buffer.from(dataKey),
    destroyTenantKey: async () => {},
  };
  const record = { data: { tenantId: TENANT_ID, keyRef: 'bench', wrappedDataKey: dataKey.toString('base64') } };
  const store = { entities: { tenantKey: { get: () => ({ go: async () => record }) } } } as unknown as Store<
    typeof KEY_RECORDS
  >;
  return new TenantKeyring(provider, store, 60 * 60_000).forTenant(TENANT_ID);
}

/**
 * Field sealing against raw AES-256-GCM: `sealField`/`openField` directly, then through a
 * tenant's keyring. Goal: each at least half the floor's operations per second.
 */
export async function benchSealing(options: MeasureOptions): Promise<SealRow[]> {
  const key = createSecretKey(randomBytes(32));
  const floor = rawGcm(key);
  const sealed = sealField(key, MESSAGE_TEXT, CONTEXT);
  const rawSealed = floor.seal(MESSAGE_TEXT);
  if (openField(key, sealed, CONTEXT) !== MESSAGE_TEXT || floor.open(rawSealed) !== MESSAGE_TEXT) {
    throw new Error('sealing does not round-trip: nothing to measure');
  }
  const keys = await inMemoryTenantKeys();
  const keyringSealed = keys.seal(CONTEXT.entity, CONTEXT.field, CONTEXT.itemKey, MESSAGE_TEXT);

  const cases: [string, () => unknown, () => unknown][] = [
    ['sealField', () => sealField(key, MESSAGE_TEXT, CONTEXT), () => floor.seal(MESSAGE_TEXT)],
    ['openField', () => openField(key, sealed, CONTEXT), () => floor.open(rawSealed)],
    [
      'TenantKeys.seal',
      () => keys.seal(CONTEXT.entity, CONTEXT.field, CONTEXT.itemKey, MESSAGE_TEXT),
      () => floor.seal(MESSAGE_TEXT),
    ],
    [
      'TenantKeys.open',
      () => keys.open(CONTEXT.entity, CONTEXT.field, CONTEXT.itemKey, keyringSealed),
      () => floor.open(rawSealed),
    ],
  ];
  const rows: SealRow[] = [];
  for (const [name, subject, raw] of cases) {
    const comparison = await compare(subject, raw, options);
    rows.push({ name, ...comparison, ...atLeast(comparison.speedRatio, 0.5, 'ops/s') });
  }
  return rows;
}
