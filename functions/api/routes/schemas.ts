import { ROLES } from '@asistone/core/accounts/permissions';
import * as z from 'zod';

/** Answer shapes shared by several routes, for the OpenAPI document. */

export const role = z.enum(ROLES);

export const message = z.object({ message: z.string() });

export const profile = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  totpEnabled: z.boolean(),
});

export const businessSummary = z.object({ tenantId: z.string(), name: z.string(), role });

export const accessToken = z.object({ accessToken: z.string(), expiresIn: z.number().int() });
