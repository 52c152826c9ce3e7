import { AI_CONTACT_DATA } from '../ai/contact-data.js';
import { CAMPAIGN_CONTACT_DATA } from '../campaigns/campaign-data.js';
import { CAMPAIGN_LIST_CONTACT_DATA } from '../campaigns/contact-data.js';
import { CAMPAIGN_TOUCH_CONTACT_DATA } from '../campaigns/settings-records.js';
import { INBOX_CONTACT_DATA } from '../inbox/contact-data.js';
import type { ContactData } from '../platform/area.js';
import { SHOPIFY_CONTACT_DATA } from '../shopify/contact-data.js';

/**
 * How every area exports and erases one contact's data, for the API, the workers and
 * `npm run privacy`: they cannot import the composed product (a function's bundle carries only
 * what it uses), so this list repeats what the areas declare, and a test holds it equal to
 * `PRODUCT.contactData`: an area that declares contact data and is left out here fails it.
 */
export const CONTACT_DATA: readonly ContactData[] = [
  ...INBOX_CONTACT_DATA,
  ...SHOPIFY_CONTACT_DATA,
  ...AI_CONTACT_DATA,
  ...CAMPAIGN_LIST_CONTACT_DATA,
  ...CAMPAIGN_TOUCH_CONTACT_DATA,
  ...CAMPAIGN_CONTACT_DATA,
];
