import * as z from 'zod';
import { agentSettings } from './ai.js';

/**
 * Trying the AI agent in the sandbox simulator before switching it on (docs/ai-agent.md,
 * "Trying the agent"). While a trial is set, the sandbox's conversations are answered with the
 * trial's settings as if the agent were on and served the sandbox; every other channel keeps
 * the version in force. A trial is not a version: it never changes what real customers get.
 */

/** A forgotten trial stops by itself after this long. */
export const TRIAL_HOURS = 24;

export const TRIAL_SOURCES = ['current', 'draft'] as const;
export type TrialSource = (typeof TRIAL_SOURCES)[number];

/**
 * `PUT /businesses/:id/ai/trial`: the version in force (even while the agent is off), or an
 * unsaved draft from the settings form, checked exactly like a save.
 */
export const trialBody = z.discriminatedUnion('source', [
  z.strictObject({ source: z.literal('current') }),
  z.strictObject({ source: z.literal('draft'), settings: agentSettings }),
]);
export type TrialBody = z.input<typeof trialBody>;

export const trialView = z.object({
  source: z.enum(TRIAL_SOURCES),
  /** `current`: the number of the version in force now (the trial follows it). `draft`: null. */
  version: z.number().int().nullable(),
  /** `draft`: the settings being tried. `current`: null (they are the version's). */
  settings: agentSettings.nullable(),
  startedBy: z.string(),
  /** ISO */
  startedAt: z.string(),
  /** ISO: the trial stops by itself then. */
  expiresAt: z.string(),
});
export type TrialView = z.output<typeof trialView>;

/** `GET …/ai/trial` and the answer of `PUT`: `trial: null` when nothing is being tried. */
export const trialAnswer = z.object({ trial: trialView.nullable() });
export type TrialAnswer = z.output<typeof trialAnswer>;
