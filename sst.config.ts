import type { SSTConfig } from 'sst';
import { Api } from './stacks/Api.js';
import { Jobs } from './stacks/Jobs.js';
import { Keys } from './stacks/Keys.js';
import { Monitoring } from './stacks/Monitoring.js';
import { Queues } from './stacks/Queues.js';
import { Storage } from './stacks/Storage.js';
import { Web } from './stacks/Web.js';
import { Webhooks } from './stacks/Webhooks.js';

export default {
  config(input) {
    // `local` names the embedded stack on one machine; a cloud stage by that name would be confusing.
    if (input.stage === 'local') throw new Error('the stage name "local" is reserved for npm start');
    return { name: 'asistone', region: 'eu-central-1' };
  },
  stacks(app) {
    app.stack(Keys).stack(Storage).stack(Queues).stack(Webhooks).stack(Jobs).stack(Api).stack(Web).stack(Monitoring);
  },
} satisfies SSTConfig;
