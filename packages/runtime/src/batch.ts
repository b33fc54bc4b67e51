/**
 * Batch entry composition for polled triggers, on Powertools batch: the business-logic function
 * handles one record and throws to fail it; only failed records are reported back to Lambda
 * (LBP-ERR-SQS-PARTIAL, LBP-ERR-STREAM-CHECKPOINT).
 *
 * - Standard SQS: messages are processed concurrently; each failed message is reported and returns
 *   to the queue after its visibility timeout.
 * - FIFO SQS: one at a time; at the first failure that message and every later one are reported,
 *   keeping the group's order.
 * - DynamoDB streams: one at a time, in shard order; at the first failure processing stops and that
 *   record's sequence number is reported. Lambda checkpoints before it and retries from it, so the
 *   unprocessed rest comes again, in order, and no later change of an item overtakes an earlier one.
 * - An SQS batch where every message fails throws, so that Lambda retries it whole. A stream batch
 *   whose first record fails throws too (LBP-ERR-STREAM-BISECT): Lambda splits a batch at a
 *   reported sequence number, and a split at the first record leaves the batch whole, so the records
 *   behind a poison record would share its fate (retried with it, then sent to OnFailure
 *   unprocessed). A function error makes Lambda halve the batch until the poison record is alone;
 *   with bisect off it retries the batch whole, as for a report of its first record.
 * - Without `reportBatchItemFailures` Lambda ignores partial responses: any failure throws, and the
 *   whole batch is retried.
 *
 * The processor is created when the entry is built, at module scope (INIT), and reused warm.
 *
 * @example
 * export const handler = withObservability(sqsBatchHandler(fulfilOrder, { fifo: false }));
 */
import {
  BatchProcessor, EventType, processPartialResponse, SqsFifoPartialProcessorAsync,
} from '@aws-lambda-powertools/batch';
import type {
  Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent, SQSBatchResponse, SQSEvent, SQSRecord,
} from 'aws-lambda';

/** Handles one record; throwing fails that record only. */
export type RecordHandler<TRecord> = (record: TRecord, context: Context) => Promise<void>;

export interface BatchOptions {
  /**
   * The event source mapping has `ReportBatchItemFailures`, so partial responses count. When false,
   * records run one at a time and the first failure fails the invocation (the whole batch).
   *
   * @default true
   */
  readonly reportBatchItemFailures?: boolean;
}

export interface SqsBatchOptions extends BatchOptions {
  /** The queue is FIFO: stop at the first failure and report it and every later record. @default false */
  readonly fifo?: boolean;
}

/** Runs records one at a time; the first error fails the invocation. */
async function allOrNothing<TRecord>(records: readonly TRecord[], handle: RecordHandler<TRecord>, context: Context): Promise<void> {
  for (const record of records) await handle(record, context);
}

export function sqsBatchHandler(handle: RecordHandler<SQSRecord>, options: SqsBatchOptions = {}): (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> {
  if (options.reportBatchItemFailures === false) {
    return async (event, context) => {
      await allOrNothing(event.Records, handle, context);
      return { batchItemFailures: [] };
    };
  }
  const processor = options.fifo ? new SqsFifoPartialProcessorAsync() : new BatchProcessor(EventType.SQS);
  return async (event, context) =>
    processPartialResponse(event, (record: SQSRecord) => handle(record, context), processor, { context });
}

export function streamBatchHandler(handle: RecordHandler<DynamoDBRecord>, options: BatchOptions = {}): (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse> {
  if (options.reportBatchItemFailures === false) {
    return async (event, context) => {
      await allOrNothing(event.Records, handle, context);
      return { batchItemFailures: [] };
    };
  }
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  return async (event, context) => {
    let failure: { record: DynamoDBRecord; error: unknown } | undefined;
    // After a failure the rest of the batch is left unprocessed but not reported: Lambda retries
    // from the lowest reported sequence number, which brings them again.
    const untilFirstFailure = async (record: DynamoDBRecord) => {
      if (failure) return;
      try {
        await handle(record, context);
      } catch (error) {
        failure = { record, error };
        throw error;
      }
    };
    const response = await processPartialResponse(event, untilFirstFailure, processor, { context, processInParallel: false });
    // The first record failed: nothing was done, so fail the invocation and let bisect split the batch.
    if (failure && failure.record === event.Records[0]) throw failure.error;
    return response;
  };
}
