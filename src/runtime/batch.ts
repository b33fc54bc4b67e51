/**
 * Batch entry composition for polled triggers, on Powertools batch: the business-logic function
 * handles one record and throws to fail it; only failed records are reported back to Lambda
 * (LBP-ERR-SQS-PARTIAL, LBP-ERR-STREAM-CHECKPOINT). FIFO queues stop at the first failure and
 * report the rest of the batch, keeping order. A batch where every record fails throws, so Lambda
 * retries it whole (and bisects it, for a stream with bisect on).
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

export interface SqsBatchOptions {
  /** The queue is FIFO: stop at the first failure and report it and every later record. @default false */
  readonly fifo?: boolean;
}

export function sqsBatchHandler(handle: RecordHandler<SQSRecord>, options: SqsBatchOptions = {}): (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> {
  const processor = options.fifo ? new SqsFifoPartialProcessorAsync() : new BatchProcessor(EventType.SQS);
  return async (event, context) =>
    processPartialResponse(event, (record: SQSRecord) => handle(record, context), processor, { context });
}

export function streamBatchHandler(handle: RecordHandler<DynamoDBRecord>): (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse> {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  return async (event, context) =>
    processPartialResponse(event, (record: DynamoDBRecord) => handle(record, context), processor, { context });
}
