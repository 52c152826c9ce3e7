import {
  openTransferAgreementsRequestAnswer,
  privacyRequestsAnswer,
  SUBPROCESSORS,
  subprocessorsAnswer,
  transferAgreementsRequestAnswer,
} from '@asistone/contract/privacy';
import { ACCOUNT_RECORDS } from '@asistone/core/accounts/records';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { platform } from '@asistone/core/platform/context';
import { once } from '@asistone/core/platform/once';
import { listPrivacyRequests, PRIVACY_REQUEST_RECORDS } from '@asistone/core/privacy/privacy-requests';
import { TRANSFER_AGREEMENT_RECORDS } from '@asistone/core/privacy/requests';
import {
  openTransferAgreementsRequest,
  requestTransferAgreements,
  type TransferAgreementsDeps,
} from '@asistone/core/privacy/transfer-agreements';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { accounts } from '../lib/deps.js';
import { defineRoute } from '../lib/route.js';

/**
 * The privacy page's routes: who processes the business's data and where (one declaration in
 * the contract), and the request for the agreements that cover transfers abroad.
 */

const transferDeps = once(async (): Promise<TransferAgreementsDeps> => {
  const { storeOf } = platform();
  // The accounts deps already read the app URL and built the mail queue: reuse them.
  const { keyring, mails, appUrl } = await accounts();
  return {
    store: storeOf({ ...ACCOUNT_RECORDS, ...TENANCY_RECORDS, ...AUDIT_RECORDS, ...TRANSFER_AGREEMENT_RECORDS }),
    keyring,
    mails,
    appUrl,
  };
});

const requestsStore = once(async () => platform().storeOf(PRIVACY_REQUEST_RECORDS));

export const privacyRoutes = [
  defineRoute({
    method: 'get',
    path: '/businesses/:tenantId/privacy/requests',
    access: 'data.export',
    summary: 'Every request about personal data, newest first, with its deadline and, when done, its receipt',
    answers: { 200: { description: 'The requests', schema: privacyRequestsAnswer } },
    async handle({ c, business }) {
      return c.json({ requests: await listPrivacyRequests(await requestsStore(), business.tenantId) });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/businesses/:tenantId/privacy/subprocessors',
    // Any member: who processes the data is no secret inside the business.
    access: 'team.read',
    summary: 'Who processes the business’s data, for what, where, and what protects a transfer abroad',
    answers: { 200: { description: 'Sub-processors', schema: subprocessorsAnswer } },
    handle({ c }) {
      return c.json({ subprocessors: SUBPROCESSORS });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/businesses/:tenantId/privacy/transfer-agreements-request',
    access: 'data.export',
    summary: 'The open request for the data transfer agreements, if any',
    answers: { 200: { description: 'The open request or null', schema: openTransferAgreementsRequestAnswer } },
    async handle({ c, business }) {
      return c.json({ request: await openTransferAgreementsRequest(await transferDeps(), business.tenantId) });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/businesses/:tenantId/privacy/transfer-agreements-request',
    access: 'data.export',
    summary: 'Ask for the data transfer agreements: recorded with a 30-day deadline, the owner mailed',
    answers: {
      201: { description: 'Recorded', schema: transferAgreementsRequestAnswer },
      200: { description: 'One is already open: that one', schema: transferAgreementsRequestAnswer },
    },
    async handle({ c, business, caller, origin }) {
      const { request, created } = await requestTransferAgreements(
        await transferDeps(),
        { ...origin, userId: caller.userId },
        business.tenantId,
      );
      return c.json(request, created ? 201 : 200);
    },
  }),
];
