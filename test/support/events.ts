/**
 * Builders for the events Lambda hands to a handler, shaped as Lambda delivers them, for handler tests.
 *
 * Every builder takes an options object; `region` and `accountId` default to {@link DEFAULT_REGION} and
 * {@link DEFAULT_ACCOUNT_ID}. IDs (request IDs, message IDs, event IDs) are random but unique. Times default to
 * `Date.now()`, so `vi.useFakeTimers()` / `vi.setSystemTime()` make them fixed; every builder also takes `time`.
 *
 * @example
 * const event = httpEvent({ method: 'POST', path: '/orders', body: { sku: 'A-1', quantity: 2 } });
 * const response = await handler(event, lambdaContext());
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { marshall } from '@aws-sdk/util-dynamodb';
import type {
  APIGatewayProxyEventV2,
  AttributeValue,
  Context,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  ScheduledEvent,
  SNSEvent,
  SNSMessageAttribute,
  SNSMessageAttributes,
  SQSEvent,
  SQSMessageAttribute,
  SQSMessageAttributes,
  SQSRecord,
  SQSRecordAttributes,
  StreamRecord,
} from 'aws-lambda';

/** Region used when a builder is not given `region`. */
export const DEFAULT_REGION = 'eu-west-1';
/** Account used when a builder is not given `accountId`. */
export const DEFAULT_ACCOUNT_ID = '123456789012';

/** Options every builder accepts. */
export interface AwsOptions {
  /** AWS region; defaults to {@link DEFAULT_REGION}. */
  region?: string;
  /** AWS account ID; defaults to {@link DEFAULT_ACCOUNT_ID}. */
  accountId?: string;
}

/** A point in time: a `Date`, an ISO string or epoch milliseconds. */
export type TimeInput = Date | string | number;

const regionOf = (o: AwsOptions): string => o.region ?? DEFAULT_REGION;
const accountOf = (o: AwsOptions): string => o.accountId ?? DEFAULT_ACCOUNT_ID;
const dateOf = (time: TimeInput | undefined): Date => {
  const date = time === undefined ? new Date() : new Date(time);
  if (Number.isNaN(date.getTime())) throw new TypeError(`Not a valid time: ${String(time)}`);
  return date;
};
const hex = (bytes: number): string => randomBytes(bytes).toString('hex');
const toJsonText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

// ---------------------------------------------------------------------------------------------------------------
// API Gateway HTTP API (payload format 2.0)
// ---------------------------------------------------------------------------------------------------------------

