import { createBrowserRouter, Navigate } from 'react-router';
import { FullPageLoader } from '../components/FullPageLoader';
import { RequireSession } from '../session/RequireSession';

/*
 * Pages are not in the first download: the router loads them when first visited (the first
 * page shows the loader meanwhile). They load by section, every page of a section at once, so
 * moving within a section (sign-in → forgot password, one settings tab → another) stays
 * instant as when the app was one bundle: the router never leaves the previous form on screen,
 * still taking input, while the next one loads. Each page is still a chunk of its own.
 */

/** Sign-in, sign-up and the other pages seen before signing in. */
const publicPages = async () => {
  const [home, login, signup, verify, forgot, reset, invite, outbox, legal, notFound] = await Promise.all([
    import('../pages/public/HomeRedirect'),
    import('../pages/public/LoginPage'),
    import('../pages/public/SignupPage'),
    import('../pages/public/VerifyEmailPage'),
    import('../pages/public/ForgotPasswordPage'),
    import('../pages/public/ResetPasswordPage'),
    import('../pages/public/InvitePage'),
    import('../pages/public/DevOutboxPage'),
    import('../pages/public/LegalPage'),
    import('../pages/public/NotFoundPage'),
  ]);
  return { ...home, ...login, ...signup, ...verify, ...forgot, ...reset, ...invite, ...outbox, ...legal, ...notFound };
};

/** A business's frame (header, navigation) and its areas. */
const businessPages = async () => {
  const [route, home, area, notFound] = await Promise.all([
    import('../shell/BusinessRoute'),
    import('../shell/BusinessHome'),
    import('../pages/areas/AreaPage'),
    import('../pages/public/NotFoundPage'),
  ]);
  return { ...route, ...home, ...area, ...notFound };
};

/**
 * Settings and its tabs: switching tabs swaps the page at once (remounting it, so it refetches).
 * The audit log loads on its own: it brings the date picker (and dayjs).
 */
const settingsPages = async () => {
  const [layout, team, sessions, security, billing] = await Promise.all([
    import('../pages/settings/SettingsLayout'),
    import('../pages/settings/team/TeamPage'),
    import('../pages/settings/SessionsPage'),
    import('../pages/settings/SecurityPage'),
    import('../pages/settings/BillingPage'),
  ]);
  return { ...layout, ...team, ...sessions, ...security, ...billing };
};

/** The inbox and its simulator: loaded together, on first visit. */
const inboxPages = async () => {
  const [inbox, simulator] = await Promise.all([
    import('../pages/inbox/InboxPage'),
    import('../pages/inbox/SimulatorPage'),
  ]);
  return { ...inbox, ...simulator };
};

const PLACEHOLDER_AREAS = ['contacts', 'ai'] as const;

