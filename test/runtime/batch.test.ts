import { describe, expect, it } from 'vitest';
import type { DynamoDBRecord, SQSRecord } from 'aws-lambda';
import { sqsBatchHandler, streamBatchHandler } from '../../src/runtime/batch.js';
import { lambdaContext, sqsEvent, sqsRecord, streamEvent, streamRecords } from '../support/events.js';

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
});
