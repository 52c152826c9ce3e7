import { customerMailer } from '@asistone/core/notify/tracked-mail';
import type { NoticeChannels } from '@asistone/core/order-notices/channels';
import { noticeChannels } from '@asistone/core/order-notices/wiring';
import { isLocalStack, readMailConfig } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import type { SmsPurpose } from '@asistone/core/sms/send';
import { netgsmFromEnv } from '@asistone/core/sms/settings';
import type { Logger } from '@aws-lambda-powertools/logger';
import { withSecrets } from './secrets.js';

/**
 * The channels a worker reaches customers through on the business's behalf: tracked mail through
 * Resend (the fake on the local stack; the key read from SSM, the client built on first use) and
 * the business's NetGSM account, its SMS sent with `smsPurpose` (İYS filter).
 */
export async function customerChannels(
  log: Pick<Logger, 'info' | 'warn'>,
  smsPurpose: SmsPurpose,
): Promise<NoticeChannels> {
  const { storeOf, keyring, config } = platform();
  const env = await withSecrets(process.env);
  const mail = readMailConfig(env);
  const local = isLocalStack(config);
  let resend: ReturnType<typeof customerMailer> | undefined;
  return noticeChannels(
    {
      storeOf,
      keyring,
      resend: () => {
        resend ??= customerMailer(env, local);
        return resend;
      },
      mailFrom: mail.MAIL_FROM,
      netgsm: netgsmFromEnv(env),
      log,
    },
    smsPurpose,
  );
}
