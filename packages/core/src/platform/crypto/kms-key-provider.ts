import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  GenerateDataKeyCommand,
  type KMSClient,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import type { KeyProvider } from './key-provider.js';

/** Tag and alias conventions the Keys stack's IAM conditions rely on. */
export const TENANT_KEY_TAG = 'asistone:tenant';
export const STAGE_KEY_TAG = 'asistone:stage';
export const tenantKeyAliasPrefix = (stage: string) => `alias/asistone/${stage}/tenant/`;

/**
 * Days KMS waits before deleting a destroyed tenant key (7 is KMS's minimum). An account
 * deletion's grace period plus this window must stay within the policy's 30 days
 * (privacy/account-deletion.ts checks it).
 */
export const KMS_PENDING_WINDOW_DAYS = 7;

/**
 * Key provider for AWS: one customer-managed KMS key per tenant, tagged with stage and tenant.
 * Data keys are generated under it with encryption context `{ tenant }`. Destruction disables
 * the key at once and schedules its deletion after KMS's minimum waiting period.
 */
export class KmsKeyProvider implements KeyProvider {
  readonly kind = 'kms';
  constructor(
    private readonly kms: KMSClient,
    private readonly stage: string,
    /** Retries of access denied just after key creation (about 45 s in all at the default). */
    private readonly tagRetries = 8,
  ) {}

  async createTenantKey(tenantId: string): Promise<string> {
    // Provisioning may be retried after a failure half-way: reuse the key the alias names.
    const alias = `${tenantKeyAliasPrefix(this.stage)}${tenantId}`;
    const existing = await this.whileTagsPropagate(() => this.kms.send(new DescribeKeyCommand({ KeyId: alias }))).catch(
      (error: unknown) => {
        if ((error as { name?: string }).name === 'NotFoundException') return undefined;
        throw error;
      },
    );
    if (existing?.KeyMetadata?.Arn) return existing.KeyMetadata.Arn;
    const created = await this.kms.send(
      new CreateKeyCommand({
        Description: `Asistone ${this.stage} tenant data key wrapper`,
        KeyUsage: 'ENCRYPT_DECRYPT',
        KeySpec: 'SYMMETRIC_DEFAULT',
        Tags: [
          { TagKey: STAGE_KEY_TAG, TagValue: this.stage },
          { TagKey: TENANT_KEY_TAG, TagValue: tenantId },
        ],
      }),
    );
    const keyId = created.KeyMetadata?.Arn;
    if (!keyId) throw new Error('KMS did not return a key ARN');
    await this.kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }));
    return keyId;
  }

  async generateDataKey(tenantId: string, keyRef: string) {
    const out = await this.whileTagsPropagate(() =>
      this.kms.send(
        new GenerateDataKeyCommand({ KeyId: keyRef, KeySpec: 'AES_256', EncryptionContext: { tenant: tenantId } }),
      ),
    );
    if (!out.Plaintext || !out.CiphertextBlob) throw new Error('KMS returned no data key');
    return { plaintext: Buffer.from(out.Plaintext), wrapped: Buffer.from(out.CiphertextBlob) };
  }

  /**
   * IAM allows tenant keys by their tags, and KMS may take minutes to see the tags of a key
   * created a moment ago: access denied right after creation is retried, with backoff.
   */
  private async whileTagsPropagate<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if ((error as { name?: string }).name !== 'AccessDeniedException' || attempt >= this.tagRetries) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** attempt, 8000)));
      }
    }
  }

  async unwrapDataKey(tenantId: string, keyRef: string, wrapped: Buffer): Promise<Buffer> {
    const out = await this.kms.send(
      new DecryptCommand({ KeyId: keyRef, CiphertextBlob: wrapped, EncryptionContext: { tenant: tenantId } }),
    );
    if (!out.Plaintext) throw new Error('KMS returned no plaintext');
    return Buffer.from(out.Plaintext);
  }

  async destroyTenantKey(_tenantId: string, keyRef: string): Promise<void> {
    try {
      await this.kms.send(new DisableKeyCommand({ KeyId: keyRef }));
      await this.kms.send(
        new ScheduleKeyDeletionCommand({ KeyId: keyRef, PendingWindowInDays: KMS_PENDING_WINDOW_DAYS }),
      );
    } catch (error) {
      // A destruction cut off after scheduling the deletion is run again by the next account
      // deletion run: KMS refuses both calls on a key already pending deletion, which is done.
      if ((error as { name?: string }).name !== 'KMSInvalidStateException') throw error;
      const described = await this.kms.send(new DescribeKeyCommand({ KeyId: keyRef }));
      if (described.KeyMetadata?.KeyState !== 'PendingDeletion') throw error;
    }
  }
}
