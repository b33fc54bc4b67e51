import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { NotifyCustomerResources } from '../../../src/generated/orders/notify-customer.types.js';
import { notifyCustomer } from '../../../src/handlers/orders/notify-customer.js';
import { MalformedEventError } from '../../../src/handlers/orders/order.js';
import { snsHandler } from '@kiro-serverless/runtime/async';
import { withResources } from '@kiro-serverless/runtime/invocation';
import { lambdaContext, snsEvent } from '@kiro-serverless/testing';
import { orderEvent, TABLE } from './fixtures.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const resources: NotifyCustomerResources = { tables: { orders: TABLE } };
const invocation = () => ({ resources, context: lambdaContext() });
const delivery = (message: unknown) => snsEvent(message, { topic: 'orderEvents' });

describe('notifyCustomer', () => {
  beforeEach(() => {
    dynamo.reset();
    dynamo.on(PutCommand).resolves({});
  });

  it('records one notification per message, in the order\'s partition', async () => {
    const event = delivery(orderEvent({ totalCents: 2800 }));
    const record = event.Records[0]!;
    await notifyCustomer(record, invocation());
    const puts = dynamo.commandCalls(PutCommand).map((c) => c.args[0].input);
    expect(puts).toEqual([expect.objectContaining({
      TableName: TABLE,
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: expect.objectContaining({ pk: 'ORDER#o-1', sk: `NOTIFICATION#${record.Sns.MessageId}`, customerId: 'c-1', type: 'OrderPlaced', text: 'Thank you: order o-1 is placed (total 28.00).' }) as unknown,
    })]);
  });

  it('tells the customer a fulfilled order is on its way', async () => {
    await notifyCustomer(delivery(orderEvent({ type: 'OrderFulfilled', status: 'FULFILLED' })).Records[0]!, invocation());
    expect(dynamo.commandCalls(PutCommand)[0]!.args[0].input.Item).toMatchObject({ text: 'Good news: order o-1 is on its way.' });
  });

  it('succeeds when the notification is recorded already (a repeat)', async () => {
    dynamo.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    await expect(notifyCustomer(delivery(orderEvent()).Records[0]!, invocation())).resolves.toBeUndefined();
  });

  it('fails a message that is not an order event', async () => {
    await expect(notifyCustomer(delivery({ hello: 'world' }).Records[0]!, invocation())).rejects.toBeInstanceOf(MalformedEventError);
  });

  it('rethrows through the SNS entry, so that Lambda retries the event and then sends it OnFailure', async () => {
    dynamo.on(PutCommand).rejects(new Error('DynamoDB unavailable'));
    const handler = snsHandler(withResources(notifyCustomer, resources));
    await expect(handler(delivery(orderEvent()), lambdaContext())).rejects.toThrow('DynamoDB unavailable');
  });
});
