/**
 * Failure handling of the DynamoDB Streams mapping against DynamoDB Local and fauxqs (OnFailure
 * queues): partial batch responses, bisect, retries, record age, OnFailure records, visible loss
 * without a destination, a destination that refuses, and a count invariant under random failures.
 */
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, localClients, type LocalClients } from '../../src/clients.js';
import { INVALID_BATCH_RESPONSE_ERROR } from '../../src/esm/stream-outcome.js';
import { streamBatchHandler } from '@kiro-serverless/runtime/batch';
import { lambdaContext } from '@kiro-serverless/events';
import {
  createDestination, createTable, drainDestination, fakeInvoker, harness, isPoison, LONG, pkOf, reportFirstPoison,
  sequenceOf, throwOnPoison, trigger, waitFor, waitIdle,
} from './stream-harness.js';

let server: FauxqsServer;
let clients: LocalClients;

beforeAll(async () => {
  server = await startFauxqs({ port: 0, logger: false, host: '127.0.0.1' });
  clients = localClients({ dynamoDb: inject('dynamoDbEndpoint'), fauxqs: server.address });
});
afterAll(async () => {
  clients.destroy();
  await server.stop();
});

const items = (count: number, poison: readonly number[] = [], from = 0) =>
  Array.from({ length: count }, (_, index) => ({
    pk: `item-${String(from + index).padStart(4, '0')}`,
    ...(poison.includes(index) ? { poison: true } : {}),
  }));

