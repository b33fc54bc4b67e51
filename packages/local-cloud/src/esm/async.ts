/**
 * Lambda's internal event queue for asynchronous invocation (SNS, EventBridge schedules, Invoke with
 * `Event`), for every function of the service.
 *
 * `enqueue` answers at once with the event's request ID (Lambda's 202). The event is then attempted;
 * a failed attempt (function error, timeout, init failure, crash) is retried up to `maxRetries`
 * times (0-2), about one minute and then about two minutes of AWS time later (scaled by the
 * {@link TimeScale}); the request ID stays the same across attempts, as on Lambda. An event whose age
 * passes `maxEventAgeSeconds` is not attempted again. When the attempts or the age run out, the
 * OnFailure destination gets Lambda's invocation record; without a destination the event is dropped
 * (and traced). A record that cannot be delivered is retried until it is, or until `stop()`, which
 * reports it: nothing is dropped silently. A throttled attempt (a host that refuses an event
 * invocation) is tried again after the short back-off without counting as a retry, within the
 * event's age.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { AsyncConfig } from '@kiro-serverless/model/model';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type LocalClients } from '../clients.js';
import { emit, type DestinationTarget, type EngineComponent, type InvokeError, type Invoker, type TimeScale, type Trace } from '../types.js';
import { sendToDestination } from './destinations.js';

/** Back-off before the first and the second retry, in seconds of AWS time. */
export const ASYNC_RETRY_DELAYS_SECONDS = [60, 120] as const;
/** Pause before retrying a throttled attempt or a failed delivery to the destination, in seconds of AWS time. */
export const ASYNC_REDELIVERY_SECONDS = 1;
/** Lambda allows 0 to 2 retries. */
export const ASYNC_MAX_RETRIES = 2;

/** Why an event went to its OnFailure destination. */
export type AsyncFailureCondition = 'RetriesExhausted' | 'EventAgeExceeded';

/** How one event is invoked. */
export interface AsyncEnqueueOptions {
  /** The function's async settings from the model (`maxRetries`, `maxEventAgeSeconds`). */
  readonly async: Pick<AsyncConfig, 'maxRetries' | 'maxEventAgeSeconds'>;
  /** Where the invocation record goes when the event fails for good. @default none: the event is dropped */
  readonly onFailure?: DestinationTarget;
}

/** The record Lambda sends to an OnFailure destination of an asynchronous invocation. */
export interface AsyncInvocationRecord {
  readonly version: '1.0';
  readonly timestamp: string;
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: AsyncFailureCondition;
    readonly approximateInvokeCount: number;
  };
  readonly requestPayload: unknown;
  readonly responseContext: { readonly statusCode: 200; readonly executedVersion: '$LATEST'; readonly functionError: 'Unhandled' };
  readonly responsePayload: { readonly errorType: string; readonly errorMessage: string; readonly trace: readonly string[] };
}

/** An event not finished when asked: waiting for an attempt or a retry, in an attempt, or its record waiting for delivery. */
export interface PendingAsyncEvent {
  readonly eventId: string;
  readonly functionId: string;
  readonly state: 'waiting' | 'attempting' | 'delivering';
  readonly attempts: number;
  readonly event: unknown;
  /** The record not yet delivered to the destination (state `delivering`). */
  readonly record?: AsyncInvocationRecord;
}

/** The async invoker: an engine component that also takes events. */
export interface AsyncInvoker extends EngineComponent {
  /** Queues `event` for `functionId` and returns its request ID at once. Throws after `stop()`. */
  enqueue(functionId: string, event: unknown, options: AsyncEnqueueOptions): string;
  /** Events not yet finished. */
  pending(): readonly PendingAsyncEvent[];
}

