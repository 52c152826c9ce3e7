import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '@asistone/core/platform/security-headers';
import { resourceName } from '@asistone/core/platform/store/table';
import { PRODUCT } from '@asistone/core/product/areas';
import { Config, useSites } from 'sst/constructs';
import { getParameterPath } from 'sst/constructs/util/binding.js';
import { useProject } from 'sst/project.js';
import { describe, expect, it } from 'vitest';
import { secretParameterVariable } from '../../stacks/Api.js';
import { cloudFrontSecurityHeaders } from '../../stacks/security-headers.js';
import { appUrlParameterName, VIEWER_ADDRESS_HEADER } from '../../stacks/Web.js';
import { asArray, type Json, referencedId, resolveAcrossStacks, resourcesIn, STAGE, synthesizedApp } from './app.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** AWS managed cache and origin request policies (ids are fixed by AWS). */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';
/** The app secrets the API reads: the union of what each area's routes declare. */
const API_SECRETS = PRODUCT.fn('api')?.settings?.secrets ?? [];

const app = synthesizedApp();

const apiFunction = () => {
  const found = resourcesIn(app.templates.Api, 'AWS::Lambda::Function').filter(
    ([, fn]) => fn.FunctionName === resourceName(STAGE, 'api'),
  );
  expect(found).toHaveLength(1);
  return found[0]!;
};
const distribution = (): Json => {
  const found = resourcesIn(app.templates.Web, 'AWS::CloudFront::Distribution');
  expect(found).toHaveLength(1);
  return found[0]![1].DistributionConfig;
};

describe('Api', () => {
  it('is one router function with a function URL', () => {
    const [apiId] = apiFunction();
    const urls = resourcesIn(app.templates.Api, 'AWS::Lambda::Url');
    expect(urls).toHaveLength(1);
    expect(referencedId(urls[0]![1].TargetFunctionArn)).toBe(apiId);
    expect(urls[0]![1].Cors).toBeUndefined();
  });

  it('declares its app secrets as SST Config.Secret and tells the function where each parameter is', () => {
    // Access tokens are signed with the token secret: the API reads it, whichever area declares it.
    expect(API_SECRETS).toContain('AUTH_TOKEN_SECRET');
    const [, fn] = apiFunction();
    for (const name of API_SECRETS) {
      const secret = app.stacks.Api.node.tryFindChild(name);
      expect(secret).toBeInstanceOf(Config.Secret);
      const path = getParameterPath(secret as InstanceType<typeof Config.Secret>, 'value');
      expect(path).toBe(`/sst/asistone/${STAGE}/Secret/${name}/value`);
      expect(fn.Environment.Variables[secretParameterVariable(name)]).toBe(path);
    }
  });

  it('may read exactly those parameters, and no other', () => {
    const statements = [
      ...resourcesIn(app.templates.Api, 'AWS::IAM::Policy'),
      ...resourcesIn(app.templates.Api, 'AWS::IAM::ManagedPolicy'),
    ].flatMap(([, policy]) => policy.PolicyDocument.Statement as Json[]);
    const ssm = statements.filter((statement) => asArray<string>(statement.Action).some((a) => a.startsWith('ssm:')));
    expect(ssm).toHaveLength(1);
    expect(asArray(ssm[0].Action).sort()).toEqual(['ssm:GetParameter', 'ssm:GetParameters']);
    const resources = asArray<Json>(ssm[0].Resource).map((arn) => JSON.stringify(arn));
    expect(resources).toHaveLength(API_SECRETS.length + 1);
    // The web app's URL, published by the Web stack, is the one parameter outside SST's secrets.
    expect(PRODUCT.fn('api')?.settings?.appUrl).toBe(true);
    expect(resources.some((arn) => arn.endsWith(`:parameter${appUrlParameterName(STAGE)}"]]}`))).toBe(true);
    expect(apiFunction()[1].Environment.Variables.APP_URL_PARAMETER).toBe(appUrlParameterName(STAGE));
    for (const name of API_SECRETS) {
      expect(resources.some((arn) => arn.endsWith(`:parameter/sst/asistone/${STAGE}/Secret/${name}/value"]]}`))).toBe(
        true,
      );
    }
  });
});

