/**
 * What a stream batch's invocation came to, judged as Lambda judges it, and the OnFailure record
 * Lambda sends when a batch's retries or record age run out.
 *
 * - An error outcome (thrown, timeout, init failure, crash) fails the whole batch.
 * - Without ReportBatchItemFailures the response is ignored: any returned value is success.
 * - With it: `null`/`undefined`, an object without `batchItemFailures`, or an empty list is success;
 *   otherwise the lowest reported sequence number is the failure point. A response that is not an
 *   object, a `batchItemFailures` that is not a list, or an identifier that is empty, null or not in
 *   the batch fails the whole batch.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { InvokeError, InvokeOutcome } from '../types.js';
import type { BufferedStreamRecord } from './stream-record.js';

/** How Lambda reads one invocation of a stream batch. */
export type StreamBatchVerdict =
  | { readonly result: 'ok' }
  /** Records before `index` succeeded; the batch failed from `index` (the lowest reported sequence) on. */
  | { readonly result: 'partial'; readonly index: number; readonly sequenceNumber: string }
  | { readonly result: 'error'; readonly error: InvokeError; readonly functionError: string };

/** The `errorType` given to a partial-batch response Lambda cannot use (the whole batch fails). */
export const INVALID_BATCH_RESPONSE_ERROR = 'Lambda.InvalidBatchItemFailuresResponse';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Judges `outcome` (not `throttled`: the caller waits and invokes again) of a batch of `records`. */
export function judgeStreamOutcome(
  outcome: Exclude<InvokeOutcome, { status: 'throttled' }>,
  records: readonly BufferedStreamRecord[],
  reportBatchItemFailures: boolean,
): StreamBatchVerdict {
  if (outcome.status === 'error') return { result: 'error', error: outcome.error, functionError: 'Unhandled' };
  if (!reportBatchItemFailures) return { result: 'ok' };
  const response = outcome.response;
  if (response === null || response === undefined) return { result: 'ok' };
  const invalid = (why: string): StreamBatchVerdict => ({
    result: 'error',
    error: { errorType: INVALID_BATCH_RESPONSE_ERROR, errorMessage: `${why}; the whole batch counts as failed` },
    functionError: INVALID_BATCH_RESPONSE_ERROR,
  });
  if (!isObject(response)) return invalid(`the response is ${JSON.stringify(response)}, not an object with batchItemFailures`);
  const failures = response.batchItemFailures;
  if (failures === null || failures === undefined) return { result: 'ok' };
  if (!Array.isArray(failures)) return invalid('batchItemFailures is not a list');
  if (failures.length === 0) return { result: 'ok' };
  let lowest = Number.POSITIVE_INFINITY;
  for (const failure of failures as unknown[]) {
    const id = isObject(failure) ? failure.itemIdentifier : undefined;
    if (typeof id !== 'string' || id === '') return invalid(`itemIdentifier ${JSON.stringify(id ?? null)} is empty or not a string`);
    const index = records.findIndex((record) => record.sequenceNumber === id);
    if (index < 0) return invalid(`itemIdentifier ${id} is not a sequence number of the batch`);
    lowest = Math.min(lowest, index);
  }
  const failed = records[lowest];
  if (failed === undefined) return invalid('no itemIdentifier');
  return { result: 'partial', index: lowest, sequenceNumber: failed.sequenceNumber };
}

/** Why the records of a batch went to the OnFailure destination. */
export type StreamFailureCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

/** Input of {@link streamOnFailureRecord}. */
export interface StreamOnFailureInput {
  readonly condition: StreamFailureCondition;
  readonly functionArn: string;
  readonly streamArn: string;
  readonly shardId: string;
  /** The batch given up on; at least one record. */
  readonly records: readonly BufferedStreamRecord[];
  /** Invocations of the batch (1 + retries); 0 when it aged out before any. */
  readonly approximateInvokeCount: number;
  /** Request ID of the last invocation. @default a random UUID */
  readonly requestId?: string;
  /** `Unhandled` for an error, absent when the last attempt returned a partial failure. */
  readonly functionError?: string;
  /** @default new Date() */
  readonly now?: Date;
}

/** Lambda's OnFailure record for a stream batch: metadata only (DDBStreamBatchInfo), not the records. */
export interface StreamOnFailureRecord {
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: StreamFailureCondition;
    readonly approximateInvokeCount: number;
  };
  readonly responseContext: { readonly statusCode: number; readonly executedVersion: string; readonly functionError?: string };
  readonly version: '1.0';
  readonly timestamp: string;
  readonly DDBStreamBatchInfo: {
    readonly shardId: string;
    readonly startSequenceNumber: string;
    readonly endSequenceNumber: string;
    readonly approximateArrivalOfFirstRecord: string;
    readonly approximateArrivalOfLastRecord: string;
    readonly batchSize: number;
    readonly streamArn: string;
  };
}

const arrivalOf = (record: BufferedStreamRecord): string =>
  new Date((record.record.dynamodb?.ApproximateCreationDateTime ?? 0) * 1000).toISOString();

/** Builds the OnFailure record of a batch, in the shape Lambda sends to SQS or SNS. */
export function streamOnFailureRecord(input: StreamOnFailureInput): StreamOnFailureRecord {
  const first = input.records[0];
  const last = input.records[input.records.length - 1];
  if (first === undefined || last === undefined) throw new RangeError('an OnFailure record needs at least one stream record');
  return {
    requestContext: {
      requestId: input.requestId ?? randomUUID(),
      functionArn: input.functionArn,
      condition: input.condition,
      approximateInvokeCount: input.approximateInvokeCount,
    },
    responseContext: {
      statusCode: 200,
      executedVersion: '$LATEST',
      ...(input.functionError === undefined ? {} : { functionError: input.functionError }),
    },
    version: '1.0',
    timestamp: (input.now ?? new Date()).toISOString(),
    DDBStreamBatchInfo: {
      shardId: input.shardId,
      startSequenceNumber: first.sequenceNumber,
      endSequenceNumber: last.sequenceNumber,
      approximateArrivalOfFirstRecord: arrivalOf(first),
      approximateArrivalOfLastRecord: arrivalOf(last),
      batchSize: input.records.length,
      streamArn: input.streamArn,
    },
  };
}
