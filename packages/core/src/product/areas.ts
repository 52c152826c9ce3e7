import { accountsArea } from '../accounts/area.js';
import { adsArea } from '../ads/area.js';
import { aiArea } from '../ai/area.js';
import { auditArea } from '../audit/area.js';
import { billingArea } from '../billing/area.js';
import { campaignsArea } from '../campaigns/area.js';
import { cartRecoveryArea } from '../cart-recovery/area.js';
import { channelsArea } from '../channels/area.js';
import { inboxArea } from '../inbox/area.js';
import { mailArea } from '../notify/area.js';
import { opsArea } from '../ops/area.js';
import { orderNoticesArea } from '../order-notices/area.js';
import { EVERY_DEAD_LETTER_QUEUE, EVERY_QUEUE } from '../platform/access.js';
import { composeAreas, defineArea } from '../platform/area.js';
import { KEY_RECORDS } from '../platform/crypto/records.js';
import { PLATFORM_DATA_CLASSES } from '../platform/data-classes.js';
import { SETTLED_MESSAGE_RECORDS } from '../platform/queue/records.js';
import { privacyArea } from '../privacy/area.js';
import { shopifyArea } from '../shopify/area.js';
import { smsArea } from '../sms/area.js';
import { stockArea } from '../stock/area.js';
import { tenancyArea } from '../tenancy/area.js';

/**
 * The product: every area, composed. The stacks, the local runtime, `npm run invoke`, the
 * benchmarks and the infrastructure tests read this one list; adding an area means adding it
 * here, and adding a queue or schedule to an area touches only that area's folder and the
 * handler file.
 *
 * Handlers do not import this module: each imports only its own area's declarations, so a
 * function's bundle carries only what its code uses.
 */

/**
 * What the platform itself keeps in the table: each tenant's wrapped data key, and which queue
 * messages were finished for good.
 */
const platformArea = defineArea({
  name: 'platform',
  records: { ...KEY_RECORDS, ...SETTLED_MESSAGE_RECORDS },
  dataClasses: PLATFORM_DATA_CLASSES,
});

/** The one API router behind `/api/*`; each area adds what its routes need. */
const API_FUNCTION = {
  description: 'Asistone API: every /api/* request, one Hono router',
  handler: 'functions/api/router.handler',
  timeoutSeconds: 29,
  // Health: DescribeTable, HeadBucket, the depth of every queue and dead-letter queue, KMS answers.
  access: {
    table: ['DescribeTable'],
    headBucket: true,
    inspects: [EVERY_QUEUE, EVERY_DEAD_LETTER_QUEUE],
    keyService: true,
  },
} as const;

export const PRODUCT = composeAreas(
  [
    platformArea,
    tenancyArea,
    accountsArea,
    auditArea,
    inboxArea,
    channelsArea,
    mailArea,
    opsArea,
    privacyArea,
    shopifyArea,
    smsArea,
    orderNoticesArea,
    aiArea,
    campaignsArea,
    cartRecoveryArea,
    adsArea,
    stockArea,
    billingArea,
  ],
  API_FUNCTION,
);
