/**
 * The DynamoDB Streams mapping against the shared DynamoDB Local with a fake invoker: record shape,
 * order and batch size, batching window, filtering, starting position, parallelization, idle and
 * stop. Failure handling is in stream-failures.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { localClients, LOCAL_REGION, type LocalClients } from '../../src/clients.js';
import { streamRecords } from '@kiro-serverless/events';
import {
  createTable, fakeInvoker, harness, LONG, pkOf, sequenceOf, trigger, waitFor, waitIdle,
} from './stream-harness.js';

let clients: LocalClients;

beforeAll(() => {
  clients = localClients({ dynamoDb: inject('dynamoDbEndpoint'), fauxqs: 'http://127.0.0.1:9' });
});
afterAll(() => clients.destroy());

const items = (count: number, from = 0) => Array.from({ length: count }, (_, index) => ({ pk: `item-${String(from + index).padStart(4, '0')}`, n: from + index }));

describe('createStreamMapping: delivery', () => {
  it('delivers records in Lambda\'s DynamoDBStreamEvent shape, agreeing with the test builder', async () => {
    // Arrange
    const table = await createTable(clients);
    const invoker = fakeInvoker(() => null);
    const { mapping } = harness(clients, table, invoker, { trigger: trigger() });
    await table.put({ pk: 'a', total: 12, bytes: new Uint8Array([1, 2, 3]) });

    // Act
    mapping.start();
    await waitFor('one invocation', () => invoker.calls.length === 1);
    await mapping.stop();

    // Assert
    const record = invoker.calls[0]!.records[0]!;
    const built = streamRecords({ table: table.name, keys: ['pk'] }).insert({ pk: 'a', total: 12, bytes: new Uint8Array([1, 2, 3]) });
    expect(Object.keys(record)).toEqual(Object.keys(built));
    expect(Object.keys(record.dynamodb!)).toEqual(Object.keys(built.dynamodb!));
    expect(record).toMatchObject({
      eventName: 'INSERT', eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: LOCAL_REGION,
      eventSourceARN: table.streamArn,
      dynamodb: {
        Keys: { pk: { S: 'a' } },
        NewImage: { pk: { S: 'a' }, total: { N: '12' }, bytes: { B: Buffer.from([1, 2, 3]).toString('base64') } },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(record.dynamodb!.NewImage).toEqual(built.dynamodb!.NewImage);
    expect(typeof record.dynamodb!.ApproximateCreationDateTime).toBe('number');
    expect(Math.abs(record.dynamodb!.ApproximateCreationDateTime! - Date.now() / 1000)).toBeLessThan(3_600);
    expect(typeof record.eventID).toBe('string');
    expect(record.dynamodb!.SequenceNumber).toMatch(/^\d+$/);
  }, LONG);

  it('delivers every record once, in order, in batches of at most batchSize', async () => {
    // Arrange
    const table = await createTable(clients);
    const invoker = fakeInvoker(() => ({ batchItemFailures: [] }));
    const { mapping, of } = harness(clients, table, invoker, { trigger: trigger({ batchSize: 7 }) });
    mapping.start();

    // Act: records arrive while the mapping runs
    await table.put(...items(40));
    await waitFor('40 records', () => invoker.calls.flatMap((call) => call.records).length >= 40);
    await waitIdle(mapping);
    await mapping.stop();

    // Assert
    const seen = invoker.calls.flatMap((call) => call.records.map(pkOf));
    expect(seen).toEqual(items(40).map((item) => item.pk));
    expect(Math.max(...invoker.calls.map((call) => call.records.length))).toBeLessThanOrEqual(7);
    const sequences = invoker.calls.flatMap((call) => call.sequences).map(BigInt);
    expect(sequences).toEqual([...sequences].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(of('stream-batch').every((event) => event.attempt === 1 && event.source === 'items' && event.fn === 'fn')).toBe(true);
    expect(of('stream-result').every((event) => event.result === 'ok')).toBe(true);
  }, LONG);

  it('fills batches up to batchSize when the records are there before it starts', async () => {
    // Arrange
    const table = await createTable(clients);
    await table.put(...items(25));
    const invoker = fakeInvoker(() => null);
    const { mapping } = harness(clients, table, invoker, { trigger: trigger({ batchSize: 10 }) });

    // Act
    mapping.start();
    await waitIdle(mapping);
    await mapping.stop();

    // Assert
    expect(invoker.calls.map((call) => call.records.length)).toEqual([10, 10, 5]);
  }, LONG);

  it('gathers records that arrive within the batching window into one batch', async () => {
    // Arrange: a 60 s window is 100 ms here; records come one by one, a few ms apart
    const table = await createTable(clients);
    const invoker = fakeInvoker(() => null);
    const slow = harness(clients, table, invoker, { trigger: trigger({ batchSize: 5, batchingWindowSeconds: 300 }) });
    slow.mapping.start();
    await waitIdle(slow.mapping);

    // Act
    await table.put(...items(5));
    await waitFor('five records', () => invoker.calls.flatMap((call) => call.records).length >= 5);
    await waitIdle(slow.mapping);
    await slow.mapping.stop();

    // Assert: a full batch goes at once (no need to wait out the window); all five together
    expect(invoker.calls.map((call) => call.records.length)).toEqual([5]);
  }, LONG);

  it('invokes with fewer records than batchSize once the batching window has passed', async () => {
    // Arrange: a 30 s window (50 ms)
    const table = await createTable(clients);
    const invoker = fakeInvoker(() => null);
    const { mapping } = harness(clients, table, invoker, { trigger: trigger({ batchSize: 100, batchingWindowSeconds: 30 }) });
    mapping.start();

    // Act
    await table.put(...items(3));
    await waitFor('three records', () => invoker.calls.flatMap((call) => call.records).length >= 3);
    await waitIdle(mapping);
    await mapping.stop();

    // Assert
    expect(invoker.calls.flatMap((call) => call.records.map(pkOf))).toEqual(items(3).map((item) => item.pk));
  }, LONG);

  it('drops records the filter rejects before batching and counts them', async () => {
    // Arrange
    const table = await createTable(clients);
    const invoker = fakeInvoker(() => null);
    const filter = { eventName: ['INSERT'], dynamodb: { NewImage: { kind: { S: ['order'] } } } };
    const { mapping, of } = harness(clients, table, invoker, { trigger: trigger({ filter, batchSize: 100 }) });
    await table.put(
      { pk: 'o1', kind: 'order' }, { pk: 'l1', kind: 'line' }, { pk: 'o2', kind: 'order' }, { pk: 'x', other: true },
    );
    await table.put({ pk: 'o1', kind: 'order', paid: true }); // MODIFY: filtered out too

    // Act
    mapping.start();
    await waitIdle(mapping);
    await mapping.stop();

    // Assert
    expect(invoker.calls.flatMap((call) => call.records.map(pkOf))).toEqual(['o1', 'o2']);
    expect(of('stream-batch').reduce((sum, event) => sum + event.filteredOut, 0)).toBe(3);
  }, LONG);

  it('with startingPosition latest, delivers only records written after start', async () => {
    // Arrange
    const table = await createTable(clients);
    await table.put(...items(3));
    const invoker = fakeInvoker(() => null);
    const { mapping } = harness(clients, table, invoker, { trigger: trigger({ startingPosition: 'latest' }) });
    mapping.start();
    await waitIdle(mapping);

    // Act
    await table.put(...items(2, 100));
    await waitFor('two records', () => invoker.calls.flatMap((call) => call.records).length >= 2);
    await waitIdle(mapping);
    await mapping.stop();

    // Assert
    expect(invoker.calls.flatMap((call) => call.records.map(pkOf))).toEqual(['item-0100', 'item-0101']);
  }, LONG);

  it('with a parallelization factor, keeps each partition key in order and runs keys concurrently', async () => {
    // Arrange: 4 keys, 10 versions each; the function is slow, so lanes overlap
    const table = await createTable(clients);
    let running = 0;
    let overlap = 0;
    const invoker = fakeInvoker(async () => {
      running++;
      overlap = Math.max(overlap, running);
      await new Promise((resolve) => setTimeout(resolve, 30));
      running--;
      return null;
    });
    for (let version = 0; version < 10; version++) {
      for (const key of ['a', 'b', 'c', 'd']) await table.put({ pk: key, version });
    }
    const { mapping } = harness(clients, table, invoker, { trigger: trigger({ parallelization: 4, batchSize: 2 }) });

    // Act
    mapping.start();
    await waitIdle(mapping);
    await mapping.stop();

    // Assert
    const records = invoker.calls.flatMap((call) => call.records);
    expect(records).toHaveLength(40);
    for (const key of ['a', 'b', 'c', 'd']) {
      const versions = records.filter((record) => pkOf(record) === key).map((record) => Number(record.dynamodb!.NewImage!.version!.N));
      expect(versions).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
    const sequences = records.map(sequenceOf);
    expect(new Set(sequences).size).toBe(40);
    expect(overlap).toBeGreaterThan(1);
  }, LONG);
});

describe('createStreamMapping: lifecycle', () => {
  it('is not idle before it has read the stream, and idle once caught up', async () => {
    // Arrange
    const table = await createTable(clients);
    await table.put(...items(5));
    const invoker = fakeInvoker(() => null);
    const { mapping } = harness(clients, table, invoker, { trigger: trigger() });

    // Act / Assert
    expect(await mapping.isIdle()).toBe(false);
    mapping.start();
    await waitIdle(mapping);
    expect(invoker.calls.flatMap((call) => call.records)).toHaveLength(5);
    await mapping.stop();
  }, LONG);

  it('is not idle right after a write it has not read yet', async () => {
    // Arrange: the invocation waits for the test, so that a reader that got the record before
    // isIdle() asked (a GetRecords in flight during the write) cannot also have finished with it.
    const table = await createTable(clients);
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const invoker = fakeInvoker(async () => {
      await gate;
      return null;
    });
    const { mapping } = harness(clients, table, invoker, { trigger: trigger() });
    mapping.start();
    await waitIdle(mapping);

    // Act
    await table.put(...items(1));
    const idle = await mapping.isIdle();
    release();

    // Assert
    expect(idle).toBe(false);
    await waitIdle(mapping);
    expect(invoker.calls).toHaveLength(1);
    await mapping.stop();
  }, LONG);

  it('stop() while idle resolves promptly and polls no more', async () => {
    // Arrange
    const table = await createTable(clients);
    const invoker = fakeInvoker(() => null);
    const { mapping } = harness(clients, table, invoker, { trigger: trigger() });
    mapping.start();
    await waitIdle(mapping);

    // Act
    await mapping.stop();
    await table.put(...items(2));
    await new Promise((resolve) => setTimeout(resolve, 300));

    // Assert
    expect(invoker.calls).toHaveLength(0);
    expect(await mapping.isIdle()).toBe(true);
  }, LONG);

  it('stop() waits for a running invocation to end', async () => {
    // Arrange
    const table = await createTable(clients);
    let release!: () => void;
    let ended = false;
    const invoker = fakeInvoker(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      ended = true;
      return null;
    });
    const { mapping } = harness(clients, table, invoker, { trigger: trigger() });
    await table.put(...items(1));
    mapping.start();
    await waitFor('the invocation to start', () => release !== undefined);

    // Act
    const stopped = mapping.stop();
    setTimeout(() => release(), 50);
    await stopped;

    // Assert
    expect(ended).toBe(true);
  }, LONG);
});
