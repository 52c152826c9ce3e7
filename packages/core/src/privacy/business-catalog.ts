import { AI_BUSINESS_DATA } from '../ai/business-data.js';
import { CAMPAIGN_BUSINESS_DATA } from '../campaigns/campaign-data.js';
import { CAMPAIGN_LIST_BUSINESS_DATA } from '../campaigns/contact-data.js';
import type { BusinessData } from '../platform/area.js';

/**
 * How every area exports the business's own data (settings, what the team wrote) for the
 * account export: the export worker cannot import the composed product, so this list repeats
 * what the areas declare, and a test holds it equal to `PRODUCT.businessData`.
 */
export const BUSINESS_DATA: readonly BusinessData[] = [
  ...AI_BUSINESS_DATA,
  ...CAMPAIGN_LIST_BUSINESS_DATA,
  ...CAMPAIGN_BUSINESS_DATA,
];
