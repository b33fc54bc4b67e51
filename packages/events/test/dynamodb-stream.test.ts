import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION, lambdaContext, streamEvent, streamRecords } from '../src/index.js';

const fromImage = (image: Record<string, AttributeValue> | undefined) =>
  unmarshall(image as Record<string, SdkAttributeValue>);

describe('streamRecords', () => {
  interface Order {
    pk: string;
    sk: string;
    status: string;
    total?: number;
    tags?: Set<string>;
    lines?: { sku: string; qty: number }[];
  }
  const placed: Order = {
    pk: 'ORDER#1',
    sk: 'META',
    status: 'new',
    total: 12.5,
    tags: new Set(['gift']),
    lines: [{ sku: 'A-1', qty: 2 }],
  };
  const paid: Order = { ...placed, status: 'paid' };

  it('builds an INSERT record with marshalled keys and new image that unmarshall back', () => {
    const orders = streamRecords<Order>({ table: 'orders', keys: ['pk', 'sk'] });

    const record = orders.insert(placed);

    expect(record).toMatchObject({
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: DEFAULT_REGION,
      eventSourceARN: `arn:aws:dynamodb:${DEFAULT_REGION}:${DEFAULT_ACCOUNT_ID}:table/orders/stream/2024-01-01T00:00:00.000`,
    });
    expect(record.eventSourceARN).toBe(orders.streamArn);
    expect(record.eventID).toMatch(/^[0-9a-f]{32}$/);
    expect(record.dynamodb?.Keys).toEqual({ pk: { S: 'ORDER#1' }, sk: { S: 'META' } });
    expect(fromImage(record.dynamodb?.NewImage)).toEqual(placed);
    expect(record.dynamodb?.OldImage).toBeUndefined();
    expect(record.dynamodb?.StreamViewType).toBe('NEW_AND_OLD_IMAGES');
    expect(record.dynamodb?.SizeBytes).toBeGreaterThan(0);
  });

  it('builds a MODIFY record with both images', () => {
    const orders = streamRecords<Order>({ table: 'orders', keys: ['pk', 'sk'] });

    const record = orders.modify(placed, paid);

    expect(record.eventName).toBe('MODIFY');
    expect(fromImage(record.dynamodb?.OldImage)).toEqual(placed);
    expect(fromImage(record.dynamodb?.NewImage)).toEqual(paid);
    expect(fromImage(record.dynamodb?.Keys)).toEqual({ pk: 'ORDER#1', sk: 'META' });
  });

  it('builds a REMOVE record with the old image, marking TTL deletions as DynamoDB’s', () => {
    const orders = streamRecords<Order>({ table: 'orders', keys: ['pk', 'sk'] });

    const removed = orders.remove(paid);
    const expired = orders.remove(paid, { ttl: true });

    expect(removed.eventName).toBe('REMOVE');
    expect(fromImage(removed.dynamodb?.OldImage)).toEqual(paid);
    expect(removed.dynamodb?.NewImage).toBeUndefined();
    expect(removed.userIdentity).toBeUndefined();
    expect(expired.userIdentity).toEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });
  });

  it('numbers stream records in increasing order', () => {
    const orders = streamRecords<Order>({ table: 'orders', keys: ['pk', 'sk'] });

    const numbers = [orders.insert(placed), orders.modify(placed, paid), orders.remove(paid), orders.insert(placed)].map(
      (record) => record.dynamodb?.SequenceNumber ?? '',
    );

    for (const n of numbers) expect(n).toMatch(/^\d+$/);
    for (let i = 1; i < numbers.length; i++) expect(BigInt(numbers[i]!)).toBeGreaterThan(BigInt(numbers[i - 1]!));
  });

  it('leaves out the images the stream view type leaves out', () => {
    const keysOnly = streamRecords<Order>({ table: 'orders', keys: ['pk', 'sk'], viewType: 'KEYS_ONLY' });
    const newOnly = streamRecords<Order>({ table: 'orders', keys: ['pk', 'sk'], viewType: 'NEW_IMAGE' });
    const oldOnly = streamRecords<Order>({ table: 'orders', keys: ['pk', 'sk'], viewType: 'OLD_IMAGE' });

    const k = keysOnly.modify(placed, paid).dynamodb!;
    const n = newOnly.modify(placed, paid).dynamodb!;
    const o = oldOnly.modify(placed, paid).dynamodb!;

    expect([k.StreamViewType, k.NewImage, k.OldImage, k.Keys]).toEqual(['KEYS_ONLY', undefined, undefined, expect.anything()]);
    expect([n.NewImage === undefined, n.OldImage === undefined]).toEqual([false, true]);
    expect([o.NewImage === undefined, o.OldImage === undefined]).toEqual([true, false]);
  });

  it('uses the configured key attributes, table, region and account', () => {
    const users = streamRecords({ table: 'users', keys: ['userId'], region: 'us-west-2', accountId: '111122223333' });

    const record = users.insert({ userId: 'u-1', name: 'Ada', avatar: new Uint8Array([1, 2, 3]) });

    expect(record.dynamodb?.Keys).toEqual({ userId: { S: 'u-1' } });
    expect(record.eventSourceARN).toMatch(/^arn:aws:dynamodb:us-west-2:111122223333:table\/users\/stream\//);
    expect(record.awsRegion).toBe('us-west-2');
    expect(record.dynamodb?.NewImage?.['avatar']).toEqual({ B: 'AQID' });
  });

  it('checks key attribute names against the item type', () => {
    // @ts-expect-error -- 'id' is not an attribute of Order
    const builder = streamRecords<Order>({ table: 'orders', keys: ['id'] });

    expect(() => builder.insert(placed)).toThrow(/no key attribute 'id'/);
  });

  it('stamps ApproximateCreationDateTime in epoch seconds', () => {
    const orders = streamRecords<Order>({ table: 'orders', keys: ['pk', 'sk'], time: '2024-05-01T10:00:00.900Z' });

    expect(orders.insert(placed).dynamodb?.ApproximateCreationDateTime).toBe(Date.parse('2024-05-01T10:00:00Z') / 1000);
  });

  it('rejects items without a key attribute and modifications that change the key', () => {
    const orders = streamRecords<Order>({ table: 'orders', keys: ['pk', 'sk'] });

    expect(() => orders.insert({ pk: 'ORDER#1', status: 'new' } as Order)).toThrow(/no key attribute 'sk'/);
    expect(() => orders.modify(placed, { ...paid, sk: 'OTHER' })).toThrow(/same key/);
  });

  it('wraps records in a stream event that Powertools’ batch processor reports by sequence number', async () => {
    const orders = streamRecords<Order>({ table: 'orders', keys: ['pk', 'sk'] });
    const records = [orders.insert(placed), orders.modify(placed, paid), orders.remove(paid)];
    const event = streamEvent(records);

    const response = await processPartialResponse(
      event,
      async (record: DynamoDBRecord) => {
        if (record.eventName === 'MODIFY') throw new Error('boom');
      },
      new BatchProcessor(EventType.DynamoDBStreams),
      { context: lambdaContext() },
    );

    expect(event.Records).toEqual(records);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[1]!.dynamodb!.SequenceNumber }]);
  });
});
