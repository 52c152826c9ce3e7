import { lazy } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { Lazy } from '../components/Lazy';
import { AreaPage } from '../pages/areas/AreaPage';
import { DevOutboxPage } from '../pages/public/DevOutboxPage';
import { ForgotPasswordPage } from '../pages/public/ForgotPasswordPage';
import { HomeRedirect } from '../pages/public/HomeRedirect';
import { InvitePage } from '../pages/public/InvitePage';
import { LegalPage } from '../pages/public/LegalPage';
import { LoginPage } from '../pages/public/LoginPage';
import { NotFoundPage, NotFoundState } from '../pages/public/NotFoundPage';
import { ResetPasswordPage } from '../pages/public/ResetPasswordPage';
import { SignupPage } from '../pages/public/SignupPage';
import { VerifyEmailPage } from '../pages/public/VerifyEmailPage';
import { BillingPage } from '../pages/settings/BillingPage';
import { SecurityPage } from '../pages/settings/SecurityPage';
import { SessionsPage } from '../pages/settings/SessionsPage';
import { SettingsLayout } from '../pages/settings/SettingsLayout';
import { TeamPage } from '../pages/settings/team/TeamPage';
import { RequireSession } from '../session/RequireSession';
import { BusinessHome } from '../shell/BusinessHome';
import { BusinessRoute } from '../shell/BusinessRoute';

// The audit log brings the date picker (and dayjs): loaded when first opened.
const AuditPage = lazy(() => import('../pages/audit/AuditPage').then((module) => ({ default: module.AuditPage })));

const PLACEHOLDER_AREAS = ['inbox', 'contacts', 'campaigns', 'ai', 'store', 'inventory', 'ads', 'privacy'] as const;

/** Every page of the app. Business pages live under `/b/:tenantId/`. */
export const router = createBrowserRouter([
  { path: '/', element: <HomeRedirect /> },
  { path: '/login', element: <LoginPage /> },
  { path: '/signup', element: <SignupPage /> },
  { path: '/verify-email', element: <VerifyEmailPage /> },
  { path: '/forgot-password', element: <ForgotPasswordPage /> },
  { path: '/reset-password', element: <ResetPasswordPage /> },
  { path: '/invite/:token', element: <InvitePage /> },
  { path: '/dev/outbox', element: <DevOutboxPage /> },
  { path: '/terms', element: <LegalPage kind="terms" /> },
  { path: '/privacy', element: <LegalPage kind="privacy" /> },
  {
    element: <RequireSession />,
    children: [
      {
        path: '/b/:tenantId',
        element: <BusinessRoute />,
        children: [
          { index: true, element: <BusinessHome /> },
          ...PLACEHOLDER_AREAS.map((area) => ({ path: area, element: <AreaPage area={area} /> })),
          {
            path: 'settings',
            element: <SettingsLayout />,
            children: [
              { index: true, element: <Navigate to="team" replace /> },
              { path: 'team', element: <TeamPage /> },
              { path: 'sessions', element: <SessionsPage /> },
              { path: 'security', element: <SecurityPage /> },
              { path: 'billing', element: <BillingPage /> },
              { path: 'audit', element: <Lazy page={AuditPage} /> },
            ],
          },
          { path: '*', element: <NotFoundState /> },
        ],
      },
    ],
  },
  { path: '*', element: <NotFoundPage /> },
]);