describe('createStreamMapping: partial batch responses', () => {
  it.each([false, true])('retries from the failed sequence, then sends the rest to OnFailure (bisect %s)', async (bisectOnError) => {
    // Arrange: ten records, the fourth is poison
    const table = await createTable(clients);
    const target = await createDestination(clients);
    const invoker = fakeInvoker(reportFirstPoison);
    const { mapping, of } = harness(clients, table, invoker, {
      trigger: trigger({ batchSize: 10, maxRetries: 2, bisectOnError, reportBatchItemFailures: true, maxRecordAgeSeconds: -1 }),
      onFailure: target,
    });
    await table.put(...items(10, [3]));

    // Act
    mapping.start();
    await waitIdle(mapping);
    await table.put(...items(2, [], 10)); // later records: the shard moved on
    await waitFor('later records', () => invoker.calls.some((call) => call.records.some((r) => pkOf(r) === 'item-0011')));
    await waitIdle(mapping);
    await mapping.stop();

    // Assert: 1 + maxRetries attempts; the retries start at the poison record
    const all = invoker.calls[0]!.sequences;
    expect(invoker.calls.slice(0, 3).map((call) => call.records.length)).toEqual([10, 7, 7]);
    expect(invoker.calls.slice(3).flatMap((call) => call.records.map(pkOf))).toEqual(['item-0010', 'item-0011']);
    expect(invoker.calls[1]!.sequences).toEqual(all.slice(3));
    for (const good of all.slice(0, 3)) expect(invoker.calls.filter((call) => call.sequences.includes(good))).toHaveLength(1);
    expect(of('stream-retry').map((event) => [event.retry, event.maxRetries, event.range.first])).toEqual([[1, 2, all[3]], [2, 2, all[3]]]);
    expect(of('stream-bisect')).toHaveLength(0);
    const [record, ...more] = await drainDestination(clients, target);
    expect(more).toHaveLength(0);
    expect(record).toMatchObject({
      requestContext: {
        condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3,
        functionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:fn`,
        requestId: invoker.calls[2]!.outcome.requestId,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      version: '1.0',
      DDBStreamBatchInfo: {
        shardId: of('stream-batch')[0]!.range.shardId,
        startSequenceNumber: all[3], endSequenceNumber: all[9], batchSize: 7, streamArn: table.streamArn,
      },
    });
    expect(Number.isNaN(Date.parse(record!.timestamp))).toBe(false);
    expect(Date.parse(record!.DDBStreamBatchInfo.approximateArrivalOfFirstRecord)).toBeLessThanOrEqual(Date.now());
    expect(of('stream-on-failure')).toEqual([expect.objectContaining({ condition: 'RetryAttemptsExhausted', destination: target.id })]);
  }, LONG);

  it.each([
    ['an unknown itemIdentifier', { batchItemFailures: [{ itemIdentifier: '12345' }] }],
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a null itemIdentifier', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['a response that is not an object', 'done'],
    ['batchItemFailures that is not a list', { batchItemFailures: 'all' }],
  ])('fails the whole batch on %s', async (_name, response) => {
    // Arrange
    const table = await createTable(clients);
    const invoker = fakeInvoker((_event, call) => (call === 1 ? response : { batchItemFailures: [] }));
    const { mapping, of } = harness(clients, table, invoker, {
      trigger: trigger({ batchSize: 10, bisectOnError: false, maxRetries: 3, reportBatchItemFailures: true }),
    });
    await table.put(...items(4));

    // Act
    mapping.start();
    await waitIdle(mapping);
    await mapping.stop();

    // Assert: the same four records again
    expect(invoker.calls.map((call) => call.records.length)).toEqual([4, 4]);
    expect(invoker.calls[1]!.sequences).toEqual(invoker.calls[0]!.sequences);
    expect(of('stream-result').map((event) => event.result)).toEqual(['error', 'ok']);
    expect(of('stream-result')[0]!.error?.errorType).toBe(INVALID_BATCH_RESPONSE_ERROR);
  }, LONG);

  it('ignores the response when reportBatchItemFailures is off', async () => {
    // Arrange
    const table = await createTable(clients);
    const invoker = fakeInvoker(reportFirstPoison);
    const { mapping } = harness(clients, table, invoker, { trigger: trigger({ reportBatchItemFailures: false }) });
    await table.put(...items(3, [1]));

    // Act
    mapping.start();
    await waitIdle(mapping);
    await mapping.stop();

    // Assert
    expect(invoker.calls).toHaveLength(1);
  }, LONG);
});

describe('createStreamMapping: errors', () => {
  it('isolates one poison record in a batch of 64 by bisecting, within 13 invocations', async () => {
    // Arrange
    const table = await createTable(clients);
    const target = await createDestination(clients);
    const invoker = fakeInvoker(throwOnPoison);
    const { mapping, of } = harness(clients, table, invoker, {
      trigger: trigger({ batchSize: 64, bisectOnError: true, maxRetries: 0, reportBatchItemFailures: false, maxRecordAgeSeconds: -1 }),
      onFailure: target,
    });
    await table.put(...items(64, [41]));

    // Act
    mapping.start();
    await waitIdle(mapping);
    await mapping.stop();

    // Assert
    expect(invoker.calls[0]!.records).toHaveLength(64);
    expect(invoker.calls.length).toBeLessThanOrEqual(13);
    expect(of('stream-bisect').map((event) => event.halves)).toEqual([[32, 32], [16, 16], [8, 8], [4, 4], [2, 2], [1, 1]]);
    expect(of('stream-retry')).toHaveLength(0);
    const poison = invoker.calls[0]!.sequences[41]!;
    const succeeded = invoker.calls.filter((call) => call.outcome.status === 'ok').flatMap((call) => call.sequences);
    expect(succeeded.toSorted()).toEqual(invoker.calls[0]!.sequences.filter((sequence) => sequence !== poison).toSorted());
    const records = await drainDestination(clients, target);
    expect(records.map((record) => record.DDBStreamBatchInfo)).toEqual([
      expect.objectContaining({ startSequenceNumber: poison, endSequenceNumber: poison, batchSize: 1 }),
    ]);
    expect(records[0]!.requestContext).toMatchObject({ condition: 'RetryAttemptsExhausted', approximateInvokeCount: 1 });
    expect(records[0]!.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
  }, LONG);

  it('retries a failing batch 1 + maxRetries times with bisect off, then sends the whole range and moves on', async () => {
    // Arrange
    const table = await createTable(clients);
    const target = await createDestination(clients);
    const invoker = fakeInvoker(throwOnPoison);
    const { mapping, of } = harness(clients, table, invoker, {
      trigger: trigger({ batchSize: 5, bisectOnError: false, maxRetries: 2, maxRecordAgeSeconds: -1 }),
      onFailure: target,
    });
    await table.put(...items(5, [2]));

    // Act
    mapping.start();
    await waitIdle(mapping);
    await table.put(...items(3, [], 5));
    await waitFor('later records', () => invoker.calls.flatMap((call) => call.records).some((r) => pkOf(r) === 'item-0007'));
    await waitIdle(mapping);
    await mapping.stop();

    // Assert
    const first = invoker.calls[0]!.sequences;
    expect(invoker.calls.slice(0, 3).map((call) => call.sequences)).toEqual([first, first, first]);
    expect(invoker.calls.slice(3).flatMap((call) => call.records.map(pkOf))).toEqual(['item-0005', 'item-0006', 'item-0007']);
    expect(of('stream-batch').slice(0, 3).map((event) => event.attempt)).toEqual([1, 2, 3]);
    expect(of('stream-retry').map((event) => event.retry)).toEqual([1, 2]);
    const records = await drainDestination(clients, target);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 },
      responseContext: { functionError: 'Unhandled' },
      DDBStreamBatchInfo: { startSequenceNumber: first[0], endSequenceNumber: first[4], batchSize: 5 },
    });
  }, LONG);

  it('sends a batch whose records grew older than maxRecordAgeSeconds with RecordAgeExceeded', async () => {
    // Arrange: unbounded retries, 60 s of record age = 100 ms here
    const table = await createTable(clients);
    const target = await createDestination(clients);
    const invoker = fakeInvoker(throwOnPoison);
    const { mapping, of } = harness(clients, table, invoker, {
      trigger: trigger({ batchSize: 10, bisectOnError: false, maxRetries: -1, maxRecordAgeSeconds: 60 }),
      onFailure: target,
    });
    mapping.start();
    await waitIdle(mapping);

    // Act
    await table.put(...items(1, [0]));
    await waitFor('an OnFailure trace', () => of('stream-on-failure').length > 0);
    await waitIdle(mapping);
    await mapping.stop();

    // Assert
    const records = await drainDestination(clients, target);
    expect(records).toHaveLength(1);
    expect(records[0]!.requestContext.condition).toBe('RecordAgeExceeded');
    expect(records[0]!.requestContext.approximateInvokeCount).toBe(of('stream-retry').length);
    expect(of('stream-on-failure')[0]).toMatchObject({ condition: 'RecordAgeExceeded', destination: target.id });
  }, LONG);

  it('without an OnFailure destination, skips the batch and shows the loss in the trace', async () => {
    // Arrange
    const table = await createTable(clients);
    const invoker = fakeInvoker(throwOnPoison);
    const { mapping, of } = harness(clients, table, invoker, {
      trigger: trigger({ batchSize: 10, bisectOnError: false, maxRetries: 1, maxRecordAgeSeconds: -1 }),
    });
    await table.put(...items(2, [0]));

    // Act
    mapping.start();
    await waitIdle(mapping);
    await table.put(...items(1, [], 2));
    await waitFor('the later record', () => invoker.calls.some((call) => call.records.some((r) => pkOf(r) === 'item-0002')));
    await waitIdle(mapping);
    await mapping.stop();

    // Assert
    const [loss, ...more] = of('stream-on-failure');
    expect(more).toHaveLength(0);
    expect(loss).toMatchObject({ condition: 'RetryAttemptsExhausted', range: { size: 2 } });
    expect(loss!.destination).toBeUndefined();
  }, LONG);

  it('keeps the shard waiting while the destination refuses the OnFailure record, then delivers it', async () => {
    // Arrange: the destination queue does not exist yet
    const table = await createTable(clients);
    const real = await createDestination(clients);
    const name = `late-${real.id}`;
    const target = { ...real, id: name, url: real.url.replace(real.id, name), arn: real.arn.replace(real.id, name) };
    const invoker = fakeInvoker(throwOnPoison);
    const { mapping, of } = harness(clients, table, invoker, {
      trigger: trigger({ batchSize: 1, bisectOnError: false, maxRetries: 0, maxRecordAgeSeconds: -1 }),
      onFailure: target,
    });
    await table.put(...items(1, [0]), ...items(1, [], 1));

    // Act
    mapping.start();
    await waitFor('a refused send', () => of('note').some((event) => event.level === 'warn' && event.text.includes(name)));
    const callsWhileRefused = invoker.calls.length;
    await clients.sqs.send(new CreateQueueCommand({ QueueName: name }));
    await waitIdle(mapping);
    await mapping.stop();

    // Assert: the good record only after the OnFailure record was delivered
    expect(callsWhileRefused).toBe(1);
    expect(invoker.calls.map((call) => call.records.map(pkOf))).toEqual([['item-0000'], ['item-0001']]);
    expect(await drainDestination(clients, target)).toHaveLength(1);
  }, LONG);
});

describe('the runtime\'s stream entry on the mapping (template defaults: partial responses and bisect)', () => {
  it('LBP-ERR-STREAM-BISECT: one poison record in a batch of 100 goes to OnFailure alone; every good record is processed', async () => {
    const table = await createTable(clients);
    const target = await createDestination(clients);
    const processed = new Set<string>();
    const entry = streamBatchHandler(async (record: DynamoDBRecord) => {
      if (isPoison(record)) throw new Error('poison record');
      processed.add(pkOf(record));
    });
    const invoker = fakeInvoker((event) => entry(event, lambdaContext()));
    const { mapping } = harness(clients, table, invoker, {
      trigger: trigger({ batchSize: 100, maxRetries: 2, bisectOnError: true, reportBatchItemFailures: true, maxRecordAgeSeconds: -1 }),
      onFailure: target,
    });
    await table.put(...items(100, [49]));

    mapping.start();
    await waitFor('the 99 good records', () => processed.size === 99);
    await waitIdle(mapping);
    await mapping.stop();

    const poison = invoker.calls[0]!.sequences[49];
    const [record, ...more] = await drainDestination(clients, target);
    expect(more).toHaveLength(0);
    expect(record?.DDBStreamBatchInfo).toMatchObject({ batchSize: 1, startSequenceNumber: poison, endSequenceNumber: poison });
    // Each good record ran once or, when it shared a half with the poison record, a few times; the poison record 1 + maxRetries times at least.
    const runs = (sequence: string | undefined) => invoker.calls.filter((call) => call.sequences[0] === sequence || call.sequences.includes(sequence ?? '')).length;
    expect(runs(poison)).toBeGreaterThanOrEqual(3);
    expect(invoker.calls.length).toBeLessThan(30);
  });
});

describe('createStreamMapping: retry counting', () => {
  it('carries the retry count into bisect halves and adds one per partial-failure restart', async () => {
    // Arrange: a scripted function; maxRetries 1; bisect and ReportBatchItemFailures on
    const table = await createTable(clients);
    const target = await createDestination(clients);
    const invoker = fakeInvoker((event, call) => {
      if (call === 1) return { batchItemFailures: [{ itemIdentifier: sequenceOf(event.Records[1]!) }] };
      if ([2, 3, 5, 6].includes(call)) throw new Error(`scripted failure ${call}`);
      return null;
    });
    const { mapping, of } = harness(clients, table, invoker, {
      trigger: trigger({ batchSize: 8, bisectOnError: true, reportBatchItemFailures: true, maxRetries: 1, maxRecordAgeSeconds: -1 }),
      onFailure: target,
    });
    await table.put(...items(8));

    // Act
    mapping.start();
    await waitIdle(mapping);
    await mapping.stop();

    // Assert
    // 1: 8 records, partial at #1 -> restart [1..7] with retry 1
    // 2: [1..7] throws -> halves [1..4] and [5..7], both still at retry 1 (a split is free)
    // 3: [1..4] throws -> [1,2] and [3,4];  4: [1,2] ok;  5: [3,4] throws -> [3] and [4]
    // 6: [3] throws at retry 1 = maxRetries -> OnFailure [3], approximateInvokeCount 2;  7: [4] ok;  8: [5..7] ok
    const all = invoker.calls[0]!.sequences;
    expect(invoker.calls.map((call) => call.records.length)).toEqual([8, 7, 4, 2, 2, 1, 1, 3]);
    expect(of('stream-batch').map((event) => event.attempt)).toEqual([1, 2, 2, 2, 2, 2, 2, 2]);
    expect(of('stream-retry').map((event) => [event.retry, event.range.size])).toEqual([[1, 7]]);
    expect(of('stream-bisect').map((event) => event.halves)).toEqual([[4, 3], [2, 2], [1, 1]]);
    const records = await drainDestination(clients, target);
    expect(records.map((record) => [record.DDBStreamBatchInfo.startSequenceNumber, record.DDBStreamBatchInfo.batchSize])).toEqual([[all[3], 1]]);
    expect(records[0]!.requestContext).toMatchObject({ condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2 });
  }, LONG);
});

describe('createStreamMapping: nothing is lost', () => {
  /** mulberry32: a small seeded PRNG, so a failure can be replayed. */
  const random = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };

  it.each([
    ['partial responses and bisect', true, true, 11],
    ['errors only, bisect on', false, true, 12],
    ['errors only, no bisect', false, false, 13],
  ])('every record succeeds once or lies in an OnFailure range (%s)', async (_name, reportBatchItemFailures, bisectOnError, seed) => {
    // Arrange: 300 records, 2% poison; other records fail an attempt 5% of the time
    const next = random(seed);
    const poison = Array.from({ length: 300 }, (_, index) => index).filter(() => next() < 0.02);
    const table = await createTable(clients);
    const target = await createDestination(clients);
    const succeeded: string[] = [];
    const invoker = fakeInvoker((event: DynamoDBStreamEvent) => {
      const failAt = event.Records.findIndex((record) => isPoison(record) || next() < 0.05);
      const done = failAt === -1 ? event.Records : event.Records.slice(0, failAt);
      if (failAt !== -1 && (!reportBatchItemFailures || next() < 0.3)) throw new Error('failed');
      succeeded.push(...done.map(sequenceOf));
      return failAt === -1 ? null : { batchItemFailures: [{ itemIdentifier: sequenceOf(event.Records[failAt]!) }] };
    });
    const { mapping } = harness(clients, table, invoker, {
      trigger: trigger({ batchSize: 25, bisectOnError, reportBatchItemFailures, maxRetries: 2, maxRecordAgeSeconds: -1 }),
      onFailure: target,
    });
    mapping.start();

    // Act
    await table.put(...items(300, poison));
    await waitFor('every record', () => invoker.calls.some((call) => call.records.some((r) => pkOf(r) === 'item-0299')));
    await waitIdle(mapping);
    await mapping.stop();

    // Assert
    const ranges = (await drainDestination(clients, target)).map((record) => record.DDBStreamBatchInfo);
    const all = [...new Set(invoker.calls.flatMap((call) => call.sequences))];
    expect(all).toHaveLength(300);
    const inRange = (sequence: string) => ranges.some((range) =>
      BigInt(range.startSequenceNumber) <= BigInt(sequence) && BigInt(sequence) <= BigInt(range.endSequenceNumber));
    const lost = all.filter((sequence) => !succeeded.includes(sequence) && !inRange(sequence));
    expect(lost).toEqual([]);
    expect(new Set(succeeded).size).toBe(succeeded.length);
    const poisonSequences = invoker.calls.flatMap((call) => call.records).filter(isPoison).map(sequenceOf);
    for (const sequence of poisonSequences) expect(inRange(sequence)).toBe(true);
    const covered = ranges.reduce((sum, range) => sum + range.batchSize, 0);
    expect(succeeded.length + covered).toBeGreaterThanOrEqual(300);
  }, LONG);
});
