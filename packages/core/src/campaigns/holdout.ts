import { createHash } from 'node:crypto';

/**
 * Who of a campaign's eligible recipients is kept back to measure what the campaign changed. The
 * draw is a hash of the campaign and contact ids, not a random number: a fan-out page replayed
 * after a crash, or resumed after a pause, draws every contact the same way, and nothing needs
 * to be remembered to keep it so. Different campaigns draw different contacts.
 */

/** A contact's place in [0, 10000) for this campaign: hundredths of a percent. */
export function holdoutDraw(campaignId: string, contactId: string): number {
  const digest = createHash('sha256').update(`holdout:${campaignId}:${contactId}`).digest();
  return digest.readUInt32BE(0) % 10_000;
}

/** Whether the contact is in the campaign's holdout (`holdoutPercent` of the eligible, 0 to 100). */
export function inHoldout(campaignId: string, contactId: string, holdoutPercent: number): boolean {
  if (holdoutPercent <= 0) return false;
  return holdoutDraw(campaignId, contactId) < Math.round(holdoutPercent * 100);
}
