import { currentLanguage } from '../i18n';
import { query, request, seg } from './client';
import type {
  AcceptInviteResult,
  AssignableRole,
  AuditFilters,
  AuditPage,
  InviteInfo,
  InviteInput,
  InviteResult,
  LoginInput,
  LoginResult,
  Me,
  Member,
  Message,
  NewAccountAcceptance,
  OutboxMail,
  OwnershipTransferInput,
  OwnershipTransferResult,
  PasswordResetInput,
  PasswordResetRequestInput,
  PendingInvite,
  RecoveryCodes,
  RoleChangeInput,
  RoleChangeResult,
  SecondFactor,
  SecondFactorProof,
  Session,
  SignupInput,
  TotpDisabled,
  TotpEnabled,
  TotpEnableInput,
  TotpSetup,
  VerifyEmailInput,
  VerifyEmailResult,
} from './types';

/**
 * Typed calls, one per route of docs/api.md; bodies and answers are the contract's (./types).
 * Calls that lead to a mail send the language on screen, which the mail is written in.
 */

export const authApi = {
  signup: (input: SignupInput) =>
    request<Message>('/auth/signup', {
      method: 'POST',
      body: { ...input, language: input.language ?? currentLanguage() } satisfies SignupInput,
      auth: false,
    }),
  verifyEmail: (token: string) =>
    request<VerifyEmailResult>('/auth/verify-email', {
      method: 'POST',
      body: { token } satisfies VerifyEmailInput,
      auth: false,
    }),
  login: (input: LoginInput) => request<LoginResult>('/auth/login', { method: 'POST', body: input, auth: false }),
  logout: () => request<void>('/auth/logout', { method: 'POST', auth: false }),
  requestPasswordReset: (email: string) =>
    request<Message>('/auth/password-reset/request', {
      method: 'POST',
      body: { email } satisfies PasswordResetRequestInput,
      auth: false,
    }),
  confirmPasswordReset: (token: string, password: string) =>
    request<Message>('/auth/password-reset/confirm', {
      method: 'POST',
      body: { token, password } satisfies PasswordResetInput,
      auth: false,
    }),
  sessions: () => request<{ sessions: Session[] }>('/auth/sessions'),
  revokeSession: (sessionId: string) => request<void>(`/auth/sessions/${seg(sessionId)}`, { method: 'DELETE' }),
  totpSetup: () => request<TotpSetup>('/auth/totp/setup', { method: 'POST' }),
  totpEnable: (input: TotpEnableInput) => request<TotpEnabled>('/auth/totp/enable', { method: 'POST', body: input }),
  totpDisable: (proof: SecondFactorProof) =>
    request<TotpDisabled>('/auth/totp/disable', { method: 'POST', body: proof }),
  regenerateRecoveryCodes: (proof: SecondFactorProof) =>
    request<RecoveryCodes>('/auth/totp/recovery-codes', { method: 'POST', body: proof }),
  secondFactor: () => request<SecondFactor>('/auth/totp'),
};

export const meApi = {
  get: () => request<Me>('/me'),
};

export const invitesApi = {
  /** Signed in, the answer also says whether the invitation is for this account (`forYou`). */
  get: (token: string, signedIn = false) => request<InviteInfo>(`/invites/${seg(token)}`, { auth: signedIn }),
  acceptWithNewAccount: (token: string, input: NewAccountAcceptance) =>
    request<AcceptInviteResult>(`/invites/${seg(token)}/accept`, {
      method: 'POST',
      body: { ...input, language: input.language ?? currentLanguage() } satisfies NewAccountAcceptance,
      auth: false,
    }),
  acceptAsCurrentUser: (token: string) =>
    request<AcceptInviteResult>(`/invites/${seg(token)}/accept`, { method: 'POST' }),
};

const business = (tenantId: string) => `/businesses/${seg(tenantId)}`;

export const teamApi = {
  members: (tenantId: string) => request<{ members: Member[] }>(`${business(tenantId)}/members`),
  changeRole: (tenantId: string, userId: string, role: AssignableRole) =>
    request<RoleChangeResult>(`${business(tenantId)}/members/${seg(userId)}`, {
      method: 'PATCH',
      body: { role } satisfies RoleChangeInput,
    }),
  removeMember: (tenantId: string, userId: string) =>
    request<void>(`${business(tenantId)}/members/${seg(userId)}`, { method: 'DELETE' }),
  transferOwnership: (tenantId: string, userId: string) =>
    request<OwnershipTransferResult>(`${business(tenantId)}/transfer-ownership`, {
      method: 'POST',
      body: { userId } satisfies OwnershipTransferInput,
    }),
  invites: (tenantId: string) => request<{ invites: PendingInvite[] }>(`${business(tenantId)}/invites`),
  invite: (tenantId: string, email: string, role: AssignableRole) =>
    request<InviteResult>(`${business(tenantId)}/invites`, {
      method: 'POST',
      body: { email, role, language: currentLanguage() } satisfies InviteInput,
    }),
  revokeInvite: (tenantId: string, inviteId: string) =>
    request<void>(`${business(tenantId)}/invites/${seg(inviteId)}`, { method: 'DELETE' }),
};

export const auditApi = {
  list: (tenantId: string, filters: AuditFilters, cursor?: string) =>
    request<AuditPage>(`${business(tenantId)}/audit${query({ ...filters, cursor })}`),
};

export const devApi = {
  outbox: () => request<{ mails: OutboxMail[] }>('/dev/outbox', { auth: false }),
};
