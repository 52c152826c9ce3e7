import {
  campaignListBody,
  campaignListMembersAnswer,
  campaignListMembersQuery,
  campaignListReportAnswer,
  campaignListsAnswer,
  campaignListView,
  campaignSelectionBody,
  campaignUploadAnswer,
  campaignUploadBody,
} from '@asistone/contract/campaign-lists';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { CAMPAIGN_LIST_RECORDS } from '@asistone/core/campaigns/list-records';
import {
  announceUpload,
  createSelectionList,
  createUploadedList,
  deleteList,
  getList,
  ListFileTooLargeError,
  type ListsDeps,
  listLists,
  memberPage,
  reportLink,
} from '@asistone/core/campaigns/lists';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { platform } from '@asistone/core/platform/context';
import { once } from '@asistone/core/platform/once';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { problem } from '../lib/problems.js';
import { defineRoute } from '../lib/route.js';

/**
 * Campaign recipient lists: owners and admins (`campaigns.send`) upload a customer CSV and make
 * a list of it, or snapshot the inbox's WhatsApp customers; read the import's progress, the
 * members (numbers masked) and the report of rejected rows; delete a list.
 */

const deps = once(async (): Promise<ListsDeps> => {
  const { storeOf, keyring, blobs, producer } = platform();
  return {
    store: storeOf({ ...CAMPAIGN_LIST_RECORDS, ...INBOX_RECORDS, ...TENANCY_RECORDS, ...AUDIT_RECORDS }),
    keyring,
    blobs,
    producer,
  };
});

const LISTS = '/businesses/:tenantId/campaign-lists';
const LIST = `${LISTS}/:listId`;

export const campaignListRoutes = [
  defineRoute({
    method: 'post',
    path: '/businesses/:tenantId/campaign-uploads',
    access: 'campaigns.send',
    summary:
      'A customer list file to upload (CSV, UTF-8, up to 50 MB): answered with a 15-minute presigned upload link for exactly its type and size; 413 when larger',
    body: campaignUploadBody,
    answers: { 201: { description: 'Where to upload the file', schema: campaignUploadAnswer } },
    async handle({ c, business, caller, body }) {
      try {
        return c.json(await announceUpload(await deps(), business.tenantId, caller.userId, body), 201);
      } catch (error) {
        if (error instanceof ListFileTooLargeError) return problem(c, 413, 'payload_too_large', error.message);
        throw error;
      }
    },
  }),
  defineRoute({
    method: 'post',
    path: LISTS,
    access: 'campaigns.send',
    summary:
      "Makes a list of an uploaded file and starts its import (202): which columns hold the phone, name and consent, and the consent's wording",
    body: campaignListBody,
    answers: { 202: { description: 'The list, importing', schema: campaignListView } },
    async handle({ c, business, caller, body }) {
      return c.json(await createUploadedList(await deps(), business.tenantId, caller.userId, body), 202);
    },
  }),
  defineRoute({
    method: 'post',
    path: `${LISTS}/selection`,
    access: 'campaigns.send',
    summary:
      "Makes a list of the inbox's WhatsApp customers chosen by label, last message and consent (202: filled in the background)",
    body: campaignSelectionBody,
    answers: { 202: { description: 'The list, being filled', schema: campaignListView } },
    async handle({ c, business, caller, body }) {
      return c.json(await createSelectionList(await deps(), business.tenantId, caller.userId, body), 202);
    },
  }),
  defineRoute({
    method: 'get',
    path: LISTS,
    access: 'campaigns.send',
    summary: "The business's campaign lists, newest first, with their import's state and counts",
    answers: { 200: { description: 'Lists', schema: campaignListsAnswer } },
    async handle({ c, business }) {
      return c.json({ lists: await listLists(await deps(), business.tenantId) });
    },
  }),
  defineRoute({
    method: 'get',
    path: LIST,
    access: 'campaigns.send',
    summary: "A list: its import's progress (while importing) or counts, rejected rows by reason",
    answers: { 200: { description: 'The list', schema: campaignListView } },
    async handle({ c, business, params }) {
      const { store, keyring } = await deps();
      const keys = await keyring.forTenant(business.tenantId);
      return c.json(await getList(store, business.tenantId, params.listId ?? '', keys));
    },
  }),
  defineRoute({
    method: 'get',
    path: `${LIST}/members`,
    access: 'campaigns.send',
    summary: "A page of a list's members: the number masked, the name, what the file said of consent",
    query: campaignListMembersQuery,
    answers: { 200: { description: 'A page of members', schema: campaignListMembersAnswer } },
    async handle({ c, business, params, query }) {
      return c.json(await memberPage(await deps(), business.tenantId, params.listId ?? '', query.cursor, query.limit));
    },
  }),
  defineRoute({
    method: 'get',
    path: `${LIST}/report`,
    access: 'campaigns.send',
    summary: 'A 10-minute link to the report of rejected rows: row number, reason and column, never the value',
    answers: { 200: { description: 'The link', schema: campaignListReportAnswer } },
    async handle({ c, business, params }) {
      return c.json(await reportLink(await deps(), business.tenantId, params.listId ?? ''));
    },
  }),
  defineRoute({
    method: 'delete',
    path: LIST,
    access: 'campaigns.send',
    summary:
      'Deletes a list with its members, report and file (the contacts stay in the inbox): 204 when done, 202 when a big list is finished in the background',
    answers: { 202: { description: 'Being deleted' }, 204: { description: 'Deleted' } },
    async handle({ c, business, caller, params, origin }) {
      const { done } = await deleteList(await deps(), business.tenantId, params.listId ?? '', {
        userId: caller.userId,
        ...(origin.sourceAddress && { sourceAddress: origin.sourceAddress }),
      });
      return done ? c.body(null, 204) : c.body(null, 202);
    },
  }),
];
