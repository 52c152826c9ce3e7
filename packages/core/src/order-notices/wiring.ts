import type { Logger } from '@aws-lambda-powertools/logger';
import {
  type CustomerMailer,
  CustomerMailSuppressedError,
  mailDeliveryOf,
  mailSuppressionOf,
  sendCustomerMail,
} from '../notify/tracked-mail.js';
import { TRACKED_MAIL_RECORDS } from '../notify/tracked-mail-records.js';
import type { TenantKeyring } from '../platform/crypto/keyring.js';
import { ConfigError } from '../platform/errors.js';
import type { Records, Store } from '../platform/store/service.js';
import type { NetgsmClient } from '../sms/netgsm.js';
import { SMS_RECORDS } from '../sms/records.js';
import { SmsNotConfigured, type SmsPurpose, sendBusinessSms, smsDeliveryOf } from '../sms/send.js';
import { type NoticeChannels, NoticeSkipped } from './channels.js';

/**
 * The real channels behind the notice ports: tracked customer mail (notify/tracked-mail.ts) and
 * the business's NetGSM account (sms/send.ts). The records each channel keeps, for the callers'
 * stores (the worker sends, the API reads delivery states).
 */
export const NOTICE_CHANNEL_RECORDS = { ...TRACKED_MAIL_RECORDS, ...SMS_RECORDS };

export interface NoticeChannelDeps {
  storeOf<R extends Records>(records: R): Store<R>;
  keyring: TenantKeyring;
  /** Resend (the fake on the local stack); built on first use, so reading states needs no key. */
  resend: () => CustomerMailer;
  /** The product's sending address (MAIL_FROM): the shop's name is shown in front of it. */
  mailFrom: string;
  netgsm: NetgsmClient;
  log: Pick<Logger, 'info' | 'warn'>;
}

/**
 * `smsPurpose`: order and shipping news is informational (NetGSM's İYS filter "0"); a cart
 * reminder is commercial, which NetGSM checks against İYS.
 */
export function noticeChannels(deps: NoticeChannelDeps, smsPurpose: SmsPurpose = 'informational'): NoticeChannels {
  const mailStore = deps.storeOf(TRACKED_MAIL_RECORDS);
  const smsStore = deps.storeOf(SMS_RECORDS);
  return {
    mail: {
      async send(tenantId, mail) {
        let resend: CustomerMailer;
        try {
          resend = deps.resend();
        } catch (error) {
          // A deployment without a Resend key sends no customer mail: each notice says so.
          if (error instanceof ConfigError) throw new NoticeSkipped('email sending is not set up');
          throw error;
        }
        try {
          return await sendCustomerMail(
            { store: mailStore, keyring: deps.keyring, resend, from: deps.mailFrom, log: deps.log },
            tenantId,
            mail,
          );
        } catch (error) {
          // Suppressed between the check and the send (a bounce webhook in between).
          if (error instanceof CustomerMailSuppressedError) throw new NoticeSkipped(`email address ${error.reason}`);
          throw error;
        }
      },
      deliveryOf: (tenantId, ref) => mailDeliveryOf(mailStore, tenantId, ref),
      suppressionOf: (tenantId, address) => mailSuppressionOf(mailStore, deps.keyring, tenantId, address),
    },
    sms: {
      async send(tenantId, sms) {
        try {
          return await sendBusinessSms({ store: smsStore, keyring: deps.keyring, netgsm: deps.netgsm }, tenantId, {
            ...sms,
            purpose: smsPurpose,
          });
        } catch (error) {
          if (error instanceof SmsNotConfigured) throw new NoticeSkipped('SMS not configured');
          throw error;
        }
      },
      deliveryOf: (tenantId, ref) => smsDeliveryOf(smsStore, tenantId, ref),
    },
  };
}

/** Only the delivery states (the order page): no provider client, no secret. */
export function noticeDeliveryReaders(storeOf: NoticeChannelDeps['storeOf']) {
  const mailStore = storeOf(TRACKED_MAIL_RECORDS);
  const smsStore = storeOf(SMS_RECORDS);
  return {
    mail: { deliveryOf: (tenantId: string, ref: string) => mailDeliveryOf(mailStore, tenantId, ref) },
    sms: { deliveryOf: (tenantId: string, ref: string) => smsDeliveryOf(smsStore, tenantId, ref) },
  };
}
