import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusiness, gettingStarted } from '../src/accounts/businesses.js';
import { createAccount } from '../src/accounts/people.js';
import { AUDIT_RECORDS } from '../src/audit/records.js';
import { SHOPIFY_CONNECTION_RECORDS } from '../src/shopify/connection-records.js';
import { disconnectShop, saveShopConnection } from '../src/shopify/oauth.js';
import { connectedShop } from '../src/shopify/tokens.js';
import {
  type ChannelItem,
  connectChannel,
  connectWhatsAppNumber,
  markChannelDisconnected,
} from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * The channel and store steps of a business's getting-started checklist, on the records
 * themselves; the store step asks the shopify area, as the API's route does.
 */
let test: TestPlatform;
const shops = () => test.platform.storeOf({ ...SHOPIFY_CONNECTION_RECORDS, ...AUDIT_RECORDS });
const steps = async (business: string) =>
  (await gettingStarted(test.platform, business, async () => (await connectedShop(shops(), business)) !== undefined))
    .steps;
const tenantId = 'b_first_steps';
beforeAll(async () => {
  test = await startTestPlatform();
  await createAccount(test.platform, { userId: 'u_owner', name: 'Ayşe', email: 'ayse@example.com', passwordHash: 'x' });
  await createBusiness(test.platform, { tenantId, name: 'Lale Butik', ownerId: 'u_owner' });
});
afterAll(() => test.stop());

describe('getting started', () => {
  it('ticks the channel step once a WhatsApp number is connected, and only in that business', async () => {
    expect((await steps(tenantId)).channel).toEqual({ done: false });
    await connectWhatsAppNumber(test.platform, tenantId, '100000000000009', 'Lale WhatsApp');
    expect(await steps(tenantId)).toEqual({
      channel: { done: true },
      team: { done: false },
      store: { done: false },
      ai: { done: false },
    });
    expect((await steps('b_other')).channel).toEqual({ done: false });
  });

  it('counts only a real customer channel that is still connected, not the sandbox', async () => {
    const business = 'b_trying_out';
    await createBusiness(test.platform, { tenantId: business, name: 'Deneme Butik', ownerId: 'u_owner' });
    const channelStep = async () => (await steps(business)).channel;

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

  it('ticks the store step while a Shopify store is connected, and opens it again on disconnect', async () => {
    const business = 'b_with_a_store';
    await createBusiness(test.platform, { tenantId: business, name: 'Mağaza Butik', ownerId: 'u_owner' });
    expect((await steps(business)).store).toEqual({ done: false });

    const hour = 3600_000;
    await saveShopConnection(
      { store: shops(), keyring: test.platform.keyring },
      business,
      'magaza-butik.myshopify.com',
      {
        accessToken: 'shpat_test',
        accessTokenExpiresAt: Date.now() + hour,
        refreshToken: 'shprt_test',
        refreshTokenExpiresAt: Date.now() + 90 * 24 * hour,
        scopes: 'read_orders',
      },
      'u_owner',
    );
    expect((await steps(business)).store).toEqual({ done: true });
    expect((await steps(tenantId)).store).toEqual({ done: false });

    await disconnectShop({ store: shops(), log: new Logger({ logLevel: 'SILENT' }) }, { userId: 'u_owner' }, business);
    expect((await steps(business)).store).toEqual({ done: false });
  });
});
