import { describe, expect, it } from 'vitest';
import type { DynamoDBRecord, SQSRecord } from 'aws-lambda';
import { sqsBatchHandler, streamBatchHandler } from '../src/batch.js';
import { lambdaContext, sqsEvent, sqsRecord, streamEvent, streamRecords } from '@kiro-serverless/testing';

describe('SQS batch entry', () => {
  it('reports exactly the messageId of the one failing message', async () => {
    // Arrange
    const seen: string[] = [];
    const handler = sqsBatchHandler(async (record: SQSRecord) => {
      const { orderId } = JSON.parse(record.body) as { orderId: string };
      if (orderId === 'poison') throw new Error('cannot fulfil');
      seen.push(orderId);
    });
    const records = ['a', 'poison', 'c'].map((orderId) => sqsRecord({ orderId }, { queue: 'fulfilment' }));
    // Act
    const response = await handler(sqsEvent(records), lambdaContext());
    // Assert
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: records[1]!.messageId }] });
    expect(seen).toEqual(['a', 'c']);
  });

  it('reports nothing when every message succeeds', async () => {
    const handler = sqsBatchHandler(async () => undefined);
    expect(await handler(sqsEvent([sqsRecord({ n: 1 }), sqsRecord({ n: 2 })]), lambdaContext())).toEqual({ batchItemFailures: [] });
  });

  it('throws when every message fails, so that Lambda retries the batch', async () => {
    const handler = sqsBatchHandler(async () => { throw new Error('down'); });
    await expect(handler(sqsEvent([sqsRecord({ n: 1 })]), lambdaContext())).rejects.toThrow(/All records failed/);
  });

  it('stops a FIFO batch at the first failure and reports it and every later message', async () => {
    // Arrange
    const seen: number[] = [];
    const handler = sqsBatchHandler(async (record: SQSRecord) => {
      const { n } = JSON.parse(record.body) as { n: number };
      if (n === 2) throw new Error('out of order is not allowed');
      seen.push(n);
    }, { fifo: true });
    const records = [1, 2, 3, 4].map((n) => sqsRecord({ n }, { queue: 'orders.fifo', fifo: { groupId: 'g1' } }));
    // Act
    const response = await handler(sqsEvent(records), lambdaContext());
    // Assert
    expect(seen).toEqual([1]);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(records.slice(1).map((r) => r.messageId));
  });
});

describe('DynamoDB stream batch entry', () => {
  it('reports exactly the SequenceNumber of the one failing record', async () => {
    // Arrange
    const stream = streamRecords<{ pk: string; sk: string; status: string }>({ table: 'orders', keys: ['pk', 'sk'] });
    const records = [
      stream.insert({ pk: 'o1', sk: 'order', status: 'new' }),
      stream.insert({ pk: 'o2', sk: 'order', status: 'poison' }),
      stream.modify({ pk: 'o1', sk: 'order', status: 'new' }, { pk: 'o1', sk: 'order', status: 'paid' }),
    ];
    const handler = streamBatchHandler(async (record: DynamoDBRecord) => {
      if (record.dynamodb?.NewImage?.status?.S === 'poison') throw new Error('poison');
    });
    // Act
    const response = await handler(streamEvent(records), lambdaContext());
    // Assert
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: records[1]!.dynamodb!.SequenceNumber }] });
  });

  it('processes records one at a time in shard order, and stops at the first failure', async () => {
    // Arrange
    const stream = streamRecords<{ pk: string; sk: string; n: number }>({ table: 'orders', keys: ['pk', 'sk'] });
    const records = [1, 2, 3, 4].map((n) => stream.insert({ pk: `o${n}`, sk: 'order', n }));
    const events: string[] = [];
    const handler = streamBatchHandler(async (record: DynamoDBRecord) => {
      const n = record.dynamodb?.NewImage?.n?.N;
      events.push(`start ${n}`);
      await new Promise((resolve) => setTimeout(resolve, n === '1' ? 20 : 1));
      if (n === '2') throw new Error('poison');
      events.push(`end ${n}`);
    });
    // Act
    const response = await handler(streamEvent(records), lambdaContext());
    // Assert: 1 finishes before 2 starts; 3 and 4 are left for the retry from 2
    expect(events).toEqual(['start 1', 'end 1', 'start 2']);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: records[1]!.dynamodb!.SequenceNumber }] });
  });

  it('LBP-ERR-STREAM-BISECT: fails the invocation when the first record fails, so that bisect halves the batch instead of splitting at its start', async () => {
    const stream = streamRecords<{ pk: string; sk: string }>({ table: 'orders', keys: ['pk', 'sk'] });
    const records = [stream.insert({ pk: 'a', sk: 'order' }), stream.insert({ pk: 'b', sk: 'order' })];
    const seen: string[] = [];
    const handler = streamBatchHandler(async (record: DynamoDBRecord) => {
      seen.push(String(record.dynamodb?.Keys?.pk?.S));
      if (record.dynamodb?.Keys?.pk?.S === 'a') throw new Error('poison a');
    });
    await expect(handler(streamEvent(records), lambdaContext())).rejects.toThrow('poison a');
    expect(seen).toEqual(['a']);
  });

  it('without reportBatchItemFailures, fails the whole invocation at the first failure', async () => {
    const stream = streamRecords<{ pk: string; sk: string }>({ table: 'orders', keys: ['pk', 'sk'] });
    const seen: string[] = [];
    const handler = streamBatchHandler(async (record: DynamoDBRecord) => {
      const pk = record.dynamodb?.Keys?.pk?.S ?? '';
      if (pk === 'b') throw new Error('poison');
      seen.push(pk);
    }, { reportBatchItemFailures: false });
    const event = streamEvent(['a', 'b', 'c'].map((pk) => stream.insert({ pk, sk: 'order' })));
    await expect(handler(event, lambdaContext())).rejects.toThrow('poison');
    expect(seen).toEqual(['a']);
  });
});

describe('SQS batch entry without reportBatchItemFailures', () => {
  it('fails the whole invocation at the first failure, so the batch returns to the queue', async () => {
    const seen: string[] = [];
    const handler = sqsBatchHandler(async (record: SQSRecord) => {
      if (record.body === 'b') throw new Error('poison');
      seen.push(record.body);
    }, { reportBatchItemFailures: false });
    await expect(handler(sqsEvent(['a', 'b', 'c'].map((b) => sqsRecord(b))), lambdaContext())).rejects.toThrow('poison');
    expect(seen).toEqual(['a']);
  });

  it('returns no failures when every message succeeds', async () => {
    const handler = sqsBatchHandler(async () => undefined, { reportBatchItemFailures: false });
    expect(await handler(sqsEvent([sqsRecord('a')]), lambdaContext())).toEqual({ batchItemFailures: [] });
  });
});
