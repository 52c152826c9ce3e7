import { query, request, seg } from './client';
import type {
  AcceptInviteResult,
  AuditFilters,
  AuditPage,
  Billing,
  InviteInfo,
  LoginInput,
  LoginResult,
  Me,
  Member,
  NewAccountAcceptance,
  OutboxMail,
  PendingInvite,
  Role,
  Session,
  SignupInput,
  TotpSetup,
} from './types';

/** Typed calls, one per route of docs/api.md. */

export const authApi = {
  signup: (input: SignupInput) =>
    request<{ message: string }>('/auth/signup', { method: 'POST', body: input, auth: false }),
  verifyEmail: (token: string) =>
    request<{ verified: true }>('/auth/verify-email', { method: 'POST', body: { token }, auth: false }),
  login: (input: LoginInput) => request<LoginResult>('/auth/login', { method: 'POST', body: input, auth: false }),
  logout: () => request<void>('/auth/logout', { method: 'POST', auth: false }),
  requestPasswordReset: (email: string) =>
    request<void>('/auth/password-reset/request', { method: 'POST', body: { email }, auth: false }),
  confirmPasswordReset: (token: string, password: string) =>
    request<unknown>('/auth/password-reset/confirm', { method: 'POST', body: { token, password }, auth: false }),
  sessions: () => request<{ sessions: Session[] }>('/auth/sessions'),
  revokeSession: (sessionId: string) => request<void>(`/auth/sessions/${seg(sessionId)}`, { method: 'DELETE' }),
  totpSetup: () => request<TotpSetup>('/auth/totp/setup', { method: 'POST' }),
  totpEnable: (code: string) => request<unknown>('/auth/totp/enable', { method: 'POST', body: { code } }),
  totpDisable: (code: string) => request<unknown>('/auth/totp/disable', { method: 'POST', body: { code } }),
};

export const meApi = {
  get: () => request<Me>('/me'),
};

export const invitesApi = {
  get: (token: string) => request<InviteInfo>(`/invites/${seg(token)}`, { auth: false }),
  acceptWithNewAccount: (token: string, input: NewAccountAcceptance) =>
    request<AcceptInviteResult>(`/invites/${seg(token)}/accept`, { method: 'POST', body: input, auth: false }),
  acceptAsCurrentUser: (token: string) =>
    request<AcceptInviteResult>(`/invites/${seg(token)}/accept`, { method: 'POST' }),
};

const business = (tenantId: string) => `/businesses/${seg(tenantId)}`;

export const teamApi = {
  members: (tenantId: string) => request<{ members: Member[] }>(`${business(tenantId)}/members`),
  changeRole: (tenantId: string, userId: string, role: Role) =>
    request<unknown>(`${business(tenantId)}/members/${seg(userId)}`, { method: 'PATCH', body: { role } }),
  removeMember: (tenantId: string, userId: string) =>
    request<void>(`${business(tenantId)}/members/${seg(userId)}`, { method: 'DELETE' }),
  transferOwnership: (tenantId: string, userId: string) =>
    request<unknown>(`${business(tenantId)}/transfer-ownership`, { method: 'POST', body: { userId } }),
  invites: (tenantId: string) => request<{ invites: PendingInvite[] }>(`${business(tenantId)}/invites`),
  invite: (tenantId: string, email: string, role: Role) =>
    request<unknown>(`${business(tenantId)}/invites`, { method: 'POST', body: { email, role } }),
  revokeInvite: (tenantId: string, inviteId: string) =>
    request<void>(`${business(tenantId)}/invites/${seg(inviteId)}`, { method: 'DELETE' }),
};

export const auditApi = {
  list: (tenantId: string, filters: AuditFilters, cursor?: string) =>
    request<AuditPage>(`${business(tenantId)}/audit${query({ ...filters, cursor })}`),
};

export const billingApi = {
  get: (tenantId: string) => request<Billing>(`${business(tenantId)}/billing`),
};

export const devApi = {
  outbox: () => request<{ mails: OutboxMail[] }>('/dev/outbox', { auth: false }),
};
