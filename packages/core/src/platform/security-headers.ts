/**
 * Response headers for the web app, declared once: CloudFront sends them in AWS (Web stack)
 * and the local gateway sends the same ones.
 */
/**
 * Where the browser uploads a file a team member sends: straight to the media bucket, through a
 * presigned PUT link, which the SDK writes virtual-hosted (`https://<bucket>.s3.<region>.amazonaws.com`).
 * The region is the app's (sst.config.ts); tests/infra/api-web.test.ts holds the two together.
 */
export const MEDIA_UPLOAD_ORIGIN = 'https://*.s3.eu-central-1.amazonaws.com';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  // Meta's JavaScript SDK runs WhatsApp Embedded Signup (Settings › Channels).
  "script-src 'self' https://connect.facebook.net",
  // Mantine injects CSS variables at runtime.
  "style-src 'self' 'unsafe-inline'",
  // Customers' photos, videos and voice notes come as presigned S3 links (https).
  "img-src 'self' data: blob: https:",
  "media-src 'self' blob: https:",
  "font-src 'self' data:",
  // The API and Meta's SDK; and uploads of files to send, straight to the media bucket.
  `connect-src 'self' https://*.facebook.com ${MEDIA_UPLOAD_ORIGIN}`,
  // Embedded Signup's and Facebook Login's dialogs.
  'frame-src https://www.facebook.com https://web.facebook.com',
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

export const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'strict-transport-security': 'max-age=63072000; includeSubDomains; preload',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
} as const;
