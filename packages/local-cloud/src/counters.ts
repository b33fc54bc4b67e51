/**
 * Counts what the local cloud did, from its trace: per function (INITs, invocations, errors,
 * throttles), per event-source mapping (batches, records, failures, retries, bisects, OnFailure
 * records), DLQ arrivals and HTTP answers, plus the last failures it saw (a bounded list). The
 * summary, the dev state file and the MCP server read these counts; nothing else keeps its own.
 *
 * @module
 */
import type { InvokeError, Trace, TraceEvent } from './types.js';

export interface FunctionCounts {
  inits: number;
  initErrors: number;
  /** INITs done ahead of any request (provisioned concurrency). */
  provisionedInits: number;
  invocations: number;
  errors: number;
  timeouts: number;
  throttles: number;
  totalDurationMs: number;
}

export type MappingKind = 'dynamodbStream' | 'sqs' | 'async';

export interface MappingCounts {
  readonly kind: MappingKind;
  readonly fn: string;
  /** Table or queue ID; `async` for the function's asynchronous event queue. */
  readonly source: string;
  batches: number;
  records: number;
  /** Stream and SQS: batches that failed in whole or in part. Async: failed attempts. */
  failures: number;
  retries: number;
  bisects: number;
  filteredOut: number;
  onFailure: number;
  /** OnFailure records with nowhere to go: dropped, as on AWS. */
  dropped: number;
}

export interface CountsSnapshot {
  readonly functions: Readonly<Record<string, Readonly<FunctionCounts>>>;
  readonly mappings: Readonly<Record<string, Readonly<MappingCounts>>>;
  /** Messages moved to each dead-letter queue (by queue ID), as the trace saw them. */
  readonly deadLetters: Readonly<Record<string, number>>;
  readonly http: { readonly requests: number; readonly byStatus: Readonly<Record<string, number>> };
}

/** One failure the local cloud saw: a failed INIT or invocation, a failed batch, a DLQ arrival, an OnFailure record. */
export interface FailureRecord {
  /** ISO time. */
  readonly at: string;
  readonly kind: 'init' | 'invocation' | 'stream-batch' | 'sqs-batch' | 'dead-letter' | 'on-failure';
  /** Function ID, when one function is concerned. */
  readonly fn?: string;
  /** Table, queue or topic ID of the mapping; `async` for the asynchronous event queue. */
  readonly source?: string;
  readonly requestId?: string;
  /** `Error.name` or Lambda's error type (`Sandbox.Timedout`, ...). */
  readonly errorType?: string;
  /** What happened, in one line (the error message is cut at {@link FAILURE_MESSAGE_LIMIT} characters). */
  readonly message: string;
}

/** How many failures {@link Counters.recentFailures} keeps (the oldest go first). */
export const RECENT_FAILURES_LIMIT = 50;
export const FAILURE_MESSAGE_LIMIT = 500;

export interface Counters {
  /** Feed it every trace event. */
  readonly trace: Trace;
  /** A deep copy of the counts so far. */
  snapshot(): CountsSnapshot;
  /** The last {@link RECENT_FAILURES_LIMIT} failures, oldest first. */
  recentFailures(): FailureRecord[];
}

const emptyFunction = (): FunctionCounts => ({
  inits: 0, initErrors: 0, provisionedInits: 0, invocations: 0, errors: 0, timeouts: 0, throttles: 0, totalDurationMs: 0,
});

/** `<kind>:<fn>:<source>`, the key of a mapping in {@link CountsSnapshot.mappings}. */
export function mappingKey(kind: MappingKind, fn: string, source: string): string {
  return `${kind}:${fn}:${source}`;
}

