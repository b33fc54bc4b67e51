/**
 * The generated entries of the orders example, end to end within one process: configuration read
 * at INIT, the trigger's wrappers, idempotency against DynamoDB Local (real tables), business logic.
 * S3 and SNS have no emulator in the test run yet, so they are mocked.
 */
import { PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { stubAwsEnv } from '@kiro-serverless/testing';
import { createIdempotencyTable, createTable, localClient, uniqueTableName } from '@kiro-serverless/testing/dynamodb';
import { httpEvent, lambdaContext, snsEvent, sqsEvent, sqsRecord, streamEvent, streamRecords } from '@kiro-serverless/testing';
import { CATALOG, freshBucket, orderEvent, placedOrder, TOPIC_ARN } from '../handlers/orders/fixtures.js';

const endpoint = inject('dynamoDbEndpoint');
const client = localClient(endpoint);
const s3 = mockClient(S3Client);
const sns = mockClient(SNSClient);
let ordersTable: string;

function catalogObject(): GetObjectCommandOutput {
  const bytes = new TextEncoder().encode(JSON.stringify(CATALOG));
  return { $metadata: {}, Body: { transformToByteArray: () => Promise.resolve(bytes) } as unknown as GetObjectCommandOutput['Body'] };
}

async function items(): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await client.send(new ScanCommand({ TableName: ordersTable }));
  return Items.map((i) => Object.fromEntries(Object.entries(i).map(([k, v]) => [k, v.S ?? v.N ?? v])));
}

beforeAll(async () => {
  ordersTable = await createTable(client, uniqueTableName('orders'), { partitionKey: 'pk', sortKey: 'sk' });
  const idempotencyTable = await createIdempotencyTable(client);
  stubAwsEnv();
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', endpoint);
  vi.stubEnv('TABLE_ORDERS', ordersTable);
  vi.stubEnv('IDEMPOTENCY_TABLE', idempotencyTable);
  vi.stubEnv('BUCKET_CATALOG', freshBucket());
  vi.stubEnv('TOPIC_ORDER_EVENTS_ARN', TOPIC_ARN);
  vi.stubEnv('LOG_LEVEL', 'INFO');
  vi.resetModules();
});
afterAll(() => {
  vi.unstubAllEnvs();
  client.destroy();
});
beforeEach(() => {
  s3.reset();
  sns.reset();
  s3.on(GetObjectCommand).resolves(catalogObject());
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

describe('generated orders entries', () => {
  it('createOrder: a repeated request with the same Idempotency-Key gets the same 201 and stores one order', async () => {
    // Arrange
    const { handler } = await import('../../src/generated/orders/create-order.js');
    const request = () => httpEvent({ method: 'POST', path: '/orders', headers: { 'Idempotency-Key': 'idem-1' }, body: { customerId: 'c-9', items: [{ sku: 'TEA', quantity: 3 }] } });
    // Act
    const first = await handler(request(), lambdaContext());
    const second = await handler(request(), lambdaContext());
    // Assert
    expect(first.statusCode).toBe(201);
    expect(second).toEqual(first);
    const orders = (await items()).filter((i) => i.customerId === 'c-9');
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ status: 'PLACED', totalCents: '1950' });
  });

  it('publishOrderEvents: a redelivered stream record is published once', async () => {
    // Arrange
    const { handler } = await import('../../src/generated/orders/publish-order-events.js');
    const stream = streamRecords({ table: ordersTable, keys: ['pk', 'sk'] });
    const [a, b, c] = ['s-a', 's-b', 's-c'].map((orderId) => stream.insert(placedOrder({ orderId })));
    // Act: Lambda retries a batch from its checkpoint, so records come again
    await handler(streamEvent([a!, b!]), lambdaContext());
    await handler(streamEvent([a!, b!, c!]), lambdaContext());
    // Assert
    const published = sns.commandCalls(PublishCommand).map((call) => (JSON.parse(call.args[0].input.Message ?? '{}') as { orderId: string }).orderId);
    expect(published).toEqual(['s-a', 's-b', 's-c']);
  });

  it('fulfilOrder: a second delivery of an order runs no second update; a poison order is the only failure reported', async () => {
    // Arrange
    const { handler } = await import('../../src/generated/orders/fulfil-order.js');
    const { documentClient } = await import('@kiro-serverless/runtime/clients/dynamodb');
    const send = vi.spyOn(documentClient, 'send');
    await client.send(new PutItemCommand({
      TableName: ordersTable,
      Item: { pk: { S: 'ORDER#f-1' }, sk: { S: 'ORDER' }, status: { S: 'PLACED' }, orderId: { S: 'f-1' } },
    }));
    const delivery = () => sqsRecord(orderEvent({ orderId: 'f-1' }), { queue: 'fulfilment' });
    const poison = sqsRecord(orderEvent({ orderId: 'f-2', poison: true }), { queue: 'fulfilment' });
    // Act
    const first = await handler(sqsEvent([delivery(), poison]), lambdaContext());
    const again = await handler(sqsEvent([delivery()]), lambdaContext());
    // Assert
    expect(first).toEqual({ batchItemFailures: [{ itemIdentifier: poison.messageId }] });
    expect(again).toEqual({ batchItemFailures: [] });
    expect(send.mock.calls.filter(([command]) => command instanceof UpdateCommand)).toHaveLength(1);
    expect((await items()).find((i) => i.pk === 'ORDER#f-1')).toMatchObject({ status: 'FULFILLED' });
    send.mockRestore();
  });

  it('notifyCustomer: a repeated SNS delivery records one notification', async () => {
    const { handler } = await import('../../src/generated/orders/notify-customer.js');
    const event = snsEvent(orderEvent({ orderId: 'n-1' }), { topic: 'orderEvents' });
    await handler(event, lambdaContext());
    await handler(event, lambdaContext());
    expect((await items()).filter((i) => i.pk === 'ORDER#n-1')).toHaveLength(1);
  });

  it('fails INIT, naming the variable, when the environment lacks one', async () => {
    vi.stubEnv('TABLE_ORDERS', undefined);
    vi.resetModules();
    await expect(import('../../src/generated/orders/fulfil-order.js')).rejects.toThrow(/Missing environment variable TABLE_ORDERS \(the name of table orders/);
    vi.stubEnv('TABLE_ORDERS', ordersTable);
  });
});
