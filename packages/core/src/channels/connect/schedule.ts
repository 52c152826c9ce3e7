import type { Access, FunctionSettings } from '../../platform/access.js';
import type { ScheduleDeclaration } from '../../platform/area.js';

/**
 * Keeps Instagram Login tokens alive: they last 60 days and can be refreshed only when at least
 * a day old and not yet expired, so a daily run refreshes those expiring within 10 days (several
 * chances before one lapses), marks the rest `expiring`/`expired`, and mails owners and admins
 * once per expiry. Its own function: it holds no API secret, only the table, keys and mail queue.
 */
export const INSTAGRAM_TOKEN_REFRESH_SCHEDULE = {
  name: 'instagram-token-refresh',
  description: 'Refreshes Instagram Login tokens before they lapse and warns owners of the ones that will',
  handler: 'functions/schedules/instagram-token-refresh.handler',
  // 03:17 UTC daily: off the hour, when Turkish merchants are asleep.
  cron: '17 3 * * *',
  timeoutSeconds: 120,
  // Reads tokens by expiry (gsi2) and the owners' accounts, writes channels, opens and seals
  // tokens and mails with existing keys, queues the reminders.
  access: { table: ['GetItem', 'PutItem', 'Query'], tenantKeys: ['Decrypt'], sends: ['mail'] } satisfies Access,
  settings: { appUrl: true, metaGraph: true } satisfies FunctionSettings,
} as const satisfies ScheduleDeclaration;

/** What the API does for the channel routes: connect (Meta, with the app's secrets), list, test, simulate. */
export const CHANNELS_API = {
  access: { table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'], tenantKeys: ['Decrypt'] },
  settings: { secrets: ['META_APP_SECRET', 'META_INSTAGRAM_APP_SECRET'], metaGraph: true },
} as const satisfies { access: Access; settings: FunctionSettings };
