/**
 * Item 3 subject: the runtime wrappers the generator composes for an SQS consumer, each around the
 * same trivial business logic, beside a plain loop over the records. Bundled like a ServiceFunction
 * and driven by packages/bench/src/runner.ts (`warm` mode), which interleaves the variants batch by batch.
 */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { sqsBatchHandler } from '@kiro-serverless/runtime/batch';
import { envString, loadConfig } from '@kiro-serverless/runtime/config';
import { idempotent } from '@kiro-serverless/runtime/idempotency';
import { withObservability } from '@kiro-serverless/runtime/observability';

const config = loadConfig({ IDEMPOTENCY_TABLE: envString('the idempotency table') });

/** The business logic of every variant: read the message, check it. */
async function work(record: SQSRecord): Promise<void> {
  const body = JSON.parse(record.body) as { orderId?: unknown };
  if (typeof body.orderId !== 'string') throw new TypeError(`message ${record.messageId} has no orderId`);
}

type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export const variants: Record<string, SqsHandler> = {
  /** The baseline: a loop that reports failed messages itself. */
  plainLoop: async (event) => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        await work(record);
      } catch {
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  },
  /** Powertools BatchProcessor through packages/runtime/src/batch.ts. */
  batch: sqsBatchHandler((record) => work(record)),
  /** The generated entry of a consumer without idempotency: logging and metrics around the batch. */
  batchLogging: withObservability(sqsBatchHandler((record) => work(record))),
  /** The generated entry of fulfilOrder's shape: idempotency per message (DynamoDB Local), batch, logging. */
  batchIdempotencyLogging: withObservability(sqsBatchHandler(idempotent((record: SQSRecord) => work(record), {
    key: 'powertools_json(body).orderId', expiresAfterSeconds: 3_600, tableName: config.IDEMPOTENCY_TABLE, keyPrefix: 'bench.warm',
  }))),
};

/** Batch `batch` of 100 messages with keys unique to the run (`salt`), so that idempotency does its full work every time. */
export function makeEvent(batch: number, salt: string, size = 100): SQSEvent {
  const now = String(Date.now());
  return {
    Records: Array.from({ length: size }, (_, index): SQSRecord => ({
      messageId: `${salt}-${batch}-${index}`,
      receiptHandle: `handle-${index}`,
      body: JSON.stringify({ orderId: `${salt}-${batch}-${index}`, customerId: 'bench-customer' }),
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: now, SenderId: 'bench', ApproximateFirstReceiveTimestamp: now },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:bench',
      awsRegion: 'eu-west-1',
    })),
  };
}
