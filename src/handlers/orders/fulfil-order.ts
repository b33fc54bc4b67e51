/**
 * fulfilOrder: fulfil an order delivered by the fulfilment queue.
 *
 * Business logic only. The entry (src/generated/orders/fulfil-order.ts) feeds it one message at a
 * time, reports the failed ones (only they return to the queue, and reach the dead-letter queue
 * after maxReceiveCount), and runs each order once (idempotent by the body's orderId).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FulfilOrderHandler } from '../../generated/orders/fulfil-order.types.js';
import { documentClient } from '@kiro-serverless/runtime/clients/dynamodb';
import { logger, metrics } from '@kiro-serverless/runtime/observability';
import { OrderNotPlacedError, orderKey, parseOrderEvent, PoisonOrderError } from './order.js';

/**
 * Marks a placed order FULFILLED. Other events on the queue are acknowledged and ignored; an order
 * that is already fulfilled is a repeat and succeeds. Throws for a malformed message, a poison
 * order, or an order that is not (yet) placed.
 */
export const fulfilOrder: FulfilOrderHandler = async (record, { resources }) => {
  const event = parseOrderEvent(record.body);
  if (event.type !== 'OrderPlaced') {
    logger.debug('Not an order to fulfil', { orderId: event.orderId, type: event.type });
    return;
  }
  if (event.poison === true) throw new PoisonOrderError(event.orderId);

  const now = new Date().toISOString();
  try {
    await documentClient.send(new UpdateCommand({
      TableName: resources.tables.orders,
      Key: orderKey(event.orderId),
      UpdateExpression: 'SET #status = :fulfilled, fulfilledAt = :now, updatedAt = :now',
      ConditionExpression: '#status = :placed',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':fulfilled': 'FULFILLED', ':placed': 'PLACED', ':now': now },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }));
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const status = error.Item?.['status']?.S;
    if (status === 'FULFILLED') {
      logger.info('Order already fulfilled', { orderId: event.orderId });
      return;
    }
    throw new OrderNotPlacedError(event.orderId, status);
  }
  metrics.addMetric('OrdersFulfilled', 'Count', 1);
};
