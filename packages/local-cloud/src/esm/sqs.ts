/**
 * The SQS event-source mapping of the local cloud: polls one queue of the service and invokes one
 * function with Lambda's batches, as Lambda's pollers do.
 *
 * - Pollers: up to `maxConcurrency` (default {@link DEFAULT_SQS_MAX_CONCURRENCY}, never more than the
 *   function's reserved concurrency) batches in flight at once, each poller receiving, invoking and
 *   settling one batch at a time.
 * - Batching: ReceiveMessage (at most 10 per call) is repeated until `batchSize` messages are in hand
 *   or the batching window (scaled by the {@link TimeScale}) since the first message has passed;
 *   window 0 invokes with what one receive returned. FIFO queues have no batching window.
 * - Outcome: Lambda's rules (see `judgeSqsOutcome`): success deletes the batch, a valid
 *   `batchItemFailures` response deletes the others, anything else deletes nothing and the messages
 *   come back after the queue's visibility timeout.
 * - Visibility while a batch runs: the queue's visibility timeout is scaled (one AWS minute is a
 *   local second) but the function runs in real time, so a batch slower than the scaled timeout (a
 *   cold INIT on a busy machine) would be received again while it runs, and could reach the DLQ
 *   without having failed. The mapping keeps the batch's messages invisible while the invocation is
 *   in flight, for up to the queue's real (unscaled) visibility timeout, as on AWS; once the
 *   invocation ends, a failed message comes back after the scaled timeout.
 * - Redrive: the queue's RedrivePolicy (fauxqs) moves a message to the dead-letter queue when a
 *   receive finds it past `maxReceiveCount`. The mapping reports the move (`dlq-arrival`) without
 *   help from the emulator: a message it failed at its last allowed receive is known to have moved
 *   once a later receive, started after the message's visibility timeout ended, returned fewer
 *   messages than it asked for (that receive went through every visible message, so it met this
 *   one and moved it), unless the message itself was in that receive.
 *
 * @module
 */
import {
  ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand,
  type Message, type MessageAttributeValue,
} from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from 'aws-lambda';
import type { TriggerModel } from '@kiro-serverless/model/model';
import { LOCAL_REGION, type LocalClients } from '../clients.js';
import { md5OfMessageAttributes } from '@kiro-serverless/events/sqs';
import { emit, type EngineComponent, type InvokeError, type InvokeOutcome, type Invoker, type TimeScale, type Trace } from '../types.js';

/** Batches in flight at once when the trigger sets no `maxConcurrency` (Lambda starts with five pollers). */
export const DEFAULT_SQS_MAX_CONCURRENCY = 5;
/** Long-poll wait of an idle poller, in seconds: short, so that `stop()` resolves within about a second. */
export const SQS_LONG_POLL_SECONDS = 1;
/** Pause after a failed ReceiveMessage (the emulator is down or the queue is gone), in milliseconds. */
const RECEIVE_ERROR_PAUSE_MS = 1000;
/** Pause between empty receives inside a batching window shorter than one long poll, in milliseconds. */
const WINDOW_PAUSE_MS = 25;

/** The `sqs` trigger of a function, as the model gives it. */
export type SqsTrigger = Extract<TriggerModel, { type: 'sqs' }>;

/** One mapping: which queue feeds which function, and how. */
export interface SqsMappingConfig {
  readonly functionId: string;
  /** The queue's ID in the model (the trace's `source`). */
  readonly queueId: string;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly fifo: boolean;
  readonly trigger: Pick<SqsTrigger, 'batchSize' | 'batchingWindowSeconds' | 'maxConcurrency' | 'reportBatchItemFailures'>;
  /** The function's reserved concurrency: pollers never exceed it. @default no limit */
  readonly reservedConcurrency?: number;
  /** The queue's dead-letter queue, as its RedrivePolicy names it: moves are traced as `dlq-arrival`. @default none */
  readonly deadLetter?: { readonly id: string; readonly url: string; readonly maxReceiveCount: number };
}

/** What a mapping runs on. */
export interface SqsMappingDeps {
  readonly clients: Pick<LocalClients, 'sqs'>;
  readonly invoker: Invoker;
  readonly trace: Trace;
  readonly timeScale: TimeScale;
}

/** How Lambda reads one invocation's outcome: which messages failed, and why. */
export interface SqsBatchVerdict {
  readonly result: 'ok' | 'partial' | 'error';
  /** Message IDs that stay on the queue (every one of the batch when `result` is `error`). */
  readonly failedIds: readonly string[];
  readonly error?: InvokeError;
}

