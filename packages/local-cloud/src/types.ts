/**
 * The contracts between the parts of the local cloud: the function host (execution environments),
 * the event-source-mapping engine (streams, queues, async invocation), the HTTP front and the
 * orchestrator that wires them from a ServiceModel. Each part takes what it needs through these
 * types, so that each can be tested alone (the engine against a fake {@link Invoker}, the host with
 * plain handler modules).
 *
 * @module
 */

/** The error a failed invocation reports, in the shape Lambda's runtime API returns it. */
export interface InvokeError {
  /** `Error.name` for a thrown error; `Sandbox.Timedout`, `Runtime.ExitError`, `Runtime.ImportModuleError`, ... otherwise. */
  readonly errorType: string;
  readonly errorMessage: string;
  readonly stackTrace?: readonly string[];
}

/** How the caller invokes: sync callers are throttled at reserved concurrency; event and poll callers wait for capacity. */
export type InvokeMode = 'sync' | 'event' | 'poll';

/** What one invocation came to. `function` errors are thrown by the handler; the others end the environment. */
export type InvokeOutcome =
  | {
      readonly status: 'ok';
      /** The handler's return value (structured-cloned out of the environment). */
      readonly response: unknown;
      readonly requestId: string;
      readonly environmentId: string;
      readonly durationMs: number;
    }
  | {
      readonly status: 'error';
      readonly kind: 'function' | 'timeout' | 'init' | 'crash';
      readonly error: InvokeError;
      readonly requestId: string;
      readonly environmentId?: string;
      readonly durationMs: number;
    }
  | {
      /** Sync invocation refused: every environment the reserved concurrency allows is busy (Lambda's 429). */
      readonly status: 'throttled';
      readonly requestId: string;
    };

export interface InvokeOptions {
  readonly mode: InvokeMode;
  /** Default: a random UUID. */
  readonly requestId?: string;
}

/** Runs a function of the service once. The host implements it; engine tests pass a fake. */
export interface Invoker {
  invoke(functionId: string, event: unknown, options: InvokeOptions): Promise<InvokeOutcome>;
}

/**
 * Shrinks Lambda's waits so that a demo or a test sees minutes of retries in seconds. `factor` 1 is
 * real time; the default locally is {@link DEFAULT_TIME_SCALE}. It applies to every wait that Lambda
 * or SQS takes on the service's behalf (async back-off and maximum event age, stream record age,
 * batching windows, queue visibility timeouts, schedule rates), never to a function's own timeout.
 */
export interface TimeScale {
  readonly factor: number;
  /** `seconds` of AWS time as milliseconds of local time. */
  ms(seconds: number): number;
}

/** One minute of AWS time is one second locally. */
export const DEFAULT_TIME_SCALE_FACTOR = 1 / 60;

export function timeScale(factor: number = DEFAULT_TIME_SCALE_FACTOR): TimeScale {
  if (!(factor > 0 && factor <= 1)) throw new RangeError(`time scale must be in (0, 1], got ${factor}`);
  return { factor, ms: (seconds) => Math.round(seconds * 1000 * factor) };
}

/** Where an OnFailure record goes: a queue or a topic of the service. */
export type DestinationTarget =
  | { readonly kind: 'queue'; readonly id: string; readonly url: string; readonly arn: string }
  | { readonly kind: 'topic'; readonly id: string; readonly arn: string };

/**
 * A running part of the engine (one event-source mapping, the async invoker, a schedule). `stop()`
 * stops taking new work and resolves once work in flight has ended; `isIdle()` says whether it holds
 * or sees work that is not finished (records not yet read, batches or retries pending).
 */
export interface EngineComponent {
  readonly id: string;
  start(): void;
  stop(): Promise<void>;
  isIdle(): Promise<boolean>;
}

/** Receives every {@link TraceEvent}; must not throw (the trace printer, the counters, the state file). */
export type Trace = (event: TraceEvent) => void;

