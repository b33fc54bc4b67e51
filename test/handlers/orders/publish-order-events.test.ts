import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PublishOrderEventsResources } from '../../../src/generated/orders/publish-order-events.types.js';
import type { Order } from '../../../src/handlers/orders/order.js';
import { MalformedEventError } from '../../../src/handlers/orders/order.js';
import { publishOrderEvents } from '../../../src/handlers/orders/publish-order-events.js';
import { streamBatchHandler } from '@kiro-serverless/runtime/batch';
import { withResources } from '@kiro-serverless/runtime/invocation';
import { lambdaContext, streamEvent, streamRecords } from '@kiro-serverless/testing';
import { placedOrder, TABLE, TOPIC_ARN } from './fixtures.js';

const sns = mockClient(SNSClient);
const resources: PublishOrderEventsResources = { tables: { orders: TABLE }, topics: { orderEvents: TOPIC_ARN } };
const invocation = () => ({ resources, context: lambdaContext() });
const records = () => streamRecords<Order>({ table: TABLE, keys: ['pk', 'sk'] });
const published = () => sns.commandCalls(PublishCommand).map((c) => c.args[0].input);

describe('publishOrderEvents', () => {
  beforeEach(() => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  });

  it('publishes OrderPlaced for a new order, with its type as a message attribute', async () => {
    await publishOrderEvents(records().insert(placedOrder()), invocation());
    expect(published()).toEqual([{
      TopicArn: TOPIC_ARN,
      Message: JSON.stringify({ type: 'OrderPlaced', orderId: 'o-1', customerId: 'c-1', status: 'PLACED', totalCents: 1300, occurredAt: '2026-11-22T10:00:00.000Z' }),
      MessageAttributes: { type: { DataType: 'String', StringValue: 'OrderPlaced' } },
    }]);
  });

  it('publishes OrderFulfilled when the status changes to FULFILLED', async () => {
    const fulfilled = placedOrder({ status: 'FULFILLED', updatedAt: '2026-11-22T11:00:00.000Z', fulfilledAt: '2026-11-22T11:00:00.000Z' });
    await publishOrderEvents(records().modify(placedOrder(), fulfilled), invocation());
    expect(JSON.parse(published()[0]!.Message!)).toMatchObject({ type: 'OrderFulfilled', status: 'FULFILLED', occurredAt: '2026-11-22T11:00:00.000Z' });
  });

  it('announces nothing for a change that leaves the status as it was', async () => {
    await publishOrderEvents(records().modify(placedOrder(), placedOrder({ updatedAt: '2026-11-22T10:05:00.000Z' })), invocation());
    expect(published()).toEqual([]);
  });

  it('carries the poison flag into the event', async () => {
    await publishOrderEvents(records().insert(placedOrder({ poison: true })), invocation());
    expect(JSON.parse(published()[0]!.Message!)).toMatchObject({ poison: true });
  });

  it('fails a record that holds no valid order', async () => {
    const broken = streamRecords<Record<string, unknown>>({ table: TABLE, keys: ['pk', 'sk'] }).insert({ pk: 'ORDER#x', sk: 'ORDER', status: 'LOST' });
    await expect(publishOrderEvents(broken, invocation())).rejects.toBeInstanceOf(MalformedEventError);
  });

  it('fails the record when SNS is unavailable, so that the shard retries it', async () => {
    sns.on(PublishCommand).rejects(new Error('SNS throttled'));
    await expect(publishOrderEvents(records().insert(placedOrder()), invocation())).rejects.toThrow('SNS throttled');
  });

  it('in a batch, reports exactly the SequenceNumber of the failing record and leaves the later ones for the retry', async () => {
    // Arrange
    const stream = streamRecords<Record<string, unknown>>({ table: TABLE, keys: ['pk', 'sk'] });
    const batch = [
      stream.insert({ ...placedOrder({ orderId: 'a' }) }),
      stream.insert({ pk: 'ORDER#b', sk: 'ORDER', status: 'LOST' }),
      stream.insert({ ...placedOrder({ orderId: 'c' }) }),
    ];
    const handler = streamBatchHandler(withResources(publishOrderEvents, resources));
    // Act
    const response = await handler(streamEvent(batch), lambdaContext());
    // Assert
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: batch[1]!.dynamodb!.SequenceNumber }] });
    expect(published().map((p) => (JSON.parse(p.Message!) as { orderId: string }).orderId)).toEqual(['a']);
  });
});
