import * as z from 'zod';
import { readLinksConfig } from '../platform/config.js';
import { ConfigError } from '../platform/errors.js';
import { iyzicoClient } from './iyzico-client.js';

/**
 * Billing's settings: iyzico's API (the fake's URL on the local stack; iyzico's sandbox unless
 * set) and Asistone's legal identity, printed as the seller on every invoice (set
 * SELLER_LEGAL_NAME and SELLER_ADDRESS on every stage that bills). The keys are app
 * secrets (IYZICO_API_KEY, IYZICO_SECRET_KEY).
 */
const text = (fallback: string) =>
  z.preprocess((value) => (value === '' ? undefined : value), z.string().min(1).default(fallback));
const optional = z.preprocess((value) => (value === '' ? undefined : value), z.string().min(1).optional());

const billingSchema = z.object({
  IYZICO_BASE_URL: text('https://sandbox-api.iyzipay.com').transform((url) => url.replace(/\/+$/, '')),
  IYZICO_API_KEY: optional,
  IYZICO_SECRET_KEY: optional,
  SELLER_LEGAL_NAME: text('Asistone'),
  SELLER_ADDRESS: text('(SELLER_ADDRESS is not set)'),
  SELLER_TAX_OFFICE: optional,
  SELLER_TAX_NUMBER: optional,
});

export type BillingConfig = z.output<typeof billingSchema>;

export function readBillingConfig(env: Record<string, string | undefined>): BillingConfig {
  return billingSchema.parse(env);
}

export function sellerOf(config: BillingConfig) {
  return {
    name: config.SELLER_LEGAL_NAME,
    address: config.SELLER_ADDRESS,
    taxOffice: config.SELLER_TAX_OFFICE,
    taxNumber: config.SELLER_TAX_NUMBER,
  };
}

/**
 * What billing's background functions (the notifications' worker, the sweep) need from their
 * settings: iyzico's client (its keys are required: they act on subscriptions), the seller, and
 * the app's URL for the notices' links.
 */
export function billingBackground(env: Record<string, string | undefined>) {
  const config = readBillingConfig(env);
  if (!config.IYZICO_API_KEY || !config.IYZICO_SECRET_KEY) {
    throw new ConfigError('invalid configuration: IYZICO_API_KEY and IYZICO_SECRET_KEY must be set');
  }
  const iyzico = iyzicoClient({
    baseUrl: config.IYZICO_BASE_URL,
    apiKey: config.IYZICO_API_KEY,
    secretKey: config.IYZICO_SECRET_KEY,
  });
  return { iyzico, seller: sellerOf(config), appUrl: readLinksConfig(env).APP_URL };
}
