/**
 * SNS -> Lambda in the local cloud. fauxqs delivers a topic only to SQS queues, so each subscribed
 * function gets an internal bridge queue (named `local-sns-...`, apart from the service's queues),
 * subscribed to the topic without raw delivery: each message on it is SNS's envelope JSON. The
 * mapping polls the bridge queue, turns each envelope into Lambda's SNSEvent (one record, as SNS
 * invokes Lambda with one message at a time), queues it in the async invoker (SNS invokes Lambda
 * asynchronously, so Lambda's async retries and OnFailure destination apply) and deletes the bridge
 * message.
 *
 * What the event carries, and where it differs from AWS:
 * - `Sns.MessageId` is the MessageId that Publish returned (the function's idempotency key).
 * - `Subject` is null when the publisher gave none; `MessageAttributes` are `{ Type, Value }` with
 *   the published DataType (`String`, `Number`, `String.Array`, `Binary` with base64 Value).
 * - fauxqs signs nothing: `Signature` is its placeholder (`EXAMPLE`), `SigningCertUrl` a fixed name.
 *   Its URLs name us-east-1; they are rewritten to the topic's region.
 * - `EventSubscriptionArn` is the bridge queue's subscription, not a Lambda subscription.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type Message,
} from '@aws-sdk/client-sqs';
import type { SNSEvent, SNSMessageAttributes } from 'aws-lambda';
import type { LocalClients } from '../clients.js';
import { emit, type DestinationTarget, type EngineComponent, type Trace } from '../types.js';
import type { AsyncEnqueueOptions, AsyncInvoker } from './async.js';
import { SQS_LONG_POLL_SECONDS } from './sqs.js';

/** Every bridge queue's name starts with this: no queue of a service does. */
export const SNS_BRIDGE_QUEUE_PREFIX = 'local-sns-';
const MAX_QUEUE_NAME = 80;
const RECEIVE_ERROR_PAUSE_MS = 1000;

/** The bridge queue of one subscribed function, as {@link provisionSnsBridge} made it. */
export interface SnsBridge {
  readonly queueName: string;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly subscriptionArn: string;
}

/** SNS's envelope, the body of a non-raw delivery to a queue. */
export interface SnsEnvelope {
  readonly Type: string;
  readonly MessageId: string;
  readonly TopicArn: string;
  readonly Subject?: string | null;
  readonly Message: string;
  readonly Timestamp: string;
  readonly SignatureVersion: string;
  readonly Signature: string;
  readonly SigningCertURL: string;
  readonly UnsubscribeURL: string;
  readonly MessageAttributes?: SNSMessageAttributes;
}

/** The bridge queue name of `functionId` subscribed to `topicId`: `local-sns-<topic>-<function>`, shortened with a hash past 80 characters. */
export function snsBridgeQueueName(topicId: string, functionId: string): string {
  const name = `${SNS_BRIDGE_QUEUE_PREFIX}${topicId}-${functionId}`.replace(/[^A-Za-z0-9_-]/g, '-');
  if (name.length <= MAX_QUEUE_NAME) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 12);
  return `${name.slice(0, MAX_QUEUE_NAME - hash.length - 1)}-${hash}`;
}

/**
 * Creates (idempotently) the bridge queue of `functionId` and subscribes it to `topicArn` without
 * raw delivery. Await it before publishing: SNS delivers only to subscriptions that exist.
 * Lambda cannot subscribe to a FIFO topic; neither can the bridge.
 */
export async function provisionSnsBridge(
  clients: Pick<LocalClients, 'sqs' | 'sns'>,
  target: { readonly functionId: string; readonly topicId: string; readonly topicArn: string },
): Promise<SnsBridge> {
  if (target.topicArn.endsWith('.fifo')) {
    throw new TypeError(`${target.functionId}: Lambda cannot subscribe to the FIFO topic ${target.topicId}; subscribe a FIFO queue and consume that`);
  }
  const queueName = snsBridgeQueueName(target.topicId, target.functionId);
  const { QueueUrl: queueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: queueName }));
  if (queueUrl === undefined) throw new Error(`CreateQueue returned no URL for ${queueName}`);
  const { Attributes } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  const queueArn = Attributes?.QueueArn;
  if (queueArn === undefined) throw new Error(`GetQueueAttributes returned no ARN for ${queueName}`);
  const { SubscriptionArn: subscriptionArn } = await clients.sns.send(new SubscribeCommand({
    TopicArn: target.topicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: { RawMessageDelivery: 'false' }, ReturnSubscriptionArn: true,
  }));
  if (subscriptionArn === undefined) throw new Error(`Subscribe returned no ARN for ${queueName}`);
  return { queueName, queueUrl, queueArn, subscriptionArn };
}

