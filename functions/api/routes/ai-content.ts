import {
  contentDraftRequestBody,
  contentDraftsAnswer,
  contentDraftView,
  contentReviewBody,
} from '@asistone/contract/ai-content';
import { ACCOUNT_RECORDS } from '@asistone/core/accounts/records';
import {
  CONTENT_RECORDS,
  type ContentDeps,
  type ContentDraft,
  contentDrafts,
  requestContentDraft,
  reviewContentDraft,
} from '@asistone/core/ai/content';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { once } from '@asistone/core/platform/once';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { defineRoute } from '../lib/route.js';

/**
 * Content on request (docs/ai-agent.md): drafts of campaign messages and ad texts. The request
 * is validated and kept `writing`, and the `ai-content` worker writes it (the API holds no model
 * client and no model key); the app polls the list until the draft awaits review or failed.
 * Drafts are kept until a person approves or discards them. The same permission as sending
 * campaigns (owners and admins): what these drafts become is what the business says to every
 * customer who opted in, or to strangers in an ad.
 */

const log = createLogger('ai-content');

const deps = once(async (): Promise<ContentDeps> => {
  const { storeOf, keyring, blobs, producer } = platform();
  return {
    store: storeOf({ ...CONTENT_RECORDS, ...ACCOUNT_RECORDS, ...TENANCY_RECORDS, ...AUDIT_RECORDS }),
    keyring,
    storeOf,
    blobs,
    producer,
    log,
  };
});

function draftView(draft: ContentDraft) {
  return {
    ...draft,
    requestedAt: new Date(draft.requestedAt).toISOString(),
    reviewedBy: draft.reviewedBy ?? null,
    reviewedAt: draft.reviewedAt ? new Date(draft.reviewedAt).toISOString() : null,
  };
}

const DRAFTS = '/businesses/:tenantId/ai/content-drafts';

export const aiContentRoutes = [
  defineRoute({
    method: 'post',
    path: DRAFTS,
    access: 'campaigns.send',
    summary:
      'Asks the AI for a draft of a campaign message or an ad text from a brief and chosen products; answered at once with the draft `writing`, which the AI writes within a minute and keeps awaiting review (at most 30 an hour)',
    body: contentDraftRequestBody,
    answers: {
      202: {
        description:
          'The draft, `writing`: poll the list until it is `awaiting-review` (with the checks it failed) or `failed` (with its reason)',
        schema: contentDraftView,
      },
    },
    async handle({ c, business, caller, origin, body }) {
      const draft = await requestContentDraft(
        await deps(),
        { userId: caller.userId, sourceAddress: origin.sourceAddress },
        business.tenantId,
        body,
      );
      return c.json(draftView(draft), 202);
    },
  }),
  defineRoute({
    method: 'get',
    path: DRAFTS,
    access: 'campaigns.send',
    summary: "The business's AI drafts, newest first (at most 100), with their review status",
    answers: { 200: { description: 'The drafts', schema: contentDraftsAnswer } },
    async handle({ c, business }) {
      const { store, keyring } = await deps();
      const drafts = await contentDrafts(store, keyring, business.tenantId);
      return c.json({ drafts: drafts.map(draftView) });
    },
  }),
  defineRoute({
    method: 'post',
    path: `${DRAFTS}/:draftId/review`,
    access: 'campaigns.send',
    summary:
      'Approves a draft (optionally with edited text, which becomes the approved text) or discards it, once (audited)',
    body: contentReviewBody,
    answers: { 200: { description: 'The reviewed draft', schema: contentDraftView } },
    async handle({ c, business, caller, origin, params, body }) {
      const draft = await reviewContentDraft(
        await deps(),
        { userId: caller.userId, sourceAddress: origin.sourceAddress },
        business.tenantId,
        params.draftId ?? '',
        body,
      );
      return c.json(draftView(draft));
    },
  }),
];
