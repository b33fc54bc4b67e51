import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FulfilOrderResources } from '../../../src/generated/orders/fulfil-order.types.js';
import { fulfilOrder } from '../../../src/handlers/orders/fulfil-order.js';
import { MalformedEventError, OrderNotPlacedError, PoisonOrderError } from '../../../src/handlers/orders/order.js';
import { sqsBatchHandler } from '@kiro-serverless/runtime/batch';
import { withResources } from '@kiro-serverless/runtime/invocation';
import { lambdaContext, sqsEvent, sqsRecord } from '@kiro-serverless/testing';
import { orderEvent, TABLE } from './fixtures.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const resources: FulfilOrderResources = { tables: { orders: TABLE } };
const invocation = () => ({ resources, context: lambdaContext() });
const message = (body: unknown) => sqsRecord(body, { queue: 'fulfilment' });
const conditionFailed = (item?: Record<string, { S: string }>) =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, ...(item ? { Item: item } : {}) });

describe('fulfilOrder', () => {
  beforeEach(() => {
    dynamo.reset();
    dynamo.on(UpdateCommand).resolves({});
  });

  it('marks a placed order FULFILLED, only if it is still PLACED', async () => {
    await fulfilOrder(message(orderEvent()), invocation());
    const updates = dynamo.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({
      TableName: TABLE,
      Key: { pk: 'ORDER#o-1', sk: 'ORDER' },
      ConditionExpression: '#status = :placed',
      ExpressionAttributeValues: { ':fulfilled': 'FULFILLED', ':placed': 'PLACED' },
    });
  });

  it('acknowledges events other than OrderPlaced without touching the order', async () => {
    await expect(fulfilOrder(message(orderEvent({ type: 'OrderFulfilled', status: 'FULFILLED' })), invocation())).resolves.toBeUndefined();
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('fails a poison order without touching it', async () => {
    await expect(fulfilOrder(message(orderEvent({ poison: true })), invocation())).rejects.toBeInstanceOf(PoisonOrderError);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('succeeds when the order is fulfilled already (a repeat)', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed({ status: { S: 'FULFILLED' } }));
    await expect(fulfilOrder(message(orderEvent()), invocation())).resolves.toBeUndefined();
  });

  it('fails when the order does not exist, so that the message is retried', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    await expect(fulfilOrder(message(orderEvent()), invocation())).rejects.toBeInstanceOf(OrderNotPlacedError);
  });

  it('fails a message that is not an order event', async () => {
    await expect(fulfilOrder(sqsRecord('not json', { queue: 'fulfilment' }), invocation())).rejects.toBeInstanceOf(MalformedEventError);
    await expect(fulfilOrder(message({ orderId: 'o-1' }), invocation())).rejects.toThrow(/Not an order event/);
  });

  it('in a batch, reports exactly the messageId of the one failing message', async () => {
    // Arrange
    const batch = [message(orderEvent({ orderId: 'a' })), message(orderEvent({ orderId: 'b', poison: true })), message(orderEvent({ orderId: 'c' }))];
    const handler = sqsBatchHandler(withResources(fulfilOrder, resources));
    // Act
    const response = await handler(sqsEvent(batch), lambdaContext());
    // Assert
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: batch[1]!.messageId }] });
    const keys = dynamo.commandCalls(UpdateCommand).map((c) => c.args[0].input.Key);
    expect(keys).toEqual([{ pk: 'ORDER#a', sk: 'ORDER' }, { pk: 'ORDER#c', sk: 'ORDER' }]);
  });
});
