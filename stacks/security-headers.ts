import { SECURITY_HEADERS } from '@asistone/core/platform/security-headers';
import { Duration } from 'aws-cdk-lib';
import {
  HeadersFrameOption,
  HeadersReferrerPolicy,
  type ResponseHeadersPolicyProps,
  type ResponseSecurityHeadersBehavior,
} from 'aws-cdk-lib/aws-cloudfront';

type Behaviour = Pick<ResponseHeadersPolicyProps, 'securityHeadersBehavior' | 'customHeadersBehavior'>;

/**
 * Translates the core's header table (which the local gateway also sends) into a CloudFront
 * response headers policy. Headers CloudFront models as security headers go there; any other
 * one becomes a custom header. A value CloudFront cannot express fails synthesis, so the two
 * runtimes cannot silently disagree.
 */
export function cloudFrontSecurityHeaders(headers: Record<string, string> = SECURITY_HEADERS): Behaviour {
  const security: { -readonly [K in keyof ResponseSecurityHeadersBehavior]: ResponseSecurityHeadersBehavior[K] } = {};
  const custom: { header: string; value: string; override: boolean }[] = [];
  for (const [name, value] of Object.entries(headers)) {
    switch (name.toLowerCase()) {
      case 'content-security-policy':
        security.contentSecurityPolicy = { contentSecurityPolicy: value, override: true };
        break;
      case 'strict-transport-security':
        security.strictTransportSecurity = parseHsts(value);
        break;
      case 'x-content-type-options':
        if (value.toLowerCase() !== 'nosniff')
          throw new Error(`CloudFront only sends X-Content-Type-Options: nosniff, not "${value}"`);
        security.contentTypeOptions = { override: true };
        break;
      case 'x-frame-options':
        security.frameOptions = {
          frameOption: enumValue(HeadersFrameOption, value.toUpperCase(), name),
          override: true,
        };
        break;
      case 'referrer-policy':
        security.referrerPolicy = {
          referrerPolicy: enumValue(HeadersReferrerPolicy, value.toLowerCase(), name),
          override: true,
        };
        break;
      case 'x-xss-protection':
        throw new Error('X-XSS-Protection needs its own mapping before CloudFront can send it');
      default:
        custom.push({ header: name, value, override: true });
    }
  }
  return {
    securityHeadersBehavior: security,
    ...(custom.length > 0 ? { customHeadersBehavior: { customHeaders: custom } } : {}),
  };
}

function enumValue<T extends Record<string, string>>(values: T, value: string, header: string): T[keyof T] {
  const found = Object.values(values).find((candidate) => candidate === value);
  if (!found) throw new Error(`CloudFront cannot send ${header}: ${value}`);
  return found as T[keyof T];
}

function parseHsts(value: string): NonNullable<ResponseSecurityHeadersBehavior['strictTransportSecurity']> {
  const directives = value.split(';').map((part) => part.trim().toLowerCase());
  const maxAge = directives.find((part) => part.startsWith('max-age='));
  if (!maxAge) throw new Error(`Strict-Transport-Security without max-age: "${value}"`);
  const known = new Set(['includesubdomains', 'preload']);
  const unknown = directives.filter((part) => part && !part.startsWith('max-age=') && !known.has(part));
  if (unknown.length > 0) throw new Error(`Strict-Transport-Security directives CloudFront cannot send: ${unknown}`);
  return {
    accessControlMaxAge: Duration.seconds(Number(maxAge.slice('max-age='.length))),
    includeSubdomains: directives.includes('includesubdomains'),
    preload: directives.includes('preload'),
    override: true,
  };
}
