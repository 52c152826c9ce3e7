import { defineArea } from '../platform/area.js';
import { CHANNELS_API, INSTAGRAM_TOKEN_REFRESH_SCHEDULE } from './connect/schedule.js';
import { CHANNELS_DATA_CLASSES } from './data-classes.js';
import { MEDIA_QUEUE } from './meta/media-queue.js';
import { META_PROVIDER } from './meta/provider.js';
import { META_EVENTS_QUEUE } from './meta/queue.js';

/** Messaging channels: what Meta sends (WhatsApp, Instagram, Messenger) and how it reaches the inbox. */
export const channelsArea = defineArea({
  name: 'channels',
  providers: [META_PROVIDER],
  queues: [META_EVENTS_QUEUE, MEDIA_QUEUE],
  dataClasses: CHANNELS_DATA_CLASSES,
  schedules: [INSTAGRAM_TOKEN_REFRESH_SCHEDULE],
  api: CHANNELS_API,
  webhooks: [
    {
      name: 'meta',
      description: 'Meta: WhatsApp Cloud API, Instagram and Messenger deliveries and the GET handshake',
      handler: 'functions/webhooks/meta.handler',
      timeoutSeconds: 10,
      // One platform app for every business: the signature is checked with deployment secrets,
      // and the business is found per change by the worker. So no table and no tenant key here:
      // it queues the delivery, and stores bodies too large for SQS (claim check).
      access: { sends: ['meta-events'], blobs: ['PutObject'] },
      settings: { secrets: ['META_APP_SECRET', 'META_INSTAGRAM_APP_SECRET', 'META_VERIFY_TOKEN'] },
    },
  ],
});
