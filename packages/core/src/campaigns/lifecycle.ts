import type { CampaignState, PauseReason } from '@asistone/contract/campaigns';
import { isConditionFailure } from '../platform/store/service.js';
import type { CampaignStore } from './campaign-records.js';

/**
 * A campaign's change of state, made only from the states it may come from, with one conditional
 * write: of the scheduler starting a due campaign, a merchant pausing it and a worker pausing it on
 * a policy block, the first wins and the others see it did not happen.
 */

/** Attributes a change of state may drop in the same write (a schedule, once the campaign is no longer scheduled). */
export type RemovableCampaignAttribute = 'scheduledAt';

export interface CampaignChange {
  pauseReason?: PauseReason;
  startedAt?: number;
  completedAt?: number;
  scheduledAt?: number;
  finalCounts?: unknown;
  fanout?: 'pending' | 'running' | 'done';
  attributionFinal?: boolean;
  remove?: readonly RemovableCampaignAttribute[];
}

/** True when the campaign moved; false when it was not in one of `from` (or is gone). */
export async function transitionCampaign(
  store: CampaignStore,
  tenantId: string,
  campaignId: string,
  from: readonly CampaignState[],
  to: CampaignState,
  change: CampaignChange = {},
): Promise<boolean> {
  const { remove = [], ...values } = change;
  try {
    const update = store.entities.campaign.patch({ tenantId, campaignId }).set({ state: to, ...values });
    // A pause reason belongs to `paused` only.
    const removed = to === 'paused' || values.pauseReason ? [...remove] : [...remove, 'pauseReason' as const];
    const cleared = removed.length > 0 ? update.remove(removed) : update;
    await cleared
      .where((attr, { eq }) => from.map((state) => eq(attr.state, state)).join(' OR '))
      .go({ response: 'none' });
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
