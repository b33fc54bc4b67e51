/**
 * fulfilOrder: Fulfil an order delivered by the fulfilment queue.
 *
 * Business logic only. The entry (src/generated/orders/fulfil-order.ts) reads the
 * configuration at INIT and wraps this function with its trigger's error handling, idempotency,
 * logging and metrics. SDK clients come from src/runtime/clients, created once at module scope.
 */
import { logger } from '../../runtime/observability.js';
import type { FulfilOrderHandler } from '../../generated/orders/fulfil-order.types.js';

/** One message of queue fulfilment. Throw to fail this message alone: it returns after the visibility timeout, and goes to the dead-letter queue after maxReceiveCount. */
export const fulfilOrder: FulfilOrderHandler = (input) => {
  // TODO: the business logic. The second parameter's `resources` holds tables.orders.
  logger.info('fulfilOrder called', { messageId: input.messageId });
  return Promise.resolve();
};