/** Every page of the app. Business pages live under `/b/:tenantId/`. */
export const router = createBrowserRouter([
  {
    HydrateFallback: FullPageLoader,
    children: [
      { path: '/', lazy: { Component: async () => (await publicPages()).HomeRedirect } },
      { path: '/login', lazy: { Component: async () => (await publicPages()).LoginPage } },
      { path: '/signup', lazy: { Component: async () => (await publicPages()).SignupPage } },
      { path: '/verify-email', lazy: { Component: async () => (await publicPages()).VerifyEmailPage } },
      { path: '/forgot-password', lazy: { Component: async () => (await publicPages()).ForgotPasswordPage } },
      { path: '/reset-password', lazy: { Component: async () => (await publicPages()).ResetPasswordPage } },
      { path: '/invite/:token', lazy: { Component: async () => (await publicPages()).InvitePage } },
      { path: '/dev/outbox', lazy: { Component: async () => (await publicPages()).DevOutboxPage } },
      {
        // Meta's data deletion status link (public, rarely visited): loads on its own.
        path: '/data-deletion/:code',
        lazy: {
          Component: async () => (await import('../pages/public/DataDeletionStatusPage')).DataDeletionStatusPage,
        },
      },
      {
        // Local stack only, and only for playing a customer: loads on its own.
        path: '/dev/customer',
        lazy: { Component: async () => (await import('../pages/public/DevCustomerPage')).DevCustomerPage },
      },
      ...(['terms', 'privacy'] as const).map((kind) => ({
        path: `/${kind}`,
        lazy: {
          element: async () => {
            const { LegalPage } = await publicPages();
            return <LegalPage kind={kind} />;
          },
        },
      })),
      {
        element: <RequireSession />,
        children: [
          {
            // Rarely visited (a first or another business): loads on its own.
            path: '/new-business',
            lazy: { Component: async () => (await import('../pages/businesses/NewBusinessPage')).NewBusinessPage },
          },
          {
            path: '/b/:tenantId',
            lazy: { Component: async () => (await businessPages()).BusinessRoute },
            children: [
              { index: true, lazy: { Component: async () => (await businessPages()).BusinessHome } },
              { path: 'inbox', lazy: { Component: async () => (await inboxPages()).InboxPage } },
              { path: 'inbox/simulator', lazy: { Component: async () => (await inboxPages()).SimulatorPage } },
              { path: 'inbox/:conversationId', lazy: { Component: async () => (await inboxPages()).InboxPage } },
              {
                // A customer's card and their rights (export, correction, restriction, erasure). Loads on its own.
                path: 'contacts/:contactId',
                lazy: { Component: async () => (await import('../pages/contacts/ContactPage')).ContactPage },
              },
              {
                // The store: Shopify connection, orders, customers, products. Loads on its own.
                path: 'store',
                lazy: { Component: async () => (await import('../pages/store/StorePage')).StorePage },
              },
              {
                path: 'store/orders/:orderId',
                lazy: { Component: async () => (await import('../pages/store/OrderPage')).OrderPage },
              },
              {
                // The privacy area: sub-processors, transfer agreements, data requests. Loads on its own.
                path: 'privacy',
                lazy: { Component: async () => (await import('../pages/privacy/PrivacyPage')).PrivacyPage },
              },
              {
                // Campaigns: recipient lists (uploaded or selected from the inbox) and one list's import. Load together.
                path: 'campaigns',
                lazy: { Component: async () => (await import('../pages/campaigns/CampaignsPage')).CampaignsPage },
              },
              {
                path: 'campaigns/carts',
                lazy: {
                  Component: async () => (await import('../pages/campaigns/CartRecoveryPage')).CartRecoveryPage,
                },
              },
              {
                path: 'campaigns/lists/:listId',
                lazy: {
                  Component: async () => (await import('../pages/campaigns/CampaignListPage')).CampaignListPage,
                },
              },
              {
                // Composing a campaign, and changing a draft. Loads on its own.
                path: 'campaigns/new',
                lazy: {
                  Component: async () => (await import('../pages/campaigns/CampaignEditorPage')).CampaignEditorPage,
                },
              },
              {
                path: 'campaigns/:campaignId/edit',
                lazy: {
                  Component: async () => (await import('../pages/campaigns/CampaignEditorPage')).CampaignEditorPage,
                },
              },
              {
                // One campaign's results: progress, funnel, failures, recipients, export, orders. Loads on its own.
                path: 'campaigns/:campaignId',
                lazy: {
                  Component: async () => (await import('../pages/campaigns/CampaignResultsPage')).CampaignResultsPage,
                },
              },
              {
                // Who a campaign would reach, why not the others, the cost; campaign settings. Loads on its own.
                path: 'campaigns/audience',
                lazy: {
                  Component: async () => (await import('../pages/campaigns/CampaignAudiencePage')).CampaignAudiencePage,
                },
              },
              {
                // Meta ads: accounts, figures, charts, export and recommendations. Loads on its own.
                path: 'ads',
                lazy: { Component: async () => (await import('../pages/ads/AdsPage')).AdsPage },
              },
              {
                // The back office: orders across channels and the sales report, each a tab.
                path: 'inventory',
                lazy: { Component: async () => (await import('../pages/inventory/InventoryPage')).InventoryPage },
              },
              ...PLACEHOLDER_AREAS.map((area) => ({
                path: area,
                lazy: {
                  element: async () => {
                    const { AreaPage } = await businessPages();
                    return <AreaPage area={area} />;
                  },
                },
              })),
              {
                path: 'settings',
                lazy: { Component: async () => (await settingsPages()).SettingsLayout },
                children: [
                  { index: true, element: <Navigate to="team" replace /> },
                  { path: 'team', lazy: { Component: async () => (await settingsPages()).TeamPage } },
                  { path: 'sessions', lazy: { Component: async () => (await settingsPages()).SessionsPage } },
                  { path: 'security', lazy: { Component: async () => (await settingsPages()).SecurityPage } },
                  { path: 'billing', lazy: { Component: async () => (await settingsPages()).BillingPage } },
                  {
                    path: 'channels',
                    lazy: {
                      Component: async () => (await import('../pages/settings/channels/ChannelsPage')).ChannelsPage,
                    },
                  },
                  {
                    path: 'audit',
                    lazy: { Component: async () => (await import('../pages/audit/AuditPage')).AuditPage },
                  },
                  {
                    path: 'sms',
                    lazy: { Component: async () => (await import('../pages/settings/SmsSettings')).SmsSettings },
                  },
                  {
                    path: 'notifications',
                    lazy: {
                      Component: async () =>
                        (await import('../pages/settings/OrderNoticesSettings')).OrderNoticesSettings,
                    },
                  },
                  {
                    path: 'ai',
                    lazy: {
                      Component: async () => (await import('../pages/settings/AiAgentSettings')).AiAgentSettings,
                    },
                  },
                ],
              },
              { path: '*', lazy: { Component: async () => (await businessPages()).NotFoundState } },
            ],
          },
        ],
      },
      { path: '*', lazy: { Component: async () => (await publicPages()).NotFoundPage } },
    ],
  },
]);