/** Options of {@link httpEvent}. */
export interface HttpEventOptions extends AwsOptions {
  /** HTTP method, any case (`'post'` becomes `'POST'`). */
  method: string;
  /** Request path, e.g. `/orders/42`; a query string after `?` is parsed like `query`. */
  path: string;
  /**
   * Request body. A string is sent as is; a `Uint8Array` is base64-encoded with `isBase64Encoded: true`; anything
   * else is JSON-stringified and `content-type: application/json` is set unless a content-type header is given.
   */
  body?: unknown;
  /** Request headers, any case; they arrive lower-cased. A `cookie` header moves to `cookies`, as API Gateway does. */
  headers?: Record<string, string>;
  /** Path parameters as the route captured them, e.g. `{ id: '42' }`. */
  pathParameters?: Record<string, string>;
  /** Query parameters; repeated values are given as arrays and arrive comma-joined in `queryStringParameters`. */
  query?: Record<string, string | readonly string[]>;
  /**
   * Route template, e.g. `/orders/{id}`. Defaults to `path` with each segment equal to a path parameter's value
   * replaced by `{name}`, so `path: '/orders/42', pathParameters: { id: '42' }` gives route key `GET /orders/{id}`.
   */
  route?: string;
  /** Cookies as `name=value` strings, added to those from a `cookie` header. */
  cookies?: readonly string[];
  /** Client IP; defaults to `198.51.100.7`. */
  sourceIp?: string;
  /** Request time; defaults to now. */
  time?: TimeInput;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** API Gateway's CLF-style request time: `12/Mar/2020:19:03:58 +0000`. */
const clfTime = (d: Date): string =>
  `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()] ?? ''}/${d.getUTCFullYear()}:` +
  `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;

const routeFor = (path: string, pathParameters: Record<string, string> | undefined): string => {
  if (pathParameters === undefined) return path;
  const names = new Map(Object.entries(pathParameters).map(([name, value]) => [value, name]));
  return path
    .split('/')
    .map((segment) => {
      const name = names.get(segment) ?? names.get(safeDecode(segment));
      return name === undefined ? segment : `{${name}}`;
    })
    .join('/');
};

const safeDecode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/**
 * An API Gateway HTTP API (payload format 2.0) event, as a Lambda proxy integration receives it.
 *
 * @example
 * const event = httpEvent({
 *   method: 'POST',
 *   path: '/orders',
 *   body: { sku: 'A-1', quantity: 2 }, // JSON-stringified, content-type: application/json
 *   headers: { Authorization: 'Bearer t0k3n' }, // arrives as `authorization`
 * });
 * event.routeKey; // 'POST /orders'
 *
 * httpEvent({ method: 'GET', path: '/orders/42', pathParameters: { id: '42' }, query: { expand: 'lines' } });
 * // routeKey 'GET /orders/{id}', rawQueryString 'expand=lines'
 */
export function httpEvent(options: HttpEventOptions): APIGatewayProxyEventV2 {
  const region = regionOf(options);
  const accountId = accountOf(options);
  const time = dateOf(options.time);
  const method = options.method.toUpperCase();

  // Path and query: `/orders?status=open` works too.
  const queryAt = options.path.indexOf('?');
  const path = queryAt === -1 ? options.path : options.path.slice(0, queryAt);
  const pairs: [string, string][] = [];
  if (queryAt !== -1) {
    for (const [name, value] of new URLSearchParams(options.path.slice(queryAt + 1))) pairs.push([name, value]);
  }
  for (const [name, value] of Object.entries(options.query ?? {})) {
    for (const one of typeof value === 'string' ? [value] : value) pairs.push([name, one]);
  }
  const rawQueryString = pairs.map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`).join('&');
  const queryStringParameters: Record<string, string> = {};
  for (const [name, value] of pairs) {
    const before = queryStringParameters[name];
    queryStringParameters[name] = before === undefined ? value : `${before},${value}`;
  }

  // Body.
  let body: string | undefined;
  let isBase64Encoded = false;
  let contentType: string | undefined;
  if (options.body instanceof Uint8Array) {
    body = Buffer.from(options.body).toString('base64');
    isBase64Encoded = true;
  } else if (typeof options.body === 'string') {
    body = options.body;
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    contentType = 'application/json';
  }

  // Headers: lower-cased, duplicates comma-joined, cookies split out, as API Gateway does.
  const apiId = 'a1b2c3d4e5';
  const domainName = `${apiId}.execute-api.${region}.amazonaws.com`;
  const sourceIp = options.sourceIp ?? '198.51.100.7';
  const given: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    const key = name.toLowerCase();
    const before = given[key];
    given[key] = before === undefined ? value : `${before},${value}`;
  }
  const cookies = [...(options.cookies ?? [])];
  if (given['cookie'] !== undefined) {
    cookies.unshift(...given['cookie'].split(/;\s*/).filter((c) => c !== ''));
    delete given['cookie'];
  }
  const headers: Record<string, string> = {
    accept: '*/*',
    host: domainName,
    'user-agent': 'vitest',
    'x-amzn-trace-id': `Root=1-${Math.floor(time.getTime() / 1000).toString(16)}-${hex(12)}`,
    'x-forwarded-for': sourceIp,
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
  };
  if (body !== undefined) {
    headers['content-length'] = String(isBase64Encoded ? Buffer.from(body, 'base64').length : Buffer.byteLength(body));
    if (contentType !== undefined) headers['content-type'] = contentType;
  }
  Object.assign(headers, given);

  const routeKey = `${method} ${options.route ?? routeFor(path, options.pathParameters)}`;
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString,
    headers,
    requestContext: {
      accountId,
      apiId,
      domainName,
      domainPrefix: apiId,
      http: { method, path, protocol: 'HTTP/1.1', sourceIp, userAgent: headers['user-agent'] ?? '' },
      requestId: `${randomBytes(11).toString('base64url')}=`,
      routeKey,
      stage: '$default',
      time: clfTime(time),
      timeEpoch: time.getTime(),
    },
    isBase64Encoded,
  };
  if (cookies.length > 0) event.cookies = cookies;
  if (pairs.length > 0) event.queryStringParameters = queryStringParameters;
  if (options.pathParameters !== undefined) event.pathParameters = { ...options.pathParameters };
  if (body !== undefined) event.body = body;
  return event;
}

// ---------------------------------------------------------------------------------------------------------------
// DynamoDB Streams
// ---------------------------------------------------------------------------------------------------------------

