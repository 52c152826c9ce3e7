import * as z from 'zod';

/**
 * SMS settings: the business's own NetGSM account (its user code, API password and sender
 * header, which carry the merchant's brand and İYS registration). The password is kept sealed
 * and never returned; saving checks the account with NetGSM first.
 */

/** `PUT /businesses/:tenantId/sms`. Without `password`, the stored one is kept (same user code only). */
export const smsAccountBody = z.object({
  usercode: z
    .string()
    .trim()
    .min(1, 'Enter the NetGSM user code')
    .max(40)
    .regex(/^[0-9A-Za-z._-]+$/, 'The user code is the number or name you sign in to NetGSM with'),
  password: z.string().min(1, 'Enter the NetGSM API password').max(100).optional(),
  msgheader: z
    .string()
    .trim()
    .min(1, 'Enter the sender header')
    .max(20)
    .regex(/^[\p{L}\p{N} .&-]+$/u, 'The sender header as NetGSM shows it (letters, digits, spaces)'),
});
export type SmsAccountBody = z.input<typeof smsAccountBody>;

/** `GET`, `PUT` and `DELETE /businesses/:tenantId/sms`: never the password. */
export const smsAccountAnswer = z.object({
  configured: z.boolean(),
  usercode: z.string().optional(),
  msgheader: z.string().optional(),
  /** True once a password is stored (it is never shown). */
  passwordSet: z.boolean(),
  /** Epoch ms of the last save. */
  updatedAt: z.number().optional(),
});
export type SmsAccount = z.output<typeof smsAccountAnswer>;
