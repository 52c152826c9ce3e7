import * as z from 'zod';

/**
 * `GET /api/health`: 200 when every component is up, 503 otherwise. Components carry details
 * (queue depths, the web build) on the local stage only.
 */
export const healthAnswer = z.object({
  status: z.enum(['ok', 'degraded']),
  stage: z.string(),
  components: z.record(z.string(), z.object({ status: z.enum(['ok', 'down']) }).loose()),
});
