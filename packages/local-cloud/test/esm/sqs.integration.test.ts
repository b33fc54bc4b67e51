/**
 * The SQS event-source mapping against a real fauxqs (one server for this file) and a fake invoker:
 * batching, Lambda's reading of the outcome, redrive to the dead-letter queue, FIFO order,
 * concurrency, stop, and a count invariant over a few hundred messages.
 *
 * Most of this file is waiting (visibility timeouts of 1 s, the smallest SQS allows, and batching
 * windows), so most tests run concurrently (`it.concurrent`, `describe.concurrent`; at most
 * `maxConcurrency` at a time), each on its own queues. The three whose point is a real-time margin
 * (a batching window filled in time, a visibility timeout extended in time, a batch received again
 * after the real timeout) and the emulator-fault test are plain `it` in sequential blocks: nothing
 * else of this file runs beside them. "Stops promptly" is sequential within its block only: its
 * allowance (10 s for a 1 s long poll) does not depend on what runs beside it.
 */
import { randomUUID } from 'node:crypto';
import {
  CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClients, type LocalClients } from '../../src/clients.js';
import { createSqsMapping, judgeSqsOutcome, type SqsMappingConfig } from '../../src/esm/sqs.js';
import { md5OfMessageAttributes } from '@kiro-serverless/events/sqs';
import { timeScale, type EngineComponent, type InvokeOutcome, type Invoker, type TraceEvent } from '../../src/types.js';

const LONG = 60_000;
let server: FauxqsServer;
let clients: LocalClients;

beforeAll(async () => {
  server = await startFauxqs({ port: 0, logger: false, host: '127.0.0.1' });
  clients = localClients({ dynamoDb: 'http://127.0.0.1:9', fauxqs: server.address });
});
afterAll(async () => {
  clients.destroy();
  await server.stop();
});

// ---- helpers ----

interface TestQueue { readonly name: string; readonly url: string; readonly arn: string }

async function createQueue(options: { fifo?: boolean; visibility?: number; dlq?: { maxReceiveCount: number } } = {}): Promise<TestQueue & { dlq?: TestQueue }> {
  const base = `q-${randomUUID().slice(0, 8)}`;
  const suffix = options.fifo ? '.fifo' : '';
  const fifoAttributes: Record<string, string> = options.fifo ? { FifoQueue: 'true', ContentBasedDeduplication: 'true' } : {};
  const make = async (name: string, attributes: Record<string, string>): Promise<TestQueue> => {
    const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    const { Attributes } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    return { name, url: QueueUrl!, arn: Attributes!.QueueArn! };
  };
  const dlq = options.dlq ? await make(`${base}-dlq${suffix}`, fifoAttributes) : undefined;
  const queue = await make(`${base}${suffix}`, {
    ...fifoAttributes,
    VisibilityTimeout: String(options.visibility ?? 30),
    ...(dlq && options.dlq ? { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: options.dlq.maxReceiveCount }) } : {}),
  });
  return { ...queue, ...(dlq ? { dlq } : {}) };
}

async function send(queue: TestQueue, bodies: readonly string[], group?: (body: string) => string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < bodies.length; i += 10) {
    const result = await clients.sqs.send(new SendMessageBatchCommand({
      QueueUrl: queue.url,
      Entries: bodies.slice(i, i + 10).map((body, n) => ({ Id: String(n), MessageBody: body, ...(group ? { MessageGroupId: group(body) } : {}) })),
    }));
    ids.push(...(result.Successful ?? []).sort((a, b) => Number(a.Id) - Number(b.Id)).map((s) => s.MessageId!));
  }
  return ids;
}

async function counts(queue: TestQueue): Promise<number> {
  const { Attributes = {} } = await clients.sqs.send(new GetQueueAttributesCommand({
    QueueUrl: queue.url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
  }));
  return Object.values(Attributes).reduce((sum, n) => sum + Number(n), 0);
}

