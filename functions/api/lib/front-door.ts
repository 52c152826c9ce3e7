import { platform } from '@asistone/core/platform/context';
import {
  isThroughFrontDoor,
  ORIGIN_SECRET_ARN_VARIABLE,
  ORIGIN_SECRET_HEADER,
} from '@asistone/core/platform/front-door';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { MiddlewareHandler } from 'hono';
import { problem } from './problems.js';

/** Accepted secrets are re-read after this long, so a rotation reaches every warm container. */
const KEEP_MS = 5 * 60_000;
/** A mismatch may trigger an early re-read at most this often: a flood of bad calls costs nothing. */
const RECHECK_MS = 60_000;

type SecretSource = () => Promise<string[]>;

/**
 * The accepted secrets: the local gateway's (`ORIGIN_SECRET`), or in AWS the Secrets Manager
 * secret's current and previous versions, so CloudFront keeps working while a rotation deploys.
 */
function secretSource(env: Record<string, string | undefined>): SecretSource {
  const local = env.ORIGIN_SECRET;
  if (local) return async () => [local];
  const arn = env[ORIGIN_SECRET_ARN_VARIABLE];
  if (!arn) return async () => [];
  const client = new SecretsManagerClient({ region: platform().config.AWS_REGION });
  const read = (stage: 'AWSCURRENT' | 'AWSPREVIOUS') =>
    client
      .send(new GetSecretValueCommand({ SecretId: arn, VersionStage: stage }))
      .then((out) => out.SecretString ?? '')
      .catch((error: { name?: string }) => {
        // A secret never rotated has no previous version.
        if (stage === 'AWSPREVIOUS' && error.name === 'ResourceNotFoundException') return '';
        throw error;
      });
  return async () => (await Promise.all([read('AWSCURRENT'), read('AWSPREVIOUS')])).filter(Boolean);
}

/**
 * Refuses, with 403 and before any other work, every request that did not come through the
 * front door. With no secret configured at all it refuses everything: failing closed.
 *
 * @example
 * api.use('*', frontDoor());
 */
export function frontDoor(custom?: SecretSource): MiddlewareHandler {
  // Read from the environment on the first request, once the process's settings are in place.
  let fromEnvironment: SecretSource | undefined;
  const source: SecretSource =
    custom ??
    (() => {
      fromEnvironment ??= secretSource(process.env);
      return fromEnvironment();
    });
  let accepted: Promise<string[]> | undefined;
  let readAt = 0;
  const secrets = (reread: boolean) => {
    const age = Date.now() - readAt;
    if (!accepted || age > KEEP_MS || (reread && age > RECHECK_MS)) {
      readAt = Date.now();
      accepted = source().catch((error: unknown) => {
        accepted = undefined;
        throw error;
      });
    }
    return accepted;
  };
  return async (c, next) => {
    const presented = c.req.header(ORIGIN_SECRET_HEADER);
    const through =
      isThroughFrontDoor(presented, await secrets(false)) ||
      (presented !== undefined && isThroughFrontDoor(presented, await secrets(true)));
    if (!through) return problem(c, 403, 'forbidden', 'Use the Asistone web app address');
    await next();
  };
}
