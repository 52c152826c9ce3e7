import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusiness, gettingStarted } from '../src/accounts/businesses.js';
import { createAccount } from '../src/accounts/people.js';
import {
  type ChannelItem,
  connectChannel,
  connectWhatsAppNumber,
  markChannelDisconnected,
} from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * The channel step of a business's getting-started checklist: no page connects a channel yet
 * (the demo business is seeded with one), so it is shown here on the records themselves.
 */
let test: TestPlatform;
const tenantId = 'b_first_steps';
beforeAll(async () => {
  test = await startTestPlatform();
  await createAccount(test.platform, { userId: 'u_owner', name: 'Ayşe', email: 'ayse@example.com', passwordHash: 'x' });
  await createBusiness(test.platform, { tenantId, name: 'Lale Butik', ownerId: 'u_owner' });
});
afterAll(() => test.stop());

describe('getting started', () => {
  it('ticks the channel step once a WhatsApp number is connected, and only in that business', async () => {
    expect((await gettingStarted(test.platform, tenantId)).steps.channel).toEqual({ done: false });
    await connectWhatsAppNumber(test.platform, tenantId, '100000000000009', 'Lale WhatsApp');
    const { steps } = await gettingStarted(test.platform, tenantId);
    expect(steps).toEqual({
      channel: { done: true },
      team: { done: false },
      store: { done: false },
      ai: { done: false },
    });
    expect((await gettingStarted(test.platform, 'b_other')).steps.channel).toEqual({ done: false });
  });

  it('counts only a real customer channel that is still connected, not the sandbox', async () => {
    const business = 'b_trying_out';
    await createBusiness(test.platform, { tenantId: business, name: 'Deneme Butik', ownerId: 'u_owner' });
    const channelStep = async () => (await gettingStarted(test.platform, business)).steps.channel;

    // Playing one's own customer in the sandbox is a try, not a channel customers reach.
    await connectChannel(test.platform, business, { kind: 'sandbox', externalId: 'sandbox', label: 'Sandbox' });
    expect(await channelStep()).toEqual({ done: false });

    await connectChannel(test.platform, business, { kind: 'instagram', externalId: '17841400000000901', label: 'IG' });
    expect(await channelStep()).toEqual({ done: true });

    // Disconnecting the only real channel opens the step again.
    const { data } = await test.platform.store.entities.channel
      .get({ tenantId: business, kind: 'instagram', externalId: '17841400000000901' })
      .go();
    await markChannelDisconnected(test.platform, data as ChannelItem);
    expect(await channelStep()).toEqual({ done: false });
  });
});