async function drain(queue: TestQueue): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const { Messages = [] } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (Messages.length === 0) return bodies;
    bodies.push(...Messages.map((m) => m.Body!));
  }
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const ok = (response: unknown = null): InvokeOutcome => ({ status: 'ok', response, requestId: randomUUID(), environmentId: 'env', durationMs: 1 });
const failed = (message = 'boom'): InvokeOutcome => ({
  status: 'error', kind: 'function', error: { errorType: 'Error', errorMessage: message }, requestId: randomUUID(), durationMs: 1,
});
const reportFailures = (ids: readonly string[]): SQSBatchResponse => ({ batchItemFailures: ids.map((itemIdentifier) => ({ itemIdentifier })) });

/** A fake invoker that records every batch and answers with `handle`. */
function fakeInvoker(handle: (records: SQSRecord[], call: number) => InvokeOutcome | Promise<InvokeOutcome>) {
  const batches: SQSRecord[][] = [];
  let active = 0;
  let maxActive = 0;
  const invoker: Invoker = {
    async invoke(_fn, event, options) {
      expect(options.mode).toBe('poll');
      const records = (event as SQSEvent).Records;
      batches.push(records);
      active += 1;
      maxActive = Math.max(maxActive, active);
      try {
        return await handle(records, batches.length);
      } finally {
        active -= 1;
      }
    },
  };
  return { invoker, batches, maxActive: () => maxActive, bodies: () => batches.flat().map((r) => r.body) };
}

interface RunOptions extends Partial<Omit<SqsMappingConfig, 'trigger'>> {
  readonly trigger?: Partial<SqsMappingConfig['trigger']>;
  readonly factor?: number;
}

function run(queue: TestQueue & { dlq?: TestQueue }, invoker: Invoker, overrides: RunOptions = {}) {
  const trace: TraceEvent[] = [];
  const { trigger, factor, ...rest } = overrides;
  const config: SqsMappingConfig = {
    functionId: 'worker', queueId: 'jobs', queueUrl: queue.url, queueArn: queue.arn, fifo: queue.name.endsWith('.fifo'),
    trigger: { batchSize: 10, batchingWindowSeconds: 0, reportBatchItemFailures: true, ...trigger },
    ...rest,
  };
  const mapping = createSqsMapping(config, { clients, invoker, trace: (e) => trace.push(e), timeScale: timeScale(factor ?? 1 / 600) });
  mapping.start();
  return { mapping, trace, of: <T extends TraceEvent['type']>(type: T) => trace.filter((e): e is Extract<TraceEvent, { type: T }> => e.type === type) };
}

const mappings: EngineComponent[] = [];
function started<T extends { mapping: EngineComponent }>(value: T): T {
  mappings.push(value.mapping);
  return value;
}
afterAll(async () => {
  await Promise.all(mappings.map((m) => m.stop()));
});

// ---- tests ----

