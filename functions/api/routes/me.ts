import { acceptInviteAnswer, acceptInviteBody, inviteDescriptionAnswer } from '@asistone/contract/invites';
import { meAnswer } from '@asistone/contract/me';
import { policyAcceptanceAnswer, policyAcceptanceBody } from '@asistone/contract/policies';
import { acceptInvite, describeInvite } from '@asistone/core/accounts/invites';
import { describeMe } from '@asistone/core/accounts/me';
import { acceptPolicy, pendingPolicies } from '@asistone/core/accounts/policy-acceptances';
import { accounts } from '../lib/deps.js';
import { invalidRequest } from '../lib/problems.js';
import { authenticateIfPresent } from '../lib/request.js';
import { defineRoute } from '../lib/route.js';

/** The signed-in person (and the policy versions they accept), and the invitation pages anyone with a link can open. */
export const meRoutes = [
  defineRoute({
    method: 'get',
    path: '/me',
    access: 'authenticated',
    summary: 'The signed-in person and their businesses',
    answers: { 200: { description: 'Me', schema: meAnswer } },
    async handle({ c, caller }) {
      c.header('cache-control', 'no-store');
      const deps = await accounts();
      const [me, pending] = await Promise.all([describeMe(deps, caller.userId), pendingPolicies(deps, caller.userId)]);
      return c.json({ ...me, pendingPolicies: pending });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/me/policy-acceptances',
    access: 'authenticated',
    summary: 'Accept the current version of the terms or the privacy policy (recorded once, audited)',
    body: policyAcceptanceBody,
    answers: {
      200: { description: 'Accepted (the first acceptance, if already accepted)', schema: policyAcceptanceAnswer },
    },
    async handle({ c, body, caller, origin }) {
      const accepted = await acceptPolicy(await accounts(), { userId: caller.userId, ...origin }, body);
      return c.json({ ...accepted, acceptedAt: new Date(accepted.acceptedAt).toISOString() });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/invites/:token',
    access: 'public',
    summary: 'What an invitation link offers; with a Bearer token, also whether it is for the signed-in person',
    answers: { 200: { description: 'Invitation', schema: inviteDescriptionAnswer } },
    async handle({ c, params }) {
      const caller = await authenticateIfPresent(c);
      // The answer differs by who asks: no shared cache may keep one person's for another.
      if (caller) c.header('cache-control', 'no-store');
      return c.json(await describeInvite(await accounts(), params.token ?? '', caller?.userId));
    },
  }),
  defineRoute({
    method: 'post',
    path: '/invites/:token/accept',
    access: 'public',
    summary: 'Accept an invitation: signed in (Bearer token, no body) or with a new account (body)',
    body: acceptInviteBody.optional(),
    answers: { 200: { description: 'Joined', schema: acceptInviteAnswer } },
    async handle({ c, body, params, origin }) {
      const caller = await authenticateIfPresent(c);
      const token = params.token ?? '';
      if (caller) {
        return c.json(
          await acceptInvite(await accounts(), token, { kind: 'signed-in', userId: caller.userId }, origin),
        );
      }
      if (!body) return invalidRequest(c, 'Sign in, or send a name and password for a new account', []);
      return c.json(await acceptInvite(await accounts(), token, { kind: 'new-account', account: body }, origin));
    },
  }),
];
