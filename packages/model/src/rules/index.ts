import type { Rule } from './context.js';
import { databaseEndpoints, databases, fileSystems } from './data-stores.js';
import { asyncInvocations, httpRoutes, queueConsumers, schedules, streamConsumers } from './event-sources.js';
import { concurrency, configLimits, environment, idempotency, invocation, oneTrigger } from './functions.js';
import { permissionReferences, subscriptionReferences, triggerReferences, uniqueIds } from './references.js';

/** Every rule, in the order their findings are usually read. */
export const ALL_RULES: readonly Rule[] = [
  uniqueIds, permissionReferences, triggerReferences, subscriptionReferences,
  oneTrigger, invocation, configLimits, concurrency, environment, idempotency,
  streamConsumers, queueConsumers, asyncInvocations, schedules, httpRoutes,
  databases, databaseEndpoints, fileSystems,
];

export { RULES, RULE_IDS } from './catalog.js';
export type { RuleId } from './catalog.js';
export { RuleContext } from './context.js';
export type { Rule } from './context.js';
