/**
 * notifyCustomer: tell the customer about their order and record the notification.
 *
 * Business logic only. The entry (src/generated/orders/notify-customer.ts) rethrows errors so that
 * Lambda retries the message and then sends it to notifyFailures, and skips messages already
 * handled (idempotent by the SNS MessageId).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { NotifyCustomerHandler } from '../../generated/orders/notify-customer.types.js';
import { documentClient } from '@kiro-serverless/runtime/clients/dynamodb';
import { logger, metrics } from '@kiro-serverless/runtime/observability';
import type { OrderEvent } from './order.js';
import { notificationKey, parseOrderEvent } from './order.js';

/** The text the customer gets. */
export function notificationText(event: OrderEvent): string {
  const total = (event.totalCents / 100).toFixed(2);
  return event.type === 'OrderPlaced'
    ? `Thank you: order ${event.orderId} is placed (total ${total}).`
    : `Good news: order ${event.orderId} is on its way.`;
}

/**
 * Records the notification of one order event (the delivery channel, e-mail or push, would go
 * here). A notification recorded already is a repeat and succeeds.
 */
export const notifyCustomer: NotifyCustomerHandler = async (record, { resources }) => {
  const event = parseOrderEvent(record.Sns.Message);
  const messageId = record.Sns.MessageId;
  try {
    await documentClient.send(new PutCommand({
      TableName: resources.tables.orders,
      Item: {
        ...notificationKey(event.orderId, messageId),
        customerId: event.customerId,
        type: event.type,
        text: notificationText(event),
        sentAt: new Date().toISOString(),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }));
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    logger.info('Notification already recorded', { orderId: event.orderId, messageId });
    return;
  }
  metrics.addMetric('CustomersNotified', 'Count', 1);
};
