import * as z from 'zod';

/**
 * Settings › Channels: connecting WhatsApp (Embedded Signup), Messenger (Facebook Login),
 * Instagram (Instagram Login) and the sandbox, and the sandbox's customer simulator. Tokens and
 * PINs never appear in any answer.
 */

export const CHANNEL_KINDS = ['whatsapp', 'instagram', 'messenger', 'sandbox'] as const;
export const channelKindSchema = z.enum(CHANNEL_KINDS);
export type ChannelKind = z.output<typeof channelKindSchema>;

/** `expiring`: an Instagram token lapses within 7 days; `expired`: it lapsed, connect again. */
export const CHANNEL_STATUSES = ['connected', 'expiring', 'expired', 'disconnected'] as const;

/** Meta's ids are digits (phone number id, WABA id, Page id, Instagram account id). */
const metaId = z.string().regex(/^\d{1,32}$/, 'Use the id Meta gave');
/** An OAuth code as Meta issues it: opaque, URL-safe, bounded. */
const oauthCode = z
  .string()
  .min(1)
  .max(2048)
  .regex(/^[A-Za-z0-9._~#=-]+$/, 'Use the code Meta gave');

export const channelSchema = z.object({
  kind: channelKindSchema,
  externalId: z.string(),
  label: z.string(),
  status: z.enum(CHANNEL_STATUSES),
  connectedAt: z.string(),
  accountId: z.string().optional(),
  /** When the token lapses (Instagram Login: 60 days, refreshed daily when due). */
  tokenExpiresAt: z.string().optional(),
  disconnectedAt: z.string().optional(),
  lastTest: z.object({ ok: z.boolean(), at: z.string() }).optional(),
});
export type ChannelView = z.output<typeof channelSchema>;

export const channelsAnswer = z.object({ channels: z.array(channelSchema) });

/** What the web needs to open Meta's dialogs; `dialogs` only on the local stack (the fake Meta's pages). */
export const metaSetupAnswer = z.object({
  appId: z.string().nullable(),
  embeddedSignupConfigId: z.string().nullable(),
  graphVersion: z.string(),
  instagramAppId: z.string().nullable(),
  dialogs: z.object({ embeddedSignup: z.string(), facebookLogin: z.string(), instagramLogin: z.string() }).optional(),
});

/** `POST /channels/whatsapp`: the code and the session info from Embedded Signup's FINISH message. */
export const connectWhatsAppBody = z.object({
  code: oauthCode,
  wabaId: metaId,
  phoneNumberId: metaId,
  /** `FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING`: a WhatsApp Business app number, not registered again. */
  coexistence: z.boolean().optional(),
});

export const messengerLoginBody = z.object({ code: oauthCode, redirectUri: z.url().max(2048).optional() });
export const messengerLoginAnswer = z.object({
  loginId: z.string(),
  pages: z.array(z.object({ id: z.string(), name: z.string() })),
});

export const connectMessengerBody = z.object({
  loginId: z.string().regex(/^l[0-9a-f]{24}$/, 'Sign in with Facebook again'),
  pageIds: z.array(metaId).min(1, 'Pick at least one Page').max(50),
});

export const connectInstagramBody = z.object({ code: oauthCode, redirectUri: z.url().max(2048) });

/** The simulator's customer: one conversation per name. */
export const DEFAULT_SANDBOX_CUSTOMER = 'Sandbox Müşterisi';
const customerName = z
  .string()
  .trim()
  .min(1, 'Give the customer a name')
  .max(80)
  // Names show in the inbox: no control or invisible direction characters.
  .regex(/^[^\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]+$/u, 'Use no control characters');

export const sandboxCustomerMessageBody = z.object({
  customerName: customerName.default(DEFAULT_SANDBOX_CUSTOMER),
  text: z.string().trim().min(1, 'Write a message').max(4096),
});
export const sandboxCustomerMessageAnswer = z.object({ messageId: z.string(), conversationId: z.string() });

export const sandboxThreadQuery = z.object({ customerName: customerName.default(DEFAULT_SANDBOX_CUSTOMER) });
export const sandboxThreadAnswer = z.object({
  conversationId: z.string(),
  messages: z.array(
    z.object({
      id: z.string(),
      direction: z.enum(['from-customer', 'to-customer']),
      type: z.string(),
      text: z.string().optional(),
      status: z.string(),
      at: z.string(),
      /**
       * A reply the AI agent wrote: which settings answered (a version number, or a trial of the
       * version in force or of a draft), the records it used, and for a handoff notice why.
       */
      ai: z
        .object({
          version: z.number().optional(),
          trial: z.enum(['current', 'draft']).optional(),
          citations: z.array(
            z.object({ kind: z.enum(['order', 'product', 'knowledge']), id: z.string(), label: z.string() }),
          ),
          /** One of AI_HANDOFF_REASONS (contract/ai-thread.ts). */
          handoffReason: z.string().optional(),
        })
        .optional(),
    }),
  ),
});

export const channelTestAnswer = z.object({
  ok: z.boolean(),
  checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string() })),
});
