import type { SSTConfig } from 'sst';
import { Api } from './stacks/Api.js';
import { Jobs } from './stacks/Jobs.js';
import { Keys } from './stacks/Keys.js';
import { Queues } from './stacks/Queues.js';
import { Storage } from './stacks/Storage.js';
import { Web } from './stacks/Web.js';
import { Webhooks } from './stacks/Webhooks.js';

export default {
  config() {
    return { name: 'asistone', region: 'eu-central-1' };
  },
  stacks(app) {
    app.stack(Keys).stack(Storage).stack(Queues).stack(Webhooks).stack(Jobs).stack(Api).stack(Web);
  },
} satisfies SSTConfig;
