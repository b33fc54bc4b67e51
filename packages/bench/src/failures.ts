/**
 * Item 5: failure economics on the local cloud. One poison record in a batch of 100 on a DynamoDB
 * stream (DynamoDB Local), consumed by the local cloud's real stream mapping
 * (packages/local-cloud/src/esm/stream.ts: bisect, retries, partial batch responses, OnFailure) through a
 * purpose-built handler on the real runtime wrapper (packages/runtime/src/batch.ts `streamBatchHandler`,
 * Powertools batch). Counted: handler invocations, records delivered, business-logic runs, good
 * records run more than once, and good records never run (skipped to OnFailure with the poison).
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { streamBatchHandler } from '@kiro-serverless/runtime/batch';
import { lambdaContext } from '@kiro-serverless/events/context';
import { createStreamMapping, type StreamTrigger } from '@kiro-serverless/local-cloud/esm/stream';
import { timeScale, type InvokeOutcome, type Invoker, type TraceEvent } from '@kiro-serverless/local-cloud/types';
import { DEFAULTS } from '@kiro-serverless/model/constants';
import { POISON_BATCH_SIZE, POISON_INDEX, POISON_MAX_RETRIES } from './constants.js';
import { BenchError } from './errors.js';
import { times } from './format.js';
import type { BenchCloud } from './local.js';
import { ratio } from './stats.js';
import type { BenchOptions, BenchRow, SectionResult } from './types.js';

interface Mode {
  readonly name: string;
  readonly reportBatchItemFailures: boolean;
  readonly bisectOnError: boolean;
}

/** The template's default first (spec defaults: both on), then each alone, then neither (the baseline). */
const MODES: readonly Mode[] = [
  { name: 'ReportBatchItemFailures + bisect (template default)', reportBatchItemFailures: true, bisectOnError: true },
  { name: 'ReportBatchItemFailures only', reportBatchItemFailures: true, bisectOnError: false },
  { name: 'bisect only', reportBatchItemFailures: false, bisectOnError: true },
  { name: 'neither', reportBatchItemFailures: false, bisectOnError: false },
];

export interface FailureCounts {
  readonly invocations: number;
  readonly delivered: number;
  readonly runs: number;
  /** Runs of good records beyond their first. */
  readonly reprocessed: number;
  /** Good records the business logic never ran (sent to OnFailure with the poison). */
  readonly neverRun: number;
  readonly onFailureBatches: number;
}

