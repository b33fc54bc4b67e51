/** DynamoDB Streams records and events. */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord, DynamoDBStreamEvent, StreamRecord } from 'aws-lambda';
import { type AwsOptions, type TimeInput, accountOf, dateOf, hex, regionOf } from './common.js';

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
