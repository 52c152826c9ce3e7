import {
  accountDeletionAnswer,
  accountDeletionBody,
  accountDeletionStateAnswer,
  accountExportAnswer,
} from '@asistone/contract/account-deletion';
import { ACCOUNT_RECORDS } from '@asistone/core/accounts/records';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { platform } from '@asistone/core/platform/context';
import { once } from '@asistone/core/platform/once';
import {
  type AccountDeletionDeps,
  cancelAccountDeletion,
  currentAccountDeletion,
  requestAccountDeletion,
} from '@asistone/core/privacy/account-deletion';
import { accountExportQueue, accountExportStatus, requestAccountExport } from '@asistone/core/privacy/account-export';
import { PRIVACY_REQUEST_RECORDS } from '@asistone/core/privacy/privacy-requests';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { accounts } from '../lib/deps.js';
import { defineRoute } from '../lib/route.js';

/**
 * The business account as a whole, on the privacy page: its deletion (owner only: retyped name,
 * password, a grace period to cancel in) and its full export (built off a queue, downloaded by a
 * short-lived link).
 */

const deletionDeps = once(async (): Promise<AccountDeletionDeps> => {
  const { storeOf } = platform();
  // The accounts deps already read the app URL and built the mail queue: reuse them.
  const { keyring, mails, appUrl } = await accounts();
  return {
    store: storeOf({ ...ACCOUNT_RECORDS, ...TENANCY_RECORDS, ...AUDIT_RECORDS, ...PRIVACY_REQUEST_RECORDS }),
    keyring,
    mails,
    appUrl,
  };
});

const DELETION_PATH = '/businesses/:tenantId/privacy/account-deletion';
const EXPORT_PATH = '/businesses/:tenantId/privacy/account-export';

export const accountDeletionRoutes = [
  defineRoute({
    method: 'get',
    path: DELETION_PATH,
    access: 'data.delete',
    summary: 'The business’s newest deletion request: scheduled (with the end of its grace period), cancelled or done',
    answers: { 200: { description: 'The request or null', schema: accountDeletionStateAnswer } },
    async handle({ c, business }) {
      return c.json({ deletion: await currentAccountDeletion(await deletionDeps(), business.tenantId) });
    },
  }),
  defineRoute({
    method: 'post',
    path: DELETION_PATH,
    access: 'data.delete',
    summary:
      'Schedule the business’s deletion: the name retyped, the password (and code when two-step sign-in is on); 7 days to cancel, the owner mailed',
    body: accountDeletionBody,
    answers: {
      201: { description: 'Scheduled', schema: accountDeletionAnswer },
      200: { description: 'One is already scheduled: that one', schema: accountDeletionAnswer },
    },
    async handle({ c, business, caller, body, origin }) {
      const { deletion, created } = await requestAccountDeletion(
        await deletionDeps(),
        { ...origin, userId: caller.userId },
        business.tenantId,
        body,
      );
      return c.json(deletion, created ? 201 : 200);
    },
  }),
  defineRoute({
    method: 'delete',
    path: DELETION_PATH,
    access: 'data.delete',
    summary: 'Cancel the scheduled deletion, while its grace period lasts',
    answers: { 200: { description: 'Cancelled', schema: accountDeletionAnswer } },
    async handle({ c, business, caller, origin }) {
      return c.json(
        await cancelAccountDeletion(await deletionDeps(), { ...origin, userId: caller.userId }, business.tenantId),
      );
    },
  }),
  defineRoute({
    method: 'post',
    path: EXPORT_PATH,
    access: 'data.export',
    summary: 'Export all of the business’s data: recorded and built off a queue; poll the request for its link',
    answers: { 202: { description: 'Recorded; the archive is being built', schema: accountExportAnswer } },
    async handle({ c, business, caller, origin }) {
      const { store } = await deletionDeps();
      const exported = await requestAccountExport(
        { store, exports: accountExportQueue(platform().producer) },
        { ...origin, userId: caller.userId },
        business.tenantId,
      );
      return c.json(exported, 202);
    },
  }),
  defineRoute({
    method: 'get',
    path: `${EXPORT_PATH}/:requestId`,
    access: 'data.export',
    summary: 'An account export: open while it is built, then done with a fresh 10-minute download link',
    answers: { 200: { description: 'The export', schema: accountExportAnswer } },
    async handle({ c, business, params }) {
      const { store } = await deletionDeps();
      return c.json(
        await accountExportStatus({ store, blobs: platform().blobs }, business.tenantId, params.requestId ?? ''),
      );
    },
  }),
];
