import type { AuditAction } from '@asistone/core/audit/actions';

/** Shapes of the API contract (docs/api.md). */

export type { AuditAction };

export const ROLES = ['owner', 'admin', 'agent', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

/** Roles an invitation can grant: ownership only changes hands by transfer. */
export const INVITABLE_ROLES = ['admin', 'agent', 'analyst'] as const satisfies readonly Role[];

export interface User {
  id: string;
  name: string;
  email: string;
  totpEnabled: boolean;
}

export interface Membership {
  tenantId: string;
  name: string;
  role: Role;
}

export interface Me {
  user: User;
  businesses: Membership[];
}

export interface SignupInput {
  businessName: string;
  name: string;
  email: string;
  password: string;
  ageConfirmed: true;
  acceptTerms: true;
  termsVersion: string;
}

export interface LoginInput {
  email: string;
  password: string;
  totp?: string;
}

export interface LoginResult {
  accessToken: string;
  expiresIn: number;
  user: User;
  businesses: Membership[];
}

export interface TokenResult {
  accessToken: string;
  expiresIn: number;
}

export interface Session {
  id: string;
  createdAt: string;
  lastUsedAt: string | null;
  userAgent: string | null;
  /** Already masked by the API. */
  sourceAddress: string | null;
  current: boolean;
}

export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
}

export interface InviteInfo {
  businessName: string;
  role: Role;
  /** Masked by the API. */
  email: string;
  accountExists: boolean;
}

/** A newcomer accepting an invitation gives the same consent as at sign-up. */
export interface NewAccountAcceptance {
  name: string;
  password: string;
  ageConfirmed: true;
  acceptTerms: true;
  termsVersion: string;
}

export interface AcceptInviteResult {
  tenantId: string;
  role: Role;
}

export interface Member {
  userId: string;
  name: string;
  email: string;
  role: Role;
  joinedAt?: string;
}

export interface PendingInvite {
  id: string;
  email: string;
  role: Role;
  invitedBy?: string;
  createdAt?: string;
  expiresAt?: string;
}

export interface AuditEntry {
  id: string;
  at: string;
  action: AuditAction;
  actorId: string;
  /** `<type>:<id>`, e.g. `user:u123` or `invite:i456`. */
  target: string | null;
  /** Only the network part, as the API stored it (e.g. `85.105.x.x`). */
  sourceAddress: string | null;
  detail: Record<string, string> | null;
}

export interface AuditFilters {
  action?: AuditAction;
  actorId?: string;
  /** ISO date-time, inclusive. */
  from?: string;
  /** ISO date-time, inclusive. */
  to?: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  nextCursor: string | null;
}

/** Billing (iyzico) is not connected yet: the API answers `{ subscription: null }`. */
export interface Billing {
  subscription: Record<string, unknown> | null;
}

export interface OutboxMail {
  id: string;
  kind?: string;
  sentAt?: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  links?: string[];
}
