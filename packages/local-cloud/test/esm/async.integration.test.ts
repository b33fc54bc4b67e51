/**
 * The async invoker (Lambda's internal event queue) with a fake invoker and a real fauxqs for the
 * OnFailure destination: attempts, back-off, maximum event age, the invocation record, delivery
 * retries, stop.
 */
import { randomUUID } from 'node:crypto';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClients, type LocalClients } from '../../src/clients.js';
import { AsyncInvokerStoppedError, createAsyncInvoker, type AsyncInvoker } from '../../src/esm/async.js';
import { timeScale, type DestinationTarget, type InvokeOptions, type InvokeOutcome, type Invoker, type TraceEvent } from '../../src/types.js';

const LONG = 60_000;
const scale = timeScale(1 / 600); // 1 minute of AWS time is 100 ms
let server: FauxqsServer;
let clients: LocalClients;
const invokers: AsyncInvoker[] = [];

beforeAll(async () => {
  server = await startFauxqs({ port: 0, logger: false, host: '127.0.0.1' });
  clients = localClients({ dynamoDb: 'http://127.0.0.1:9', fauxqs: server.address });
});
afterAll(async () => {
  await Promise.all(invokers.map((i) => i.stop()));
  clients.destroy();
  await server.stop();
});

async function queueTarget(name = `dest-${randomUUID().slice(0, 8)}`): Promise<DestinationTarget & { kind: 'queue' }> {
  const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: name }));
  const { Attributes } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { kind: 'queue', id: 'failures', url: QueueUrl!, arn: Attributes!.QueueArn! };
}

