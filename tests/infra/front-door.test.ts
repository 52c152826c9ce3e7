import { ORIGIN_SECRET_ARN_VARIABLE, ORIGIN_SECRET_HEADER } from '@asistone/core/platform/front-door';
import { resourceName } from '@asistone/core/platform/store/table';
import { describe, expect, it } from 'vitest';
import { type Json, referencedId, resourcesIn, STAGE, synthesizedApp } from './app.js';

/**
 * The API's function URL is public, so only CloudFront may use it: CloudFront adds a secret
 * header that Secrets Manager generates, and the API refuses requests without it. The secret
 * never appears in a template: both sides resolve it at deploy or run time.
 */
const app = synthesizedApp();

const originSecret = (): [string, Json] => {
  const found = resourcesIn(app.templates.Api, 'AWS::SecretsManager::Secret');
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('the API front door', () => {
  it('has a generated secret, encrypted with the stage key', () => {
    const [, secret] = originSecret();
    expect(secret.Name).toBe(resourceName(STAGE, 'origin-secret'));
    expect(secret.GenerateSecretString).toMatchObject({ PasswordLength: 64, ExcludePunctuation: true });
    expect(secret.SecretString).toBeUndefined();
    expect(secret.KmsKeyId).toBeDefined();
  });

  it('tells the API where the secret is, and lets it read exactly that secret', () => {
    const [secretId] = originSecret();
    const [, fn] = resourcesIn(app.templates.Api, 'AWS::Lambda::Function').find(
      ([, candidate]) => candidate.FunctionName === resourceName(STAGE, 'api'),
    )!;
    expect(referencedId(fn.Environment.Variables[ORIGIN_SECRET_ARN_VARIABLE])).toBe(secretId);
    const statements = [
      ...resourcesIn(app.templates.Api, 'AWS::IAM::Policy'),
      ...resourcesIn(app.templates.Api, 'AWS::IAM::ManagedPolicy'),
    ].flatMap(([, policy]) => policy.PolicyDocument.Statement as Json[]);
    const reads = statements.filter((statement) =>
      [statement.Action].flat().some((action: string) => action.startsWith('secretsmanager:')),
    );
    expect(reads).toHaveLength(1);
    expect(reads[0].Action).toBe('secretsmanager:GetSecretValue');
    expect(referencedId(reads[0].Resource)).toBe(secretId);
  });

  it('has CloudFront add the secret to every /api request, resolved from Secrets Manager', () => {
    const [, distribution] = resourcesIn(app.templates.Web, 'AWS::CloudFront::Distribution')[0]!;
    const config = distribution.DistributionConfig;
    const api = config.CacheBehaviors.find((behavior: Json) => behavior.PathPattern === '/api/*');
    const origin = config.Origins.find((candidate: Json) => candidate.Id === api.TargetOriginId);
    const header = (origin.OriginCustomHeaders ?? []).find((entry: Json) => entry.HeaderName === ORIGIN_SECRET_HEADER);
    expect(header).toBeDefined();
    const value = JSON.stringify(header.HeaderValue);
    expect(value).toContain('{{resolve:secretsmanager:');
    expect(value).toContain('SecretString');
    // The site's own origin (the bucket) never receives the secret.
    const site = config.Origins.find((candidate: Json) => candidate.Id === config.DefaultCacheBehavior.TargetOriginId);
    expect(site.OriginCustomHeaders).toBeUndefined();
  });
});
