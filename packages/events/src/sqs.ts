/** SQS messages and events, standard and FIFO. */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type {
  SQSEvent,
  SQSMessageAttribute,
  SQSMessageAttributes,
  SQSRecord,
  SQSRecordAttributes,
} from 'aws-lambda';
import { type AwsOptions, type TimeInput, accountOf, dateOf, regionOf, toJsonText } from './common.js';

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
  for (const [name, attribute] of Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
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