/** Lambda's SNSEvent for one envelope. Throws a TypeError when `envelope` is not SNS's envelope. */
export function snsEventFromEnvelope(envelope: unknown, subscriptionArn: string): SNSEvent {
  const e = envelope as Partial<SnsEnvelope> | null;
  const text = (key: keyof SnsEnvelope) => {
    const value = e?.[key];
    if (typeof value !== 'string') throw new TypeError(`not an SNS envelope: ${String(key)} is missing`);
    return value;
  };
  const region = text('TopicArn').split(':')[3] ?? '';
  const inRegion = (url: string) => url.replace(/\/\/sns\.[a-z0-9-]+\.amazonaws\.com/, `//sns.${region}.amazonaws.com`);
  return {
    Records: [{
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: subscriptionArn,
      Sns: {
        Type: text('Type'),
        MessageId: text('MessageId'),
        TopicArn: text('TopicArn'),
        Subject: (typeof e?.Subject === 'string' ? e.Subject : null) as string,
        Message: text('Message'),
        Timestamp: text('Timestamp'),
        SignatureVersion: text('SignatureVersion'),
        Signature: text('Signature'),
        SigningCertUrl: inRegion(text('SigningCertURL')),
        UnsubscribeUrl: inRegion(text('UnsubscribeURL')),
        MessageAttributes: { ...(e?.MessageAttributes ?? {}) },
      },
    }],
  };
}

/** One function's subscription to one topic. */
export interface SnsMappingConfig {
  readonly functionId: string;
  /** The topic's ID in the model. */
  readonly topicId: string;
  readonly bridge: SnsBridge;
  /** The trigger's async settings (`maxRetries`, `maxEventAgeSeconds`). */
  readonly async: AsyncEnqueueOptions['async'];
  /** The resolved OnFailure destination of the trigger. @default none */
  readonly onFailure?: DestinationTarget;
}

/** What an SNS mapping runs on. */
export interface SnsMappingDeps {
  readonly clients: Pick<LocalClients, 'sqs'>;
  readonly asyncInvoker: Pick<AsyncInvoker, 'enqueue'>;
  readonly trace: Trace;
}

/**
 * Creates the mapping that feeds `config.bridge`'s messages to `config.functionId` through the async
 * invoker. Idle when no bridge message is waiting or being handed on (the async invoker has its own
 * `isIdle`).
 *
 * @example
 * const bridge = await provisionSnsBridge(clients, { functionId: 'notifyCustomer', topicId: 'orderEvents', topicArn });
 * const mapping = createSnsMapping({ functionId: 'notifyCustomer', topicId: 'orderEvents', bridge, async: fn.trigger.async, onFailure },
 *   { clients, asyncInvoker, trace });
 * mapping.start();
 */
export function createSnsMapping(config: SnsMappingConfig, deps: SnsMappingDeps): EngineComponent {
  const { functionId: fn, bridge } = config;
  const { sqs } = deps.clients;
  let running = false;
  let poller: Promise<void> | undefined;
  let inFlight = 0;
  let wake: (() => void) | undefined;
  const options: AsyncEnqueueOptions = { async: config.async, ...(config.onFailure === undefined ? {} : { onFailure: config.onFailure }) };
  const warn = (text: string) => emit(deps.trace, { type: 'note', level: 'warn', text: `${fn} <- ${config.topicId}: ${text}` });

  /** Queues one delivery; false when it must stay on the bridge queue. */
  function handOn(message: Message): boolean {
    let event: SNSEvent;
    try {
      event = snsEventFromEnvelope(JSON.parse(message.Body ?? ''), bridge.subscriptionArn);
    } catch (error) {
      warn(`dropped a bridge message that is not an SNS envelope (${String(error)})`);
      return true;
    }
    try {
      deps.asyncInvoker.enqueue(fn, event, options);
      return true;
    } catch (error) {
      warn(`could not queue SNS message ${event.Records[0]?.Sns.MessageId ?? ''} (${String(error)}); it stays on ${bridge.queueName}`);
      return false;
    }
  }

  async function poll(): Promise<void> {
    let failing = false;
    while (running) {
      let messages: Message[];
      try {
        ({ Messages: messages = [] } = await sqs.send(new ReceiveMessageCommand({
          QueueUrl: bridge.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: SQS_LONG_POLL_SECONDS,
        })));
        failing = false;
      } catch (error) {
        if (!failing) warn(`cannot receive from ${bridge.queueName} (${String(error)}); retrying`);
        failing = true;
        await new Promise<void>((resolve) => { const t = setTimeout(resolve, RECEIVE_ERROR_PAUSE_MS); wake = () => { clearTimeout(t); resolve(); }; });
        continue;
      }
      if (messages.length === 0) continue;
      inFlight += 1;
      try {
        const done = messages.filter(handOn);
        if (done.length > 0) {
          await sqs.send(new DeleteMessageBatchCommand({
            QueueUrl: bridge.queueUrl, Entries: done.map((m, n) => ({ Id: String(n), ReceiptHandle: m.ReceiptHandle ?? '' })),
          })).catch((error: unknown) => warn(`could not delete ${done.length} bridge message(s) (${String(error)}); they will be delivered again`));
        }
      } finally {
        inFlight -= 1;
      }
    }
  }

  return {
    id: `sns:${config.topicId}->${fn}`,
    start() {
      if (running) return;
      running = true;
      poller = poll();
    },
    async stop() {
      running = false;
      wake?.();
      await poller;
      poller = undefined;
    },
    async isIdle() {
      if (inFlight > 0) return false;
      const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({
        QueueUrl: bridge.queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
      }));
      return inFlight === 0 && Object.values(Attributes).every((n) => Number(n) === 0);
    },
  };
}
