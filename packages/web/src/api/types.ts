import type { Profile } from '@asistone/contract/accounts';
import type { auditEntrySchema, auditPageAnswer, auditQuery } from '@asistone/contract/audit';
import type {
  accessTokenAnswer,
  messageAnswer,
  passwordResetConfirmBody,
  passwordResetRequestBody,
  recoveryCodesAnswer,
  secondFactorAnswer,
  secondFactorProofBody,
  sessionSchema,
  signInAnswer,
  signInBody,
  signUpBody,
  totpCodeBody,
  totpDisableAnswer,
  totpEnableAnswer,
  totpEnableBody,
  totpSetupAnswer,
  verifyEmailAnswer,
  verifyEmailBody,
} from '@asistone/contract/auth';
import type { outboxMailSchema } from '@asistone/contract/dev-outbox';
import type { healthAnswer } from '@asistone/contract/health';
import type { acceptInviteAnswer, acceptInviteBody, inviteDescriptionAnswer } from '@asistone/contract/invites';
import type { meAnswer } from '@asistone/contract/me';
import type {
  inviteAnswer,
  inviteBody,
  memberSchema,
  ownershipTransferAnswer,
  ownershipTransferBody,
  pendingInviteSchema,
  roleChangeAnswer,
  roleChangeBody,
} from '@asistone/contract/team';
import type * as z from 'zod';

/**
 * Shapes of the API, inferred from its contract (`@asistone/contract`): what the web app sends
 * is a schema's input, what it reads is a schema's output, so neither can drift from the API.
 */

export type { BusinessSummary as Membership } from '@asistone/contract/accounts';
export type { AuditAction } from '@asistone/contract/audit';
export type { AssignableRole, Permission, Role } from '@asistone/contract/roles';

export type User = Profile;
export type Me = z.output<typeof meAnswer>;

export type Message = z.output<typeof messageAnswer>;
export type SignupInput = z.input<typeof signUpBody>;
export type VerifyEmailInput = z.input<typeof verifyEmailBody>;
export type VerifyEmailResult = z.output<typeof verifyEmailAnswer>;
export type LoginInput = z.input<typeof signInBody>;
export type LoginResult = z.output<typeof signInAnswer>;
export type TokenResult = z.output<typeof accessTokenAnswer>;
export type PasswordResetRequestInput = z.input<typeof passwordResetRequestBody>;
export type PasswordResetInput = z.input<typeof passwordResetConfirmBody>;
/** `sourceAddress` is already masked by the API. */
export type Session = z.output<typeof sessionSchema>;
export type TotpSetup = z.output<typeof totpSetupAnswer>;
export type TotpCodeInput = z.input<typeof totpCodeBody>;
export type TotpEnabled = z.output<typeof totpEnableAnswer>;
export type TotpDisabled = z.output<typeof totpDisableAnswer>;
export type TotpEnableInput = z.input<typeof totpEnableBody>;
/** The password and a current code (app or recovery code): what a change to the second factor takes. */
export type SecondFactorProof = z.input<typeof secondFactorProofBody>;
export type RecoveryCodes = z.output<typeof recoveryCodesAnswer>;
export type SecondFactor = z.output<typeof secondFactorAnswer>;

/** `email` is masked by the API. */
export type InviteInfo = z.output<typeof inviteDescriptionAnswer>;
/** A newcomer accepting an invitation gives the same consent as at sign-up. */
export type NewAccountAcceptance = z.input<typeof acceptInviteBody>;
export type AcceptInviteResult = z.output<typeof acceptInviteAnswer>;

export type Member = z.output<typeof memberSchema>;
export type RoleChangeInput = z.input<typeof roleChangeBody>;
export type RoleChangeResult = z.output<typeof roleChangeAnswer>;
export type OwnershipTransferInput = z.input<typeof ownershipTransferBody>;
export type OwnershipTransferResult = z.output<typeof ownershipTransferAnswer>;
export type PendingInvite = z.output<typeof pendingInviteSchema>;
export type InviteInput = z.input<typeof inviteBody>;
export type InviteResult = z.output<typeof inviteAnswer>;

/** `target` reads `<type>:<id>`; `sourceAddress` only the network part (e.g. `85.105.x.x`). */
export type AuditEntry = z.output<typeof auditEntrySchema>;
/** ISO date-times, both inclusive; the page's cursor travels apart. */
export type AuditFilters = Omit<z.input<typeof auditQuery>, 'cursor'>;
export type AuditPage = z.output<typeof auditPageAnswer>;

export type OutboxMail = z.output<typeof outboxMailSchema>;
export type Health = z.output<typeof healthAnswer>;
