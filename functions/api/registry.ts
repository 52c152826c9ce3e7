import { openApiDocument } from './lib/openapi.js';
import { defineRoute, type Route } from './lib/route.js';
import { accountDeletionRoutes } from './routes/account-deletion.js';
import { adsRoutes } from './routes/ads.js';
import { aiSettingsRoutes } from './routes/ai.js';
import { aiContentRoutes } from './routes/ai-content.js';
import { aiConversationRoutes } from './routes/ai-conversations.js';
import { aiTrialRoutes } from './routes/ai-trial.js';
import { auditRoutes } from './routes/audit.js';
import { authRoutes } from './routes/auth.js';
import { billingRoutes } from './routes/billing.js';
import { businessRoutes } from './routes/businesses.js';
import { campaignAudienceRoutes } from './routes/campaign-audience.js';
import { campaignListRoutes } from './routes/campaign-lists.js';
import { campaignResultRoutes } from './routes/campaign-results.js';
import { campaignRoutes } from './routes/campaigns.js';
import { cartRecoveryRoutes } from './routes/cart-recovery.js';
import { channelRoutes } from './routes/channels.js';
import { contactRoutes } from './routes/contacts.js';
import { dataDeletionRoutes } from './routes/data-deletion.js';
import { devOutboxRoutes } from './routes/dev-outbox.js';
import { healthRoutes } from './routes/health.js';
import { inboxRoutes } from './routes/inbox.js';
import { meRoutes } from './routes/me.js';
import { mediaRoutes } from './routes/media.js';
import { orderNoticeRoutes } from './routes/order-notices.js';
import { privacyRoutes } from './routes/privacy.js';
import { salesRoutes } from './routes/sales.js';
import { shopifyRoutes } from './routes/shopify.js';
import { smsRoutes } from './routes/sms.js';
import { stockRoutes } from './routes/stock.js';
import { storeRoutes } from './routes/store.js';
import { teamRoutes } from './routes/team.js';

/**
 * Every API route, in one list: the router mounts it, the OpenAPI document describes it, and
 * the authorization test walks it. A route not listed here does not exist.
 */
const productRoutes: readonly Route[] = [
  ...healthRoutes,
  ...authRoutes,
  ...meRoutes,
  ...businessRoutes,
  ...teamRoutes,
  ...channelRoutes,
  ...inboxRoutes,
  ...contactRoutes,
  ...mediaRoutes,
  ...auditRoutes,
  ...billingRoutes,
  ...privacyRoutes,
  ...accountDeletionRoutes,
  ...dataDeletionRoutes,
  ...devOutboxRoutes,
  ...shopifyRoutes,
  ...smsRoutes,
  ...storeRoutes,
  ...stockRoutes,
  ...orderNoticeRoutes,
  ...cartRecoveryRoutes,
  ...aiSettingsRoutes,
  ...aiConversationRoutes,
  ...aiContentRoutes,
  ...aiTrialRoutes,
  ...campaignListRoutes,
  ...campaignAudienceRoutes,
  ...campaignRoutes,
  ...campaignResultRoutes,
  ...adsRoutes,
  ...salesRoutes,
];

let document: ReturnType<typeof openApiDocument> | undefined;

const openApiRoute = defineRoute({
  method: 'get',
  path: '/openapi.json',
  access: 'public',
  summary: 'This document',
  answers: { 200: { description: 'OpenAPI 3.1' } },
  handle({ c }) {
    document ??= openApiDocument(routes);
    return c.json(document);
  },
});

export const routes: readonly Route[] = [...productRoutes, openApiRoute];