/** What a stream record carries: `StreamViewType` of the table's stream. */
export type StreamViewType = NonNullable<StreamRecord['StreamViewType']>;

/** Options of {@link streamRecords}. */
export interface StreamRecordsOptions<T extends object> extends AwsOptions {
  /** Table name; the records' `eventSourceARN` is this table's stream ARN. */
  table: string;
  /** Key attribute names: `['pk']` or `['pk', 'sk']`. Every item must have them. */
  keys: readonly NoInfer<keyof T & string>[];
  /** Stream view type; defaults to `NEW_AND_OLD_IMAGES`. Images the view type leaves out are left out. */
  viewType?: StreamViewType;
  /** Stream label, the end of the stream ARN; defaults to `2024-01-01T00:00:00.000`. */
  streamLabel?: string;
  /** Change time of every record; defaults to now at each call. */
  time?: TimeInput;
}

/** Builds the records of one table's stream; see {@link streamRecords}. */
export interface StreamRecordBuilder<T extends object> {
  /** The table's stream ARN, the records' `eventSourceARN`. */
  readonly streamArn: string;
  /** An `INSERT` record: `Keys` and `NewImage` from `item`. */
  insert(item: T): DynamoDBRecord;
  /** A `MODIFY` record: `OldImage` from `before`, `NewImage` from `after`; both must have the same key. */
  modify(before: T, after: T): DynamoDBRecord;
  /** A `REMOVE` record: `Keys` and `OldImage` from `item`; `ttl: true` marks it a TTL deletion by DynamoDB. */
  remove(item: T, options?: { ttl?: boolean }): DynamoDBRecord;
}

type Image = Record<string, AttributeValue>;

/** Lambda delivers stream records as JSON, so binary values arrive base64-encoded; `marshall` gives bytes. */
const asDelivered = (value: unknown): unknown => {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(asDelivered);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asDelivered(v)]));
  }
  return value;
};

const marshallItem = (item: object): Image =>
  asDelivered(marshall(item as Record<string, unknown>, { removeUndefinedValues: true })) as Image;

/**
 * A builder of DynamoDB stream records for one table. Records from one builder have strictly increasing
 * `SequenceNumber`s (numeric strings, as DynamoDB gives them; not consecutive), so build them in stream order.
 * Images are marshalled with `marshall` from `@aws-sdk/util-dynamodb`; `unmarshall` gives the items back
 * (binary values come back base64-encoded, as Lambda delivers them).
 *
 * @example
 * interface Order { pk: string; sk: string; status: string }
 * const orders = streamRecords<Order>({ table: 'orders', keys: ['pk', 'sk'] });
 * const event = streamEvent([
 *   orders.insert({ pk: 'ORDER#1', sk: 'META', status: 'new' }),
 *   orders.modify({ pk: 'ORDER#1', sk: 'META', status: 'new' }, { pk: 'ORDER#1', sk: 'META', status: 'paid' }),
 *   orders.remove({ pk: 'ORDER#1', sk: 'META', status: 'paid' }, { ttl: true }),
 * ]);
 */
