import {
  accessTokenAnswer,
  messageAnswer,
  passwordResetConfirmBody,
  passwordResetRequestBody,
  recoveryCodesAnswer,
  secondFactorAnswer,
  secondFactorProofBody,
  sessionsAnswer,
  signInAnswer,
  signInBody,
  signUpBody,
  totpDisableAnswer,
  totpEnableAnswer,
  totpEnableBody,
  totpSetupAnswer,
  verifyEmailAnswer,
  verifyEmailBody,
} from '@asistone/contract/auth';
import { confirmPasswordReset, requestPasswordReset } from '@asistone/core/accounts/password-reset';
import {
  describeSecondFactor,
  disableTotp,
  enableTotp,
  regenerateRecoveryCodes,
  setUpTotp,
} from '@asistone/core/accounts/second-factor';
import {
  endSessionOf,
  listSessions,
  refreshGraceSeconds,
  refreshSession,
  revokeOwnSession,
} from '@asistone/core/accounts/sessions';
import { signIn } from '@asistone/core/accounts/sign-in';
import { confirmSignUp, signUp } from '@asistone/core/accounts/sign-up';
import { isLocalStack } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import { UnauthenticatedError } from '@asistone/core/platform/errors';
import { accounts } from '../lib/deps.js';
import { clearRefreshCookie, refreshCookie, setRefreshCookie } from '../lib/request.js';
import { defineRoute } from '../lib/route.js';

/** Sign-up, sign-in, sessions, password reset and the second factor: `/api/auth/*`. */

const SIGN_UP_ANSWER = 'Check your inbox: we sent you a link to confirm your email address.';
const RESET_ANSWER = 'If an account uses this address, we sent it a link to choose a new password.';

let graceSeconds: number | undefined;
/** Read once per process; only the local stack may shorten it (for tests). */
const refreshGrace = () => (graceSeconds ??= refreshGraceSeconds(process.env, isLocalStack(platform().config)));