/** A sequence-number range of a stream batch. */
export interface SequenceRange {
  readonly shardId: string;
  readonly first: string;
  readonly last: string;
  readonly size: number;
}

/**
 * What the local cloud reports as it runs, one event per step. `at` is `Date.now()`. `fn` is a
 * function ID of the model; `source` names the mapping's resource (table, queue or topic ID).
 */
export type TraceEvent = { readonly at: number } & (
  // Function host
  | { readonly type: 'init'; readonly fn: string; readonly environmentId: string; readonly durationMs: number; readonly provisioned: boolean; readonly error?: InvokeError }
  | { readonly type: 'invoke'; readonly fn: string; readonly mode: InvokeMode; readonly outcome: InvokeOutcome }
  | { readonly type: 'log'; readonly fn: string; readonly environmentId: string; readonly requestId?: string; readonly stream: 'stdout' | 'stderr'; readonly text: string }
  | { readonly type: 'environment-ended'; readonly fn: string; readonly environmentId: string; readonly reason: 'timeout' | 'crash' | 'init-failed' | 'reload' | 'shutdown' }
  // DynamoDB stream mapping
  | { readonly type: 'stream-batch'; readonly fn: string; readonly source: string; readonly range: SequenceRange; readonly attempt: number; readonly filteredOut: number }
  | { readonly type: 'stream-result'; readonly fn: string; readonly source: string; readonly range: SequenceRange; readonly result: 'ok' | 'partial' | 'error'; readonly failedSequence?: string; readonly error?: InvokeError }
  | { readonly type: 'stream-bisect'; readonly fn: string; readonly source: string; readonly range: SequenceRange; readonly halves: readonly [number, number] }
  | { readonly type: 'stream-retry'; readonly fn: string; readonly source: string; readonly range: SequenceRange; readonly retry: number; readonly maxRetries: number }
  | { readonly type: 'stream-on-failure'; readonly fn: string; readonly source: string; readonly range: SequenceRange; readonly condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded'; readonly destination?: string }
  // SQS mapping
  | { readonly type: 'sqs-batch'; readonly fn: string; readonly source: string; readonly size: number; readonly messageIds: readonly string[] }
  | { readonly type: 'sqs-result'; readonly fn: string; readonly source: string; readonly deleted: number; readonly failedIds: readonly string[]; readonly result: 'ok' | 'partial' | 'error'; readonly error?: InvokeError }
  | { readonly type: 'dlq-arrival'; readonly source: string; readonly deadLetterQueue: string; readonly messageId: string }
  // Async invocation (SNS, schedules, direct async)
  | { readonly type: 'async-attempt'; readonly fn: string; readonly eventId: string; readonly attempt: number; readonly maxAttempts: number; readonly result: 'ok' | 'error'; readonly error?: InvokeError }
  | { readonly type: 'async-retry'; readonly fn: string; readonly eventId: string; readonly nextAttempt: number; readonly delayMs: number }
  | { readonly type: 'async-on-failure'; readonly fn: string; readonly eventId: string; readonly condition: 'RetriesExhausted' | 'EventAgeExceeded'; readonly destination?: string }
  | { readonly type: 'schedule-fired'; readonly fn: string; readonly expression: string }
  // HTTP front
  | { readonly type: 'http'; readonly fn?: string; readonly method: string; readonly path: string; readonly status: number; readonly durationMs: number }
  // Anything worth a line that has no type of its own (startup steps, warnings)
  | { readonly type: 'note'; readonly level: 'info' | 'warn'; readonly text: string }
);

/** Omit distributed over the union, so that callers can build events without `at`. */
export type TraceEventInput = TraceEvent extends infer E ? (E extends TraceEvent ? Omit<E, 'at'> : never) : never;

/** Stamps `at` and hands the event on. */
export function emit(trace: Trace, event: TraceEventInput): void {
  trace({ ...event, at: Date.now() } as TraceEvent);
}