/**
 * Lambda's reading of an SQS invocation. With `reportBatchItemFailures` off, any returned value is
 * success. With it on: a null response, no or null `batchItemFailures`, or an empty list is success;
 * a list whose every `itemIdentifier` is a message ID of the batch fails those messages only; an
 * empty, null or unknown identifier, or any other shape, fails the whole batch. A function error,
 * timeout, init failure, crash or throttle fails the whole batch.
 */
export function judgeSqsOutcome(outcome: InvokeOutcome, messageIds: readonly string[], reportBatchItemFailures: boolean): SqsBatchVerdict {
  if (outcome.status === 'throttled') {
    return { result: 'error', failedIds: messageIds, error: { errorType: 'TooManyRequestsException', errorMessage: 'the invocation was throttled' } };
  }
  if (outcome.status === 'error') return { result: 'error', failedIds: messageIds, error: outcome.error };
  if (!reportBatchItemFailures) return { result: 'ok', failedIds: [] };
  const invalid = (why: string): SqsBatchVerdict => ({
    result: 'error', failedIds: messageIds, error: { errorType: 'InvalidBatchItemFailures', errorMessage: `${why}: Lambda fails the whole batch` },
  });
  const response: unknown = outcome.response;
  if (response === null || response === undefined) return { result: 'ok', failedIds: [] };
  if (typeof response !== 'object' || Array.isArray(response)) return invalid(`the response is not an object (${JSON.stringify(response)})`);
  const failures: unknown = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === null || failures === undefined) return { result: 'ok', failedIds: [] };
  if (!Array.isArray(failures)) return invalid('batchItemFailures is not a list');
  const inBatch = new Set(messageIds);
  const failed = new Set<string>();
  for (const entry of failures as unknown[]) {
    const id: unknown = typeof entry === 'object' && entry !== null ? (entry as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof id !== 'string' || id === '') return invalid(`itemIdentifier ${JSON.stringify(id ?? null)} is empty or missing`);
    if (!inBatch.has(id)) return invalid(`itemIdentifier "${id}" is not a message of the batch`);
    failed.add(id);
  }
  if (failed.size === 0) return { result: 'ok', failedIds: [] };
  return { result: 'partial', failedIds: messageIds.filter((id) => failed.has(id)) };
}

const RECORD_ATTRIBUTES = [
  'AWSTraceHeader', 'ApproximateReceiveCount', 'SentTimestamp', 'SenderId', 'ApproximateFirstReceiveTimestamp',
  'SequenceNumber', 'MessageGroupId', 'MessageDeduplicationId', 'DeadLetterQueueSourceArn',
] as const;

const toLambdaAttribute = (value: MessageAttributeValue): SQSMessageAttributes[string] => ({
  ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
  ...(value.BinaryValue === undefined ? {} : { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
  stringListValues: [],
  binaryListValues: [],
  dataType: value.DataType ?? 'String',
});

/** One received message as Lambda hands it to the function (the SQSEvent record). */
export function toSqsRecord(message: Message, queueArn: string): SQSRecord {
  const attributes: Record<string, string> = {};
  for (const name of RECORD_ATTRIBUTES) {
    const value = message.Attributes?.[name];
    if (value !== undefined) attributes[name] = value;
  }
  const messageAttributes: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) messageAttributes[name] = toLambdaAttribute(value);
  const hasAttributes = Object.keys(messageAttributes).length > 0;
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: attributes as unknown as SQSRecordAttributes,
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    ...(hasAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes ?? md5OfMessageAttributes(messageAttributes) } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: LOCAL_REGION,
  };
}

/**
 * Creates the mapping of `config.queueUrl` to `config.functionId`. Nothing is polled until `start()`.
 *
 * @example
 * const mapping = createSqsMapping({ functionId: 'fulfilOrder', queueId: 'orders', queueUrl, queueArn, fifo: false,
 *   trigger: fn.trigger, deadLetter: { id: 'ordersDlq', url: dlqUrl, maxReceiveCount: 5 } }, { clients, invoker, trace, timeScale });
 * mapping.start();
 */