export const authRoutes = [
  defineRoute({
    method: 'post',
    path: '/auth/signup',
    access: 'public',
    summary: 'Start a sign-up: a confirmation link is mailed (same answer whether the address is taken or not)',
    body: signUpBody,
    answers: { 202: { description: 'Accepted', schema: messageAnswer } },
    async handle({ c, body, origin }) {
      await signUp(await accounts(), body, origin);
      return c.json({ message: SIGN_UP_ANSWER }, 202);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/verify-email',
    access: 'public',
    summary: 'Confirm the email address: creates the account and the business',
    body: verifyEmailBody,
    answers: { 200: { description: 'Confirmed', schema: verifyEmailAnswer } },
    async handle({ c, body }) {
      await confirmSignUp(await accounts(), body.token);
      return c.json({ verified: true as const });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/login',
    access: 'public',
    summary: 'Sign in; sets the refresh cookie',
    body: signInBody,
    answers: { 200: { description: 'Signed in', schema: signInAnswer } },
    async handle({ c, body, origin }) {
      const { refreshToken, ...signedIn } = await signIn(await accounts(), body, origin);
      setRefreshCookie(c, refreshToken);
      c.header('cache-control', 'no-store');
      return c.json(signedIn);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/refresh',
    access: 'public',
    summary: 'A new access token for the refresh cookie, which is rotated',
    answers: { 200: { description: 'Refreshed', schema: accessTokenAnswer } },
    async handle({ c, origin }) {
      const presented = refreshCookie(c);
      if (!presented) throw new UnauthenticatedError();
      try {
        const { refreshToken, accessToken, expiresIn } = await refreshSession(await accounts(), presented, origin, {
          graceSeconds: refreshGrace(),
        });
        setRefreshCookie(c, refreshToken);
        c.header('cache-control', 'no-store');
        return c.json({ accessToken, expiresIn });
      } catch (error) {
        if (error instanceof UnauthenticatedError) clearRefreshCookie(c);
        throw error;
      }
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/logout',
    access: 'public',
    summary: "Sign out: ends the refresh cookie's session and clears the cookie",
    answers: { 204: { description: 'Signed out' } },
    async handle({ c }) {
      const presented = refreshCookie(c);
      if (presented) await endSessionOf(await accounts(), presented);
      clearRefreshCookie(c);
      return c.body(null, 204);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/password-reset/request',
    access: 'public',
    summary: 'Mail a reset link (same answer whether the address has an account or not)',
    body: passwordResetRequestBody,
    answers: { 202: { description: 'Accepted', schema: messageAnswer } },
    async handle({ c, body, origin }) {
      await requestPasswordReset(await accounts(), body.email, origin);
      return c.json({ message: RESET_ANSWER }, 202);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/password-reset/confirm',
    access: 'public',
    summary: 'Choose a new password; every session of the account ends',
    body: passwordResetConfirmBody,
    answers: { 200: { description: 'Password changed', schema: messageAnswer } },
    async handle({ c, body, origin }) {
      await confirmPasswordReset(await accounts(), body.token, body.password, origin);
      return c.json({ message: 'Your password is changed. Sign in with it.' });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/auth/sessions',
    access: 'authenticated',
    summary: "The caller's live sessions",
    answers: { 200: { description: 'Sessions', schema: sessionsAnswer } },
    async handle({ c, caller }) {
      return c.json({ sessions: await listSessions(await accounts(), caller) });
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/auth/sessions/:sessionId',
    access: 'authenticated',
    summary: "Revoke one of the caller's sessions",
    answers: { 204: { description: 'Revoked' } },
    async handle({ c, caller, params }) {
      await revokeOwnSession(await accounts(), caller.userId, params.sessionId ?? '');
      return c.body(null, 204);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/totp/setup',
    access: 'authenticated',
    summary: 'Start turning on two-step sign-in: a secret for the authenticator app',
    answers: { 200: { description: 'Secret to scan', schema: totpSetupAnswer } },
    async handle({ c, caller }) {
      c.header('cache-control', 'no-store');
      return c.json(await setUpTotp(await accounts(), caller.userId));
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/totp/enable',
    access: 'authenticated',
    summary:
      'Turn on two-step sign-in with the password and a first code from the app; answers the recovery codes, once',
    body: totpEnableBody,
    answers: { 200: { description: 'On', schema: totpEnableAnswer } },
    async handle({ c, caller, body, origin }) {
      const { recoveryCodes } = await enableTotp(await accounts(), caller.userId, body, origin);
      c.header('cache-control', 'no-store');
      return c.json({ totpEnabled: true as const, recoveryCodes });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/totp/disable',
    access: 'authenticated',
    summary: 'Turn off two-step sign-in with the password and a current code (or a recovery code)',
    body: secondFactorProofBody,
    answers: { 200: { description: 'Off', schema: totpDisableAnswer } },
    async handle({ c, caller, body, origin }) {
      await disableTotp(await accounts(), caller.userId, body, origin);
      return c.json({ totpEnabled: false as const });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/totp/recovery-codes',
    access: 'authenticated',
    summary: 'New recovery codes, with the password and a current code; the previous ones stop working',
    body: secondFactorProofBody,
    answers: { 200: { description: 'The new codes, shown once', schema: recoveryCodesAnswer } },
    async handle({ c, caller, body, origin }) {
      const answer = await regenerateRecoveryCodes(await accounts(), caller.userId, body, origin);
      c.header('cache-control', 'no-store');
      return c.json(answer);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/auth/totp',
    access: 'authenticated',
    summary: 'Whether two-step sign-in is on, and how many recovery codes are left',
    answers: { 200: { description: 'Second factor', schema: secondFactorAnswer } },
    async handle({ c, caller }) {
      c.header('cache-control', 'no-store');
      return c.json(await describeSecondFactor(await accounts(), caller.userId));
    },
  }),
];
