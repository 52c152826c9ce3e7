import * as z from 'zod';

/**
 * The AI agent's settings (docs/ai-agent.md). Off by default. Every save is a new numbered
 * version with who and when; a rollback is a new version copying an old one. The knowledge base
 * holds entries the merchant writes (returns, shipping, opening hours) that the agent may quote.
 */

export const AGENT_CHANNELS = ['whatsapp', 'instagram', 'messenger', 'sandbox'] as const;
export type AgentChannel = (typeof AGENT_CHANNELS)[number];
export const AGENT_LANGUAGES = ['tr', 'en'] as const;
export type AgentLanguage = (typeof AGENT_LANGUAGES)[number];
export const AGENT_TONES = ['friendly', 'formal', 'brief'] as const;
export type AgentTone = (typeof AGENT_TONES)[number];

export const MAX_PROMPT_CHARS = 4000;
export const MAX_KNOWLEDGE_BODY_CHARS = 4000;
export const MAX_KNOWLEDGE_TITLE_CHARS = 150;
export const REPLY_CHARS = { min: 50, max: 1000, default: 600 } as const;
export const DEFAULT_AGENT_MODEL = 'gpt-4.1-mini';
export const DEFAULT_AGENT_TIMEZONE = 'Europe/Istanbul';

const topics = z.array(z.string().trim().min(1).max(100)).max(30);
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'A time looks like 09:00');

/** A zone the runtime knows (Intl throws on an unknown one). */
const timezone = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine(
    (zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'Unknown time zone' },
  );

/**
 * When the agent answers against the opening spans: `within` them (people take the rest), or
 * `outside` them, when nobody is in (the team answers during opening hours).
 */
export const BUSINESS_HOURS_ANSWER = ['within', 'outside'] as const;

export const businessHours = z.object({
  timezone: timezone.default(DEFAULT_AGENT_TIMEZONE),
  answer: z.enum(BUSINESS_HOURS_ANSWER).default('within'),
  days: z
    .array(
      z
        .object({ day: z.literal([0, 1, 2, 3, 4, 5, 6]), from: clock, to: clock })
        .refine((span) => span.from < span.to, { message: 'Opening time must be before closing time', path: ['to'] }),
    )
    .max(14),
});

export const agentGuardrails = z.object({
  allowedTopics: topics.default([]),
  forbiddenTopics: topics.default([]),
  tone: z.enum(AGENT_TONES).default('friendly'),
  languages: z.array(z.enum(AGENT_LANGUAGES)).min(1, 'Choose at least one language').default(['tr']),
  maxReplyChars: z.number().int().min(REPLY_CHARS.min).max(REPLY_CHARS.max).default(REPLY_CHARS.default),
  businessHours: businessHours.optional(),
  /** 0: the agent may promise no discount at all. */
  maxDiscountPercent: z.number().min(0).max(100).default(0),
  mayPromiseDelivery: z.boolean().default(false),
  handoff: z
    .object({
      onRequestForPerson: z.boolean().default(true),
      onAnger: z.boolean().default(true),
      onSensitiveTopics: topics.default([]),
      minConfidence: z.number().min(0).max(1).default(0.5),
    })
    .default({ onRequestForPerson: true, onAnger: true, onSensitiveTopics: [], minConfidence: 0.5 }),
});
export type AgentGuardrails = z.output<typeof agentGuardrails>;

/** `PUT /businesses/:id/ai/agent`: the settings, whole. Unknown keys (a mistyped field, an unknown channel) are refused. */
export const agentSettings = z.strictObject({
  enabled: z.boolean(),
  channels: z.array(z.enum(AGENT_CHANNELS)).max(AGENT_CHANNELS.length),
  prompt: z.string().max(MAX_PROMPT_CHARS),
  guardrails: agentGuardrails,
  model: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/, 'A model name is letters, digits and . _ : / -'),
});
export type AgentSettings = z.output<typeof agentSettings>;
export type AgentSettingsBody = z.input<typeof agentSettings>;

export const agentSaveBody = agentSettings.extend({ note: z.string().trim().max(200).optional() });
export type AgentSaveBody = z.input<typeof agentSaveBody>;

export const agentVersionView = agentSettings.extend({
  version: z.number().int().min(1),
  createdBy: z.string(),
  createdAt: z.string(),
  note: z.string().nullable(),
  restoredFrom: z.number().int().nullable(),
});
export type AgentVersionView = z.output<typeof agentVersionView>;

/** The version in force; `current: null` when never configured (off), with the defaults a form starts from. */
export const agentAnswer = z.object({ current: agentVersionView.nullable(), defaults: agentSettings });
export type AgentAnswer = z.output<typeof agentAnswer>;

/** Newest first. */
export const agentVersionsAnswer = z.object({ versions: z.array(agentVersionView) });
export type AgentVersionsAnswer = z.output<typeof agentVersionsAnswer>;

export const knowledgeEntryBody = z.strictObject({
  title: z.string().trim().min(1, 'Enter a title').max(MAX_KNOWLEDGE_TITLE_CHARS),
  body: z.string().trim().min(1, 'Enter the text').max(MAX_KNOWLEDGE_BODY_CHARS),
});
export type KnowledgeEntryBody = z.input<typeof knowledgeEntryBody>;

export const knowledgeEntryView = z.object({
  entryId: z.string(),
  title: z.string(),
  body: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type KnowledgeEntryView = z.output<typeof knowledgeEntryView>;

/** Oldest first, as written. */
export const knowledgeAnswer = z.object({ entries: z.array(knowledgeEntryView) });
export type KnowledgeAnswer = z.output<typeof knowledgeAnswer>;
