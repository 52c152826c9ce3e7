import { ConfigError } from '../platform/errors.js';
import { type NetgsmClient, netgsmClient } from './netgsm.js';

/**
 * Where NetGSM is: its own host in AWS; `NETGSM_BASE_URL` points the local stack and tests at
 * the fake NetGSM. Each business's credentials are its own (sms/account.ts), so there is no
 * deployment secret here. On the local stage the fake is required: the demo credentials must
 * never reach the real NetGSM.
 *
 * @example
 * const netgsm = netgsmFromEnv(process.env);
 */
export function netgsmFromEnv(env: Record<string, string | undefined>): NetgsmClient {
  const baseUrl = env.NETGSM_BASE_URL || undefined;
  if (!baseUrl && env.STAGE === 'local') {
    throw new ConfigError('invalid configuration: NETGSM_BASE_URL (the fake NetGSM) is required on the local stage');
  }
  return netgsmClient({ baseUrl });
}
