import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CreateOrderResources } from '../../../src/generated/orders/create-order.types.js';
import { createOrder } from '../../../src/handlers/orders/create-order.js';
import { httpHandler, mapHttpErrors } from '@kiro-serverless/runtime/http';
import { logger } from '@kiro-serverless/runtime/observability';
import { httpEvent, lambdaContext } from '@kiro-serverless/testing';
import { CATALOG, freshBucket, TABLE } from './fixtures.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);

function catalogObject(catalog: unknown = CATALOG): GetObjectCommandOutput {
  const bytes = new TextEncoder().encode(JSON.stringify(catalog));
  return { $metadata: {}, Body: { transformToByteArray: () => Promise.resolve(bytes) } as unknown as GetObjectCommandOutput['Body'] };
}

type Body = Record<string, unknown>;
const json = (body: string | undefined): Body => JSON.parse(body ?? 'null') as Body;

describe('createOrder', () => {
  let resources: CreateOrderResources;
  let handler: ReturnType<typeof mapHttpErrors>;
  const post = (body: unknown) => handler(httpEvent({ method: 'POST', path: '/orders', body }), lambdaContext());

  beforeEach(() => {
    dynamo.reset();
    s3.reset();
    s3.on(GetObjectCommand).resolves(catalogObject());
    dynamo.on(PutCommand).resolves({});
    resources = { tables: { orders: TABLE }, buckets: { catalog: freshBucket() }, settings: { LOG_LEVEL: 'INFO' } };
    handler = mapHttpErrors(httpHandler(createOrder, resources));
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('stores a valid order with catalog prices, only if absent, and answers 201', async () => {
    // Act
    const response = await post({ orderId: 'o-42', customerId: 'c-1', items: [{ sku: 'TEA', quantity: 2 }, { sku: 'MUG', quantity: 1 }] });
    // Assert
    expect(response.statusCode).toBe(201);
    expect(response.headers?.location).toBe('/orders/o-42');
    expect(json(response.body)).toMatchObject({ orderId: 'o-42', status: 'PLACED', totalCents: 2 * 650 + 1500 });
    const puts = dynamo.commandCalls(PutCommand);
    expect(puts).toHaveLength(1);
    expect(puts[0]!.args[0].input).toMatchObject({
      TableName: TABLE,
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: { pk: 'ORDER#o-42', sk: 'ORDER', status: 'PLACED', customerId: 'c-1', totalCents: 2800, lines: [{ sku: 'TEA', quantity: 2, unitPriceCents: 650 }, { sku: 'MUG', quantity: 1, unitPriceCents: 1500 }] },
    });
    expect(s3.commandCalls(GetObjectCommand)[0]!.args[0].input).toEqual({ Bucket: resources.buckets.catalog, Key: 'catalog.json' });
  });

  it('gives an order without an orderId a new one', async () => {
    const response = await post({ customerId: 'c-1', items: [{ sku: 'TEA', quantity: 1 }] });
    expect(response.statusCode).toBe(201);
    expect(json(response.body).orderId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps the poison flag, so that fulfilment can fail on purpose', async () => {
    await post({ orderId: 'p-1', customerId: 'c-1', items: [{ sku: 'TEA', quantity: 1 }], poison: true });
    expect(dynamo.commandCalls(PutCommand)[0]!.args[0].input.Item).toMatchObject({ poison: true });
  });

  it('answers 422 naming every unknown or unavailable item, and stores nothing', async () => {
    const response = await post({ customerId: 'c-1', items: [{ sku: 'TEA', quantity: 1 }, { sku: 'NOPE', quantity: 1 }, { sku: 'KETTLE', quantity: 1 }] });
    expect(response.statusCode).toBe(422);
    expect(json(response.body)).toMatchObject({ error: 'ItemsUnavailable', details: [{ sku: 'NOPE', problem: 'unknown product' }, { sku: 'KETTLE', problem: 'not available' }] });
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('answers 409 when the orderId is taken', async () => {
    dynamo.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    const response = await post({ orderId: 'o-1', customerId: 'c-1', items: [{ sku: 'TEA', quantity: 1 }] });
    expect([response.statusCode, json(response.body).error]).toEqual([409, 'OrderExists']);
  });

  it('answers 400 to a body with unknown fields or no items, before reading the catalog', async () => {
    const extra = await post({ customerId: 'c-1', items: [{ sku: 'TEA', quantity: 1 }], discount: 100 });
    const empty = await post({ customerId: 'c-1', items: [] });
    expect([extra.statusCode, empty.statusCode]).toEqual([400, 400]);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
  });

  it('reads the catalog from S3 once and then from /tmp', async () => {
    await post({ customerId: 'c-1', items: [{ sku: 'TEA', quantity: 1 }] });
    await post({ customerId: 'c-2', items: [{ sku: 'MUG', quantity: 1 }] });
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(1);
  });

  it('answers 500 without internals when DynamoDB fails', async () => {
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    dynamo.on(PutCommand).rejects(new Error('ProvisionedThroughputExceeded on arn:aws:dynamodb:secret'));
    const response = await post({ customerId: 'c-1', items: [{ sku: 'TEA', quantity: 1 }] });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret');
  });
});
