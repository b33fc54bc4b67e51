import { createHash } from 'node:crypto';
import {
  BatchProcessor,
  EventType,
  processPartialResponse,
  SqsFifoPartialProcessorAsync,
} from '@aws-lambda-powertools/batch';
import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord, SQSRecord } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
  httpEvent,
  lambdaContext,
  md5OfMessageAttributes,
  scheduledEvent,
  snsEvent,
  sqsEvent,
  sqsRecord,
  streamEvent,
  streamRecords,
} from './events.js';

const fromImage = (image: Record<string, AttributeValue> | undefined) =>
  unmarshall(image as Record<string, SdkAttributeValue>);
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

afterEach(() => {
  vi.useRealTimers();
});

describe('httpEvent', () => {
  it('builds a payload 2.0 event with the route key, raw path and request context', () => {
    const event = httpEvent({ method: 'post', path: '/orders', time: '2024-03-12T19:03:58.123Z' });

    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('POST /orders');
    expect(event.rawPath).toBe('/orders');
    expect(event.rawQueryString).toBe('');
    expect(event.isBase64Encoded).toBe(false);
    expect(event.requestContext).toMatchObject({
      accountId: DEFAULT_ACCOUNT_ID,
      domainName: `${event.requestContext.apiId}.execute-api.${DEFAULT_REGION}.amazonaws.com`,
      http: { method: 'POST', path: '/orders', protocol: 'HTTP/1.1', sourceIp: '198.51.100.7', userAgent: 'vitest' },
      routeKey: 'POST /orders',
      stage: '$default',
      time: '12/Mar/2024:19:03:58 +0000',
      timeEpoch: Date.parse('2024-03-12T19:03:58.123Z'),
    });
    expect(event.requestContext.requestId).toMatch(/^[\w-]{15}=$/);
    expect(event.headers['host']).toBe(event.requestContext.domainName);
  });

  it('leaves out body, query, path parameters and cookies when there are none', () => {
    const event = httpEvent({ method: 'GET', path: '/health' });

    expect(event).not.toHaveProperty('body');
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('pathParameters');
    expect(event).not.toHaveProperty('cookies');
    expect(event.headers).not.toHaveProperty('content-type');
  });

  it('JSON-stringifies an object body and sets content-type and content-length', () => {
    const order = { sku: 'A-1', quantity: 2, note: 'naïve' };

    const event = httpEvent({ method: 'POST', path: '/orders', body: order });

    expect(JSON.parse(event.body!)).toEqual(order);
    expect(event.headers['content-type']).toBe('application/json');
    expect(event.headers['content-length']).toBe(String(Buffer.byteLength(event.body!)));
  });

  it('keeps a string body as it is and a given content-type', () => {
    const event = httpEvent({
      method: 'PUT',
      path: '/notes/1',
      body: 'a=1&b=2',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });

    expect(event.body).toBe('a=1&b=2');
    expect(event.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('base64-encodes a binary body', () => {
    const bytes = new Uint8Array([0, 1, 2, 250]);

    const event = httpEvent({ method: 'POST', path: '/upload', body: bytes });

    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body!, 'base64')).toEqual(Buffer.from(bytes));
    expect(event.headers['content-length']).toBe('4');
  });

  it('lower-cases headers, joins duplicates with commas and moves cookies out', () => {
    const event = httpEvent({
      method: 'GET',
      path: '/me',
      headers: { Authorization: 'Bearer t', 'X-Tag': 'a', 'x-tag': 'b', Cookie: 'session=abc; theme=dark' },
      cookies: ['extra=1'],
    });

    expect(event.headers['authorization']).toBe('Bearer t');
    expect(event.headers['x-tag']).toBe('a,b');
    expect(Object.keys(event.headers).every((name) => name === name.toLowerCase())).toBe(true);
    expect(event.headers).not.toHaveProperty('cookie');
    expect(event.cookies).toEqual(['session=abc', 'theme=dark', 'extra=1']);
  });

  it('sets raw and parsed query strings, joining repeated parameters with commas', () => {
    const event = httpEvent({ method: 'GET', path: '/orders?status=open', query: { tag: ['a b', 'c'], limit: '10' } });

    expect(event.rawPath).toBe('/orders');
    expect(event.rawQueryString).toBe('status=open&tag=a%20b&tag=c&limit=10');
    expect(event.queryStringParameters).toEqual({ status: 'open', tag: 'a b,c', limit: '10' });
    expect(event.routeKey).toBe('GET /orders');
  });

  it('derives the route template from path parameters, or takes it as given', () => {
    const derived = httpEvent({ method: 'GET', path: '/orders/42/lines/7', pathParameters: { id: '42', line: '7' } });
    const given = httpEvent({ method: 'GET', path: '/files/a/b', route: '/files/{proxy+}', pathParameters: { proxy: 'a/b' } });

    expect(derived.routeKey).toBe('GET /orders/{id}/lines/{line}');
    expect(derived.requestContext.routeKey).toBe(derived.routeKey);
    expect(derived.pathParameters).toEqual({ id: '42', line: '7' });
    expect(given.routeKey).toBe('GET /files/{proxy+}');
    expect(given.rawPath).toBe('/files/a/b');
  });

  it('takes region and account from options and gives each event its own request ID', () => {
    const a = httpEvent({ method: 'GET', path: '/', region: 'us-east-1', accountId: '210987654321' });
    const b = httpEvent({ method: 'GET', path: '/' });

    expect(a.requestContext.accountId).toBe('210987654321');
    expect(a.requestContext.domainName).toContain('.us-east-1.');
    expect(a.requestContext.requestId).not.toBe(b.requestContext.requestId);
  });
});

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

describe('sqsRecord', () => {
  it('builds a standard queue message with a JSON body and SQS’s checksums', () => {
    const record = sqsRecord({ orderId: '42' }, { time: 1_700_000_000_000 });

    expect(JSON.parse(record.body)).toEqual({ orderId: '42' });
    expect(record.md5OfBody).toBe(md5(record.body));
    expect(record).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:${DEFAULT_REGION}:${DEFAULT_ACCOUNT_ID}:test-queue`,
      awsRegion: DEFAULT_REGION,
      messageAttributes: {},
    });
    expect(record.attributes).toMatchObject({
      ApproximateReceiveCount: '1',
      SentTimestamp: '1700000000000',
      SenderId: expect.any(String),
      ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d+$/),
    });
    expect(record.attributes).not.toHaveProperty('MessageGroupId');
    expect(record.attributes).not.toHaveProperty('SequenceNumber');
    expect(record).not.toHaveProperty('md5OfMessageAttributes');
  });

  it('gives every message its own message ID and receipt handle', () => {
    const records = Array.from({ length: 20 }, () => sqsRecord('x'));

    expect(new Set(records.map((r) => r.messageId)).size).toBe(20);
    expect(new Set(records.map((r) => r.receiptHandle)).size).toBe(20);
  });

  it('sets FIFO group, deduplication ID, increasing sequence numbers and a .fifo queue ARN', () => {
    const first = sqsRecord({ n: 1 }, { queue: 'orders', fifo: { groupId: 'customer-7' } });
    const second = sqsRecord({ n: 2 }, { queue: 'orders.fifo', fifo: { groupId: 'customer-7', dedupId: 'd-2' } });

    expect(first.eventSourceARN).toBe(`arn:aws:sqs:${DEFAULT_REGION}:${DEFAULT_ACCOUNT_ID}:orders.fifo`);
    expect(second.eventSourceARN).toBe(first.eventSourceARN);
    expect(first.attributes.MessageGroupId).toBe('customer-7');
    expect(first.attributes.MessageDeduplicationId).toBe(createHash('sha256').update(first.body).digest('hex'));
    expect(second.attributes.MessageDeduplicationId).toBe('d-2');
    expect(first.attributes.SequenceNumber).toMatch(/^\d+$/);
    expect(BigInt(second.attributes.SequenceNumber!)).toBeGreaterThan(BigInt(first.attributes.SequenceNumber!));
  });

  it('refuses a .fifo queue without a message group', () => {
    expect(() => sqsRecord('x', { queue: 'orders.fifo' })).toThrow(/fifo: \{ groupId \}/);
  });

  it('sets receive count, system attributes, queue ARN and message attributes in Lambda’s shape', () => {
    const record = sqsRecord('ping', {
      queue: 'arn:aws:sqs:us-east-1:210987654321:jobs',
      receiveCount: 3,
      attributes: { AWSTraceHeader: 'Root=1-abc' },
      messageAttributes: { tenant: 'acme', attempt: 2, blob: new Uint8Array([1, 2, 3]) },
    });

    expect(record.eventSourceARN).toBe('arn:aws:sqs:us-east-1:210987654321:jobs');
    expect(record.attributes.ApproximateReceiveCount).toBe('3');
    expect(record.attributes.AWSTraceHeader).toBe('Root=1-abc');
    expect(record.messageAttributes).toEqual({
      tenant: { stringValue: 'acme', stringListValues: [], binaryListValues: [], dataType: 'String' },
      attempt: { stringValue: '2', stringListValues: [], binaryListValues: [], dataType: 'Number' },
      blob: { binaryValue: 'AQID', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
    });
    expect(record.md5OfMessageAttributes).toBe(md5OfMessageAttributes(record.messageAttributes));
  });

  it('computes the message attribute MD5 as SQS does', () => {
    // Published reference values (AWS documentation sample, LocalStack's test).
    expect(md5OfMessageAttributes({ SellerName: { dataType: 'String', stringValue: 'Example Store' } })).toBe(
      'cd28f3b68aeee4b2eac9c66f2f694b58',
    );
    expect(md5OfMessageAttributes({ timestamp: { dataType: 'Number', stringValue: '1493147359900' } })).toBe(
      '235c5c510d26fb653d073faed50ae77c',
    );
  });

  it('wraps records in an SQS event that Powertools’ processors read', async () => {
    const ok = sqsRecord({ n: 1 }, { fifo: { groupId: 'g' } });
    const bad = sqsRecord({ n: 2 }, { fifo: { groupId: 'g' } });
    const skipped = sqsRecord({ n: 3 }, { fifo: { groupId: 'g' } });
    const other = sqsRecord({ n: 4 }, { fifo: { groupId: 'h' } });
    const event = sqsEvent([ok, bad, skipped, other]);

    const response = await processPartialResponse(
      event,
      async (record: SQSRecord) => {
        if (record === bad) throw new Error('boom');
      },
      new SqsFifoPartialProcessorAsync(),
      { context: lambdaContext(), skipGroupOnError: true },
    );

    expect(event.Records).toHaveLength(4);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: bad.messageId }, { itemIdentifier: skipped.messageId }]);
  });
});

describe('snsEvent', () => {
  it('builds one notification record with a JSON message', () => {
    const event = snsEvent({ orderId: '42' }, { topic: 'order-events', subject: 'OrderPlaced', time: '2024-01-02T12:45:07Z' });

    expect(event.Records).toHaveLength(1);
    const record = event.Records[0]!;
    const topicArn = `arn:aws:sns:${DEFAULT_REGION}:${DEFAULT_ACCOUNT_ID}:order-events`;
    expect(record).toMatchObject({ EventVersion: '1.0', EventSource: 'aws:sns' });
    expect(record.EventSubscriptionArn).toMatch(new RegExp(`^${topicArn}:[0-9a-f-]{36}$`));
    expect(record.Sns).toMatchObject({
      Type: 'Notification',
      TopicArn: topicArn,
      Subject: 'OrderPlaced',
      Timestamp: '2024-01-02T12:45:07.000Z',
      SignatureVersion: '1',
      MessageAttributes: {},
    });
    expect(record.Sns.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(record.Sns.UnsubscribeUrl).toContain(record.EventSubscriptionArn);
    expect(JSON.parse(record.Sns.Message)).toEqual({ orderId: '42' });
  });

  it('converts message attributes to SNS’s { Type, Value } shape and leaves out a missing subject', () => {
    const sns = snsEvent('hello', {
      topic: 'arn:aws:sns:us-east-1:210987654321:alerts',
      attributes: { kind: 'placed', priority: 3, regions: ['eu', 'us'], raw: new Uint8Array([1, 2, 3]) },
    }).Records[0]!.Sns;

    expect(sns.TopicArn).toBe('arn:aws:sns:us-east-1:210987654321:alerts');
    expect(sns.Message).toBe('hello');
    expect(sns).not.toHaveProperty('Subject');
    expect(sns.MessageAttributes).toEqual({
      kind: { Type: 'String', Value: 'placed' },
      priority: { Type: 'Number', Value: '3' },
      regions: { Type: 'String.Array', Value: '["eu","us"]' },
      raw: { Type: 'Binary', Value: 'AQID' },
    });
  });
});

describe('scheduledEvent', () => {
  it('builds an EventBridge scheduled event for the rule at second precision', () => {
    const event = scheduledEvent({ rule: 'nightly-report', time: '2024-03-01T02:00:00.456Z' });

    expect(event).toMatchObject({
      version: '0',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: DEFAULT_ACCOUNT_ID,
      region: DEFAULT_REGION,
      time: '2024-03-01T02:00:00Z',
      resources: [`arn:aws:events:${DEFAULT_REGION}:${DEFAULT_ACCOUNT_ID}:rule/nightly-report`],
      detail: {},
    });
    expect(event.id).not.toBe(scheduledEvent().id);
  });
});

describe('lambdaContext', () => {
  it('counts remaining time down from the timeout and stops at zero', () => {
    vi.useFakeTimers();
    const context = lambdaContext({ timeoutMs: 1000 });

    expect(context.getRemainingTimeInMillis()).toBe(1000);
    vi.advanceTimersByTime(400);
    expect(context.getRemainingTimeInMillis()).toBe(600);
    vi.advanceTimersByTime(5000);
    expect(context.getRemainingTimeInMillis()).toBe(0);
  });

  it('describes the function, with a request ID unique per call and the callback methods present', () => {
    const context = lambdaContext({ functionName: 'orders-api', memoryMb: 512, region: 'us-east-1' });

    expect(context).toMatchObject({
      functionName: 'orders-api',
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:us-east-1:${DEFAULT_ACCOUNT_ID}:function:orders-api`,
      memoryLimitInMB: '512',
      logGroupName: '/aws/lambda/orders-api',
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(context.awsRequestId).not.toBe(lambdaContext().awsRequestId);
    expect(lambdaContext().getRemainingTimeInMillis()).toBeLessThanOrEqual(3000);
    expect(() => {
      context.done();
      context.fail('x');
      context.succeed('ok');
    }).not.toThrow();
  });
});