export function createSqsMapping(config: SqsMappingConfig, deps: SqsMappingDeps): EngineComponent {
  const { functionId: fn, queueId: source, queueUrl, trigger } = config;
  const { sqs } = deps.clients;
  const pollerCount = Math.max(0, Math.min(trigger.maxConcurrency ?? DEFAULT_SQS_MAX_CONCURRENCY, config.reservedConcurrency ?? Infinity));
  const windowMs = config.fifo ? 0 : deps.timeScale.ms(trigger.batchingWindowSeconds);
  const batchSize = Math.max(1, trigger.batchSize);
  let running = false;
  let pollers: Promise<void>[] = [];
  let inFlight = 0;
  let visibilityMs: number | undefined;
  const wakers = new Set<() => void>();
  /** Messages failed at their last allowed receive: message ID -> when their visibility timeout ends. */
  const doomed = new Map<string, number>();

  const pause = (ms: number): Promise<void> => new Promise((resolve) => {
    const done = () => { clearTimeout(timer); wakers.delete(done); resolve(); };
    const timer = setTimeout(done, ms);
    wakers.add(done);
  });

  async function receive(max: number, waitSeconds: number): Promise<Message[]> {
    const startedAt = Date.now();
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({
      QueueUrl: queueUrl, MaxNumberOfMessages: max, WaitTimeSeconds: waitSeconds,
      MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'],
    }));
    if (doomed.size > 0) noticeMoves(startedAt, Messages, Messages.length < max);
    return Messages;
  }

  function noticeMoves(startedAt: number, received: readonly Message[], exhausted: boolean): void {
    for (const message of received) doomed.delete(message.MessageId ?? '');
    if (!exhausted || config.deadLetter === undefined) return;
    for (const [messageId, visibleAt] of doomed) {
      if (visibleAt > startedAt) continue;
      doomed.delete(messageId);
      emit(deps.trace, { type: 'dlq-arrival', source, deadLetterQueue: config.deadLetter.id, messageId });
    }
  }

  /** Receives one batch; the first receive long-polls. Marks the batch in flight as soon as it holds a message. */
  async function collect(): Promise<{ messages: Message[]; receivedAt: number }> {
    const batch = new Map<string, Message>();
    const add = (messages: readonly Message[]) => { for (const m of messages) batch.set(m.MessageId ?? '', m); };
    const first = await receive(Math.min(10, batchSize), SQS_LONG_POLL_SECONDS);
    if (first.length === 0) return { messages: [], receivedAt: Date.now() };
    inFlight += 1;
    add(first);
    const deadline = Date.now() + windowMs;
    while (batch.size < batchSize && windowMs > 0 && running) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      const wait = remaining >= SQS_LONG_POLL_SECONDS * 1000 ? SQS_LONG_POLL_SECONDS : 0;
      let more: Message[];
      try {
        more = await receive(Math.min(10, batchSize - batch.size), wait);
      } catch (error) {
        emit(deps.trace, { type: 'note', level: 'warn', text: `${fn}: cannot receive from ${source} (${String(error)}); invoking with ${batch.size} message(s)` });
        break;
      }
      add(more);
      if (more.length === 0 && wait === 0) await pause(Math.min(remaining, WINDOW_PAUSE_MS));
    }
    return { messages: [...batch.values()], receivedAt: Date.now() };
  }

  async function visibilityTimeoutMs(): Promise<number> {
    if (visibilityMs === undefined) {
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout'] }));
      visibilityMs = Number(Attributes?.VisibilityTimeout ?? 30) * 1000;
    }
    return visibilityMs;
  }

  async function deleteMessages(messages: readonly Message[]): Promise<number> {
    let deleted = 0;
    for (let i = 0; i < messages.length; i += 10) {
      const chunk = messages.slice(i, i + 10);
      try {
        const result = await sqs.send(new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((m, n) => ({ Id: String(n), ReceiptHandle: m.ReceiptHandle ?? '' })),
        }));
        deleted += result.Successful?.length ?? 0;
        for (const failure of result.Failed ?? []) {
          emit(deps.trace, { type: 'note', level: 'warn', text: `${fn}: could not delete a message of ${source} (${failure.Code ?? ''} ${failure.Message ?? ''}); it will be delivered again` });
        }
      } catch (error) {
        emit(deps.trace, { type: 'note', level: 'warn', text: `${fn}: could not delete ${chunk.length} message(s) of ${source} (${String(error)}); they will be delivered again` });
      }
    }
    return deleted;
  }

  /**
   * Keeps `messages` invisible while their batch runs: every half scaled visibility timeout, their
   * visibility is set to one scaled timeout again, until `release()` or until the queue's real
   * visibility timeout has passed since the receive. `release()` waits for an extension in flight
   * and resolves with when the last one was made.
   */
  function holdVisibility(messages: readonly Message[], receivedAt: number, scaledMs: number): { release(): Promise<number> } {
    const realMs = scaledMs / deps.timeScale.factor;
    const seconds = Math.max(1, Math.ceil(scaledMs / 1000));
    let lastExtendedAt = receivedAt;
    let extending: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      if (Date.now() - receivedAt + seconds * 1000 > realMs) {
        clearInterval(timer);
        return;
      }
      extending = extending.then(async () => {
        const at = Date.now();
        try {
          for (let i = 0; i < messages.length; i += 10) {
            await sqs.send(new ChangeMessageVisibilityBatchCommand({
              QueueUrl: queueUrl,
              Entries: messages.slice(i, i + 10).map((m, n) => ({ Id: String(n), ReceiptHandle: m.ReceiptHandle ?? '', VisibilityTimeout: seconds })),
            }));
          }
          lastExtendedAt = at;
        } catch {
          // The emulator is stopping, or the messages are gone: nothing to hold.
        }
      });
    }, Math.max(100, Math.floor((seconds * 1000) / 2)));
    timer.unref();
    return {
      async release() {
        clearInterval(timer);
        await extending;
        return lastExtendedAt;
      },
    };
  }

  async function process(messages: readonly Message[], receivedAt: number): Promise<void> {
    const ids = messages.map((m) => m.MessageId ?? '');
    const event: SQSEvent = { Records: messages.map((m) => toSqsRecord(m, config.queueArn)) };
    emit(deps.trace, { type: 'sqs-batch', fn, source, size: messages.length, messageIds: ids });
    const scaledVisibilityMs = await visibilityTimeoutMs().catch(() => 30_000);
    const hold = holdVisibility(messages, receivedAt, scaledVisibilityMs);
    let outcome: InvokeOutcome;
    try {
      outcome = await deps.invoker.invoke(fn, event, { mode: 'poll' });
    } catch (error) {
      outcome = { status: 'error', kind: 'crash', requestId: '', durationMs: 0, error: { errorType: 'InvokerError', errorMessage: String(error) } };
    }
    const lastExtendedAt = await hold.release();
    const verdict = judgeSqsOutcome(outcome, ids, trigger.reportBatchItemFailures);
    const failed = new Set(verdict.failedIds);
    const deleted = await deleteMessages(messages.filter((m) => !failed.has(m.MessageId ?? '')));
    emit(deps.trace, {
      type: 'sqs-result', fn, source, deleted, failedIds: verdict.failedIds, result: verdict.result,
      ...(verdict.error === undefined ? {} : { error: verdict.error }),
    });
    if (config.deadLetter !== undefined && failed.size > 0) {
      const visibleAt = lastExtendedAt + scaledVisibilityMs;
      for (const m of messages) {
        const count = Number(m.Attributes?.ApproximateReceiveCount ?? 0);
        if (failed.has(m.MessageId ?? '') && count >= config.deadLetter.maxReceiveCount) doomed.set(m.MessageId ?? '', visibleAt);
      }
    }
  }

  async function poll(): Promise<void> {
    let failing = false;
    while (running) {
      let batch: { messages: Message[]; receivedAt: number };
      try {
        batch = await collect();
        failing = false;
      } catch (error) {
        if (!failing) emit(deps.trace, { type: 'note', level: 'warn', text: `${fn}: cannot receive from ${source} (${String(error)}); retrying` });
        failing = true;
        await pause(RECEIVE_ERROR_PAUSE_MS);
        continue;
      }
      if (batch.messages.length === 0) continue;
      try {
        await process(batch.messages, batch.receivedAt);
      } finally {
        inFlight -= 1;
      }
    }
  }

  return {
    id: `sqs:${source}->${fn}`,
    start() {
      if (running) return;
      running = true;
      if (pollerCount === 0) emit(deps.trace, { type: 'note', level: 'warn', text: `${fn}: reserved concurrency 0, ${source} is not polled` });
      pollers = Array.from({ length: pollerCount }, () => poll());
    },
    async stop() {
      running = false;
      for (const wake of [...wakers]) wake();
      await Promise.all(pollers);
      pollers = [];
    },
    async isIdle() {
      if (inFlight > 0 || doomed.size > 0) return false;
      const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
      }));
      const total = Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
        + Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0);
      return total === 0 && inFlight === 0;
    },
  };
}
