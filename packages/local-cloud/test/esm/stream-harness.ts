/**
 * Helpers of the stream-mapping tests: a table with a stream on the shared DynamoDB Local, a fake
 * invoker driven by a function of the event, a trace recorder, an OnFailure queue on fauxqs and
 * waits. Not a test file (vitest runs `*.test.ts` only).
 */
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { LocalClients } from '../../src/clients.js';
import { createStreamMapping, type StreamMappingConfig, type StreamTrigger } from '../../src/esm/stream.js';
import type { StreamOnFailureRecord } from '../../src/esm/stream-outcome.js';
import {
  timeScale, type DestinationTarget, type EngineComponent, type InvokeOutcome, type Invoker, type TraceEvent,
} from '../../src/types.js';
import { DEFAULTS } from '@kiro-serverless/model/constants';

/** Generous: the box has two shared cores and DynamoDB Local is a JVM. */
export const LONG = 120_000;
/** AWS minutes become 100 ms: record ages and windows pass fast. */
export const SCALE = timeScale(1 / 600);

/** A stream trigger with the spec defaults, then `overrides`. */
export function trigger(overrides: Partial<StreamTrigger> = {}): StreamTrigger {
  return { type: 'dynamodbStream', table: 'items', ...DEFAULTS.dynamodbStream, ...overrides };
}

export interface TestTable {
  readonly name: string;
  readonly streamArn: string;
  /** Puts items one at a time (stream order = call order). */
  put(...items: Record<string, unknown>[]): Promise<void>;
}

/** A new table `pk` (string) with a NEW_AND_OLD_IMAGES stream. */
export async function createTable(clients: LocalClients): Promise<TestTable> {
  const name = `stream-${randomUUID()}`;
  const created = await clients.dynamoDb.send(new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  }));
  const streamArn = created.TableDescription?.LatestStreamArn;
  if (streamArn === undefined) throw new Error('DynamoDB Local gave no stream ARN');
  return {
    name,
    streamArn,
    async put(...items) {
      for (const item of items) await clients.dynamoDb.send(new PutItemCommand({ TableName: name, Item: marshall(item) }));
    },
  };
}

/** One invocation the fake invoker saw. */
export interface Call {
  readonly records: readonly DynamoDBRecord[];
  readonly sequences: readonly string[];
  readonly outcome: InvokeOutcome;
}

export interface FakeInvoker extends Invoker {
  readonly calls: Call[];
}

/** `handle` returns the handler's response or throws its error. */
export function fakeInvoker(handle: (event: DynamoDBStreamEvent, call: number) => unknown): FakeInvoker {
  const calls: Call[] = [];
  return {
    calls,
    async invoke(_functionId, event) {
      const streamEvent = structuredClone(event) as DynamoDBStreamEvent;
      const requestId = randomUUID();
      let outcome: InvokeOutcome;
      try {
        const response = await handle(streamEvent, calls.length + 1);
        outcome = { status: 'ok', response, requestId, environmentId: 'env-1', durationMs: 1 };
      } catch (error) {
        const thrown = error instanceof Error ? error : new Error(String(error));
        outcome = { status: 'error', kind: 'function', error: { errorType: thrown.name, errorMessage: thrown.message }, requestId, durationMs: 1 };
      }
      calls.push({ records: streamEvent.Records, sequences: streamEvent.Records.map(sequenceOf), outcome });
      return outcome;
    },
  };
}

export const sequenceOf = (record: DynamoDBRecord): string => record.dynamodb?.SequenceNumber ?? '';
export const pkOf = (record: DynamoDBRecord): string => record.dynamodb?.NewImage?.pk?.S ?? '';
export const isPoison = (record: DynamoDBRecord): boolean => record.dynamodb?.NewImage?.poison?.BOOL === true;

/** A handler like streamBatchHandler: in order, stops at the first poison record and reports it. */
export function reportFirstPoison(event: DynamoDBStreamEvent): { batchItemFailures: { itemIdentifier: string }[] } {
  const poison = event.Records.find(isPoison);
  return { batchItemFailures: poison === undefined ? [] : [{ itemIdentifier: sequenceOf(poison) }] };
}

/** Throws when the batch holds a poison record. */
export function throwOnPoison(event: DynamoDBStreamEvent): void {
  if (event.Records.some(isPoison)) throw new TypeError('poison record');
}

export interface Harness {
  readonly mapping: EngineComponent;
  readonly events: TraceEvent[];
  of<T extends TraceEvent['type']>(type: T): Extract<TraceEvent, { type: T }>[];
}

/** Creates (not starts) a mapping of `table` to a function `fn` with a trace recorder. */
export function harness(
  clients: LocalClients,
  table: TestTable,
  invoker: Invoker,
  options: { trigger: StreamTrigger; onFailure?: DestinationTarget } & Partial<Pick<StreamMappingConfig, 'functionArn'>>,
): Harness {
  const events: TraceEvent[] = [];
  const mapping = createStreamMapping(
    { functionId: 'fn', tableId: 'items', tableName: table.name, streamArn: table.streamArn, ...options },
    { clients, invoker, trace: (event) => events.push(event), timeScale: SCALE, pollIntervalMs: 20 },
  );
  return {
    mapping,
    events,
    of: <T extends TraceEvent['type']>(type: T) => events.filter((event): event is Extract<TraceEvent, { type: T }> => event.type === type),
  };
}

/** Polls `check` until it holds; throws with `what` after `ms`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  for (const deadline = Date.now() + ms; Date.now() < deadline;) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Waits until the mapping says it is idle. */
export const waitIdle = (mapping: EngineComponent, ms = 60_000): Promise<void> => waitFor('the mapping to be idle', () => mapping.isIdle(), ms);

/** A queue on fauxqs as an OnFailure target. */
export async function createDestination(clients: LocalClients): Promise<Extract<DestinationTarget, { kind: 'queue' }>> {
  const id = `onfailure-${randomUUID().slice(0, 8)}`;
  const { QueueUrl: url } = await clients.sqs.send(new CreateQueueCommand({ QueueName: id }));
  const { Attributes } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return { kind: 'queue', id, url: url!, arn: Attributes!.QueueArn! };
}

/** Every OnFailure record waiting on `target` (receives and deletes nothing: one reader per test). */
export async function drainDestination(clients: LocalClients, target: { url: string }): Promise<StreamOnFailureRecord[]> {
  const records: StreamOnFailureRecord[] = [];
  for (;;) {
    const { Messages } = await clients.sqs.send(new ReceiveMessageCommand({
      QueueUrl: target.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 3_600,
    }));
    if (Messages === undefined || Messages.length === 0) return records;
    records.push(...Messages.map((message) => JSON.parse(message.Body ?? 'null') as StreamOnFailureRecord));
  }
}
