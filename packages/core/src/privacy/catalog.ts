import { ACCOUNTS_DATA_CLASSES } from '../accounts/data-classes.js';
import { ADS_DATA_CLASSES } from '../ads/records.js';
import { AI_CONTENT_DATA_CLASSES } from '../ai/content-records.js';
import { AI_DATA_CLASSES } from '../ai/records.js';
import { AI_SETTINGS_DATA_CLASSES } from '../ai/settings-records.js';
import { AI_TRIAL_DATA_CLASSES } from '../ai/trial-records.js';
import { AUDIT_DATA_CLASSES } from '../audit/data-classes.js';
import { BILLING_DATA_CLASSES } from '../billing/data-classes.js';
import { USAGE_DATA_CLASSES } from '../billing/usage-records.js';
import { CAMPAIGN_DATA_CLASSES } from '../campaigns/campaign-data.js';
import { CAMPAIGN_LIST_DATA_CLASSES } from '../campaigns/data-classes.js';
import { CAMPAIGN_PACE_DATA_CLASSES } from '../campaigns/pace.js';
import { CAMPAIGN_SETTINGS_DATA_CLASSES } from '../campaigns/settings-records.js';
import { CART_RECOVERY_DATA_CLASSES } from '../cart-recovery/records.js';
import { CHANNELS_DATA_CLASSES } from '../channels/data-classes.js';
import { INBOX_DATA_CLASSES } from '../inbox/data-classes.js';
import { MAIL_DATA_CLASSES } from '../notify/data-classes.js';
import { ORDER_NOTICE_DATA_CLASSES } from '../order-notices/records.js';
import type { DataClass } from '../platform/area.js';
import { PLATFORM_DATA_CLASSES } from '../platform/data-classes.js';
import { SHOPIFY_DATA_CLASSES } from '../shopify/data-classes.js';
import { SMS_DATA_CLASSES } from '../sms/data-classes.js';
import { STOCK_DATA_CLASSES } from '../stock/records.js';
import { TENANCY_DATA_CLASSES } from '../tenancy/data-classes.js';
import { CONTACT_EXPORT_DATA_CLASSES } from './contact-exports.js';
import { META_DATA_DELETION_DATA_CLASSES, PRIVACY_DATA_CLASSES } from './data-classes.js';
import { PRIVACY_REQUEST_DATA_CLASSES } from './privacy-requests.js';
import { TRANSFER_AGREEMENT_DATA_CLASSES } from './requests.js';

/**
 * Every data class, for the purge function and `npm run purge`: they cannot import the composed
 * product (a function's bundle carries only what it uses), so this list repeats what the areas
 * declare, and a test holds it equal to `PRODUCT.dataClasses`: an area that declares a class
 * and is left out here fails it.
 */
export const DATA_CLASSES: readonly DataClass[] = [
  ...PLATFORM_DATA_CLASSES,
  ...TENANCY_DATA_CLASSES,
  ...ACCOUNTS_DATA_CLASSES,
  ...AUDIT_DATA_CLASSES,
  ...INBOX_DATA_CLASSES,
  ...CHANNELS_DATA_CLASSES,
  ...MAIL_DATA_CLASSES,
  ...PRIVACY_DATA_CLASSES,
  ...TRANSFER_AGREEMENT_DATA_CLASSES,
  ...PRIVACY_REQUEST_DATA_CLASSES,
  ...CONTACT_EXPORT_DATA_CLASSES,
  ...META_DATA_DELETION_DATA_CLASSES,
  ...SHOPIFY_DATA_CLASSES,
  ...SMS_DATA_CLASSES,
  ...ORDER_NOTICE_DATA_CLASSES,
  ...AI_SETTINGS_DATA_CLASSES,
  ...AI_DATA_CLASSES,
  ...AI_TRIAL_DATA_CLASSES,
  ...AI_CONTENT_DATA_CLASSES,
  ...CAMPAIGN_LIST_DATA_CLASSES,
  ...CAMPAIGN_SETTINGS_DATA_CLASSES,
  ...CAMPAIGN_DATA_CLASSES,
  ...CAMPAIGN_PACE_DATA_CLASSES,
  ...CART_RECOVERY_DATA_CLASSES,
  ...ADS_DATA_CLASSES,
  ...STOCK_DATA_CLASSES,
  ...BILLING_DATA_CLASSES,
  ...USAGE_DATA_CLASSES,
];