/** What the async invoker runs on. */
export interface AsyncInvokerDeps {
  readonly clients: Pick<LocalClients, 'sqs' | 'sns'>;
  readonly invoker: Invoker;
  readonly trace: Trace;
  readonly timeScale: TimeScale;
  /** The ARN in invocation records. @default `arn:aws:lambda:<local region>:<local account>:function:<functionId>:$LATEST` */
  readonly functionArn?: (functionId: string) => string;
}

/** Thrown by `enqueue` once the invoker is stopped. */
export class AsyncInvokerStoppedError extends Error {
  constructor(readonly functionId: string, options?: ErrorOptions) {
    super(`the async invoker is stopped: an event for ${functionId} cannot be queued; start the local cloud again`, options);
    this.name = 'AsyncInvokerStoppedError';
  }
}

interface Entry {
  readonly eventId: string;
  readonly functionId: string;
  readonly event: unknown;
  readonly options: AsyncEnqueueOptions;
  readonly enqueuedAt: number;
  state: PendingAsyncEvent['state'];
  attempts: number;
  failures: number;
  lastError?: InvokeError;
  record?: AsyncInvocationRecord;
  timer?: NodeJS.Timeout;
}

/**
 * Creates the async invoker. Events queued before `start()` wait for it.
 *
 * @example
 * const asyncInvoker = createAsyncInvoker({ clients, invoker, trace, timeScale });
 * asyncInvoker.start();
 * const requestId = asyncInvoker.enqueue('notifyCustomer', event, { async: fn.trigger.async, onFailure: target });
 */
