import { noteCheckout } from './carts.js';
import type { CartRecoveryMessage } from './queue.js';
import { type CartStepDeps, runCartStep } from './steps.js';

/** One `cart-recovery` message: a checkout Shopify told of, or a cart's due step. */
export async function handleCartMessage(deps: CartStepDeps, message: CartRecoveryMessage): Promise<void> {
  if (message.kind === 'checkout') {
    await noteCheckout(deps.store, message.tenantId, message.checkoutKey, deps.now?.() ?? Date.now());
    return;
  }
  await runCartStep(deps, message.tenantId, message.checkoutKey);
}
