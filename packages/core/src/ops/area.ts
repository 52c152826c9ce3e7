import { EVERY_DEAD_LETTER_QUEUE } from '../platform/access.js';
import { defineArea } from '../platform/area.js';

/** What keeps the product healthy without anyone watching: dead letters are counted and reported. */
export const opsArea = defineArea({
  name: 'ops',
  schedules: [
    {
      name: 'dead-letter-watch',
      description: 'Counts messages waiting in every dead-letter queue and reports them, so none sit unnoticed',
      handler: 'functions/schedules/dead-letter-watch.handler',
      cron: '7 * * * *',
      timeoutSeconds: 60,
      // Reads the depth of every dead-letter queue, nothing else.
      access: { inspects: [EVERY_DEAD_LETTER_QUEUE] },
    },
  ],
});