export function createAsyncInvoker(deps: AsyncInvokerDeps): AsyncInvoker {
  const entries = new Map<string, Entry>();
  const work = new Set<Promise<void>>();
  let started = false;
  let stopped = false;
  const arnOf = deps.functionArn ?? ((id: string) => `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${id}:$LATEST`);

  const track = (promise: Promise<void>) => {
    work.add(promise);
    void promise.finally(() => work.delete(promise));
  };
  const later = (entry: Entry, ms: number, step: (entry: Entry) => Promise<void>) => {
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      if (!stopped) track(step(entry));
    }, ms);
  };
  const maxRetries = (entry: Entry) => Math.max(0, Math.min(ASYNC_MAX_RETRIES, entry.options.async.maxRetries));
  const expiresAt = (entry: Entry) => entry.enqueuedAt + deps.timeScale.ms(entry.options.async.maxEventAgeSeconds);

  async function attempt(entry: Entry): Promise<void> {
    if (Date.now() >= expiresAt(entry)) return fail(entry, 'EventAgeExceeded');
    entry.state = 'attempting';
    entry.attempts += 1;
    const maxAttempts = 1 + maxRetries(entry);
    const { functionId: fn, eventId } = entry;
    let error: InvokeError | undefined;
    let throttled = false;
    try {
      const outcome = await deps.invoker.invoke(fn, entry.event, { mode: 'event', requestId: eventId });
      if (outcome.status === 'error') error = outcome.error;
      if (outcome.status === 'throttled') throttled = true;
    } catch (thrown) {
      error = { errorType: 'InvokerError', errorMessage: String(thrown) };
    }
    if (throttled) {
      entry.attempts -= 1;
      entry.state = 'waiting';
      emit(deps.trace, { type: 'note', level: 'warn', text: `${fn}: async event ${eventId} throttled; trying again` });
      return retryAfter(entry, deps.timeScale.ms(ASYNC_REDELIVERY_SECONDS));
    }
    emit(deps.trace, {
      type: 'async-attempt', fn, eventId, attempt: entry.attempts, maxAttempts,
      result: error === undefined ? 'ok' : 'error', ...(error === undefined ? {} : { error }),
    });
    if (error === undefined) {
      entries.delete(eventId);
      return;
    }
    entry.lastError = error;
    entry.failures += 1;
    if (entry.failures >= maxAttempts) return fail(entry, 'RetriesExhausted');
    const delayMs = deps.timeScale.ms(entry.failures === 1 ? ASYNC_RETRY_DELAYS_SECONDS[0] : ASYNC_RETRY_DELAYS_SECONDS[1]);
    entry.state = 'waiting';
    emit(deps.trace, { type: 'async-retry', fn, eventId, nextAttempt: entry.attempts + 1, delayMs });
    return retryAfter(entry, delayMs);
  }

  /** Waits `delayMs`, or only until the event expires when that comes first (then it fails with EventAgeExceeded). */
  function retryAfter(entry: Entry, delayMs: number): void {
    const untilExpiry = expiresAt(entry) - Date.now();
    if (untilExpiry < delayMs) {
      later(entry, Math.max(0, untilExpiry), (e) => fail(e, 'EventAgeExceeded'));
      return;
    }
    later(entry, delayMs, attempt);
  }

  async function fail(entry: Entry, condition: AsyncFailureCondition): Promise<void> {
    const { functionId: fn, eventId } = entry;
    const target = entry.options.onFailure;
    const error = entry.lastError ?? { errorType: 'EventAgeExceeded', errorMessage: 'the event expired before it could be attempted' };
    entry.record = {
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: { requestId: eventId, functionArn: arnOf(fn), condition, approximateInvokeCount: entry.attempts },
      requestPayload: entry.event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: error.errorType, errorMessage: error.errorMessage, trace: [...(error.stackTrace ?? [])] },
    };
    emit(deps.trace, { type: 'async-on-failure', fn, eventId, condition, ...(target === undefined ? {} : { destination: target.id }) });
    if (target === undefined) {
      emit(deps.trace, { type: 'note', level: 'warn', text: `${fn}: async event ${eventId} dropped (${condition}, no OnFailure destination)` });
      entries.delete(eventId);
      return;
    }
    entry.state = 'delivering';
    return deliver(entry);
  }

  async function deliver(entry: Entry): Promise<void> {
    const target = entry.options.onFailure;
    if (target === undefined) return;
    try {
      await sendToDestination(deps.clients, target, entry.record, entry.functionId);
      entries.delete(entry.eventId);
    } catch (error) {
      emit(deps.trace, { type: 'note', level: 'warn', text: `${entry.functionId}: OnFailure record of ${entry.eventId} not delivered to ${target.id} (${String(error)}); retrying` });
      later(entry, deps.timeScale.ms(ASYNC_REDELIVERY_SECONDS), deliver);
    }
  }

  const begin = (entry: Entry) => later(entry, 0, attempt);

  return {
    id: 'async-invoker',
    enqueue(functionId, event, options) {
      if (stopped) throw new AsyncInvokerStoppedError(functionId);
      const eventId = randomUUID();
      const entry: Entry = { eventId, functionId, event, options, enqueuedAt: Date.now(), state: 'waiting', attempts: 0, failures: 0 };
      entries.set(eventId, entry);
      if (started) begin(entry);
      return eventId;
    },
    pending() {
      return [...entries.values()].map((e) => ({
        eventId: e.eventId, functionId: e.functionId, state: e.state, attempts: e.attempts, event: e.event,
        ...(e.record === undefined ? {} : { record: e.record }),
      }));
    },
    start() {
      if (started || stopped) return;
      started = true;
      for (const entry of entries.values()) begin(entry);
    },
    async stop() {
      stopped = true;
      for (const entry of entries.values()) clearTimeout(entry.timer);
      while (work.size > 0) await Promise.allSettled([...work]);
      for (const entry of entries.values()) clearTimeout(entry.timer);
      const left = [...entries.values()];
      if (left.length > 0) {
        const list = left.map((e) => `${e.functionId}/${e.eventId} (${e.state}, ${e.attempts} attempt(s))`).join(', ');
        emit(deps.trace, { type: 'note', level: 'warn', text: `async invoker stopped with ${left.length} event(s) unfinished: ${list}` });
      }
    },
    async isIdle() {
      return entries.size === 0;
    },
  };
}
