import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ValidationError } from './errors.js';

const SAFE_KEY = /^(?!.*\.\.)[A-Za-z0-9!_.*'()/-]{1,900}$/;

/**
 * Where the local gateway serves the S3 emulator: on the local stack download links point
 * here, on the web app's own origin, since the emulator's loopback address is neither what the
 * browser can be told to trust (the content security policy allows `https:` images, or `'self'`)
 * nor reachable from another machine.
 */
export const LOCAL_MEDIA_PATH = '/local-media';

/**
 * Media and large payloads in S3, always under `tenants/<tenantId>/`, so that a tenant's
 * objects can be listed, exported and purged by prefix.
 *
 * @example
 * const blobs = createBlobs(s3, config.MEDIA_BUCKET);
 * await blobs.put(tenantId, 'media/abc.jpg', bytes, 'image/jpeg');
 */
export function createBlobs(
  s3: S3Client,
  bucket: string,
  /** Local stack only: links are rewritten to this path on the app's origin ({@link LOCAL_MEDIA_PATH}). */
  linkBase?: string,
) {
  const link = (signed: string) => {
    if (!linkBase) return signed;
    const url = new URL(signed);
    return `${linkBase}${url.pathname}${url.search}`;
  };
  const objectKey = (tenantId: string, key: string) => {
    if (!SAFE_KEY.test(key) || key.startsWith('/')) throw new ValidationError('invalid object key');
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(tenantId)) throw new ValidationError('invalid tenant id');
    return `tenants/${tenantId}/${key}`;
  };
  return {
    bucket,
    prefix: (tenantId: string) => objectKey(tenantId, 'x').slice(0, -1),
    async put(
      tenantId: string,
      key: string,
      body: Uint8Array | string,
      contentType: string,
      /**
       * S3 object tags (`name=value&…`), for a bucket lifecycle rule that expires objects by tag
       * (a function that tags needs the `PutObjectTagging` blob action).
       */
      options: { tagging?: string } = {},
    ) {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: objectKey(tenantId, key),
          Body: body,
          ContentType: contentType,
          ...(options.tagging && { Tagging: options.tagging }),
        }),
      );
    },
    /** The object's bytes, or undefined when it does not exist. */
    async get(tenantId: string, key: string): Promise<Buffer | undefined> {
      try {
        const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: objectKey(tenantId, key) }));
        return Buffer.from(await out.Body!.transformToByteArray());
      } catch (error) {
        if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
        throw error;
      }
    },
    /**
     * The object's bytes as they arrive, from byte `from` on, or undefined when it does not
     * exist: a large file (a customer list) is read without holding it whole in memory.
     */
    async getStream(tenantId: string, key: string, from = 0): Promise<AsyncIterable<Uint8Array> | undefined> {
      try {
        const out = await s3.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key: objectKey(tenantId, key),
            ...(from > 0 && { Range: `bytes=${from}-` }),
          }),
        );
        return out.Body as AsyncIterable<Uint8Array>;
      } catch (error) {
        const name = (error as { name?: string }).name;
        if (name === 'NoSuchKey') return undefined;
        // Resuming exactly at the end of the file: nothing is left to read.
        if (name === 'InvalidRange') return (async function* () {})();
        throw error;
      }
    },
    async delete(tenantId: string, key: string) {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(tenantId, key) }));
    },
    /** Every key under the tenant's prefix, page by page. */
    async *list(tenantId: string, under = ''): AsyncGenerator<string> {
      let token: string | undefined;
      const prefix = `tenants/${tenantId}/${under}`;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const item of page.Contents ?? []) if (item.Key) yield item.Key.slice(`tenants/${tenantId}/`.length);
        token = page.NextContinuationToken;
      } while (token);
    },
    /** The object's type and size, or undefined when it does not exist (nothing is downloaded). */
    async head(tenantId: string, key: string): Promise<{ contentType?: string; size: number } | undefined> {
      try {
        const out = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: objectKey(tenantId, key) }));
        return { ...(out.ContentType && { contentType: out.ContentType }), size: out.ContentLength ?? 0 };
      } catch (error) {
        const name = (error as { name?: string }).name;
        if (name === 'NotFound' || name === 'NoSuchKey') return undefined;
        throw error;
      }
    },
    /**
     * A time-limited link to download one object. For the browser by default (on the local
     * stack a path on the app's origin); `forProvider` gives the absolute link someone else's
     * server fetches (Meta fetching a reply's media): on the local stack the emulator's own URL.
     */
    async presignGet(
      tenantId: string,
      key: string,
      expiresInSeconds = 300,
      /** `fileName`: the name the browser saves the download under (a signed Content-Disposition). */
      options: { forProvider?: boolean; fileName?: string } = {},
    ) {
      const command = new GetObjectCommand({
        Bucket: bucket,
        Key: objectKey(tenantId, key),
        ...(options.fileName && {
          ResponseContentDisposition: `attachment; filename="${options.fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
        }),
      });
      const signed = await getSignedUrl(s3, command, { expiresIn: expiresInSeconds });
      return options.forProvider ? signed : link(signed);
    },
    /**
     * A time-limited link for the browser to upload one object of exactly this type and size:
     * both are signed, so S3 refuses any other file (on the local stack a path on the app's origin).
     */
    async presignPut(
      tenantId: string,
      key: string,
      file: { contentType: string; contentLength: number },
      expiresInSeconds = 300,
    ) {
      return link(
        await getSignedUrl(
          s3,
          new PutObjectCommand({
            Bucket: bucket,
            Key: objectKey(tenantId, key),
            ContentType: file.contentType,
            ContentLength: file.contentLength,
          }),
          // Kept as headers (not moved into the query) so S3 checks the upload against them.
          { expiresIn: expiresInSeconds, signableHeaders: new Set(['content-type', 'content-length']) },
        ),
      );
    },
  };
}

export type Blobs = ReturnType<typeof createBlobs>;
