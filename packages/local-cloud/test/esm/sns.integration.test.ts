/**
 * SNS -> Lambda through the bridge queue, against a real fauxqs, the real async invoker and a fake
 * function invoker.
 */
import { randomUUID } from 'node:crypto';
import { CreateTopicCommand, PublishCommand } from '@aws-sdk/client-sns';
import type { SNSEvent } from 'aws-lambda';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClients, type LocalClients } from '../../src/clients.js';
import { createAsyncInvoker } from '../../src/esm/async.js';
import {
  createSnsMapping, provisionSnsBridge, SNS_BRIDGE_QUEUE_PREFIX, snsBridgeQueueName,
} from '../../src/esm/sns.js';
import { timeScale, type EngineComponent, type InvokeOutcome, type TraceEvent } from '../../src/types.js';

const LONG = 60_000;
let server: FauxqsServer;
let clients: LocalClients;
const components: EngineComponent[] = [];

beforeAll(async () => {
  server = await startFauxqs({ port: 0, logger: false, host: '127.0.0.1' });
  clients = localClients({ dynamoDb: 'http://127.0.0.1:9', fauxqs: server.address });
});
afterAll(async () => {
  await Promise.all(components.map((c) => c.stop()));
  clients.destroy();
  await server.stop();
});

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const ok = (): InvokeOutcome => ({ status: 'ok', response: null, requestId: 'r', environmentId: 'env', durationMs: 1 });

/** A topic, and `functionIds` subscribed to it through bridges, invoked by a fake that records events. */
async function setUp(functionIds: readonly string[], answer: () => InvokeOutcome = ok) {
  const topicId = `events${randomUUID().slice(0, 6)}`;
  const { TopicArn: topicArn } = await clients.sns.send(new CreateTopicCommand({ Name: topicId }));
  const received: { fn: string; event: SNSEvent }[] = [];
  const trace: TraceEvent[] = [];
  const asyncInvoker = createAsyncInvoker({
    clients, trace: (e) => trace.push(e), timeScale: timeScale(1 / 600),
    invoker: { invoke: async (fn, event) => { received.push({ fn, event: event as SNSEvent }); return answer(); } },
  });
  asyncInvoker.start();
  components.push(asyncInvoker);
  const mappings = [];
  for (const functionId of functionIds) {
    const bridge = await provisionSnsBridge(clients, { functionId, topicId, topicArn: topicArn! });
    const mapping = createSnsMapping({ functionId, topicId, bridge, async: { maxRetries: 0, maxEventAgeSeconds: 3600 } },
      { clients, asyncInvoker, trace: (e) => trace.push(e) });
    mapping.start();
    components.push(mapping);
    mappings.push({ bridge, mapping });
  }
  return { topicId, topicArn: topicArn!, received, trace, asyncInvoker, mappings };
}

