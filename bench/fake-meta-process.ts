import { type FakeMetaOptions, startFakeMeta } from '../packages/local/src/fakes/meta.js';

/**
 * The fake Meta in a process of its own, for the pacing benchmark: WhatsApp counts a number's
 * throughput on its own clock, and a fake sharing its event loop with the local DynamoDB would
 * see sends late and bunched whenever the database works. Prints `{"url"}` once listening and
 * stops when its parent closes its input.
 */
const app = JSON.parse(process.argv[2] ?? '{}') as Omit<FakeMetaOptions, 'webhookUrl'>;
const fake = await startFakeMeta({
  ...app,
  webhookUrl: () => 'http://127.0.0.1:9/unused',
  statusWebhooks: false,
});
process.stdout.write(`${JSON.stringify({ url: fake.url })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void fake.stop().then(() => process.exit(0));
});