async function receiveAll(url: string): Promise<unknown[]> {
  const { Messages = [] } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
  return Messages.map((m) => JSON.parse(m.Body!) as unknown);
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const ok = (): InvokeOutcome => ({ status: 'ok', response: null, requestId: 'r', environmentId: 'env', durationMs: 1 });
const failed = (attempt: number): InvokeOutcome => ({
  status: 'error', kind: 'function', requestId: 'r', durationMs: 1,
  error: { errorType: 'OrderError', errorMessage: `attempt ${attempt} failed`, stackTrace: ['at handler (index.js:1:1)'] },
});

function setUp(answer: (attempt: number) => InvokeOutcome, options: { start?: boolean } = {}) {
  const calls: { fn: string; event: unknown; options: InvokeOptions }[] = [];
  const trace: TraceEvent[] = [];
  const invoker: Invoker = {
    async invoke(fn, event, invokeOptions) {
      calls.push({ fn, event, options: invokeOptions });
      return answer(calls.length);
    },
  };
  const asyncInvoker = createAsyncInvoker({ clients, invoker, trace: (e) => trace.push(e), timeScale: scale });
  invokers.push(asyncInvoker);
  if (options.start !== false) asyncInvoker.start();
  const steps = () => trace.filter((e) => e.type.startsWith('async-')).map((e) => e.type);
  return { asyncInvoker, calls, trace, steps };
}

describe('async invoker: attempts and retries', () => {
  it('answers at once and invokes the event once when it succeeds', { timeout: LONG }, async () => {
    // Arrange
    const { asyncInvoker, calls, steps } = setUp(() => ok());
    // Act
    const requestId = asyncInvoker.enqueue('notify', { orderId: '1' }, { async: { maxRetries: 2, maxEventAgeSeconds: 3600 } });
    // Assert
    expect(calls).toHaveLength(0);
    await waitFor(() => asyncInvoker.isIdle(), 'idle');
    expect(calls).toEqual([{ fn: 'notify', event: { orderId: '1' }, options: { mode: 'event', requestId } }]);
    expect(steps()).toEqual(['async-attempt']);
  });

  it('makes 1 + maxRetries attempts with back-off, then sends Lambda’s record to the destination', { timeout: LONG }, async () => {
    // Arrange
    const target = await queueTarget();
    const { asyncInvoker, calls, trace, steps } = setUp((attempt) => failed(attempt));
    // Act
    const requestId = asyncInvoker.enqueue('notify', { orderId: '7' }, { async: { maxRetries: 2, maxEventAgeSeconds: 21_600 }, onFailure: target });
    await waitFor(() => asyncInvoker.isIdle(), 'idle');
    // Assert
    expect(calls).toHaveLength(3);
    expect(calls.every((c) => c.options.requestId === requestId)).toBe(true);
    expect(steps()).toEqual(['async-attempt', 'async-retry', 'async-attempt', 'async-retry', 'async-attempt', 'async-on-failure']);
    const retries = trace.filter((e) => e.type === 'async-retry');
    expect(retries).toEqual([
      expect.objectContaining({ fn: 'notify', eventId: requestId, nextAttempt: 2, delayMs: scale.ms(60) }),
      expect.objectContaining({ nextAttempt: 3, delayMs: scale.ms(120) }),
    ]);
    expect(trace.filter((e) => e.type === 'async-attempt').map((e) => e.type === 'async-attempt' && [e.attempt, e.maxAttempts, e.result]))
      .toEqual([[1, 3, 'error'], [2, 3, 'error'], [3, 3, 'error']]);
    expect(trace.find((e) => e.type === 'async-on-failure')).toMatchObject({ condition: 'RetriesExhausted', destination: 'failures' });
    const records = await receiveAll(target.url);
    expect(records).toEqual([{
      version: '1.0',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      requestContext: {
        requestId, functionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:notify:$LATEST',
        condition: 'RetriesExhausted', approximateInvokeCount: 3,
      },
      requestPayload: { orderId: '7' },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'OrderError', errorMessage: 'attempt 3 failed', trace: ['at handler (index.js:1:1)'] },
    }]);
  });

  it.each([[0, 1], [1, 2]])('makes %i retries (%i attempts) when maxRetries says so', { timeout: LONG }, async (maxRetries, attempts) => {
    const target = await queueTarget();
    const { asyncInvoker, calls } = setUp((attempt) => failed(attempt));
    asyncInvoker.enqueue('notify', {}, { async: { maxRetries, maxEventAgeSeconds: 21_600 }, onFailure: target });
    await waitFor(() => asyncInvoker.isIdle(), 'idle');
    expect(calls).toHaveLength(attempts);
    expect(await receiveAll(target.url)).toEqual([expect.objectContaining({ requestContext: expect.objectContaining({ approximateInvokeCount: attempts }) })]);
  });

  it('stops retrying once an attempt succeeds', { timeout: LONG }, async () => {
    const target = await queueTarget();
    const { asyncInvoker, calls, steps } = setUp((attempt) => (attempt === 1 ? failed(1) : ok()));
    asyncInvoker.enqueue('notify', {}, { async: { maxRetries: 2, maxEventAgeSeconds: 21_600 }, onFailure: target });
    await waitFor(() => asyncInvoker.isIdle(), 'idle');
    expect(calls).toHaveLength(2);
    expect(steps()).toEqual(['async-attempt', 'async-retry', 'async-attempt']);
    expect(await receiveAll(target.url)).toEqual([]);
  });

  it('sends the event to the destination with EventAgeExceeded when it would outlive its maximum age', { timeout: LONG }, async () => {
    // Arrange: 90 s of age allows the retry after 1 minute but not the one after 2 more
    const target = await queueTarget();
    const { asyncInvoker, calls, trace } = setUp((attempt) => failed(attempt));
    // Act
    asyncInvoker.enqueue('notify', { n: 1 }, { async: { maxRetries: 2, maxEventAgeSeconds: 90 }, onFailure: target });
    await waitFor(() => asyncInvoker.isIdle(), 'idle');
    // Assert
    expect(calls).toHaveLength(2);
    expect(trace.find((e) => e.type === 'async-on-failure')).toMatchObject({ condition: 'EventAgeExceeded' });
    expect(await receiveAll(target.url)).toEqual([expect.objectContaining({
      requestContext: expect.objectContaining({ condition: 'EventAgeExceeded', approximateInvokeCount: 2 }),
      requestPayload: { n: 1 },
    })]);
  });

  it('drops an event without a destination, and says so in the trace', { timeout: LONG }, async () => {
    const { asyncInvoker, trace } = setUp((attempt) => failed(attempt));
    const eventId = asyncInvoker.enqueue('notify', {}, { async: { maxRetries: 0, maxEventAgeSeconds: 60 } });
    await waitFor(() => asyncInvoker.isIdle(), 'idle');
    const onFailure = trace.find((e) => e.type === 'async-on-failure');
    expect(onFailure).toMatchObject({ eventId, condition: 'RetriesExhausted' });
    expect(onFailure).not.toHaveProperty('destination');
    expect(trace.some((e) => e.type === 'note' && e.text.includes(eventId) && e.text.includes('dropped'))).toBe(true);
  });
});

