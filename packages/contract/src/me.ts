import * as z from 'zod';
import { businessSummarySchema, profileSchema } from './accounts.js';
import { pendingPoliciesAnswer } from './policies.js';

/** `GET /api/me`: the signed-in person, their businesses and the policy versions still to accept. */
export const meAnswer = z.object({
  user: profileSchema,
  businesses: z.array(businessSummarySchema),
  /** Documents whose current version the person has not accepted: the app asks before going on. */
  pendingPolicies: pendingPoliciesAnswer,
});
