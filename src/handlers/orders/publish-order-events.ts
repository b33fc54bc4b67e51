/**
 * publishOrderEvents: Publish every new or changed order to the orderEvents topic.
 *
 * Business logic only. The entry (src/generated/orders/publish-order-events.ts) reads the
 * configuration at INIT and wraps this function with its trigger's error handling, idempotency,
 * logging and metrics. SDK clients come from src/runtime/clients, created once at module scope.
 */
import { logger } from '../../runtime/observability.js';
import type { PublishOrderEventsHandler } from '../../generated/orders/publish-order-events.types.js';

/** One change record from the stream of table orders. Throw to fail it: the shard retries from this record (up to 3 times), then sends the batch's details to orderStreamFailures and moves on. */
export const publishOrderEvents: PublishOrderEventsHandler = (input) => {
  // TODO: the business logic. The second parameter's `resources` holds tables.orders, topics.orderEvents.
  logger.info('publishOrderEvents called', { eventID: input.eventID, eventName: input.eventName });
  return Promise.resolve();
};