export function streamRecords<T extends object = Record<string, unknown>>(
  options: StreamRecordsOptions<T>,
): StreamRecordBuilder<T> {
  if (options.keys.length === 0 || options.keys.length > 2) {
    throw new TypeError(`streamRecords(${options.table}): keys must name the partition key and optionally a sort key`);
  }
  const region = regionOf(options);
  const viewType = options.viewType ?? 'NEW_AND_OLD_IMAGES';
  const streamArn =
    `arn:aws:dynamodb:${region}:${accountOf(options)}:table/${options.table}` +
    `/stream/${options.streamLabel ?? '2024-01-01T00:00:00.000'}`;
  let sequence = 4_421_584_500_000_000_017_450_439_091n;

  const keysOf = (item: T, which: string): Image => {
    const picked: Record<string, unknown> = {};
    for (const key of options.keys) {
      const value = (item as Record<string, unknown>)[key];
      if (value === undefined || value === null) {
        throw new TypeError(`streamRecords(${options.table}): the ${which} item has no key attribute '${key}'`);
      }
      picked[key] = value;
    }
    return marshallItem(picked);
  };

  const record = (
    eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
    keys: Image,
    oldItem: T | undefined,
    newItem: T | undefined,
  ): DynamoDBRecord => {
    sequence += 100n;
    const dynamodb: StreamRecord = {
      ApproximateCreationDateTime: Math.floor(dateOf(options.time).getTime() / 1000),
      Keys: keys,
    };
    if (newItem !== undefined && (viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES')) {
      dynamodb.NewImage = marshallItem(newItem);
    }
    if (oldItem !== undefined && (viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES')) {
      dynamodb.OldImage = marshallItem(oldItem);
    }
    dynamodb.SequenceNumber = sequence.toString();
    dynamodb.SizeBytes = Buffer.byteLength(JSON.stringify([dynamodb.Keys, dynamodb.NewImage, dynamodb.OldImage]));
    dynamodb.StreamViewType = viewType;
    return {
      eventID: hex(16),
      eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: region,
      dynamodb,
      eventSourceARN: streamArn,
    };
  };

  return {
    streamArn,
    insert: (item) => record('INSERT', keysOf(item, 'inserted'), undefined, item),
    modify: (before, after) => {
      const keys = keysOf(after, 'new');
      if (JSON.stringify(keysOf(before, 'old')) !== JSON.stringify(keys)) {
        throw new TypeError(`streamRecords(${options.table}): modify() needs the same key before and after`);
      }
      return record('MODIFY', keys, before, after);
    },
    remove: (item, removeOptions) => {
      const removed = record('REMOVE', keysOf(item, 'removed'), item, undefined);
      if (removeOptions?.ttl === true) removed.userIdentity = { type: 'Service', principalId: 'dynamodb.amazonaws.com' };
      return removed;
    },
  };
}

/**
 * A DynamoDB stream event, the batch Lambda hands to the handler.
 *
 * @example
 * const orders = streamRecords({ table: 'orders', keys: ['pk'] });
 * await handler(streamEvent([orders.insert({ pk: 'ORDER#1', total: 12 })]), lambdaContext());
 */
export function streamEvent(records: readonly DynamoDBRecord[]): DynamoDBStreamEvent {
  return { Records: [...records] };
}

// ---------------------------------------------------------------------------------------------------------------
// SQS
// ---------------------------------------------------------------------------------------------------------------

/** A message attribute: a string, a number, bytes, or the full SQS shape. */
export type SqsAttributeInput = string | number | Uint8Array | SQSMessageAttribute;

/** Options of {@link sqsRecord}. */
export interface SqsRecordOptions extends AwsOptions {
  /** Queue name or ARN; defaults to `test-queue` (`test-queue.fifo` with `fifo`). `.fifo` is appended for FIFO. */
  queue?: string;
  /** Makes it a FIFO queue message; `dedupId` defaults to the SHA-256 of the body (content-based deduplication). */
  fifo?: { groupId: string; dedupId?: string };
  /** `ApproximateReceiveCount`; defaults to 1. More than 1 means earlier receives failed. */
  receiveCount?: number;
  /** Message attributes: strings are `String`, numbers `Number`, bytes `Binary`. */
  messageAttributes?: Record<string, SqsAttributeInput>;
  /** System attributes to set or override, e.g. `AWSTraceHeader`. */
  attributes?: Partial<SQSRecordAttributes>;
  /** Message ID; defaults to a random UUID. */
  messageId?: string;
  /** Send time; defaults to now. */
  time?: TimeInput;
}

let fifoSequence = 18_849_496_460_467_696_128n;

const md5 = (data: string | Uint8Array): string => createHash('md5').update(data).digest('hex');

const sqsAttribute = (value: SqsAttributeInput): SQSMessageAttribute => {
  if (typeof value === 'string') return { stringValue: value, stringListValues: [], binaryListValues: [], dataType: 'String' };
  if (typeof value === 'number') {
    return { stringValue: String(value), stringListValues: [], binaryListValues: [], dataType: 'Number' };
  }
  if (value instanceof Uint8Array) {
    const binaryValue = Buffer.from(value).toString('base64');
    return { binaryValue, stringListValues: [], binaryListValues: [], dataType: 'Binary' };
  }
  return value;
};

/** SQS's MD5 of message attributes: names sorted, each field length-prefixed (big-endian uint32). */
export function md5OfMessageAttributes(attributes: SQSMessageAttributes): string {
  const parts: Buffer[] = [];
  const field = (bytes: Buffer): void => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    parts.push(length, bytes);
  };
  for (const name of Object.keys(attributes).sort()) {
    const attribute = attributes[name]!;
    field(Buffer.from(name, 'utf8'));
    field(Buffer.from(attribute.dataType, 'utf8'));
    if (attribute.binaryValue !== undefined) {
      parts.push(Buffer.from([2]));
      field(Buffer.from(attribute.binaryValue, 'base64'));
    } else {
      parts.push(Buffer.from([1]));
      field(Buffer.from(attribute.stringValue ?? '', 'utf8'));
    }
  }
  return md5(Buffer.concat(parts));
}

/**
 * One SQS message as Lambda delivers it. Object bodies are JSON-stringified; `md5OfBody` and
 * `md5OfMessageAttributes` are SQS's real checksums.
 *
 * @example
 * sqsRecord({ orderId: '42' }); // standard queue `test-queue`
 * sqsRecord('ping', { queue: 'jobs', receiveCount: 3, messageAttributes: { tenant: 'acme' } });
 * sqsRecord({ orderId: '42' }, { queue: 'orders', fifo: { groupId: 'customer-7' } }); // queue `orders.fifo`
 */
export function sqsRecord(body: unknown, options: SqsRecordOptions = {}): SQSRecord {
  const region = regionOf(options);
  const text = toJsonText(body);
  const sent = dateOf(options.time).getTime();

  let queueArn = options.queue?.startsWith('arn:')
    ? options.queue
    : `arn:aws:sqs:${region}:${accountOf(options)}:${options.queue ?? 'test-queue'}`;
  if (options.fifo !== undefined && !queueArn.endsWith('.fifo')) queueArn += '.fifo';
  if (options.fifo === undefined && queueArn.endsWith('.fifo')) {
    throw new TypeError(`sqsRecord: ${queueArn} is a FIFO queue; pass fifo: { groupId }`);
  }

  const attributes: SQSRecordAttributes = {
    ApproximateReceiveCount: String(options.receiveCount ?? 1),
    SentTimestamp: String(sent),
    SenderId: 'AIDAIENQZJOLO23YVJ4VO',
    ApproximateFirstReceiveTimestamp: String(sent + 3),
  };
  if (options.fifo !== undefined) {
    fifoSequence += 1_000_000n;
    attributes.SequenceNumber = fifoSequence.toString();
    attributes.MessageGroupId = options.fifo.groupId;
    attributes.MessageDeduplicationId = options.fifo.dedupId ?? createHash('sha256').update(text).digest('hex');
  }
  Object.assign(attributes, options.attributes);

  const messageAttributes: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(options.messageAttributes ?? {})) {
    messageAttributes[name] = sqsAttribute(value);
  }

  const record: SQSRecord = {
    messageId: options.messageId ?? randomUUID(),
    receiptHandle: `AQEB${randomBytes(96).toString('base64')}`,
    body: text,
    attributes,
    messageAttributes,
    md5OfBody: md5(text),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
  if (Object.keys(messageAttributes).length > 0) record.md5OfMessageAttributes = md5OfMessageAttributes(messageAttributes);
  return record;
}

/**
 * An SQS event, the batch Lambda hands to the handler.
 *
 * @example
 * const event = sqsEvent([sqsRecord({ orderId: '1' }), sqsRecord({ orderId: '2' })]);
 */
export function sqsEvent(records: readonly SQSRecord[]): SQSEvent {
  return { Records: [...records] };
}

// ---------------------------------------------------------------------------------------------------------------
// SNS
// ---------------------------------------------------------------------------------------------------------------

/** An SNS message attribute: a string, a number, a string list, bytes, or SNS's `{ Type, Value }`. */
export type SnsAttributeInput = string | number | readonly string[] | Uint8Array | SNSMessageAttribute;

/** Options of {@link snsEvent}. */
export interface SnsEventOptions extends AwsOptions {
  /** Topic name or ARN. */
  topic: string;
  /** Subject; left out when not given. */
  subject?: string;
  /** Message attributes: strings are `String`, numbers `Number`, arrays `String.Array`, bytes `Binary`. */
  attributes?: Record<string, SnsAttributeInput>;
  /** Publish time; defaults to now. */
  time?: TimeInput;
}

const snsAttribute = (value: SnsAttributeInput): SNSMessageAttribute => {
  if (typeof value === 'string') return { Type: 'String', Value: value };
  if (typeof value === 'number') return { Type: 'Number', Value: String(value) };
  if (value instanceof Uint8Array) return { Type: 'Binary', Value: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return { Type: 'String.Array', Value: JSON.stringify(value) };
  return value as SNSMessageAttribute;
};

/**
 * An SNS event with one record (SNS invokes Lambda with one message at a time). Object messages are
 * JSON-stringified.
 *
 * @example
 * const event = snsEvent({ orderId: '42' }, { topic: 'order-events', subject: 'OrderPlaced', attributes: { kind: 'placed' } });
 * JSON.parse(event.Records[0]!.Sns.Message); // { orderId: '42' }
 */
export function snsEvent(message: unknown, options: SnsEventOptions): SNSEvent {
  const region = regionOf(options);
  const topicArn = options.topic.startsWith('arn:')
    ? options.topic
    : `arn:aws:sns:${region}:${accountOf(options)}:${options.topic}`;
  const subscriptionArn = `${topicArn}:${randomUUID()}`;
  const MessageAttributes: SNSMessageAttributes = {};
  for (const [name, value] of Object.entries(options.attributes ?? {})) MessageAttributes[name] = snsAttribute(value);

  return {
    Records: [
      {
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        EventSource: 'aws:sns',
        Sns: {
          Type: 'Notification',
          MessageId: randomUUID(),
          TopicArn: topicArn,
          ...(options.subject === undefined ? {} : { Subject: options.subject }),
          Message: toJsonText(message),
          Timestamp: dateOf(options.time).toISOString(),
          SignatureVersion: '1',
          Signature: randomBytes(256).toString('base64'),
          SigningCertUrl: `https://sns.${region}.amazonaws.com/SimpleNotificationService-${hex(16)}.pem`,
          UnsubscribeUrl: `https://sns.${region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`,
          MessageAttributes,
        },
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// EventBridge schedule
// ---------------------------------------------------------------------------------------------------------------

/** Options of {@link scheduledEvent}. */
export interface ScheduledEventOptions extends AwsOptions {
  /** Rule name or ARN; defaults to `test-schedule`. */
  rule?: string;
  /** Scheduled time; defaults to now. Sent with second precision, as EventBridge does. */
  time?: TimeInput;
}

/**
 * An EventBridge scheduled event (`source: 'aws.events'`, `detail-type: 'Scheduled Event'`, `detail: {}`).
 *
 * @example
 * const event = scheduledEvent({ rule: 'nightly-report', time: '2024-03-01T02:00:00Z' });
 * event.resources; // ['arn:aws:events:eu-west-1:123456789012:rule/nightly-report']
 */
export function scheduledEvent(options: ScheduledEventOptions = {}): ScheduledEvent<Record<string, never>> {
  const region = regionOf(options);
  const accountId = accountOf(options);
  const rule = options.rule ?? 'test-schedule';
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: accountId,
    time: dateOf(options.time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [rule.startsWith('arn:') ? rule : `arn:aws:events:${region}:${accountId}:rule/${rule}`],
    detail: {},
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Lambda context
// ---------------------------------------------------------------------------------------------------------------

/** Options of {@link lambdaContext}. */
export interface LambdaContextOptions extends AwsOptions {
  /** Function name; defaults to `test-function`. */
  functionName?: string;
  /** Function timeout in milliseconds; defaults to 3000, Lambda's default. */
  timeoutMs?: number;
  /** Memory size in MB; defaults to 128, Lambda's default. */
  memoryMb?: number;
  /** Function version; defaults to `$LATEST`. */
  functionVersion?: string;
}

/**
 * A Lambda `Context` for one invocation. `getRemainingTimeInMillis()` counts down from `timeoutMs` starting when the
 * context is made, by `Date.now()` (so `vi.advanceTimersByTime` moves it under fake timers), and stops at 0.
 * `awsRequestId` is unique per call. The deprecated `done` / `fail` / `succeed` are present and do nothing.
 *
 * @example
 * const context = lambdaContext({ functionName: 'orders-api', timeoutMs: 10_000 });
 * vi.useFakeTimers();
 * const ctx = lambdaContext({ timeoutMs: 1000 });
 * vi.advanceTimersByTime(400);
 * ctx.getRemainingTimeInMillis(); // 600
 */
export function lambdaContext(options: LambdaContextOptions = {}): Context {
  const functionName = options.functionName ?? 'test-function';
  const functionVersion = options.functionVersion ?? '$LATEST';
  const start = new Date();
  const deadline = start.getTime() + (options.timeoutMs ?? 3000);
  const day = `${start.getUTCFullYear()}/${pad(start.getUTCMonth() + 1)}/${pad(start.getUTCDate())}`;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion,
    invokedFunctionArn: `arn:aws:lambda:${regionOf(options)}:${accountOf(options)}:function:${functionName}`,
    memoryLimitInMB: String(options.memoryMb ?? 128),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[${functionVersion}]${hex(16)}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