describe('SNS -> Lambda bridge', () => {
  it('invokes the function with Lambda’s SNSEvent: message, subject, attributes and the published MessageId', { timeout: LONG }, async () => {
    // Arrange
    const { topicArn, received, mappings } = await setUp(['notifyCustomer']);
    // Act
    const { MessageId } = await clients.sns.send(new PublishCommand({
      TopicArn: topicArn, Message: '{"orderId":"42"}', Subject: 'OrderPlaced',
      MessageAttributes: {
        kind: { DataType: 'String', StringValue: 'placed' },
        total: { DataType: 'Number', StringValue: '12.5' },
        tags: { DataType: 'String.Array', StringValue: '["a","b"]' },
        blob: { DataType: 'Binary', BinaryValue: Buffer.from('hi') },
      },
    }));
    await waitFor(() => received.length === 1, 'the invocation');
    // Assert
    const { fn, event } = received[0]!;
    expect(fn).toBe('notifyCustomer');
    expect(event.Records).toHaveLength(1);
    expect(event.Records[0]).toEqual({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: mappings[0]!.bridge.subscriptionArn,
      Sns: {
        Type: 'Notification',
        MessageId,
        TopicArn: topicArn,
        Subject: 'OrderPlaced',
        Message: '{"orderId":"42"}',
        Timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        SignatureVersion: '1',
        Signature: expect.any(String),
        SigningCertUrl: expect.stringMatching(/^https:\/\/sns\.eu-west-1\.amazonaws\.com\/.+\.pem$/),
        UnsubscribeUrl: `https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${mappings[0]!.bridge.subscriptionArn}`,
        MessageAttributes: {
          kind: { Type: 'String', Value: 'placed' },
          total: { Type: 'Number', Value: '12.5' },
          tags: { Type: 'String.Array', Value: '["a","b"]' },
          blob: { Type: 'Binary', Value: Buffer.from('hi').toString('base64') },
        },
      },
    });
    await waitFor(() => mappings[0]!.mapping.isIdle(), 'an empty bridge queue');
  });

  it('gives a null Subject when the publisher set none', { timeout: LONG }, async () => {
    const { topicArn, received } = await setUp(['audit']);
    await clients.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'plain' }));
    await waitFor(() => received.length === 1, 'the invocation');
    expect(received[0]!.event.Records[0]!.Sns).toMatchObject({ Subject: null, Message: 'plain', MessageAttributes: {} });
  });

  it('delivers each message to every subscribed function through its own bridge queue', { timeout: LONG }, async () => {
    // Arrange
    const { topicArn, topicId, received, mappings } = await setUp(['first', 'second']);
    // Act
    for (let i = 0; i < 5; i += 1) await clients.sns.send(new PublishCommand({ TopicArn: topicArn, Message: `m${i}` }));
    await waitFor(() => received.length === 10, 'ten invocations');
    // Assert
    for (const fn of ['first', 'second']) {
      expect(received.filter((r) => r.fn === fn).map((r) => r.event.Records[0]!.Sns.Message).sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    }
    expect(mappings.map((m) => m.bridge.queueName)).toEqual([`local-sns-${topicId}-first`, `local-sns-${topicId}-second`]);
    for (const { mapping } of mappings) await waitFor(() => mapping.isIdle(), 'an empty bridge queue');
  });

  it('hands a failing event to Lambda’s async retries and OnFailure path', { timeout: LONG }, async () => {
    const failing = (): InvokeOutcome => ({ status: 'error', kind: 'function', error: { errorType: 'Error', errorMessage: 'no' }, requestId: 'r', durationMs: 1 });
    const { topicArn, received, trace, asyncInvoker } = await setUp(['fragile'], failing);
    await clients.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'x' }));
    await waitFor(async () => received.length === 1 && (await asyncInvoker.isIdle()), 'the event settled');
    expect(trace.filter((e) => e.type.startsWith('async-')).map((e) => e.type)).toEqual(['async-attempt', 'async-on-failure']);
  });

  it('provisions a bridge idempotently', { timeout: LONG }, async () => {
    const { TopicArn } = await clients.sns.send(new CreateTopicCommand({ Name: `t${randomUUID().slice(0, 6)}` }));
    const first = await provisionSnsBridge(clients, { functionId: 'fn', topicId: 'orders', topicArn: TopicArn! });
    const again = await provisionSnsBridge(clients, { functionId: 'fn', topicId: 'orders', topicArn: TopicArn! });
    expect(again).toEqual(first);
  });

  it('refuses a FIFO topic, as Lambda does', async () => {
    await expect(provisionSnsBridge(clients, { functionId: 'fn', topicId: 'orders', topicArn: 'arn:aws:sns:eu-west-1:000000000000:orders.fifo' }))
      .rejects.toThrow(/cannot subscribe to the FIFO topic orders/);
  });

  it('stops promptly', { timeout: LONG }, async () => {
    const { mappings } = await setUp(['idle']);
    const before = Date.now();
    await mappings[0]!.mapping.stop();
    expect(Date.now() - before).toBeLessThan(10_000); // one long poll (1 s) at most, with room for a loaded machine
  });
});

describe('snsBridgeQueueName', () => {
  it('prefixes the name so that it cannot meet a service queue', () => {
    expect(snsBridgeQueueName('orderEvents', 'notifyCustomer')).toBe(`${SNS_BRIDGE_QUEUE_PREFIX}orderEvents-notifyCustomer`);
  });

  it('keeps long names within 80 characters and apart', () => {
    const a = snsBridgeQueueName('t'.repeat(60), `${'f'.repeat(40)}A`);
    const b = snsBridgeQueueName('t'.repeat(60), `${'f'.repeat(40)}B`);
    expect(a.length).toBeLessThanOrEqual(80);
    expect(a).not.toBe(b);
    expect(a.startsWith(SNS_BRIDGE_QUEUE_PREFIX)).toBe(true);
  });
});
