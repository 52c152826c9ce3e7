import * as z from 'zod';

/** `GET /api/businesses/:tenantId/billing`: billing (iyzico) is not connected yet, so no subscription. */
export const billingAnswer = z.object({ subscription: z.null() });
