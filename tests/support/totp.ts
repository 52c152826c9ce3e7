import { totpCode, totpStep } from '../../packages/core/src/accounts/totp.js';
import { awayFromEdge } from './time-windows.js';

/** Milliseconds in a TOTP time step. */
const STEP_MS = 30_000;

/**
 * Waits until at least `marginMs` remain in the current 30 s step. A code of the previous step
 * is inside the server's ±1 window only while the server is still in this step: computed near
 * the edge, it would arrive one step too late, and the test would fail for no reason.
 */
export function awayFromStepEdge(marginMs = 4_000): Promise<void> {
  return awayFromEdge(STEP_MS, marginMs);
}

/**
 * The code of the previous time step: accepted (±1 drift) and never the one a later call in
 * the same step uses, so replay protection does not refuse it.
 */
export async function previousStepCode(secret: string): Promise<string> {
  await awayFromStepEdge();
  return totpCode(secret, totpStep(Date.now()) - 1);
}