/** Runs one mode end to end on a fresh table and returns its counts. */
export async function poisonRun(cloud: BenchCloud, mode: Mode): Promise<FailureCounts> {
  const clients = cloud.emulators.clients;
  const tableName = `bench-poison-${randomUUID().slice(0, 8)}`;
  const created = await clients.dynamoDb.send(new CreateTableCommand({
    TableName: tableName,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  }));
  const streamArn = created.TableDescription?.LatestStreamArn;
  if (streamArn === undefined) throw new BenchError('DynamoDB Local gave no stream ARN');
  try {
    for (let index = 0; index < POISON_BATCH_SIZE; index++) {
      await clients.dynamoDb.send(new PutItemCommand({
        TableName: tableName,
        Item: { pk: { S: `item-${String(index).padStart(3, '0')}` }, ...(index === POISON_INDEX ? { poison: { BOOL: true } } : {}) },
      }));
    }
    const runsByRecord = new Map<string, number>();
    const handler = streamBatchHandler(async (record: DynamoDBRecord) => {
      const pk = record.dynamodb?.NewImage?.pk?.S ?? '';
      runsByRecord.set(pk, (runsByRecord.get(pk) ?? 0) + 1);
      if (record.dynamodb?.NewImage?.poison?.BOOL === true) throw new TypeError(`poison record ${pk}`);
    }, { reportBatchItemFailures: mode.reportBatchItemFailures });
    let invocations = 0;
    let delivered = 0;
    const invoker: Invoker = {
      async invoke(_functionId, event) {
        invocations++;
        const streamEvent = structuredClone(event) as DynamoDBStreamEvent;
        delivered += streamEvent.Records.length;
        const requestId = randomUUID();
        try {
          const response = await handler(streamEvent, lambdaContext({ functionName: 'bench-poison' }));
          return { status: 'ok', response, requestId, environmentId: 'bench', durationMs: 1 } satisfies InvokeOutcome;
        } catch (error) {
          const thrown = error instanceof Error ? error : new Error(String(error));
          return { status: 'error', kind: 'function', error: { errorType: thrown.name, errorMessage: thrown.message }, requestId, durationMs: 1 };
        }
      },
    };
    const events: TraceEvent[] = [];
    const trigger: StreamTrigger = {
      type: 'dynamodbStream', table: 'poison', ...DEFAULTS.dynamodbStream,
      batchSize: POISON_BATCH_SIZE, maxRetries: POISON_MAX_RETRIES, maxRecordAgeSeconds: -1,
      bisectOnError: mode.bisectOnError, reportBatchItemFailures: mode.reportBatchItemFailures,
    };
    const mapping = createStreamMapping(
      { functionId: 'poison', tableId: 'poison', tableName, streamArn, trigger },
      { clients, invoker, trace: (event) => events.push(event), timeScale: timeScale(1 / 600), pollIntervalMs: 20 },
    );
    mapping.start();
    const deadline = Date.now() + 120_000;
    while (!(await mapping.isIdle())) {
      if (Date.now() > deadline) throw new BenchError(`poison run "${mode.name}" did not finish in 120 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await mapping.stop();
    const good = [...runsByRecord].filter(([pk]) => pk !== `item-${String(POISON_INDEX).padStart(3, '0')}`);
    return {
      invocations,
      delivered,
      runs: [...runsByRecord.values()].reduce((a, b) => a + b, 0),
      reprocessed: good.reduce((sum, [, runs]) => sum + Math.max(0, runs - 1), 0),
      neverRun: POISON_BATCH_SIZE - 1 - good.length,
      onFailureBatches: events.filter((event) => event.type === 'stream-on-failure').length,
    };
  } finally {
    await clients.dynamoDb.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
  }
}

export async function failureEconomics(options: BenchOptions, cloud: BenchCloud): Promise<SectionResult> {
  const counts = new Map<string, FailureCounts>();
  for (const mode of MODES) {
    counts.set(mode.name, await poisonRun(cloud, mode));
    options.log(`  failures: ${mode.name} done`);
  }
  const neither = counts.get('neither');
  if (neither === undefined) throw new BenchError('the "neither" run is missing');
  const rows: BenchRow[] = [];
  for (const mode of MODES.filter((m) => m.name !== 'neither')) {
    const own = counts.get(mode.name);
    if (own === undefined) continue;
    const describe = (c: FailureCounts) => `${c.invocations} invocations, ${c.reprocessed} good re-run, ${c.neverRun} good never run`;
    rows.push({
      item: 5, figure: `poison 1/100: invocations, ${mode.name} vs neither`, ours: String(own.invocations), baseline: `neither ${neither.invocations}`,
      ratio: ratio(own.invocations, neither.invocations),
      context: `${own.delivered} records delivered vs ${neither.delivered}; ${describe(own)} vs ${describe(neither)}`,
    });
    rows.push({
      item: 5, figure: `poison 1/100: good records re-processed, ${mode.name} vs neither`, ours: String(own.reprocessed),
      baseline: `neither ${neither.reprocessed}`, ratio: ratio(own.reprocessed, neither.reprocessed),
      context: `business-logic runs ${own.runs} vs ${neither.runs} (${times(ratio(own.runs, neither.runs))}); OnFailure batches ${own.onFailureBatches} vs ${neither.onFailureBatches}`,
    });
    rows.push({
      item: 5, figure: `poison 1/100: good records never run (skipped to OnFailure), ${mode.name} vs neither`, ours: String(own.neverRun),
      baseline: `neither ${neither.neverRun}`, ratio: ratio(own.neverRun, neither.neverRun),
      context: 'good records after the poison that went to OnFailure with it, unprocessed (to be read back from the stream within 24 h)',
    });
  }
  return {
    rows,
    notes: [
      `Failure economics: ${POISON_BATCH_SIZE} items written to a DynamoDB Local table with a stream, the record at index ${POISON_INDEX} ` +
      `poison; the local cloud's stream mapping with batch size ${POISON_BATCH_SIZE}, MaximumRetryAttempts ${POISON_MAX_RETRIES}, ` +
      'MaximumRecordAgeInSeconds -1 (so retries, not age, end it), starting at TRIM_HORIZON. The handler is packages/runtime/src/batch.ts ' +
      '`streamBatchHandler` (in shard order; with ReportBatchItemFailures it reports the first failure, without it the first failure ' +
      'fails the invocation). "Re-processed" counts business-logic runs of good records beyond the first; "never run" counts good ' +
      'records that went to OnFailure (as batch metadata) with the poison, unprocessed.',
      'With neither setting a stream retries the whole batch until retries (or record age) run out, then skips it to OnFailure: every ' +
      `attempt re-runs the ${POISON_INDEX} records before the poison, and the ${POISON_BATCH_SIZE - 1 - POISON_INDEX} after it are never run. ` +
      'With Lambda\'s default retries (-1) and age (-1) the shard would be blocked until the records expire (24 h).',
      ...MODES.map((mode) => {
        const c = counts.get(mode.name);
        return c === undefined ? '' : `- ${mode.name}: ${c.invocations} invocations, ${c.delivered} records delivered, ${c.runs} business-logic runs, ` +
          `${c.reprocessed} good re-runs, ${c.neverRun} good records never run, ${c.onFailureBatches} OnFailure batch(es).`;
      }).filter((line) => line !== ''),
    ],
  };
}
