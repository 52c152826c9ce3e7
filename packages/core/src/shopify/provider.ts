import type { ProviderDeclaration } from '../platform/area.js';

/** Shopify's Admin API and token endpoint, as the shopify area declares them for their alarms. */
export const SHOPIFY_PROVIDER = {
  name: 'shopify',
  auth: "Shopify refused a shop's token or its refresh: that business's sync and stock pushes stop until it reconnects",
  rateLimit: 'Shopify kept throttling a shop past our waits: its sync and stock pushes are retried later',
} as const satisfies ProviderDeclaration;
