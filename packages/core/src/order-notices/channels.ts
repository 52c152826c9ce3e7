/**
 * The two channels order notices use that other areas own: tracked customer mail (notify/,
 * Resend) and the business's SMS (sms/, NetGSM). Named here as ports with exactly the shapes of
 * those areas' exports, so the notice logic depends on what a channel does, and the worker binds
 * the real ones (functions/workers/order-notices.ts).
 */

export interface NoticeMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Display name: the shop's. */
  from?: string;
  ref: string;
}

export interface NoticeMailDelivery {
  state: 'sent' | 'delivered' | 'delayed' | 'bounced' | 'complained' | 'failed';
  reason?: string;
  at: number;
}

export interface NoticeSmsDelivery {
  state: 'pending' | 'delivered' | 'failed';
  reason?: string;
  at: number;
}

/** A channel that cannot take this notice for a reason the merchant should read (nothing was sent). */
export class NoticeSkipped extends Error {
  override name = 'NoticeSkipped';
  constructor(readonly reason: string) {
    super(reason);
  }
}

export interface NoticeMailer {
  /** notify/tracked-mail.ts sendCustomerMail: once per (tenant, ref). */
  send(tenantId: string, mail: NoticeMail): Promise<{ emailId: string }>;
  /** notify/tracked-mail.ts mailDeliveryOf. */
  deliveryOf(tenantId: string, ref: string): Promise<NoticeMailDelivery | undefined>;
  /** notify/tracked-mail.ts mailSuppressionOf: a hard bounce or complaint recorded for the address. */
  suppressionOf(tenantId: string, address: string): Promise<'bounced' | 'complained' | undefined>;
}

export interface NoticeSmsSender {
  /**
   * sms/send.ts sendBusinessSms (informational: İYS filter "0"), once per ref. Throws
   * {@link NoticeSkipped} when the business has no NetGSM account; a PermanentError when NetGSM
   * refused it for good; anything else is worth a retry.
   */
  send(tenantId: string, sms: { to: string; text: string; ref: string }): Promise<{ jobId: string }>;
  /** sms/send.ts smsDeliveryOf. */
  deliveryOf(tenantId: string, ref: string): Promise<NoticeSmsDelivery | undefined>;
}

export interface NoticeChannels {
  mail: NoticeMailer;
  sms: NoticeSmsSender;
}