describe('Web', () => {
  it('builds the SPA in packages/web with vite into dist', () => {
    const sites = useSites().all;
    expect(sites.map((site) => site.stack)).toEqual([app.stacks.Web.stackName]);
    const { props } = sites[0]!;
    expect(props.path).toBe('packages/web');
    expect(props.buildOutput).toBe('dist');
    expect(props.buildCommand).toBe('npm run build');
    const scripts = JSON.parse(readFileSync(join(ROOT, 'packages/web/package.json'), 'utf8')).scripts;
    expect(scripts.build).toMatch(/^vite build\b/);
  });

  it('sends the core security headers, CSP included, through a response headers policy', () => {
    const policies = resourcesIn(app.templates.Web, 'AWS::CloudFront::ResponseHeadersPolicy');
    expect(policies).toHaveLength(1);
    const config = policies[0]![1].ResponseHeadersPolicyConfig;
    expect(config.SecurityHeadersConfig.ContentSecurityPolicy).toEqual({
      ContentSecurityPolicy: CONTENT_SECURITY_POLICY,
      Override: true,
    });
    // Every declared header is sent, as a security header or a custom one.
    const sent = new Set([
      ...Object.keys(config.SecurityHeadersConfig).map(
        (key) =>
          ({
            ContentSecurityPolicy: 'content-security-policy',
            StrictTransportSecurity: 'strict-transport-security',
            ContentTypeOptions: 'x-content-type-options',
            FrameOptions: 'x-frame-options',
            ReferrerPolicy: 'referrer-policy',
            XSSProtection: 'x-xss-protection',
          })[key],
      ),
      ...(config.CustomHeadersConfig?.Items ?? []).map((item: Json) => item.Header.toLowerCase()),
    ]);
    for (const header of Object.keys(SECURITY_HEADERS)) expect(sent.has(header), header).toBe(true);
    const hsts = SECURITY_HEADERS['strict-transport-security'];
    expect(config.SecurityHeadersConfig.StrictTransportSecurity).toEqual({
      AccessControlMaxAgeSec: Number(/max-age=(\d+)/.exec(hsts)?.[1]),
      IncludeSubdomains: /includeSubDomains/i.test(hsts),
      Preload: /preload/i.test(hsts),
      Override: true,
    });
    for (const item of config.CustomHeadersConfig?.Items ?? []) {
      expect(item.Value).toBe(SECURITY_HEADERS[item.Header.toLowerCase() as keyof typeof SECURITY_HEADERS]);
    }
    expect(config.SecurityHeadersConfig.FrameOptions).toEqual({
      FrameOption: SECURITY_HEADERS['x-frame-options'],
      Override: true,
    });
  });

  it('lets the browser upload files to the media bucket of the app’s region, and nowhere else on S3', () => {
    const connect = CONTENT_SECURITY_POLICY.split('; ').find((directive) => directive.startsWith('connect-src '));
    const sources = connect?.split(' ').slice(1) ?? [];
    const s3 = sources.filter((source) => source.includes('amazonaws.com'));
    // Presigned links are virtual-hosted: https://<bucket>.s3.<region>.amazonaws.com/<key>.
    expect(s3).toEqual([`https://*.s3.${useProject().config.region}.amazonaws.com`]);
  });

  it('refuses header values CloudFront cannot express rather than dropping them', () => {
    expect(() => cloudFrontSecurityHeaders({ 'x-frame-options': 'ALLOW-FROM https://a.example' })).toThrow();
    expect(() => cloudFrontSecurityHeaders({ 'strict-transport-security': 'includeSubDomains' })).toThrow();
  });

  it('publishes the site’s URL for the API to put in mail links', () => {
    const parameters = resourcesIn(app.templates.Web, 'AWS::SSM::Parameter');
    expect(parameters.map(([, parameter]) => parameter.Name)).toEqual([appUrlParameterName(STAGE)]);
  });

  it('applies the headers to the site and the API', () => {
    const [policyId] = resourcesIn(app.templates.Web, 'AWS::CloudFront::ResponseHeadersPolicy')[0]!;
    const config = distribution();
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    for (const behaviour of config.CacheBehaviors) expect(behaviour.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
  });

  it('routes /api/* to the API function URL, uncached, all methods, with cookies and query forwarded', () => {
    const config = distribution();
    const api = config.CacheBehaviors.filter((behaviour: Json) => behaviour.PathPattern === '/api/*');
    expect(api).toHaveLength(1);
    expect(api[0].CachePolicyId).toBe(CACHING_DISABLED);
    expect(api[0].OriginRequestPolicyId).toBe(ALL_VIEWER_EXCEPT_HOST_HEADER);
    expect(api[0].AllowedMethods.sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
    expect(api[0].ViewerProtocolPolicy).toBe('https-only');
    // One viewer-request function: it stamps the viewer's address, overwriting any the viewer sent.
    expect(api[0].FunctionAssociations).toHaveLength(1);
    const fnId = referencedId(api[0].FunctionAssociations[0].FunctionARN)!;
    const code: string = app.templates.Web.toJSON().Resources[fnId].Properties.FunctionCode;
    expect(code).toContain(`event.request.headers['${VIEWER_ADDRESS_HEADER}'] = { value: event.viewer.ip }`);

    const origin = config.Origins.find((candidate: Json) => candidate.Id === api[0].TargetOriginId);
    expect(origin.CustomOriginConfig.OriginProtocolPolicy).toBe('https-only');
    // The origin's domain is the host part of the API stack's function URL.
    const [part, split] = origin.DomainName['Fn::Select'];
    const [separator, url] = split['Fn::Split'];
    expect([part, separator]).toEqual([2, '/']);
    const resolved = resolveAcrossStacks(app.templates, 'Web', url);
    expect(resolved.stack).toBe('Api');
    const [urlId, attribute] = resolved.value['Fn::GetAtt'];
    expect(attribute).toBe('FunctionUrl');
    expect(app.templates.Api.toJSON().Resources[urlId].Type).toBe('AWS::Lambda::Url');
  });

  it('serves the SPA from a private bucket through origin access control, index.html for client routes', () => {
    const config = distribution();
    const origin = config.Origins.find(
      (candidate: Json) => candidate.Id === config.DefaultCacheBehavior.TargetOriginId,
    );
    expect(origin.OriginAccessControlId).toBeDefined();
    const [bucketId] = resourcesIn(app.templates.Web, 'AWS::S3::Bucket')[0]!;
    expect(origin.DomainName).toEqual({ 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] });
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');

    const associations = config.DefaultCacheBehavior.FunctionAssociations;
    expect(associations).toHaveLength(1);
    const fnId = referencedId(associations[0].FunctionARN)!;
    const code: string = app.templates.Web.toJSON().Resources[fnId].Properties.FunctionCode;
    expect(code).toContain("'/index.html'");
    // SST's own rewrite function was replaced, not left behind unused: ours and the API's remain.
    expect(resourcesIn(app.templates.Web, 'AWS::CloudFront::Function')).toHaveLength(2);
  });

  it('has no distribution-wide error pages, which would turn API errors into index.html 200s', () => {
    expect(distribution().CustomErrorResponses ?? []).toEqual([]);
  });

  it('keeps the site bucket private and TLS-only', () => {
    const buckets = resourcesIn(app.templates.Web, 'AWS::S3::Bucket');
    expect(buckets).toHaveLength(1);
    expect(buckets[0]![1].PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const statements = resourcesIn(app.templates.Web, 'AWS::S3::BucketPolicy').flatMap(
      ([, policy]) => policy.PolicyDocument.Statement as Json[],
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });
});