export function createCounters(): Counters {
  const functions: Record<string, FunctionCounts> = {};
  const mappings: Record<string, MappingCounts> = {};
  const deadLetters: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  let requests = 0;
  const failures: FailureRecord[] = [];
  const failed = (event: TraceEvent, record: Omit<FailureRecord, 'at'>): void => {
    failures.push({ at: new Date(event.at).toISOString(), ...record });
    if (failures.length > RECENT_FAILURES_LIMIT) failures.shift();
  };

  const fnCounts = (fn: string): FunctionCounts => (functions[fn] ??= emptyFunction());
  const mapping = (kind: MappingKind, fn: string, source: string): MappingCounts =>
    (mappings[mappingKey(kind, fn, source)] ??= {
      kind, fn, source, batches: 0, records: 0, failures: 0, retries: 0, bisects: 0, filteredOut: 0, onFailure: 0, dropped: 0,
    });

  const onEvent = (event: TraceEvent): void => {
    noteFailure(event, failed);
    switch (event.type) {
      case 'init': {
        const counts = fnCounts(event.fn);
        counts.inits += 1;
        if (event.provisioned) counts.provisionedInits += 1;
        if (event.error) counts.initErrors += 1;
        return;
      }
      case 'invoke': {
        const counts = fnCounts(event.fn);
        const { outcome } = event;
        if (outcome.status === 'throttled') {
          counts.throttles += 1;
          return;
        }
        counts.invocations += 1;
        counts.totalDurationMs += outcome.durationMs;
        if (outcome.status === 'error') {
          counts.errors += 1;
          if (outcome.kind === 'timeout') counts.timeouts += 1;
        }
        return;
      }
      case 'stream-batch': {
        const counts = mapping('dynamodbStream', event.fn, event.source);
        counts.batches += 1;
        counts.records += event.range.size;
        counts.filteredOut += event.filteredOut;
        return;
      }
      case 'stream-result':
        if (event.result !== 'ok') mapping('dynamodbStream', event.fn, event.source).failures += 1;
        return;
      case 'stream-bisect':
        mapping('dynamodbStream', event.fn, event.source).bisects += 1;
        return;
      case 'stream-retry':
        mapping('dynamodbStream', event.fn, event.source).retries += 1;
        return;
      case 'stream-on-failure': {
        const counts = mapping('dynamodbStream', event.fn, event.source);
        if (event.destination === undefined) counts.dropped += 1;
        else counts.onFailure += 1;
        return;
      }
      case 'sqs-batch': {
        const counts = mapping('sqs', event.fn, event.source);
        counts.batches += 1;
        counts.records += event.size;
        return;
      }
      case 'sqs-result':
        if (event.result !== 'ok') mapping('sqs', event.fn, event.source).failures += 1;
        return;
      case 'dlq-arrival':
        deadLetters[event.source] = (deadLetters[event.source] ?? 0) + 1;
        return;
      case 'async-attempt': {
        const counts = mapping('async', event.fn, 'async');
        if (event.attempt === 1) {
          counts.batches += 1;
          counts.records += 1;
        }
        if (event.result === 'error') counts.failures += 1;
        return;
      }
      case 'async-retry':
        mapping('async', event.fn, 'async').retries += 1;
        return;
      case 'async-on-failure': {
        const counts = mapping('async', event.fn, 'async');
        if (event.destination === undefined) counts.dropped += 1;
        else counts.onFailure += 1;
        return;
      }
      case 'http':
        requests += 1;
        byStatus[String(event.status)] = (byStatus[String(event.status)] ?? 0) + 1;
        return;
      case 'log':
      case 'environment-ended':
      case 'schedule-fired':
      case 'note':
        return;
    }
  };

  return {
    trace: onEvent,
    snapshot: () => structuredClone({ functions, mappings, deadLetters, http: { requests, byStatus } }),
    recentFailures: () => structuredClone(failures),
  };
}

const cut = (text: string): string =>
  (text.length > FAILURE_MESSAGE_LIMIT ? `${text.slice(0, FAILURE_MESSAGE_LIMIT)}… (${text.length - FAILURE_MESSAGE_LIMIT} more characters)` : text);
const describe = (error: InvokeError | undefined): string => (error === undefined ? '' : `: ${cut(`${error.errorType}: ${error.errorMessage}`)}`);

/** Records `event` through `failed` when it is a failure worth listing. */
function noteFailure(event: TraceEvent, failed: (event: TraceEvent, record: Omit<FailureRecord, 'at'>) => void): void {
  switch (event.type) {
    case 'init':
      if (event.error) {
        failed(event, { kind: 'init', fn: event.fn, errorType: event.error.errorType, message: `INIT failed in environment ${event.environmentId}${describe(event.error)}` });
      }
      return;
    case 'invoke': {
      const { outcome } = event;
      if (outcome.status !== 'error') return;
      failed(event, {
        kind: 'invocation', fn: event.fn, requestId: outcome.requestId, errorType: outcome.error.errorType,
        message: `${event.mode} invocation failed (${outcome.kind})${describe(outcome.error)}`,
      });
      return;
    }
    case 'stream-result':
      if (event.result === 'ok') return;
      failed(event, {
        kind: 'stream-batch', fn: event.fn, source: event.source, ...(event.error ? { errorType: event.error.errorType } : {}),
        message: event.result === 'partial'
          ? `batch of ${event.range.size} record(s) from ${event.range.shardId} reported item failures from sequence ${event.failedSequence ?? '?'}`
          : `batch of ${event.range.size} record(s) from ${event.range.shardId} failed as a whole${describe(event.error)}`,
      });
      return;
    case 'sqs-result':
      if (event.result === 'ok') return;
      failed(event, {
        kind: 'sqs-batch', fn: event.fn, source: event.source, ...(event.error ? { errorType: event.error.errorType } : {}),
        message: event.result === 'partial'
          ? `${event.failedIds.length} message(s) of the batch failed and return to the queue: ${event.failedIds.join(', ')}`
          : `the whole batch failed and returns to the queue${describe(event.error)}`,
      });
      return;
    case 'dlq-arrival':
      failed(event, { kind: 'dead-letter', source: event.source, message: `message ${event.messageId} moved to the dead-letter queue ${event.deadLetterQueue} (maxReceiveCount reached)` });
      return;
    case 'stream-on-failure':
      failed(event, {
        kind: 'on-failure', fn: event.fn, source: event.source,
        message: `${event.condition}: batch ${event.range.first}..${event.range.last} of ${event.range.shardId} ${event.destination === undefined ? 'dropped (no OnFailure destination)' : `sent to ${event.destination}`}`,
      });
      return;
    case 'async-on-failure':
      failed(event, {
        kind: 'on-failure', fn: event.fn, source: 'async',
        message: `${event.condition}: event ${event.eventId} ${event.destination === undefined ? 'dropped (no OnFailure destination)' : `sent to ${event.destination}`}`,
      });
      return;
    default:
      return;
  }
}
