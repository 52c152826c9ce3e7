import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devOutbox, readOutbox } from '../src/notify/dev-outbox.js';
import { UnsafeMailHeaderError } from '../src/notify/headers.js';
import { deliverOnce } from '../src/notify/outbound.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * Whatever mailer sends a mail (here the dev outbox, as on `npm start`), its subject reaches
 * it on one line and an address with a line break never reaches it at all.
 */
const log = new Logger({ logLevel: 'SILENT' });
let test: TestPlatform;

beforeAll(async () => {
  test = await startTestPlatform();
});
afterAll(async () => {
  await test?.stop();
});

function deps() {
  const { store, keyring } = test.platform;
  return { store, keyring, log, mailer: devOutbox({ store, keyring }) };
}

const mail = {
  kind: 'invite' as const,
  to: 'mehmet@example.com',
  subject: 'Join Lale Butik\r\nBcc: attacker@example.com',
  text: 'Join us.',
  html: '<p>Join us.</p>',
  idempotencyKey: 'invite/header-outbox',
};

describe('sending a mail', () => {
  it('puts the subject on one line, keeping its words', async () => {
    await deliverOnce(deps(), 'b_lale', mail);

    const [kept] = await readOutbox(test.platform);
    expect(kept?.subject).toBe('Join Lale Butik Bcc: attacker@example.com');
    expect(kept?.to).toBe('mehmet@example.com');
  });

  it('refuses, for good, an address with a line break, and sends nothing', async () => {
    const before = await readOutbox(test.platform);
    const sent = deliverOnce(deps(), 'b_lale', {
      ...mail,
      to: 'mehmet@example.com\r\nBcc: attacker@example.com',
      idempotencyKey: 'invite/header-to',
    });

    await expect(sent).rejects.toThrow(UnsafeMailHeaderError);
    await expect(sent).rejects.toThrow('the to address holds a line break or control character');
    expect(await readOutbox(test.platform)).toHaveLength(before.length);
  });
});
