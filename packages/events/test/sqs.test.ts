import { createHash } from 'node:crypto';
import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
  lambdaContext,
  md5OfMessageAttributes,
  sqsEvent,
  sqsRecord,
} from '../src/index.js';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

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
