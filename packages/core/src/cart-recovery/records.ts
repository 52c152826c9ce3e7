import { CART_CHANNELS, CART_STATES } from '@asistone/contract/cart-recovery';
import { Entity } from 'electrodb';
import { atLocations, type DataClass } from '../platform/area.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';
import type { Store } from '../platform/store/service.js';

/**
 * Cart recovery in the business's partition (`t#<tenant>`): its settings (one item) and one item
 * per abandoned cart, keyed by the checkout's key (a blind index of its token, as the Shopify
 * copy keys it). A cart holds ids, states, amounts and what each step did: the customer's
 * address, number and items stay sealed on the checkout, read when a step is sent.
 */

const key = { tenantId: { type: 'string', required: true, readOnly: true } } as const;

/** The directory of carts with a step due (not a business: no tenant owns it). */
export const CARTS_DUE = 'carts-due';

export const CartRecoverySettingsRecord = new Entity({
  model: { entity: 'cartRecoverySettings', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    /** contract/cart-recovery.ts CartRecoverySettings, checked at save. The business's own wording: not personal. */
    settings: { type: 'any', required: true },
    updatedBy: { type: 'string', required: true },
    updatedAt: { type: 'number', required: true, default: () => Date.now(), set: () => Date.now() },
  },
  indexes: {
    byTenant: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: [], template: 'cartsettings', casing: 'none' },
    },
  },
});

/** Epoch ms as a sortable key (15 digits reach the year 33658). */
export const dueKeyOf = (at: number) => String(Math.max(0, Math.floor(at))).padStart(15, '0');

export const CartRecord = new Entity({
  model: { entity: 'cart', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    checkoutKey: { type: 'string', required: true, readOnly: true },
    state: { type: CART_STATES, required: true },
    /** Drawn when the cart is first seen: a holdout cart is never contacted (lift.ts). */
    holdout: { type: 'boolean', required: true, readOnly: true },
    /** The checkout's last change this cart was timed from. */
    checkoutUpdatedAt: { type: 'number', required: true },
    /** When it counts as abandoned: the checkout's last change plus the business's delay. */
    abandonedAt: { type: 'number', required: true },
    /** The same as a sortable key, for the business's list and report by time (set with it). */
    abandonedKey: { type: 'string', required: true },
    /** The next step to do (0-based); the number of steps done (sent or skipped) so far. */
    nextStep: { type: 'number', required: true },
    /** When the cart needs attention next (its next step, or its expiry), as a sortable key; absent when ended. */
    dueKey: { type: 'string' },
    /** The step a sender took, and when: a redelivered step finds it taken and sends nothing. */
    claimedStep: { type: 'number' },
    claimedAt: { type: 'number' },
    /** Each step's outcome: contract CartStepView without the ISO time (`at` in ms). */
    history: {
      type: 'list',
      items: {
        type: 'map',
        properties: {
          step: { type: 'number', required: true },
          channel: { type: CART_CHANNELS, required: true },
          outcome: { type: ['sent', 'skipped'] as const, required: true },
          reason: { type: 'string' },
          at: { type: 'number', required: true },
        },
      },
    },
    /** Why nothing more is sent (skipped) or why it ended (expired). Words, never personal data. */
    reason: { type: 'string' },
    /** The cart's total when abandoned: an exact decimal string and its currency. */
    totalAmount: { type: 'string' },
    currencyCode: { type: 'string' },
    /** Recovered: the order that completed it, and its total. */
    orderId: { type: 'string' },
    recoveredAmount: { type: 'string' },
    recoveredAt: { type: 'number' },
    endedAt: { type: 'number' },
    createdAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
    updatedAt: { type: 'number', required: true, default: () => Date.now(), set: () => Date.now() },
  },
  indexes: {
    byCheckout: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['checkoutKey'], template: 'cart#${checkoutKey}', casing: 'none' },
    },
    /** The business's carts by when they were abandoned: the list and the report read a time range. */
    byAbandonment: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['tenantId'], template: 't#${tenantId}#carts', casing: 'none' },
      sk: {
        field: 'gsi1sk',
        composite: ['abandonedKey', 'checkoutKey'],
        template: '${abandonedKey}#${checkoutKey}',
        casing: 'none',
      },
    },
    /**
     * Carts with something due, across businesses, by when (sparse: a cart leaves the index when
     * it ends). The detection schedule reads only what is due, however many carts wait. ElectroDB
     * evaluates the condition on writes that set `dueKey`: every change of state sets it.
     */
    due: {
      index: 'gsi2',
      condition: (cart) => (cart.state === 'pending' || cart.state === 'contacted') && Boolean(cart.dueKey),
      pk: { field: 'gsi2pk', composite: [], template: `t#${CARTS_DUE}`, casing: 'none' },
      sk: {
        field: 'gsi2sk',
        composite: ['dueKey', 'tenantId', 'checkoutKey'],
        template: '${dueKey}#${tenantId}#${checkoutKey}',
        casing: 'none',
      },
    },
  },
});

export const CART_RECOVERY_RECORDS = {
  cartRecoverySettings: CartRecoverySettingsRecord,
  cart: CartRecord,
};
export type CartRecoveryStore = Store<typeof CART_RECOVERY_RECORDS>;

export const CART_RECOVERY_DATA_CLASSES: DataClass[] = [
  {
    name: 'cartrecovery.settings',
    description: 'The cart-recovery sequence: delays, channels, wording, quiet hours, holdout share',
    personal: false,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}`, skPrefix: 'cartsettings' }]),
  },
  {
    name: 'cartrecovery.carts',
    description: 'Each abandoned cart: checkout key, state, steps sent or skipped with reasons, amounts, order id',
    personal: false,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}`, skPrefix: 'cart#' }]),
  },
];