describe('async invoker: delivery and lifecycle', () => {
  it('retries a record the destination refused until it is delivered', { timeout: LONG }, async () => {
    // Arrange: a destination queue that does not exist yet
    const probe = await queueTarget();
    const name = `late-${randomUUID().slice(0, 8)}`;
    const target: DestinationTarget = { ...probe, url: probe.url.replace(/[^/]+$/, name), arn: probe.arn.replace(/[^:]+$/, name) };
    const { asyncInvoker, trace } = setUp((attempt) => failed(attempt));
    // Act
    asyncInvoker.enqueue('notify', { late: true }, { async: { maxRetries: 0, maxEventAgeSeconds: 60 }, onFailure: target });
    await waitFor(() => trace.some((e) => e.type === 'note' && e.text.includes('not delivered')), 'a refused delivery');
    expect(await asyncInvoker.isIdle()).toBe(false);
    expect(asyncInvoker.pending()).toEqual([expect.objectContaining({ state: 'delivering', record: expect.objectContaining({ requestPayload: { late: true } }) })]);
    await queueTarget(name);
    await waitFor(() => asyncInvoker.isIdle(), 'idle');
    // Assert
    expect(await receiveAll(target.url)).toEqual([expect.objectContaining({ requestPayload: { late: true } })]);
  });

  it('holds events queued before start', { timeout: LONG }, async () => {
    const { asyncInvoker, calls } = setUp(() => ok(), { start: false });
    asyncInvoker.enqueue('notify', { early: true }, { async: { maxRetries: 0, maxEventAgeSeconds: 21_600 } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toHaveLength(0);
    expect(await asyncInvoker.isIdle()).toBe(false);
    asyncInvoker.start();
    await waitFor(() => asyncInvoker.isIdle(), 'idle');
    expect(calls).toHaveLength(1);
  });

  it('stops without waiting for a retry, reports what is pending and refuses new events', { timeout: LONG }, async () => {
    // Arrange: real time, so the retry is a minute away
    const calls: unknown[] = [];
    const trace: TraceEvent[] = [];
    const asyncInvoker = createAsyncInvoker({
      clients, trace: (e) => trace.push(e), timeScale: timeScale(1),
      invoker: { invoke: async () => { calls.push(1); return failed(1); } },
    });
    asyncInvoker.start();
    const eventId = asyncInvoker.enqueue('notify', {}, { async: { maxRetries: 2, maxEventAgeSeconds: 21_600 } });
    await waitFor(() => trace.some((e) => e.type === 'async-retry'), 'the first retry scheduled');
    // Act
    await asyncInvoker.stop();
    // Assert
    expect(calls).toHaveLength(1);
    expect(asyncInvoker.pending()).toEqual([expect.objectContaining({ eventId, state: 'waiting', attempts: 1 })]);
    expect(trace.at(-1)).toMatchObject({ type: 'note', level: 'warn', text: expect.stringContaining(eventId) });
    expect(() => asyncInvoker.enqueue('notify', {}, { async: { maxRetries: 0, maxEventAgeSeconds: 60 } })).toThrow(AsyncInvokerStoppedError);
  });
});
