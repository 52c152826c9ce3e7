import { defineArea } from '../platform/area.js';
import { ADS_RECOMMENDATIONS_QUEUE, ADS_SYNC_QUEUE, ADS_SYNC_SCHEDULE } from './queue.js';
import { ADS_DATA_CLASSES, ADS_RECORDS } from './records.js';

/**
 * Meta ad insights: the business's connected ad accounts, their daily figures per level, and the
 * recommendations asked for. The sync is its own schedule and worker; the joins to conversations
 * and orders read the inbox's referrals and the Shopify copy when the page asks.
 */
export const adsArea = defineArea({
  name: 'ads',
  records: ADS_RECORDS,
  dataClasses: ADS_DATA_CLASSES,
  queues: [ADS_SYNC_QUEUE, ADS_RECOMMENDATIONS_QUEUE],
  schedules: [ADS_SYNC_SCHEDULE],
  // The routes connect and disconnect accounts (with the app's secret), read the figures and
  // queue requests for recommendations.
  api: {
    access: {
      table: ['GetItem', 'PutItem', 'UpdateItem', 'Query'],
      tenantKeys: ['Decrypt'],
      sends: ['ads-sync', 'ads-recommendations'],
    },
    settings: { secrets: ['META_APP_SECRET'], metaGraph: true },
  },
});
