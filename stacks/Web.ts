import { ORIGIN_SECRET_HEADER } from '@asistone/core/platform/front-door';
import { resourceName } from '@asistone/core/platform/store/table';
import {
  AllowedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HttpVersion,
  OriginRequestPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { FunctionUrlOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { type StackContext, StaticSite, use } from 'sst/constructs';
import { Api } from './Api.js';
import { baseline } from './lambda.js';
import { appUrlParameterName } from './parameters.js';
import { dataRemoval } from './removal.js';
import { cloudFrontSecurityHeaders } from './security-headers.js';

/** Client-side routes (no file extension) get the SPA's index; files are served as they are. */
const SPA_ROUTES = `function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

/**
 * Every API request carries the viewer's address in a header the viewer cannot set: this
 * function overwrites whatever arrived. (The API's own address is CloudFront's.)
 */
export const VIEWER_ADDRESS_HEADER = 'x-asistone-viewer-address';
const VIEWER_ADDRESS = `function handler(event) {
  event.request.headers['${VIEWER_ADDRESS_HEADER}'] = { value: event.viewer.ip };
  return event.request;
}`;

export { appUrlParameterName } from './parameters.js';

/** Set by whoever rotates the origin secret (`ORIGIN_SECRET_ROTATED=<date> npx sst deploy`); see README. */
const ORIGIN_ROTATION = process.env.ORIGIN_SECRET_ROTATED?.replace(/[^\w.:-]/g, '').slice(0, 40);

/**
 * The merchant SPA on CloudFront, with the API on the same origin under `/api/*` (so session
 * cookies can be SameSite=Strict and no CORS is needed). Every response, API included, carries
 * the security headers declared in core.
 *
 * The site's error pages are deliberately not used: CloudFront applies them to every path, and
 * they would turn an API 403/404 into index.html with a 200. The SPA fallback is a viewer-request
 * function on the site's behaviour only.
 */
export function Web({ stack }: StackContext) {
  // The site uploader and the cache invalidation run through SST's custom-resource handler.
  baseline(stack, { keepCustomResourceHandler: true });
  const { apiUrl, originSecret } = use(Api);

  const headers = new ResponseHeadersPolicy(stack, 'SecurityHeaders', {
    responseHeadersPolicyName: resourceName(stack.stage, 'security-headers'),
    comment: 'Asistone security headers (packages/core/src/platform/security-headers.ts)',
    ...cloudFrontSecurityHeaders(),
  });

  const removal = dataRemoval(stack.stage);
  const assets = new Bucket(stack, 'WebAssets', {
    encryption: BucketEncryption.S3_MANAGED,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    // Only the built web app lives here, all of it rebuilt by a deploy, so it is no data; it
    // follows the stage's removal flag because CloudFormation cannot delete a bucket that still
    // holds files, and emptying it on every stage would add a Lambda to each for a bucket that
    // `aws s3 rb --force` deletes by hand.
    removalPolicy: removal.removalPolicy,
    autoDeleteObjects: removal.removable,
  });

  const site = new StaticSite(stack, 'web', {
    path: 'packages/web',
    buildCommand: 'npm run build',
    buildOutput: 'dist',
    // SST writes Vite env types next to the site by default; keep them in .sst, not in src.
    vite: { types: '../../.sst/web-env.d.ts' },
    cdk: {
      bucket: assets,
      distribution: {
        // A rotation of the origin secret changes nothing in the template; naming it here makes
        // CloudFormation update the distribution, which resolves the secret's new value.
        comment: `Asistone ${stack.stage} web app and API${ORIGIN_ROTATION ? ` (origin secret ${ORIGIN_ROTATION})` : ''}`,
        httpVersion: HttpVersion.HTTP2_AND_3,
        errorResponses: [],
        defaultBehavior: {
          origin: S3BucketOrigin.withOriginAccessControl(assets),
          responseHeadersPolicy: headers,
          functionAssociations: [
            {
              eventType: FunctionEventType.VIEWER_REQUEST,
              function: new CloudFrontFunction(stack, 'SpaRoutes', {
                runtime: FunctionRuntime.JS_2_0,
                comment: 'Serves index.html for client-side routes',
                code: FunctionCode.fromInline(SPA_ROUTES),
              }),
            },
          ],
        },
        additionalBehaviors: {
          '/api/*': {
            // CloudFront overwrites a header of the same name sent by the viewer.
            origin: new FunctionUrlOrigin(apiUrl, {
              customHeaders: { [ORIGIN_SECRET_HEADER]: originSecret.secretValue.unsafeUnwrap() },
            }),
            viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
            allowedMethods: AllowedMethods.ALLOW_ALL,
            cachePolicy: CachePolicy.CACHING_DISABLED,
            // Everything the viewer sent (cookies, query, headers) except Host, which must be the URL's.
            originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
            responseHeadersPolicy: headers,
            functionAssociations: [
              {
                eventType: FunctionEventType.VIEWER_REQUEST,
                function: new CloudFrontFunction(stack, 'ViewerAddress', {
                  runtime: FunctionRuntime.JS_2_0,
                  comment: 'Passes the viewer address to the API',
                  code: FunctionCode.fromInline(VIEWER_ADDRESS),
                }),
              },
            ],
          },
        },
      },
    },
  });
  // SST builds its own viewer-request function for the default behaviour; ours replaced it.
  site.node.tryRemoveChild('CloudFrontFunction');

  new StringParameter(stack, 'AppUrl', {
    parameterName: appUrlParameterName(stack.stage),
    description: 'Where the Asistone web app is served; links in mails point there',
    // `url` is undefined only under `sst dev`, which deploys no site.
    stringValue: site.customDomainUrl ?? site.url ?? 'http://localhost:3000',
  });

  stack.addOutputs({ SiteUrl: site.url });
  return { site };
}
