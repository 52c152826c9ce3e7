import * as z from 'zod';
import { businessSummarySchema, profileSchema } from './accounts.js';

/** `GET /api/me`: the signed-in person and their businesses. */
export const meAnswer = z.object({ user: profileSchema, businesses: z.array(businessSummarySchema) });
