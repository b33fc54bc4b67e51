/**
 * publishOrderEvents: publish every new or changed order to the orderEvents topic.
 *
 * Business logic only. The entry (src/generated/orders/publish-order-events.ts) feeds it one stream
 * record at a time (the stream filter passes only order items that were inserted or modified),
 * reports a failed record so that the shard retries from it, and skips records already published
 * (idempotent by the record's eventID).
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import type { PublishOrderEventsHandler } from '../../generated/orders/publish-order-events.types.js';
import { sns } from '@kiro-serverless/runtime/clients/sns';
import { logger, metrics } from '@kiro-serverless/runtime/observability';
import { streamImages } from '@kiro-serverless/runtime/stream-records';
import type { OrderEvent } from './order.js';
import { MalformedEventError, Order } from './order.js';

/** The event a change announces: a new order is placed; a status change to FULFILLED is a fulfilment; other changes announce nothing. */
function eventOf(eventName: string | undefined, order: Order, previous: Record<string, unknown> | undefined): OrderEvent['type'] | undefined {
  if (eventName === 'INSERT') return 'OrderPlaced';
  if (eventName === 'MODIFY' && order.status === 'FULFILLED' && previous?.['status'] !== 'FULFILLED') return 'OrderFulfilled';
  return undefined;
}

/** Publishes the event of one order change. Throws for an image that is not an order, so that the record goes to OnFailure after its retries. */
export const publishOrderEvents: PublishOrderEventsHandler = async (record, { resources }) => {
  const { newImage, oldImage } = streamImages(record);
  const parsed = Order.safeParse(newImage);
  if (!parsed.success) throw new MalformedEventError(`record ${record.eventID ?? '?'} holds no valid order (${parsed.error.issues.length} problem(s))`, { cause: parsed.error });
  const order = parsed.data;

  const type = eventOf(record.eventName, order, oldImage);
  if (type === undefined) {
    logger.debug('Order change announces nothing', { orderId: order.orderId, eventName: record.eventName });
    return;
  }
  const event: OrderEvent = {
    type,
    orderId: order.orderId,
    customerId: order.customerId,
    status: order.status,
    totalCents: order.totalCents,
    occurredAt: order.updatedAt,
    ...(order.poison === true ? { poison: true } : {}),
  };
  await sns.send(new PublishCommand({
    TopicArn: resources.topics.orderEvents,
    Message: JSON.stringify(event),
    MessageAttributes: { type: { DataType: 'String', StringValue: type } },
  }));
  metrics.addMetric(`${type}Published`, 'Count', 1);
};