describe('SQS mapping: batches', () => {
  it.concurrent('hands Lambda-shaped records with system and message attributes', async () => {
    // Arrange
    const queue = await createQueue();
    await clients.sqs.send(new SendMessageCommand({
      QueueUrl: queue.url, MessageBody: '{"orderId":"1"}',
      MessageAttributes: { tenant: { DataType: 'String', StringValue: 'acme' }, blob: { DataType: 'Binary', BinaryValue: Buffer.from('hi') } },
    }));
    const fake = fakeInvoker(() => ok());
    // Act
    const { mapping } = started(run(queue, fake.invoker));
    await waitFor(() => fake.batches.length === 1, 'one batch');
    await mapping.stop();
    // Assert
    const record = fake.batches[0]![0]!;
    expect(record).toMatchObject({
      body: '{"orderId":"1"}', eventSource: 'aws:sqs', eventSourceARN: queue.arn, awsRegion: 'eu-west-1',
      messageAttributes: {
        tenant: { stringValue: 'acme', stringListValues: [], binaryListValues: [], dataType: 'String' },
        blob: { binaryValue: Buffer.from('hi').toString('base64'), stringListValues: [], binaryListValues: [], dataType: 'Binary' },
      },
    });
    expect(record.messageId).toMatch(/./);
    expect(record.receiptHandle).toMatch(/./);
    expect(record.md5OfMessageAttributes).toBe(md5OfMessageAttributes(record.messageAttributes));
    expect(Object.keys(record.attributes)).toEqual(['ApproximateReceiveCount', 'SentTimestamp', 'SenderId', 'ApproximateFirstReceiveTimestamp']);
    expect(record.attributes.ApproximateReceiveCount).toBe('1');
  });

  it.concurrent('never exceeds the batch size', { timeout: LONG }, async () => {
    const queue = await createQueue();
    await send(queue, Array.from({ length: 25 }, (_, i) => `m${i}`));
    const fake = fakeInvoker(() => ok());
    started(run(queue, fake.invoker, { trigger: { batchSize: 4, maxConcurrency: 1 } }));
    await waitFor(() => fake.bodies().length === 25, '25 messages');
    expect(Math.max(...fake.batches.map((b) => b.length))).toBeLessThanOrEqual(4);
    await waitFor(async () => (await counts(queue)) === 0, 'an empty queue');
  });

  it.concurrent('with window 0 invokes with what one receive returned (at most 10)', { timeout: LONG }, async () => {
    const queue = await createQueue();
    await send(queue, Array.from({ length: 15 }, (_, i) => `m${i}`));
    const fake = fakeInvoker(() => ok());
    started(run(queue, fake.invoker, { trigger: { batchSize: 15, maxConcurrency: 2 } }));
    await waitFor(() => fake.bodies().length === 15, '15 messages');
    expect(fake.batches[0]!.length).toBe(10);
  });

  it('fills a batch over the batching window, up to the batch size', { timeout: LONG }, async () => {
    // Arrange: 300 s of window is 2 s here
    const queue = await createQueue();
    await send(queue, ['a', 'b']);
    const fake = fakeInvoker(() => ok());
    // Act
    started(run(queue, fake.invoker, { trigger: { batchSize: 5, batchingWindowSeconds: 300, maxConcurrency: 1 }, factor: 1 / 150 }));
    await send(queue, ['c', 'd', 'e', 'f', 'g', 'h']);
    await waitFor(() => fake.bodies().length === 8, '8 messages');
    // Assert
    expect(fake.batches[0]!.map((r) => r.body)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(fake.batches[1]!.map((r) => r.body)).toEqual(['f', 'g', 'h']);
  });

  it.concurrent('deletes every message of a successful batch and is then idle', { timeout: LONG }, async () => {
    const queue = await createQueue();
    await send(queue, Array.from({ length: 20 }, (_, i) => `m${i}`));
    const fake = fakeInvoker((_records, call) => ok(call % 2 === 0 ? { batchItemFailures: [] } : null));
    const { mapping, of } = started(run(queue, fake.invoker));
    await waitFor(() => mapping.isIdle(), 'idle');
    expect(await counts(queue)).toBe(0);
    expect(fake.bodies().sort()).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`).sort());
    expect(of('sqs-result').reduce((n, e) => n + e.deleted, 0)).toBe(20);
    expect(of('sqs-batch').reduce((n, e) => n + e.size, 0)).toBe(20);
  });
});

describe('SQS mapping: failures', () => {
  it.concurrent('returns only the reported message, which comes back with ApproximateReceiveCount 2', { timeout: LONG }, async () => {
    // Arrange
    const queue = await createQueue({ visibility: 1 });
    await send(queue, ['m0', 'm1', 'm2', 'm3', 'm4']);
    const fake = fakeInvoker((records, call) =>
      ok(reportFailures(call === 1 ? records.filter((r) => r.body === 'm2').map((r) => r.messageId) : [])));
    // Act
    const { mapping, of } = started(run(queue, fake.invoker, { trigger: { maxConcurrency: 1 } }));
    await waitFor(() => fake.bodies().length === 6, 'the failed message again');
    await waitFor(() => mapping.isIdle(), 'idle');
    // Assert
    expect(fake.bodies().filter((b) => b === 'm2')).toHaveLength(2);
    const again = fake.batches.flat().filter((r) => r.body === 'm2');
    expect(again.map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '2']);
    expect(of('sqs-result')[0]).toMatchObject({ result: 'partial', deleted: 4, failedIds: [again[0]!.messageId] });
  });

  it.concurrent('moves a message failed maxReceiveCount times to the dead-letter queue and traces it', { timeout: LONG }, async () => {
    // Arrange
    const queue = await createQueue({ visibility: 1, dlq: { maxReceiveCount: 2 } });
    await send(queue, ['ok-1', 'poison', 'ok-2']);
    const fake = fakeInvoker((records) => ok(reportFailures(records.filter((r) => r.body === 'poison').map((r) => r.messageId))));
    // Act
    const { mapping, of } = started(run(queue, fake.invoker, { deadLetter: { id: 'jobsDlq', url: queue.dlq!.url, maxReceiveCount: 2 } }));
    await waitFor(() => mapping.isIdle(), 'idle');
    // Assert
    const poison = fake.batches.flat().filter((r) => r.body === 'poison');
    expect(poison.map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '2']);
    expect(of('dlq-arrival')).toEqual([expect.objectContaining({ source: 'jobs', deadLetterQueue: 'jobsDlq', messageId: poison[0]!.messageId })]);
    expect(await drain(queue.dlq!)).toEqual(['poison']);
    expect(fake.bodies().filter((b) => b.startsWith('ok'))).toHaveLength(2);
  });

  it.concurrent.each([
    ['an unknown itemIdentifier', (records: SQSRecord[]) => ok({ batchItemFailures: [{ itemIdentifier: 'not-in-batch' }, { itemIdentifier: records[0]!.messageId }] })],
    ['an empty itemIdentifier', () => ok({ batchItemFailures: [{ itemIdentifier: '' }] })],
    ['a thrown error', () => failed()],
    ['a timeout', (): InvokeOutcome => ({ status: 'error', kind: 'timeout', error: { errorType: 'Sandbox.Timedout', errorMessage: 'timed out' }, requestId: 'r', durationMs: 1 })],
  ])('returns the whole batch after %s', { timeout: LONG }, async (_name, firstAnswer) => {
    // Arrange
    const queue = await createQueue({ visibility: 1 });
    await send(queue, ['a', 'b', 'c']);
    const fake = fakeInvoker((records, call) => (call === 1 ? firstAnswer(records) : ok()));
    // Act
    const { mapping, of } = started(run(queue, fake.invoker, { trigger: { maxConcurrency: 1 } }));
    await waitFor(() => fake.bodies().length === 6, 'the batch again');
    await waitFor(() => mapping.isIdle(), 'idle');
    // Assert
    expect(fake.batches[0]!.map((r) => r.body).sort()).toEqual(['a', 'b', 'c']);
    expect(fake.batches.slice(1).flat().map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['2', '2', '2']);
    expect(of('sqs-result')[0]).toMatchObject({ result: 'error', deleted: 0 });
  });

  it('keeps a slow batch invisible while it runs (scaled visibility 1 s, a 2.5 s invocation): one receive, no DLQ', { timeout: LONG }, async () => {
    // Arrange: 1 s of visibility is a minute of AWS time at 1/60; the function runs in real time
    const queue = await createQueue({ visibility: 1, dlq: { maxReceiveCount: 2 } });
    await send(queue, ['slow']);
    const fake = fakeInvoker(async () => {
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      return ok();
    });
    // Act
    const { mapping, of } = started(run(queue, fake.invoker, { factor: 1 / 60, deadLetter: { id: 'jobsDlq', url: queue.dlq!.url, maxReceiveCount: 2 } }));
    await waitFor(() => fake.batches.length > 0, 'the batch');
    await waitFor(() => mapping.isIdle(), 'idle');
    // Assert
    expect(fake.batches.flat().map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1']);
    expect(of('dlq-arrival')).toEqual([]);
    expect(await drain(queue.dlq!)).toEqual([]);
  });

  it('holds visibility no longer than the queue\'s real visibility timeout: a batch slower than that is received again', { timeout: LONG }, async () => {
    // Arrange: at time scale 1/2, the 1 s visibility stands for 2 s of AWS time
    const queue = await createQueue({ visibility: 1 });
    await send(queue, ['slower']);
    const fake = fakeInvoker(async (_records, call) => {
      if (call === 1) await new Promise((resolve) => setTimeout(resolve, 4_000));
      return ok();
    });
    // Act
    const { mapping } = started(run(queue, fake.invoker, { factor: 1 / 2, trigger: { maxConcurrency: 2 } }));
    await waitFor(() => fake.batches.length >= 2, 'the message again, while the first batch runs', 10_000);
    await waitFor(() => mapping.isIdle(), 'idle');
    // Assert
    expect(fake.batches.flat().map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '2']);
  });

  it.concurrent('ignores a partial response when reportBatchItemFailures is off', { timeout: LONG }, async () => {
    const queue = await createQueue({ visibility: 1 });
    await send(queue, ['a', 'b']);
    const fake = fakeInvoker((records) => ok(reportFailures([records[0]!.messageId])));
    const { mapping } = started(run(queue, fake.invoker, { trigger: { reportBatchItemFailures: false } }));
    await waitFor(() => mapping.isIdle(), 'idle');
    expect(fake.bodies()).toHaveLength(2);
  });
});

describe('SQS mapping: emulator faults', () => {
  it('invokes with the messages in hand when a receive fails inside the batching window, and recovers', { timeout: LONG }, async () => {
    // Arrange: the second and third ReceiveMessage calls fail
    const queue = await createQueue();
    await send(queue, ['a', 'b']);
    let receives = 0;
    const flaky = {
      send: (command: unknown) => {
        if (command instanceof ReceiveMessageCommand && [2, 3].includes(++receives)) return Promise.reject(new Error('emulator hiccup'));
        return clients.sqs.send(command as never);
      },
    } as unknown as LocalClients['sqs'];
    const fake = fakeInvoker(() => ok());
    const trace: TraceEvent[] = [];
    const mapping = createSqsMapping({
      functionId: 'worker', queueId: 'jobs', queueUrl: queue.url, queueArn: queue.arn, fifo: false,
      trigger: { batchSize: 10, batchingWindowSeconds: 300, maxConcurrency: 1, reportBatchItemFailures: true },
    }, { clients: { sqs: flaky }, invoker: fake.invoker, trace: (e) => trace.push(e), timeScale: timeScale(1 / 150) });
    mappings.push(mapping);
    // Act
    mapping.start();
    await waitFor(() => fake.batches.length === 1, 'the batch');
    await send(queue, ['c']);
    await waitFor(() => fake.bodies().length === 3, 'the message sent after the faults');
    await waitFor(() => mapping.isIdle(), 'idle');
    // Assert
    expect(fake.batches[0]!.map((r) => r.body)).toEqual(['a', 'b']);
    expect(trace.filter((e) => e.type === 'note' && e.text.includes('emulator hiccup'))).toHaveLength(2);
  });
});

describe.concurrent('SQS mapping: concurrency and stop', () => {
  it.each<[RunOptions, number]>([
    [{ trigger: { batchSize: 1, maxConcurrency: 2 } }, 2],
    [{ trigger: { batchSize: 1, maxConcurrency: 5 }, reservedConcurrency: 1 }, 1],
  ])('keeps at most the allowed batches in flight (%j)', { timeout: LONG }, async (overrides, allowed) => {
    const queue = await createQueue();
    await send(queue, Array.from({ length: 10 }, (_, i) => `m${i}`));
    const fake = fakeInvoker(async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return ok();
    });
    const { mapping } = started(run(queue, fake.invoker, overrides));
    await waitFor(() => mapping.isIdle(), 'idle');
    expect(fake.maxActive()).toBe(allowed);
  });

  it.sequential('stops promptly while polling an empty queue', { timeout: LONG }, async () => {
    const queue = await createQueue();
    const { mapping } = run(queue, fakeInvoker(() => ok()).invoker);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const before = Date.now();
    await mapping.stop();
    expect(Date.now() - before).toBeLessThan(10_000); // one long poll (1 s) at most, with room for a loaded machine
  });

  it('finishes the batch in flight before stop resolves', { timeout: LONG }, async () => {
    const queue = await createQueue();
    await send(queue, ['slow']);
    let release = () => {};
    const fake = fakeInvoker(() => new Promise<InvokeOutcome>((resolve) => { release = () => resolve(ok()); }));
    const { mapping, of } = run(queue, fake.invoker);
    await waitFor(() => fake.batches.length === 1, 'the batch');
    const stopping = mapping.stop();
    setTimeout(() => release(), 50);
    await stopping;
    expect(of('sqs-result')).toHaveLength(1);
    expect(await counts(queue)).toBe(0);
  });
});

describe.concurrent('SQS mapping: FIFO', () => {
  /** The FIFO batch handler's contract: records in order; at the first failure, report it and every later record. */
  function fifoHandler(shouldFail: (record: SQSRecord) => boolean, processed: string[]) {
    return (records: SQSRecord[]): InvokeOutcome => {
      const index = records.findIndex(shouldFail);
      const done = index === -1 ? records : records.slice(0, index);
      processed.push(...done.map((r) => r.body));
      return ok(reportFailures(index === -1 ? [] : records.slice(index).map((r) => r.messageId)));
    };
  }
  const byGroup = (bodies: readonly string[], group: string) => bodies.filter((b) => b.startsWith(group));

  it('stops at the first failure and keeps each group in order until the failed message succeeds', { timeout: LONG }, async () => {
    // Arrange: a1 fails on its first two receives
    const queue = await createQueue({ fifo: true, visibility: 1 });
    await send(queue, ['a1', 'b1', 'a2', 'b2', 'a3'], (body) => body.slice(0, 1));
    const processed: string[] = [];
    const fake = fakeInvoker(fifoHandler((r) => r.body === 'a1' && Number(r.attributes.ApproximateReceiveCount) < 3, processed));
    // Act
    const { mapping, of } = started(run(queue, fake.invoker));
    await waitFor(() => processed.length === 5, 'every message processed');
    await waitFor(() => mapping.isIdle(), 'idle');
    // Assert
    expect(byGroup(processed, 'a')).toEqual(['a1', 'a2', 'a3']);
    expect(byGroup(processed, 'b')).toEqual(['b1', 'b2']);
    const delivered = fake.bodies();
    const a1Success = fake.batches.findIndex((batch) => batch.some((r) => r.body === 'a1' && r.attributes.ApproximateReceiveCount === '3'));
    expect(fake.batches.slice(0, a1Success).flat().map((r) => r.body)).not.toContain('a2');
    expect(delivered.filter((b) => b === 'a1')).toHaveLength(3);
    expect(fake.batches.flat().every((r) => r.attributes.MessageGroupId === r.body.slice(0, 1) && r.attributes.SequenceNumber !== undefined
      && r.attributes.MessageDeduplicationId !== undefined)).toBe(true);
    for (const result of of('sqs-result')) expect(result.result).not.toBe('error');
  });

  it('lets the rest of a group through once its failed message is dead-lettered', { timeout: LONG }, async () => {
    // Arrange
    const queue = await createQueue({ fifo: true, visibility: 1, dlq: { maxReceiveCount: 2 } });
    await send(queue, ['a1', 'a2', 'a3'], () => 'a');
    const processed: string[] = [];
    const fake = fakeInvoker(fifoHandler((r) => r.body === 'a1', processed));
    // Act
    const { mapping, of } = started(run(queue, fake.invoker, { deadLetter: { id: 'jobsDlq', url: queue.dlq!.url, maxReceiveCount: 2 } }));
    await waitFor(() => processed.length === 2, 'the other messages processed');
    await waitFor(() => mapping.isIdle(), 'idle');
    // Assert
    expect(processed).toEqual(['a2', 'a3']);
    expect(fake.bodies().filter((b) => b === 'a1')).toHaveLength(2);
    expect(fake.bodies().indexOf('a2')).toBeGreaterThan(fake.bodies().lastIndexOf('a1'));
    expect(of('dlq-arrival')).toHaveLength(1);
    expect(await drain(queue.dlq!)).toEqual(['a1']);
  });
});

describe.concurrent('judgeSqsOutcome', () => {
  const ids = ['m1', 'm2', 'm3'];
  it.each([
    ['a null response', null, 'ok', []],
    ['no response', undefined, 'ok', []],
    ['an empty object', {}, 'ok', []],
    ['null batchItemFailures', { batchItemFailures: null }, 'ok', []],
    ['an empty list', { batchItemFailures: [] }, 'ok', []],
    ['failures of the batch', { batchItemFailures: [{ itemIdentifier: 'm3' }, { itemIdentifier: 'm1' }, { itemIdentifier: 'm1' }] }, 'partial', ['m1', 'm3']],
    ['an unknown identifier', { batchItemFailures: [{ itemIdentifier: 'm9' }] }, 'error', ids],
    ['an empty identifier', { batchItemFailures: [{ itemIdentifier: '' }] }, 'error', ids],
    ['a null identifier', { batchItemFailures: [{ itemIdentifier: null }] }, 'error', ids],
    ['a misspelt key', { batchItemFailures: [{ itemId: 'm1' }] }, 'error', ids],
    ['a list that is not one', { batchItemFailures: 'm1' }, 'error', ids],
    ['a string response', 'done', 'error', ids],
    ['an array response', [], 'error', ids],
  ])('reads %s with reportBatchItemFailures on', (_name, response, result, failedIds) => {
    expect(judgeSqsOutcome(ok(response), ids, true)).toMatchObject({ result, failedIds });
  });

  it.each([
    ['a partial response', ok(reportFailures(['m1'])), 'ok', []],
    ['a string response', ok('done'), 'ok', []],
    ['a function error', failed(), 'error', ids],
  ])('reads %s with reportBatchItemFailures off', (_name, outcome, result, failedIds) => {
    expect(judgeSqsOutcome(outcome, ids, false)).toMatchObject({ result, failedIds });
  });

  it('fails the whole batch on a function error, keeping the error', () => {
    expect(judgeSqsOutcome(failed('bad'), ids, true)).toEqual({ result: 'error', failedIds: ids, error: { errorType: 'Error', errorMessage: 'bad' } });
  });
});

describe.concurrent('SQS mapping: count invariant', () => {
  it('settles every message of a few hundred with random failures: succeeded once or dead-lettered, none lost', { timeout: 120_000 }, async () => {
    // Arrange: a seeded generator, so a failure can be replayed
    let seed = 20_240_601;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const queue = await createQueue({ visibility: 1, dlq: { maxReceiveCount: 3 } });
    const bodies = Array.from({ length: 300 }, (_, i) => `msg-${i}`);
    await send(queue, bodies);
    const succeeded = new Map<string, number>();
    const fake = fakeInvoker((records) => {
      if (random() < 0.05) return failed('whole batch');
      const failedIds = records.filter(() => random() < 0.3).map((r) => r.messageId);
      for (const r of records) if (!failedIds.includes(r.messageId)) succeeded.set(r.body, (succeeded.get(r.body) ?? 0) + 1);
      return ok(reportFailures(failedIds));
    });
    // Act
    const { mapping, of } = started(run(queue, fake.invoker, { deadLetter: { id: 'jobsDlq', url: queue.dlq!.url, maxReceiveCount: 3 } }));
    await waitFor(() => mapping.isIdle(), 'idle', 100_000);
    await mapping.stop();
    // Assert
    const deadLettered = await drain(queue.dlq!);
    expect([...succeeded.values()].every((n) => n === 1)).toBe(true);
    expect(deadLettered.filter((b) => succeeded.has(b))).toEqual([]);
    expect([...succeeded.keys(), ...deadLettered].sort()).toEqual([...bodies].sort());
    expect(of('dlq-arrival')).toHaveLength(deadLettered.length);
    expect(deadLettered.length).toBeGreaterThan(0);
  });
});
