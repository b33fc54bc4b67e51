/**
 * notifyCustomer: Tell the customer about their order.
 *
 * Business logic only. The entry (src/generated/orders/notify-customer.ts) reads the
 * configuration at INIT and wraps this function with its trigger's error handling, idempotency,
 * logging and metrics. SDK clients come from src/runtime/clients, created once at module scope.
 */
import { logger } from '../../runtime/observability.js';
import type { NotifyCustomerHandler } from '../../generated/orders/notify-customer.types.js';

/** One message of topic orderEvents. Throw to fail the invocation: Lambda retries it 2 time(s), then sends it to notifyFailures. */
export const notifyCustomer: NotifyCustomerHandler = (input) => {
  // TODO: the business logic. The second parameter's `resources` holds nothing.
  logger.info('notifyCustomer called', { messageId: input.Sns.MessageId });
  return Promise.resolve();
};
