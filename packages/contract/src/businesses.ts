import * as z from 'zod';
import { businessSummarySchema, nameSchema } from './accounts.js';

/** A person's businesses: `POST /api/businesses` and the getting-started checklist of one. */

/** `POST /api/businesses`: a business name follows the same rule as at sign-up. */
export const newBusinessBody = z.object({ name: nameSchema });
/** 201: the new business, the caller as its owner. */
export const newBusinessAnswer = businessSummarySchema;

const stepSchema = z.object({ done: z.boolean() });

/**
 * `GET /api/businesses/:tenantId/getting-started`: which first steps are done. `channel`: a
 * WhatsApp, Instagram or Messenger channel is connected; `team`: someone besides the owner
 * joined or is invited; `store` and `ai` stay false until those areas exist.
 */
export const gettingStartedAnswer = z.object({
  steps: z.object({ channel: stepSchema, team: stepSchema, store: stepSchema, ai: stepSchema }),
});
