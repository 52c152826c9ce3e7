import type { ContentFailure } from '@asistone/contract/ai-content';
import type { Logger } from '@aws-lambda-powertools/logger';
import { ConfigError, ValidationError } from '../platform/errors.js';
import { isConditionFailure } from '../platform/store/service.js';
import {
  CONTENT_ENTITY,
  type ContentDeps,
  checkContext,
  contentFindings,
  contentSystemPrompt,
  draftItem,
  failDraft,
  guardrailsInForce,
  productFacts,
  type ReadDeps,
} from './content.js';
import type { AiContentRequest } from './content-queue.js';
import { type AgentModel, type ModelFailure, ModelUnavailableError } from './model.js';

/**
 * The `ai-content` worker's step (functions/workers/ai-content.ts): writes one draft kept
 * `writing` by the API, once, whatever the queue delivers.
 *
 * - A draft no longer `writing` (written, failed, or reviewed) is left alone: a redelivery after
 *   success asks the model nothing.
 * - Before the model is asked, the delivery claims the draft for the model's bound
 *   (`writingUntil`, conditional on `writing` and on no live claim): a duplicate delivery at the
 *   same time leaves it to the first; a writer that stopped is taken over once its claim lapses.
 * - The draft is written by an update conditional on `writing`, so it is written once.
 * - A model that gives no usable answer ends the draft `failed` with a reason the app words for
 *   the merchant, and the hour's slot given back. Any other error is thrown, so the queue retries;
 *   on the message's last delivery the draft is ended `failed` (`not-written`) first.
 */

export interface ContentWritingDeps extends ReadDeps {
  store: ContentDeps['store'];
  model: AgentModel;
  log: Pick<Logger, 'info' | 'warn'>;
}

/** How long a claim holds: the model's bound (2 × 20 s) plus the reads and the write. */
export const WRITING_CLAIM_MS = 60_000;

/** The merchant's words for the model's own failure codes (contract CONTENT_FAILURES). */
const FAILURE_OF: Record<ModelFailure, ContentFailure> = {
  timeout: 'model-unavailable',
  unreachable: 'model-unavailable',
  'provider-error': 'model-unavailable',
  'rate-limited': 'model-busy',
  quota: 'model-busy',
  credentials: 'model-misconfigured',
  rejected: 'model-misconfigured',
  malformed: 'no-usable-text',
};

export type WriteOutcome = 'written' | 'failed' | 'not-writing' | 'claimed-elsewhere' | 'unknown-draft';

/**
 * Writes the draft named by one queue message.
 *
 * @example
 * await writeContentDraft(deps, { tenantId, draftId }, { lastDelivery: receiveCount >= 4 });
 */
export async function writeContentDraft(
  deps: ContentWritingDeps,
  request: AiContentRequest,
  options: { lastDelivery: boolean; now?: () => number },
): Promise<WriteOutcome> {
  const now = options.now ?? Date.now;
  const { tenantId, draftId } = request;
  const item = await draftItem(deps.store, tenantId, draftId);
  if (!item) {
    // A draft erased with its business, or an id no draft has: nothing to write, nothing to retry.
    deps.log.warn('content draft to write not found; acknowledged', { tenantId, draftId });
    return 'unknown-draft';
  }
  const key = { tenantId, requestedAt: item.requestedAt, draftId };
  if (item.status !== 'writing') {
    deps.log.info('content draft no longer writing; acknowledged', { tenantId, draftId, status: item.status });
    return 'not-writing';
  }
  const fail = async (failure: ContentFailure, why: Record<string, unknown>) => {
    const ended = await failDraft(deps, tenantId, item, failure);
    deps.log.warn('content draft failed', { tenantId, draftId, failure, ended, ...why });
    return 'failed' as const;
  };

  try {
    const startedAt = now();
    try {
      await deps.store.entities.aiContentDraft
        .patch(key)
        .set({ writingUntil: startedAt + WRITING_CLAIM_MS })
        .where(
          ({ status, writingUntil }, { eq, notExists, lt }) =>
            `${eq(status, 'writing')} AND (${notExists(writingUntil)} OR ${lt(writingUntil, startedAt)})`,
        )
        .go({ response: 'none' });
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      deps.log.info('content draft being written by another delivery; acknowledged', { tenantId, draftId });
      return 'claimed-elsewhere';
    }

    let facts: Awaited<ReturnType<typeof productFacts>>;
    try {
      facts = await productFacts(deps, tenantId, item.productIds);
    } catch (error) {
      // Unpublished or removed since it was chosen: its facts are no longer the store's.
      if (error instanceof ValidationError) return await fail('product-unavailable', {});
      throw error;
    }
    const { model, guardrails } = await guardrailsInForce(deps, tenantId);
    const keys = await deps.keyring.forTenant(tenantId);
    const brief = keys.open(CONTENT_ENTITY, 'brief', draftId, item.brief);

    let text: string;
    try {
      const turn = await deps.model.complete({
        model,
        messages: [
          {
            role: 'system',
            content: contentSystemPrompt({
              kind: item.kind,
              language: item.language,
              maxChars: item.maxChars,
              facts: facts.facts,
              ...guardrails,
            }),
          },
          // Sealed already redacted: what the model sees is what was kept.
          { role: 'user', content: `Brief: ${brief}` },
        ],
        tools: [],
        // About two characters a token in Turkish, with room for the model to finish its sentence.
        maxTokens: Math.ceil(item.maxChars / 2) + 100,
      });
      text = turn.text?.trim() ?? '';
      // A cut or filtered answer is not a draft a person should be asked to review.
      if (!text || turn.finish === 'content_filter' || turn.refused)
        throw new ModelUnavailableError('malformed', undefined, turn.requestId);
    } catch (error) {
      // No key or endpoint configured: for the merchant, the AI is simply not set up.
      if (error instanceof ConfigError) return await fail('model-misconfigured', { reason: 'configuration' });
      if (!(error instanceof ModelUnavailableError)) throw error;
      // The reason and status only: the provider's words may echo the brief.
      return await fail(FAILURE_OF[error.reason], {
        reason: error.reason,
        status: error.status,
        requestId: error.requestId,
      });
    }

    const findings = contentFindings(
      text,
      checkContext(facts.facts, facts.domains, item.language, item.maxChars, guardrails),
    );
    const checkFindings = findings.map((finding) => finding.code);
    try {
      await deps.store.entities.aiContentDraft
        .patch(key)
        .set({
          status: 'awaiting-review',
          text: keys.seal(CONTENT_ENTITY, 'text', draftId, text),
          findings: keys.seal(CONTENT_ENTITY, 'findings', draftId, JSON.stringify(findings)),
          checkFindings,
          model,
        })
        .remove(['writingUntil'])
        .where(({ status }, { eq }) => eq(status, 'writing'))
        .go({ response: 'none' });
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Ended meanwhile (given up on): what it is now stands.
      deps.log.info('content draft ended while written; left as it is', { tenantId, draftId });
      return 'not-writing';
    }
    deps.log.info('content draft written', { tenantId, draftId, kind: item.kind, checkFindings });
    return 'written';
  } catch (error) {
    // The queue gives up after this delivery: the draft must not stay `writing`.
    if (options.lastDelivery) await fail('not-written', { error: error as Error });
    throw error;
  }
}
