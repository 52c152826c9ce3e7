/**
 * @asistone/core: the domain and the platform pieces it shares. Import deep paths
 * (`@asistone/core/channels/meta/receive`) in functions, so bundles carry only what they use.
 */
export * as Config from './platform/config.js';
export * as Queues from './platform/queue/declarations.js';
export * as Schedules from './platform/schedules.js';
export * as Store from './platform/store/service.js';
